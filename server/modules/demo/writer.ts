/**
 * Bulk writers for generated rows. Not the services, not the query builder: at a million deals the
 * per-row cost is what matters.
 * - SQLite file: an own better-sqlite3 connection on the same file, prepared multi-row INSERTs (cached per
 *   table and batch size), big transactions, `synchronous = OFF` and no foreign-key lookups for the load.
 *   With the file to itself (the CLI, empty database) also the journal off and the random-order indexes
 *   built after the load; WAL and every index are back when it ends, also when it is stopped.
 * - SQLite in memory (tests) and PostgreSQL: raw compiled queries through Kysely, in controlled
 *   transactions — multi-row VALUES on SQLite, `INSERT … SELECT * FROM unnest($1::type[], …)` on
 *   PostgreSQL (a handful of array parameters per statement instead of thousands of scalars), with
 *   `synchronous_commit = off` and, when the role may, the foreign-key triggers skipped.
 * VORONKA_DEMO_TIMING=1 prints the time spent per table (SQLite file).
 */
import SQLite from 'better-sqlite3';
import { CompiledQuery, sql, type ControlledTransaction } from 'kysely';
import type { Database } from '../../platform/db/connect.js';
import { sqliteFile } from '../../platform/db/connect.js';
import type { DB } from '../../platform/db/schema.js';
import { type TableSpec, type Value } from './tables.js';

export interface Sink {
  readonly kind: string;
  begin(): Promise<void>;
  commit(): Promise<void>;
  /** Inserts rows (flat values, any number of rows) inside the current transaction. */
  insert(spec: TableSpec, values: Value[]): Promise<void>;
  /** After the last commit: restores what the load changed, refreshes the planner's statistics. */
  finish(): Promise<void>;
  /** Releases the connection (rolls back an unfinished transaction). */
  close(): Promise<void>;
}

const quote = (name: string) => `"${name}"`;

/** Rows per multi-row statement on SQLite: under the 32 766 variables limit, about 8 000 values per statement. */
function sqliteBatch(spec: TableSpec): number {
  return Math.max(1, Math.min(500, Math.floor(8000 / spec.columns.length)));
}

function valuesSql(spec: TableSpec, rows: number): string {
  const one = `(${spec.columns.map(() => '?').join(',')})`;
  return `insert into ${quote(spec.name)} (${spec.columns.map(quote).join(',')}) values ${Array(rows).fill(one).join(',')}`;
}

export class SqliteFileSink implements Sink {
  readonly kind: string;
  private db: SQLite.Database;
  private statements = new Map<string, SQLite.Statement>();
  private journalOff = false;
  private droppedIndexes: { name: string; sql: string }[] = [];
  timing = new Map<string, number>();

