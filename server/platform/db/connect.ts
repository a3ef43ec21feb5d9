import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or a transaction: repositories accept both so callers control atomicity. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  db: Db;
  dialect: Dialect;
  url: string;
  /** For PostgreSQL: the pool, used by LISTEN/NOTIFY and advisory locks. */
  pool: pg.Pool | null;
  close(): Promise<void>;
}

// pg returns int8/numeric as strings; kopecks and counts fit in a JS number.
let pgParsersSet = false;
function setPgParsers() {
  if (pgParsersSet) return;
  pgParsersSet = true;
  pg.types.setTypeParser(20, (v) => Number(v)); // int8
  pg.types.setTypeParser(1700, (v) => Number(v)); // numeric
  pg.types.setTypeParser(1082, (v) => v); // date stays 'YYYY-MM-DD'
  pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz → ISO string like SQLite
  pg.types.setTypeParser(1114, (v) => new Date(v + 'Z').toISOString()); // timestamp
}

export function dialectOfUrl(url: string): Dialect {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (url.startsWith('sqlite:') || url === ':memory:') return 'sqlite';
  throw new Error(`VORONKA_DATABASE_URL: неизвестная схема «${url.split(':')[0]}» (ожидается sqlite:// или postgres://)`);
}

/** sqlite:///abs/path, sqlite://./rel/path, sqlite::memory: */
export function sqliteFile(url: string): string {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return rest;
}

export interface ConnectOptions {
  /** PostgreSQL: connections in the pool (10). */
  poolSize?: number;
  /** SQLite in memory: start from this serialized database image (tests clone a migrated template so). */
  sqliteImage?: Buffer;
}

export function connect(url: string, opts: ConnectOptions = {}): Database {
  const dialect = dialectOfUrl(url);
  if (dialect === 'sqlite') {
    const file = sqliteFile(url);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    if (opts.sqliteImage && file !== ':memory:') throw new Error('sqliteImage: только для базы в памяти');
    const sqlite = opts.sqliteImage ? new SQLite(opts.sqliteImage) : new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    cacheStatements(sqlite);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    return {
      db,
      dialect,
      url,
      pool: null,
      close: () => db.destroy(),
    };
  }
  setPgParsers();
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect,
    url,
    pool,
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs as much as running a small query. Reuse
 * prepared statements by SQL text (bounded), unless one is still busy iterating.
 */
function cacheStatements(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: typeof sqlite.prepare }).prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached && !cached.busy) return cached;
    const stmt = prepare(source);
    if (!cached) {
      if (cache.size >= 2000) cache.clear();
      cache.set(source, stmt);
    }
    return stmt;
  }) as typeof sqlite.prepare;
}

/** Current time as the ISO string stored in timestamp columns on both dialects. */
export function nowIso(): string {
  return new Date().toISOString();
}

export { sql };
