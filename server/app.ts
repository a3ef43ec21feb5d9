/**
 * Builds a running Voronka: database (migrated), services of every module, jobs, live events, HTTP app.
 * Used by `voronka serve`, by tests (one app per test database) and by benchmarks.
 */
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { connect, type Database } from './platform/db/connect.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { EventBus } from './platform/events.js';
import { DomainEventBus } from './platform/domain-events.js';
import { JobRunner } from './platform/jobs.js';
import { AuditLog } from './platform/audit.js';
import { createHttpApp, type App, type ModuleDef } from './platform/http.js';
import type { Ctx, Services } from './platform/context.js';
import { modules as allModules } from './modules/index.js';

export interface Server {
  app: App;
  ctx: Ctx;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Use an existing database (tests); otherwise connect to config.databaseUrl. */
  database?: Database;
  logger?: Logger;
  /** Start the job runner and scheduler (default true). */
  runJobs?: boolean;
  modules?: ModuleDef[];
}

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    // Never log credentials, cookies or tokens.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
      ],
      censor: '[скрыто]',
    },
  });
}

export async function createServer(config: Config, opts: ServerOptions = {}): Promise<Server> {
  const log = opts.logger ?? createLogger(config);
  const database = opts.database ?? connect(config.databaseUrl);
  await migrateToLatest(database.db);

  const events = new EventBus(database);
  const jobs = new JobRunner(database, log.child({ component: 'jobs' }), { tz: config.tz });
  const ctx: Ctx = {
    config,
    database,
    db: database.db,
    events,
    domain: new DomainEventBus(),
    jobs,
    audit: new AuditLog(database.db),
    log,
    services: {} as Services,
  };
  const modules = opts.modules ?? allModules;
  for (const mod of modules) mod.services?.(ctx);
  for (const mod of modules) mod.jobs?.(ctx);
  for (const mod of modules) await mod.init?.(ctx);
  await ctx.services.auth.ensureAdminFromEnv();

  const app = await createHttpApp(ctx, modules, ctx.services.auth.authenticate);
  await app.ready();
  await events.start();
  if (opts.runJobs !== false) jobs.start();

  let closed = false;
  return {
    app,
    ctx,
    async close() {
      if (closed) return;
      closed = true;
      await jobs.stop();
      await app.close();
      await events.stop();
      if (!opts.database) await database.close();
    },
  };
}
