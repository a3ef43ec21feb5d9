/**
 * `voronka restore FILE [--force] [--into URL]`, with the server stopped. Order of work, so that a bad file changes
 * nothing: unpack into a staging folder and verify every sha256 (archive.ts) → check the schema is not newer than the
 * code → check no server uses the target → build the restored database BESIDE the live one (a new SQLite file that
 * passes `PRAGMA integrity_check`; a new PostgreSQL database from `pg_restore`), migrate it to this code's schema →
 * only then swap: the previous database is kept (`voronka.db.before-restore-<time>`, `<name>_before_<time>`) →
 * the files go into the data directory (a file that would be overwritten is kept in `before-restore-<time>/`).
 * `--into` restores into the other database kind through the generic table copier (tables.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../../config.js';
import { connect, dialectOfUrl, sqliteFile, type Database, type Dialect } from '../../platform/db/connect.js';
import { knowsMigration, latestMigration, migrateTo, migrateToLatest } from '../../platform/db/migrate.js';
import { DB_ENTRY, readArchive, type Manifest } from './archive.js';
import { BackupFileError } from './errors.js';
import { AuditLog } from '../../platform/audit.js';
import { backupRepo } from './backup.repo.js';
import { checkPgTool, pgToolTarget, run } from './snapshot.js';
import { copyTables } from './tables.js';

export interface RestoreOptions {
  file: string;
  config: Config;
  /** Restore into this database instead of `VORONKA_DATABASE_URL` (also of the other kind). */
  into?: string;
  /** Asked before anything is replaced (unless --force). */
  confirm: (question: string) => Promise<boolean>;
  force?: boolean;
  log?: (line: string) => void;
}

