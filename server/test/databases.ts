import crypto from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import { connect, type Database, type Dialect } from '../platform/db/connect.js';
import { adminQuery, dropPgDatabase, withDatabase } from './pg-admin.js';

/** The dialects this run covers: always SQLite, PostgreSQL when reachable. */
export function testDialects(): Dialect[] {
  return inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  database: Database;
  url: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  poolSize?: number;
  /**
   * A database already migrated and seeded as `createServer` leaves it, cloned from the run's template
   * (server/test/global-setup.ts) instead of migrated anew. Without it the database is empty.
   */
  migrated?: boolean;
}

let sqliteImage: Buffer | null = null;

/** A fresh database: SQLite in memory, or a PostgreSQL database created for this file and dropped after. */
export async function createTestDatabase(dialect: Dialect, opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    let image: Buffer | undefined;
    if (opts.migrated) {
      const file = inject('sqliteTemplate');
      if (!file) throw new Error('Нет шаблона SQLite: серверные тесты запускаются с server/test/global-setup.ts');
      image = sqliteImage ??= fs.readFileSync(file);
    }
    const database = connect('sqlite::memory:', { sqliteImage: image });
    return { database, url: 'sqlite::memory:', drop: () => database.close() };
  }
  const adminUrl = inject('pgUrl');
  if (!adminUrl) throw new Error('PostgreSQL недоступен');
  const template = opts.migrated ? inject('pgTemplate') : null;
  if (opts.migrated && !template) throw new Error('Нет шаблона PostgreSQL: серверные тесты запускаются с server/test/global-setup.ts');
  const name = `voronka_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = withDatabase(adminUrl, name);
  const database = connect(url, { poolSize: opts.poolSize });
  return {
    database,
    url,
    async drop() {
      await database.close();
      await dropPgDatabase(adminUrl, name);
    },
  };
}

/** Creates an empty PostgreSQL database (for tests that run several servers on one database). */
export async function createPgDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('pgUrl');
  if (!adminUrl) throw new Error('PostgreSQL недоступен');
  const name = `voronka_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  return { url: withDatabase(adminUrl, name), drop: () => dropPgDatabase(adminUrl, name) };
}
