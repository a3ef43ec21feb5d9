/**
 * A consistent copy of the live database while the server keeps writing.
 * - SQLite: `VACUUM INTO` on a connection of its own in a worker thread. In WAL mode it reads one snapshot (one read
 *   transaction) while the server's connection keeps committing, and the event loop stays free. A database in memory
 *   (tests) is copied through the server's own connection instead.
 * - PostgreSQL: a REPEATABLE READ transaction exports its snapshot; `pg_dump -Fc --snapshot` dumps exactly it and the
 *   row counts of the manifest are read in the same transaction. pg_dump must be at least the server's major version.
 */
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/connect.js';
import { sqliteFile } from '../../platform/db/connect.js';
import { BackupFileError } from './errors.js';

export interface SnapshotInfo {
  /** Rows per table at the snapshot. */
  tables: Record<string, number>;
  /** The newest applied migration at the snapshot. */
  lastMigration: string;
  /** PostgreSQL: server and pg_dump versions. */
  postgres?: { server: string; pgDump: string };
}

// The copy and the row counts of the manifest both run in the worker: counting a multi-gigabyte copy reads all of
// it, and on the server's thread that would stall every request for as long.
const WORKER = `
const { workerData, parentPort } = require('worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.source, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 10000');
  db.prepare('VACUUM INTO ?').run(workerData.dest);
} finally {
  db.close();
}
const copy = new SQLite(workerData.dest, { readonly: true, fileMustExist: true });
try {
  const tables = {};
  const names = copy.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all();
  for (const { name } of names) tables[name] = copy.prepare('select count(*) as n from "' + name.replace(/"/g, '""') + '"').get().n;
  const last = copy.prepare('select name from voronka_migrations order by name desc limit 1').get();
  parentPort.postMessage({ tables, lastMigration: last ? last.name : '' });
} finally {
  copy.close();
}
`;

/** Copies a SQLite database file to `dest` (which must not exist) without blocking its writers or the event loop. */
export async function snapshotSqlite(database: Database, dest: string): Promise<SnapshotInfo> {
  const source = sqliteFile(database.url);
  if (source !== ':memory:') {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    return new Promise<SnapshotInfo>((resolve, reject) => {
      const worker = new Worker(WORKER, { eval: true, workerData: { module, source, dest } });
      worker.once('message', (info: SnapshotInfo) => resolve(info));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`VACUUM INTO: поток завершился с кодом ${code} без результата`)));
    });
  }
  // A database in memory (tests) has no file a worker could open: the server's own connection copies it.
  await sql`vacuum into ${dest}`.execute(database.db);
  const copy = new SQLite(dest, { readonly: true, fileMustExist: true });
  try {
    return { tables: sqliteTableCounts(copy), lastMigration: sqliteLastMigration(copy) };
  } finally {
    copy.close();
  }
}

export function sqliteTableNames(db: SQLite.Database): string[] {
  return (
    db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as { name: string }[]
  ).map((r) => r.name);
}

export function sqliteTableCounts(db: SQLite.Database): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of sqliteTableNames(db)) {
    out[name] = (db.prepare(`select count(*) as n from "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  }
  return out;
}

export function sqliteLastMigration(db: SQLite.Database): string {
  const row = db.prepare(`select name from voronka_migrations order by name desc limit 1`).get() as { name: string } | undefined;
  return row?.name ?? '';
}

/** Runs a program; resolves its stdout, rejects with its stderr. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          missing
            ? new BackupFileError('tool_missing', `${cmd} (установите пакет postgresql-client)`)
            : new Error(`${cmd}: ${stderr || err.message}`),
        );
      } else resolve(stdout);
    });
  });
}

/** Major version of a PostgreSQL client tool (`pg_dump (PostgreSQL) 15.20 …` → 15). */
export async function toolMajor(tool: 'pg_dump' | 'pg_restore'): Promise<{ major: number; text: string }> {
  const out = (await run(tool, ['--version'])).trim();
  const m = /(\d+)(?:\.(\d+))?/.exec(out.replace(/^[^)]*\)/, ''));
  if (!m) throw new BackupFileError('tool_version', `не удалось прочитать версию ${tool}: «${out}»`);
  return { major: Number(m[1]), text: out };
}

/** The tool must be at least the server's major version (an older pg_dump refuses a newer server). */
export async function checkPgTool(tool: 'pg_dump' | 'pg_restore', client: pg.ClientBase): Promise<{ server: string; tool: string }> {
  const { rows } = await client.query<{ server_version_num: string; server_version: string }>(
    `select current_setting('server_version_num') as server_version_num, current_setting('server_version') as server_version`,
  );
  const serverMajor = Math.floor(Number(rows[0].server_version_num) / 10000);
  const t = await toolMajor(tool);
  if (t.major < serverMajor) {
    throw new BackupFileError(
      'tool_version',
      `${tool} версии ${t.major}, а сервер PostgreSQL — ${serverMajor}; установите postgresql-client ${serverMajor} или новее`,
    );
  }
  return { server: rows[0].server_version, tool: t.text };
}

/** Environment for the PostgreSQL tools: the URL without its password, the password in PGPASSWORD (not in `ps`). */
export function pgToolTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env };
}

export async function pgTableCounts(client: pg.ClientBase): Promise<Record<string, number>> {
  const { rows } = await client.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Record<string, number> = {};
  for (const r of rows) {
    const res = await client.query<{ n: string }>(`select count(*) as n from "${r.table_name.replace(/"/g, '""')}"`);
    out[r.table_name] = Number(res.rows[0].n);
  }
  return out;
}

export async function pgLastMigration(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ name: string }>(`select name from voronka_migrations order by name desc limit 1`);
  return rows[0]?.name ?? '';
}

/** `pg_dump -Fc` of the database at one exported snapshot, with the manifest's counts read at that snapshot. */
export async function snapshotPostgres(url: string, dest: string): Promise<SnapshotInfo> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const versions = await checkPgTool('pg_dump', client);
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
    const tables = await pgTableCounts(client);
    const lastMigration = await pgLastMigration(client);
    const target = pgToolTarget(url);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        'pg_dump',
        ['-Fc', '--no-owner', '--no-privileges', `--snapshot=${rows[0].id}`, '-f', dest, '-d', target.dbname],
        {
          env: target.env,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_dump: ${stderr.trim() || `код ${code}`}`))));
    });
    await client.query('commit');
    return { tables, lastMigration, postgres: { server: versions.server, pgDump: versions.tool } };
  } finally {
    await client.end();
  }
}