  /**
   * `exclusive`: nobody else has the file open and it holds no data worth a journal (an empty database):
   * the journal is switched off for the load and WAL restored after.
   */
  constructor(file: string, opts: { exclusive?: boolean; dropIndexes?: readonly string[] } = {}) {
    this.db = new SQLite(file);
    this.db.pragma('busy_timeout = 10000');
    // Durability is not needed while loading generated data (a crash means: load again); integrity is kept
    // by the rows themselves, so the per-row foreign key lookups are skipped. Both are per connection.
    this.db.pragma('synchronous = OFF');
    this.db.pragma('foreign_keys = OFF');
    this.db.pragma('cache_size = -2097152'); // 2 GiB page cache for the indexes being filled
    this.db.pragma('temp_store = MEMORY');
    if (opts.exclusive) {
      // journal_mode = OFF is refused in better-sqlite3's defensive mode; WAL must go through DELETE first, which
      // needs the file to itself. With a server still on it, the load goes on in WAL mode, indexes kept.
      this.db.unsafeMode(true);
      this.db.pragma('busy_timeout = 0');
      try {
        this.journalOff =
          this.db.pragma('journal_mode = DELETE', { simple: true }) === 'delete' &&
          this.db.pragma('journal_mode = OFF', { simple: true }) === 'off';
      } catch {
        this.journalOff = false;
      }
      if (this.journalOff) this.db.pragma('locking_mode = EXCLUSIVE');
      else {
        this.db.pragma('journal_mode = WAL');
        this.db.unsafeMode(false);
      }
      this.db.pragma('busy_timeout = 10000');
    }
    this.kind = this.journalOff ? 'sqlite-file, journal off' : 'sqlite-file';
    // Indexes filled in random order are built once after the load, sorted (see RANDOM_ORDER_INDEXES).
    const drop = new Set(this.journalOff ? (opts.dropIndexes ?? []) : []);
    const rows = this.db.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null`).all() as {
      name: string;
      sql: string;
    }[];
    for (const r of rows) {
      if (!drop.has(r.name)) continue;
      this.db.exec(`drop index ${quote(r.name)}`);
      this.droppedIndexes.push(r);
    }
  }

  private statement(spec: TableSpec, rows: number): SQLite.Statement {
    const key = `${spec.name}:${rows}`;
    let st = this.statements.get(key);
    if (!st) {
      st = this.db.prepare(valuesSql(spec, rows));
      this.statements.set(key, st);
    }
    return st;
  }

  private time(key: string, t0: number) {
    this.timing.set(key, (this.timing.get(key) ?? 0) + performance.now() - t0);
  }

  async begin() {
    this.db.exec('begin');
  }

  async commit() {
    const t0 = performance.now();
    this.db.exec('commit');
    this.time('commit', t0);
  }

  async insert(spec: TableSpec, values: Value[]) {
    const t0 = performance.now();
    const per = sqliteBatch(spec) * spec.columns.length;
    let i = 0;
    for (; i + per <= values.length; i += per) this.statement(spec, per / spec.columns.length).run(values.slice(i, i + per));
    if (i < values.length) this.statement(spec, (values.length - i) / spec.columns.length).run(values.slice(i));
    this.time(spec.name, t0);
  }

  async finish() {
    let t0 = performance.now();
    for (const ix of this.droppedIndexes) this.db.exec(ix.sql);
    this.droppedIndexes = [];
    this.time('indexes', t0);
    t0 = performance.now();
    // Fresh statistics for the query planner after a bulk load (sampled: about a second).
    this.db.exec('pragma analysis_limit = 1000; analyze;');
    this.time('analyze', t0);
    if (process.env.VORONKA_DEMO_TIMING) console.error([...this.timing].map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', '));
  }

  /**
   * Leaves the database usable whatever happened: an open transaction is committed when the journal is
   * off (a rollback is undefined there; chunks are whole clients and deals, so what was written stands),
   * rolled back otherwise; dropped indexes are rebuilt; WAL comes back.
   */
  async close() {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec(this.journalOff ? 'commit' : 'rollback');
    for (const ix of this.droppedIndexes) this.db.exec(ix.sql);
    this.droppedIndexes = [];
    this.statements.clear();
    if (this.journalOff) {
      this.db.pragma('locking_mode = NORMAL');
      this.db.pragma('journal_mode = WAL');
      this.db.unsafeMode(false);
    } else {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    this.db.close();
  }
}

export class KyselySink implements Sink {
  readonly kind: string;
  private trx: ControlledTransaction<DB> | null = null;
  /** PostgreSQL: whether foreign-key triggers can be skipped (unknown until the first transaction). */
  private skipTriggers: boolean | null = process.env.VORONKA_DEMO_PG_TRIGGERS === '1' ? false : null;

  constructor(private database: Database) {
    this.kind = database.dialect;
  }

  async begin() {
    this.trx = await this.database.db.startTransaction().execute();
    if (this.database.dialect === 'postgres') {
      // A lost last transaction after a crash is fine for generated data; a corrupted database is not, and
      // synchronous_commit never risks that.
      await sql`set local synchronous_commit = off`.execute(this.trx);
      if (this.skipTriggers !== false) {
        // The rows are consistent by construction: with the right to do so (a superuser, as pg_restore
        // --disable-triggers), the per-row foreign-key triggers are skipped.
        await sql`savepoint demo_role`.execute(this.trx);
        try {
          await sql`set local session_replication_role = replica`.execute(this.trx);
          await sql`release savepoint demo_role`.execute(this.trx);
          this.skipTriggers = true;
        } catch {
          await sql`rollback to savepoint demo_role`.execute(this.trx);
          this.skipTriggers = false;
        }
      }
    }
  }

  async commit() {
    await this.trx!.commit().execute();
    this.trx = null;
  }

  async insert(spec: TableSpec, values: Value[]) {
    const trx = this.trx!;
    const cols = spec.columns.length;
    if (this.database.dialect === 'sqlite') {
      const per = sqliteBatch(spec) * cols;
      for (let i = 0; i < values.length; i += per) {
        const part = values.slice(i, i + per);
        await trx.executeQuery(CompiledQuery.raw(valuesSql(spec, part.length / cols), part));
      }
      return;
    }
    // PostgreSQL: one array per column.
    const text = `insert into ${quote(spec.name)} (${spec.columns.map(quote).join(',')}) select * from unnest(${spec.pgTypes
      .map((t, i) => `$${i + 1}::${t}[]`)
      .join(',')})`;
    const rows = values.length / cols;
    const batch = 5000;
    for (let r0 = 0; r0 < rows; r0 += batch) {
      const n = Math.min(rows, r0 + batch) - r0;
      const columns = spec.columns.map((_, c) => {
        const col = new Array<Value>(n);
        for (let r = 0; r < n; r++) col[r] = values[(r0 + r) * cols + c];
        return col;
      });
      await trx.executeQuery(CompiledQuery.raw(text, columns));
    }
  }

  async finish() {
    const db = this.database.db;
    if (this.database.dialect === 'postgres') {
      for (const t of BULK_TABLES) {
        await sql`analyze ${sql.table(t)}`.execute(db);
      }
    } else await sql`analyze`.execute(db);
  }

  async close() {
    if (this.trx) {
      const trx = this.trx;
      this.trx = null;
      await trx.rollback().execute();
    }
  }
}

const BULK_TABLES = [
  'clients',
  'contacts',
  'client_keys',
  'deals',
  'deal_items',
  'deal_stage_history',
  'tasks',
  'timeline_entries',
] as const;

/**
 * Indexes whose keys arrive in random order during the load (ИНН, phone/e-mail values, client ids of deals,
 * tasks and timeline entries). Kept in place, each transaction would dirty a random page per row of them and
 * write it again at every commit; built once at the end they cost one sort. Every other index is filled in
 * (nearly) ascending order — ids are time-ordered and rows are generated chronologically — and stays.
 */
const RANDOM_ORDER_INDEXES = ['clients_inn_idx', 'client_keys_value_idx', 'deals_client_idx', 'tasks_client_idx', 'timeline_client_at_idx'];

/** The fastest sink for this database: an own connection for an SQLite file, Kysely otherwise. */
export function openSink(database: Database, opts: { exclusive?: boolean } = {}): Sink {
  if (database.dialect === 'sqlite') {
    const file = sqliteFile(database.url);
    if (file !== ':memory:')
      return new SqliteFileSink(file, { exclusive: opts.exclusive, dropIndexes: opts.exclusive ? RANDOM_ORDER_INDEXES : [] });
  }
  return new KyselySink(database);
}