export interface RestoreResult {
  manifest: Manifest;
  target: string;
  /** Where the previous database was kept (null: there was none). */
  previous: string | null;
  files: number;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const log = opts.log ?? (() => {});
  const { config } = opts;
  const target = opts.into ?? config.databaseUrl;
  let targetDialect: Dialect;
  try {
    targetDialect = dialectOfUrl(target);
  } catch {
    throw new BackupFileError('into_url', target);
  }
  const staging = path.join(config.dataDir, `.restore-${stamp()}`);
  try {
    log('Проверка файла копии…');
    const manifest = await readArchive(path.resolve(opts.file), staging, config.backup.passphrase);
    if (!knowsMigration(manifest.lastMigration)) {
      throw new BackupFileError(
        'newer_schema',
        `в копии схема «${manifest.lastMigration}» (Воронка ${manifest.voronkaVersion}), эта версия (${config.version}) знает схемы до «${latestMigration()}»; обновите Воронку до ${manifest.voronkaVersion} или новее`,
      );
    }
    log(
      `Копия цела: ${manifest.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, создана ${manifest.createdAt}, файлов ${manifest.files.length}`,
    );
    await assertNotInUse(target, targetDialect);
    if (!opts.force && !(await opts.confirm(`Текущая база (${describe(target)}) и файлы данных будут заменены копией. Продолжить?`))) {
      throw new BackupFileError('cancelled');
    }
    const dump = path.join(staging, DB_ENTRY[manifest.database]);
    const size = fs.statSync(opts.file).size;
    const settle = async (db: Database) => {
      await backupRepo.settleAfterRestore(db.db, { id: manifest.backupId, size, at: manifest.createdAt });
      // The restore is written into the audit log of the database it brings back (the replaced one is kept aside).
      await new AuditLog(db.db).write({
        userId: null,
        action: 'backup.restore',
        entity: 'backup',
        entityId: manifest.backupId ?? null,
        data: { file: path.basename(opts.file), createdAt: manifest.createdAt, database: manifest.database, into: targetDialect },
        ip: null,
      });
    };
    let previous: string | null;
    if (targetDialect === 'sqlite') {
      const fresh = `${sqliteFile(target)}.restore-${stamp()}`;
      try {
        if (manifest.database === 'sqlite') fs.copyFileSync(dump, fresh);
        else await pgDumpIntoSqlite(dump, fresh, manifest, config, log);
        await finishSqlite(fresh, settle);
      } catch (err) {
        for (const f of [fresh, `${fresh}-wal`, `${fresh}-shm`]) fs.rmSync(f, { force: true });
        throw err;
      }
      previous = swapSqlite(sqliteFile(target), fresh);
    } else {
      const fresh = `${pgName(target).slice(0, 40)}_restore_${Date.now()}`;
      const freshUrl = withDb(target, fresh);
      await adminQuery(target, `create database "${fresh}"`);
      try {
        if (manifest.database === 'postgres') await pgRestore(dump, freshUrl);
        else await sqliteIntoPostgres(dump, freshUrl, manifest, log);
        const db = connect(freshUrl);
        try {
          await migrateToLatest(db.db);
          await settle(db);
        } finally {
          await db.close();
        }
      } catch (err) {
        await adminQuery(target, `drop database if exists "${fresh}"`).catch(() => {});
        throw err;
      }
      previous = await swapPostgres(target, fresh);
    }
    const files = restoreFiles(staging, manifest, config.dataDir);
    return { manifest, target: describe(target), previous, files };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

const describe = (url: string) => (dialectOfUrl(url) === 'sqlite' ? sqliteFile(url) : pgToolTarget(url).dbname);

/** Refuses while a server works with the target: SQLite — another connection holds the file; PostgreSQL — sessions. */
async function assertNotInUse(target: string, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    const file = sqliteFile(target);
    if (!fs.existsSync(file)) return;
    const db = new SQLite(file);
    try {
      db.pragma('busy_timeout = 0');
      // Leaving WAL needs the only connection; it also folds the WAL into the file before it is kept aside.
      db.pragma('journal_mode = DELETE');
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') || (err as { code?: string }).code?.startsWith('SQLITE_LOCKED'))
        throw new BackupFileError('server_running', file);
      throw err;
    } finally {
      db.close();
    }
    return;
  }
  const name = pgName(target);
  const client = new pg.Client({ connectionString: withDb(target, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [name],
    );
    if (Number(rows[0].n) > 0) throw new BackupFileError('server_running', `к базе ${name} подключений: ${rows[0].n}`);
  } finally {
    await client.end();
  }
}

/** Migrates a restored SQLite file to this code's schema and checks it. */
async function finishSqlite(file: string, settle: (db: Database) => Promise<void>): Promise<void> {
  const db = connect(`sqlite://${file}`);
  try {
    await migrateToLatest(db.db);
    await settle(db);
  } finally {
    await db.close();
  }
  const check = new SQLite(file);
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new BackupFileError('integrity', String(result));
    check.pragma('journal_mode = WAL');
  } finally {
    check.close();
  }
}

/** Puts `fresh` in place of `live`, keeping the live file as `<live>.before-restore-<time>`. */
function swapSqlite(live: string, fresh: string): string | null {
  let previous: string | null = null;
  if (fs.existsSync(live)) {
    previous = `${live}.before-restore-${stamp()}`;
    fs.renameSync(live, previous);
  }
  for (const f of [`${live}-wal`, `${live}-shm`, `${fresh}-wal`, `${fresh}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(fresh, live);
  return previous;
}

function pgName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** CREATE/DROP/ALTER DATABASE on the server's maintenance database. */
async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDb(url, 'postgres') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function pgRestore(dump: string, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await checkPgTool('pg_restore', client);
  } finally {
    await client.end();
  }
  const t = pgToolTarget(url);
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '-d', t.dbname, dump], t.env);
}

/** Renames the live database aside (kept) and the restored one into its name. */
async function swapPostgres(target: string, fresh: string): Promise<string | null> {
  const name = pgName(target);
  const client = new pg.Client({ connectionString: withDb(target, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query(`select 1 from pg_database where datname = $1`, [name]);
    let previous: string | null = null;
    if (rows.length) {
      previous = `${name.slice(0, 40)}_before_${Date.now()}`;
      await client.query(`alter database "${name}" rename to "${previous}"`);
    }
    await client.query(`alter database "${fresh}" rename to "${name}"`);
    return previous;
  } finally {
    await client.end();
  }
}

/** SQLite backup → a new PostgreSQL database: schema of the backup, every table copied, later migrations after. */
async function sqliteIntoPostgres(dump: string, url: string, manifest: Manifest, log: (line: string) => void): Promise<void> {
  const source = connect(`sqlite://${dump}`);
  const dest = connect(url);
  try {
    await migrateTo(dest.db, manifest.lastMigration);
    await copyTables(source, dest, { log });
  } finally {
    await source.close();
    await dest.close();
  }
}

/** PostgreSQL backup → a new SQLite file, through a temporary PostgreSQL database (pg_restore needs a server). */
async function pgDumpIntoSqlite(dump: string, file: string, manifest: Manifest, config: Config, log: (line: string) => void) {
  const via = process.env.VORONKA_RESTORE_VIA ?? (dialectOfUrl(config.databaseUrl) === 'postgres' ? config.databaseUrl : null);
  if (!via || dialectOfUrl(via) !== 'postgres') {
    throw new BackupFileError(
      'into_url',
      'копию PostgreSQL переносят в SQLite через временную базу: задайте сервер в VORONKA_RESTORE_VIA=postgres://…',
    );
  }
  const tmp = `voronka_restore_tmp_${Date.now()}`;
  await adminQuery(via, `create database "${tmp}"`);
  let source: Database | null = null;
  const dest = connect(`sqlite://${file}`);
  try {
    await pgRestore(dump, withDb(via, tmp));
    source = connect(withDb(via, tmp));
    await migrateTo(dest.db, manifest.lastMigration);
    await copyTables(source, dest, { log });
  } finally {
    await source?.close();
    await dest.close();
    await adminQuery(via, `drop database if exists "${tmp}"`).catch(() => {});
  }
}

/**
 * The backup's files into the data directory. A file that exists with other content is moved to
 * `before-restore-<time>/` first; files the backup does not hold stay as they are.
 */
function restoreFiles(staging: string, manifest: Manifest, dataDir: string): number {
  const keep = path.join(dataDir, `before-restore-${stamp()}`);
  let n = 0;
  for (const f of manifest.files) {
    if (!f.path.startsWith('files/')) continue;
    const rel = f.path.slice('files/'.length);
    const dest = path.join(dataDir, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (fs.existsSync(dest) && sha256Sync(dest) !== f.sha256) {
      const aside = path.join(keep, rel);
      fs.mkdirSync(path.dirname(aside), { recursive: true });
      fs.renameSync(dest, aside);
    }
    fs.rmSync(dest, { force: true });
    fs.renameSync(path.join(staging, f.path), dest);
    n++;
  }
  return n;
}

/** sha256 of a file read in 1 MiB pieces (recordings can be large). */
function sha256Sync(file: string): string {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.alloc(1024 * 1024);
  const fd = fs.openSync(file, 'r');
  try {
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}
