/**
 * The `voronka` command line: serve, migrate, create-user (later modules add demo, backup, restore, import).
 */
import { Command, Option } from 'commander';
import { ensureSecret, loadConfig } from './config.js';
import { createServer, createLogger } from './app.js';
import { connect } from './platform/db/connect.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { AppError } from './platform/errors.js';
import { roleValues } from '../common/api/users.js';
import { modules } from './modules/index.js';

export function buildCli(): Command {
  const program = new Command('voronka').description('Воронка — CRM для отдела продаж').showHelpAfterError().helpCommand(true);

  program
    .command('serve', { isDefault: true })
    .description('Запустить сервер (веб-интерфейс и API)')
    .option('-p, --port <port>', 'порт (или PORT)')
    .option('--host <host>', 'адрес (или HOST)')
    .action(async (opts: { port?: string; host?: string }) => {
      const started = performance.now();
      const config = ensureSecret(loadConfig());
      if (opts.port) config.port = Number(opts.port);
      if (opts.host) config.host = opts.host;
      const server = await createServer(config);
      await server.app.listen({ port: config.port, host: config.host });
      server.ctx.log.info(
        {
          url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
          database: server.ctx.database.dialect,
          ms: Math.round(performance.now() - started),
        },
        'Воронка запущена',
      );
      const shutdown = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });

  program
    .command('migrate')
    .description('Применить миграции базы данных (повторный запуск ничего не меняет)')
    .action(async () => {
      const config = loadConfig();
      const database = connect(config.databaseUrl);
      try {
        const result = await migrateToLatest(database.db);
        const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        console.log(applied.length ? `Применены миграции: ${applied.join(', ')}` : 'База данных уже в актуальном состоянии');
      } finally {
        await database.close();
      }
    });

  program
    .command('create-user')
    .description('Создать пользователя')
    .requiredOption('--email <email>', 'e-mail (логин)')
    .requiredOption('--name <name>', 'имя')
    .addOption(new Option('--role <role>', 'роль').choices([...roleValues]).default('manager'))
    .option('--password <password>', 'пароль (не менее 10 символов; или VORONKA_NEW_PASSWORD)')
    .option('--department <id>', 'id отдела')
    .action(async (opts: { email: string; name: string; role: (typeof roleValues)[number]; password?: string; department?: string }) => {
      const config = ensureSecret(loadConfig());
      const password = opts.password ?? process.env.VORONKA_NEW_PASSWORD;
      if (!password) {
        console.error('Укажите пароль: --password или VORONKA_NEW_PASSWORD');
        process.exitCode = 2;
        return;
      }
      const server = await createServer(
        { ...config, logLevel: 'warn' },
        { runJobs: false, logger: createLogger({ ...config, logLevel: 'warn' }) },
      );
      try {
        const user = await server.ctx.services.users.createUnchecked({
          email: opts.email,
          name: opts.name,
          role: opts.role,
          password,
          departmentId: opts.department ?? null,
        });
        console.log(`Пользователь создан: ${user.email} (${user.role}), id ${user.id}`);
      } catch (err) {
        if (err instanceof AppError) {
          console.error(`Ошибка: ${err.customMessage?.ru ?? Object.values(err.fields ?? {}).join('; ') ?? err.code}`);
          process.exitCode = 1;
        } else throw err;
      } finally {
        await server.close();
      }
    });

  for (const mod of modules) mod.commands?.(program, createServer);
  return program;
}

const isEntry = process.argv[1] && /voronka(\.js|\.mjs)?$|main\.ts$/.test(process.argv[1]);
if (isEntry) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
