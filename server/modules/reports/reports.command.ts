import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createLogger, type Boot } from '../../platform/bootstrap.js';
import { connect } from '../../platform/db/connect.js';
import { migrateToLatest } from '../../platform/db/migrate.js';

/** `voronka reports rebuild`: recomputes the report rollups from the raw rows. */
export function registerReportsCommand(program: Command, boot: Boot): void {
  const reports = program.command('reports').description('Отчёты: обслуживание сводных таблиц');
  reports
    .command('rebuild')
    .description('Пересчитать сводные таблицы отчётов из исходных данных (после массовой загрузки или смены часового пояса)')
    .action(async () => {
      const config = loadConfig();
      const quiet = { ...config, logLevel: 'warn' };
      const database = connect(config.databaseUrl);
      try {
        await migrateToLatest(database.db);
        const server = await boot(quiet, { database, runJobs: false, logger: createLogger(quiet) });
        try {
          const res = await server.ctx.services.reports.rebuild();
          console.log(`Сводные таблицы отчётов пересчитаны за ${(res.ms / 1000).toFixed(1)} с (часовой пояс ${config.tz}):`);
          for (const [t, n] of Object.entries(res.rows)) console.log(`  ${t.padEnd(22)} ${n.toLocaleString('ru-RU')}`);
        } finally {
          await server.close();
        }
      } finally {
        await database.close();
      }
    });
}
