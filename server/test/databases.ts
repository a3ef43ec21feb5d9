import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type Database, type Dialect } from '../platform/db/connect.js';

/** The dialects this run covers: always SQLite, PostgreSQL when reachable. */
export function testDialects(): Dialect[] {
  return inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  database: Database;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: SQLite in memory, or a PostgreSQL database created for this file and dropped after. */
export async function createTestDatabase(dialect: Dialect, opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const database = connect('sqlite::memory:');
    return { database, url: 'sqlite::memory:', drop: () => database.close() };
  }
  const adminUrl = inject('pgUrl');
  if (!adminUrl) throw new Error('PostgreSQL недоступен');
  const name = `voronka_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = withDatabase(adminUrl, name);
  const database = connect(url, opts);
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

async function dropPgDatabase(adminUrl: string, name: string) {
  await adminQuery(
    adminUrl,
    `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
  );
  await adminQuery(adminUrl, `drop database if exists ${name}`);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
