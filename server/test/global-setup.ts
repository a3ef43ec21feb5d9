/**
 * Once per run, before any worker starts:
 * - decides whether PostgreSQL tests run (DESIGN §7): VORONKA_TEST_PG_URL (default local postgres). Without a
 *   reachable server, one line says so and only SQLite runs — unless VORONKA_TEST_PG=required, where that is a
 *   failure;
 * - for the server tests, builds the TEMPLATE databases that every test database is cloned from: migrated, and
 *   seeded as `createServer` leaves a new database with the test configuration (default automation rules, the
 *   company zone's offsets). A PostgreSQL database `CREATE DATABASE … TEMPLATE` copies, and a serialized SQLite
 *   image each file opens in memory. They are dropped at the end of the run. Migration tests keep using empty
 *   databases (`createTestDatabase(dialect)` without `migrated`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import SQLite from 'better-sqlite3';
import type { TestProject } from 'vitest/node';
import { connect } from '../platform/db/connect.js';
import { testConfig } from './config.js';
import { adminQuery, dropPgDatabase, withDatabase } from './pg-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
    /** The migrated PostgreSQL database test databases are cloned from (server tests with PostgreSQL only). */
    pgTemplate: string | null;
    /** A file holding the serialized image of a migrated SQLite database (server tests only). */
    sqliteTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.VORONKA_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const required = process.env.VORONKA_TEST_PG === 'required';
  const disabled = process.env.VORONKA_TEST_PG === 'off';
  let available = false;
  if (!disabled) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      available = true;
    } catch (err) {
      if (required)
        throw new Error(`VORONKA_TEST_PG=required, но PostgreSQL недоступен (${url}): ${(err as Error).message}`, { cause: err });
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (!available && project.name === 'server') {
    console.log(`PostgreSQL недоступен (${url}): серверные тесты идут только на SQLite.`);
  }
  project.provide('pgUrl', available ? url : null);
  project.provide('pgTemplate', null);
  project.provide('sqliteTemplate', null);
  if (project.name !== 'server') return;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-test-template-'));
  const pgTemplate = available ? `voronka_tpl_${process.pid}_${crypto.randomBytes(4).toString('hex')}` : null;
  const teardown = async () => {
    if (pgTemplate) await dropPgDatabase(url, pgTemplate);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // SQLite: built in a file without WAL (an image in WAL mode cannot be opened in memory), then serialized.
    const file = path.join(dir, 'template.db');
    await seed(`sqlite://${file}`);
    const raw = new SQLite(file);
    raw.pragma('journal_mode = DELETE');
    const image = path.join(dir, 'template.image');
    fs.writeFileSync(image, raw.serialize());
    raw.close();
    project.provide('sqliteTemplate', image);

    if (pgTemplate) {
      await adminQuery(url, `create database ${pgTemplate}`);
      // Its connections are closed when seed returns: a database with open connections cannot be a template.
      await seed(withDatabase(url, pgTemplate));
      project.provide('pgTemplate', pgTemplate);
    }
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

/** Migrates and seeds a database exactly as `createServer` does for a test server, then closes every connection. */
async function seed(databaseUrl: string) {
  // Imported here, not at the top: the browser tests share this setup and need no app in this process.
  const { createServer } = await import('../app.js');
  const database = connect(databaseUrl, { poolSize: 2 });
  try {
    const server = await createServer(testConfig(), { database, logger: pino({ level: 'silent' }), runJobs: false });
    await server.close();
  } finally {
    await database.close();
  }
}
