import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createLogger, type Boot, type Server } from '../../platform/bootstrap.js';
import { connect, type Database } from '../../platform/db/connect.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { DemoError, finishDemo, loadDemo, prepareDemo, type DemoProgress, type DemoSummary } from './demo.js';

const nf = (n: number) => Math.round(n).toLocaleString('ru-RU');

function intOption(name: string) {
  return (value: string) => {
    const n = Number(value.replace(/[_\s]/g, ''));
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name}: ожидается целое неотрицательное число, получено «${value}»`);
    return n;
  };
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  return (p: DemoProgress) => {
    const pct = Math.floor(p.fraction * 100);
    const text = `${String(pct).padStart(3)} % · клиенты ${nf(p.clients)} · сделки ${nf(p.deals)} · строк ${nf(p.rows)} · ${p.seconds.toFixed(1)} с`;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(p.fraction * width);
      stream.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${text}\x1b[K`);
      if (p.fraction >= 1) stream.write('\n');
    } else if (Math.floor(pct / 10) !== lastDecile) {
      lastDecile = Math.floor(pct / 10);
      stream.write(`Демо-данные: ${text}\n`);
    }
  };
}

export function printSummary(s: DemoSummary & { reportsSeconds?: number }, log: (line: string) => void = console.log) {
  const c = s.counts;
  log(`Демо-данные загружены за ${s.seconds.toFixed(1)} с: ${nf(s.rows)} строк, ${nf(s.rowsPerSecond)} строк/с (${s.writer})`);
  if (s.reportsSeconds !== undefined) log(`  сводные таблицы отчётов пересчитаны за ${s.reportsSeconds.toFixed(1)} с`);
  log(
    `  клиенты ${nf(c.clients)}, контакты ${nf(c.contacts)}, ключи дублей ${nf(c.client_keys)}; сделки ${nf(c.deals)}, позиции ${nf(c.deal_items)}, ` +
      `история этапов ${nf(c.deal_stage_history)}; задачи ${nf(c.tasks)}; лента ${nf(c.timeline_entries)}; ` +
      `товары ${nf(c.products)}, новых пользователей ${nf(c.users)}, отделов ${nf(c.departments)}`,
  );
  log(`Пароль всех демо-пользователей: ${s.password}`);
  for (const u of s.users)
    log(
      `  ${u.email.padEnd(28)} ${u.role.padEnd(10)} ${u.name}${u.department ? ` (${u.department})` : ''}${u.created ? '' : ' — уже был'}`,
    );
}

/** `voronka demo --clients N --deals N [--seed S] [--users N] [--years Y] [--append]` */
export function registerDemoCommand(program: Command, boot: Boot): void {
  program
    .command('demo')
    .description('Заполнить базу реалистичными демо-данными (клиенты, сделки, задачи); одинаковый --seed даёт одинаковые данные')
    .requiredOption('--clients <n>', 'сколько клиентов', intOption('clients'))
    .requiredOption('--deals <n>', 'сколько сделок', intOption('deals'))
    .option('--seed <n>', 'зерно генератора', intOption('seed'), 1)
    .option('--users <n>', 'сколько менеджеров (плюс руководители отделов, собственник, бухгалтер, производство)', intOption('users'), 10)
    .option('--years <n>', 'за сколько последних лет разложить сделки', (v) => Number(v), 2)
    .option('--append', 'добавить к уже имеющимся клиентам (иначе база должна быть пустой)', false)
    .action(async (opts: { clients: number; deals: number; seed: number; users: number; years: number; append: boolean }) => {
      const config = loadConfig();
      const quiet = { ...config, logLevel: 'warn' };
      const withServer = async <T>(database: Database, f: (server: Server) => Promise<T>) => {
        const server = await boot(quiet, { database, runJobs: false, logger: createLogger(quiet) });
        try {
          return await f(server);
        } finally {
          await server.close();
        }
      };
      let database = connect(config.databaseUrl);
      let open = true;
      try {
        await migrateToLatest(database.db);
        // The team, the catalogue and the checks go through the application…
        const plan = await withServer(database, (server) => prepareDemo(server.ctx, opts));
        // …the bulk through the loader. On SQLite it opens the file alone, so the server's connection goes first.
        const sqlite = database.dialect === 'sqlite';
        if (sqlite) {
          await database.close();
          open = false;
        }
        // Ctrl-C stops between chunks: the open transaction is committed and the indexes rebuilt.
        const stop = new AbortController();
        const onSigint = () => {
          process.stderr.write('\nОстанавливаю загрузку…\n');
          stop.abort();
        };
        process.once('SIGINT', onSigint);
        let summary: DemoSummary | null = null;
        let failure: unknown = null;
        try {
          summary = await loadDemo(database, plan, { onProgress: progressPrinter(), exclusive: sqlite, signal: stop.signal });
        } catch (err) {
          failure = err;
        } finally {
          process.off('SIGINT', onSigint);
        }
        // Whatever was loaded, the modules' derived data (report rollups) is recomputed from it.
        if (!open) {
          database = connect(config.databaseUrl);
          open = true;
        }
        process.stderr.write('Пересчёт сводных таблиц отчётов…\n');
        const reportsSeconds = await withServer(database, (server) => finishDemo(server.ctx));
        if (failure) throw failure;
        printSummary({ ...summary!, reportsSeconds });
      } catch (err) {
        if (err instanceof DemoError) {
          console.error(`Ошибка: ${err.message}`);
          process.exitCode = 1;
        } else throw err;
      } finally {
        if (open) await database.close();
      }
    });
}
