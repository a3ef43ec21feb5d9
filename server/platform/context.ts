import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database, Db } from './db/connect.js';
import type { EventBus } from './events.js';
import type { JobRunner } from './jobs.js';
import type { AuditLog } from './audit.js';
import type { DomainEventBus } from './domain-events.js';

/**
 * Services of every module, filled in by app.ts in module order. Each module declares its own entry:
 *   declare module '../../platform/context.js' { interface Services { users: UsersService } }
 * A module reaches another only through these services or through events, never through its repo.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

export interface Ctx {
  config: Config;
  database: Database;
  db: Db;
  events: EventBus;
  /** Domain events between modules, inside the emitter's transaction (platform/domain-events.ts). */
  domain: DomainEventBus;
  jobs: JobRunner;
  audit: AuditLog;
  log: Logger;
  services: Services;
}
