import { Option, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { connect } from '../../platform/db/connect.js';
import { exportDatabase, type DumpFormat } from './exports.service.js';

/** `voronka export --format xlsx|json DIR`: the whole database as open files; the server need not run. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Выгрузить всю базу в открытых форматах (по файлу на таблицу, manifest.json и README.md); сервер можно не останавливать. ' +
        'Хеши паролей, токенов и сеансы не выгружаются.',
    )
    .addOption(new Option('--format <format>', 'формат: json (JSON Lines) или xlsx').choices(['json', 'xlsx']).default('json'))
    .option('--batch <rows>', 'строк за один запрос к базе', '5000')
    .argument('<dir>', 'папка для выгрузки (создаётся; не должна содержать прошлую выгрузку)')
    .action(async (dir: string, opts: { format: DumpFormat; batch: string }) => {
      const config = loadConfig();
      const database = connect(config.databaseUrl);
      const started = performance.now();
      try {
        const manifest = await exportDatabase(database, {
          format: opts.format,
          dir,
          version: config.version,
          batch: Math.max(1, Number(opts.batch) || 5000),
          onTable: (t) => console.error(`  ${t.name.padEnd(22)} ${t.rows.toLocaleString('ru-RU').padStart(12)}  ${t.seconds.toFixed(1)} с`),
        });
        const rows = manifest.tables.reduce((s, t) => s + t.rows, 0);
        console.log(
          `Выгружено: ${manifest.tables.length} таблиц, ${rows.toLocaleString('ru-RU')} строк за ${((performance.now() - started) / 1000).toFixed(1)} с → ${dir}`,
        );
      } finally {
        await database.close();
      }
    });
}
