/**
 * Starts a Voronka from a list of modules: database (migrated), services of every module, jobs, live events,
 * HTTP app. The platform knows no module: server/app.ts passes the list (server/modules/index.ts), and CLI
 * commands of modules receive a `Boot` (this function with the list bound) instead of importing app.ts.
 */
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { connect, type Database } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { EventBus } from './events.js';
import { DomainEventBus } from './domain-events.js';
import { JobRunner } from './jobs.js';
import { AuditLog } from './audit.js';
import { createHttpApp, type App, type ModuleDef } from './http.js';
import type { Ctx, Services } from './context.js';

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
  /** The modules to run (default: every module, server/modules/index.ts). */
  modules?: ModuleDef[];
}

/** The whole application with its module list bound: what a CLI command of a module receives. */
export type Boot = (config: Config, opts?: ServerOptions) => Promise<Server>;

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

export async function startServer(config: Config, modules: ModuleDef[], opts: Omit<ServerOptions, 'modules'> = {}): Promise<Server> {
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
  for (const mod of modules) mod.services?.(ctx);
  for (const mod of modules) mod.jobs?.(ctx);
  for (const mod of modules) await mod.init?.(ctx);

  const authenticators = modules.filter((m) => m.authenticator);
  if (authenticators.length !== 1) throw new Error(`Exactly one module must provide the authenticator (got ${authenticators.length})`);
  const app = await createHttpApp(ctx, modules, authenticators[0].authenticator!(ctx));
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
