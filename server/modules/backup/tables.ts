/**
 * Every table of a Voronka database, generically: names, row counts, a content checksum that means the same on both
 * dialects (tests compare a SQLite and a PostgreSQL copy with it), and the copier `--into` uses to move a database to
 * the other kind. The target is first migrated to the source's schema, so both have the same tables and columns;
 * tables of one dialect only (SQLite's full-text indexes) are skipped and rebuilt.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/connect.js';

/** Bookkeeping of the migrator: the target has its own. */
const SKIP = new Set(['voronka_migrations', 'voronka_migrations_lock']);
/** SQLite's FTS5 index tables and their shadow tables (rebuilt from their table, never copied). */
const isFts = (name: string) => /_fts($|_)/.test(name);

export async function tableNames(database: Database): Promise<string[]> {
  if (database.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(database.db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(database.db);
  return rows.map((r) => r.name);
}

/** Tables that hold the data (what a copy moves and a checksum covers). */
export async function dataTables(database: Database): Promise<string[]> {
  return (await tableNames(database)).filter((t) => !SKIP.has(t) && !isFts(t));
}

async function columnsOf(database: Database, table: string): Promise<string[]> {
  if (database.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) order by cid`.execute(database.db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(database.db);
  return rows.map((r) => r.name);
}

async function primaryKeyOf(database: Database, table: string): Promise<string[]> {
  if (database.dialect === 'sqlite') {
    const { rows } = await sql<{
      name: string;
      pk: number;
    }>`select name, pk from pragma_table_info(${table}) where pk > 0 order by pk`.execute(database.db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`
    select a.attname as name from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(${table}))::regclass and i.indisprimary
    order by array_position(i.indkey, a.attnum)`.execute(database.db);
  return rows.map((r) => r.name);
}

/** Reads a table in pages (keyset on the primary key when there is one, else offsets over all columns). */
async function* readPages(database: Database, table: string, columns: string[], size: number): AsyncGenerator<Record<string, unknown>[]> {
  const pk = await primaryKeyOf(database, table);
  const order = (pk.length ? pk : columns).map((c) => sql.ref(c));
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  let after: unknown[] | null = null;
  let offset = 0;
  for (;;) {
    let where = sql``;
    if (pk.length && after) where = sql`where (${sql.join(pk.map((c) => sql.ref(c)))}) > (${sql.join(after)})`;
    const page = pk.length ? sql`` : sql`offset ${offset}`;
    const { rows } = await sql<
      Record<string, unknown>
    >`select ${cols} from ${sql.table(table)} ${where} order by ${sql.join(order)} limit ${size} ${page}`.execute(database.db);
    if (!rows.length) return;
    yield rows;
    if (rows.length < size) return;
    offset += rows.length;
    const last = rows[rows.length - 1];
    after = pk.map((c) => last[c]);
  }
}

export interface CopyOptions {
  log?: (line: string) => void;
}

/**
 * Copies every data table of `source` into `target` (migrated to the same schema, tables empty or holding only what
 * migrations seed: those rows are replaced). Triggers do not fire during the copy (report rollups are copied, not
 * recomputed): PostgreSQL `session_replication_role = replica` (needs a superuser), SQLite drops and recreates them.
 */
export async function copyTables(source: Database, target: Database, opts: CopyOptions = {}): Promise<Record<string, number>> {
  const log = opts.log ?? (() => {});
  const sourceTables = new Set(await dataTables(source));
  const tables = (await dataTables(target)).filter((t) => sourceTables.has(t));
  const copied: Record<string, number> = {};
  // Read the target's shape before its transaction (on SQLite the transaction holds the one connection).
  const shapes = new Map<string, string[]>();
  for (const table of tables) {
    const targetCols = new Set(await columnsOf(target, table));
    shapes.set(
      table,
      (await columnsOf(source, table)).filter((c) => targetCols.has(c)),
    );
  }
  const ftsTables: string[] = [];
  if (target.dialect === 'sqlite') {
    for (const fts of (await tableNames(target)).filter((n) => /_fts$/.test(n))) {
      if ((await columnsOf(target, fts.replace(/_fts$/, ''))).includes('search_rowid')) ftsTables.push(fts);
    }
  }
  const copyAll = async (exec: Database['db']) => {
    for (const table of tables) {
      const columns = shapes.get(table)!;
      // Bound parameters per statement: PostgreSQL 65535, SQLite 32766.
      const batch = Math.max(1, Math.min(1000, Math.floor(30000 / columns.length)));
      await sql`delete from ${sql.table(table)}`.execute(exec);
      let n = 0;
      for await (const rows of readPages(source, table, columns, batch)) {
        const values = rows.map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`);
        await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(exec);
        n += rows.length;
      }
      copied[table] = n;
      log(`  ${table}: ${n}`);
    }
  };
  if (target.dialect === 'postgres') {
    await target.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await copyAll(trx as unknown as Database['db']);
    });
    return copied;
  }
  const { rows: triggers } = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'trigger' and sql is not null`.execute(target.db);
  await sql`pragma foreign_keys = off`.execute(target.db);
  try {
    await target.db.transaction().execute(async (trx) => {
      for (const t of triggers) await sql`drop trigger ${sql.ref(t.name)}`.execute(trx);
      await copyAll(trx as unknown as Database['db']);
      for (const t of triggers) await sql.raw(t.sql).execute(trx);
      // Full-text indexes: each `<table>_fts` is rebuilt from its table's search_text, keyed by search_rowid.
      for (const fts of ftsTables) {
        const base = fts.replace(/_fts$/, '');
        await sql`update ${sql.table(base)} set search_rowid = rowid`.execute(trx);
        await sql`delete from ${sql.table(fts)}`.execute(trx);
        await sql`insert into ${sql.table(fts)} (rowid, search_text) select search_rowid, coalesce(search_text, '') from ${sql.table(base)}`.execute(
          trx,
        );
      }
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(target.db);
  }
  return copied;
}

/** A value as text that reads the same from both dialects (numbers, ISO instants, text, null). */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'bigint') return String(Number(v));
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return String(v);
}

/** Per data table: row count and a sha256 of its rows (order-independent, columns by name). */
export async function tableChecksums(database: Database, tables?: string[]): Promise<Record<string, { rows: number; sha256: string }>> {
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const table of tables ?? (await dataTables(database))) {
    const columns = (await columnsOf(database, table)).filter((c) => c !== 'search_rowid').sort();
    const lines: string[] = [];
    for await (const rows of readPages(database, table, columns, 5000)) {
      for (const r of rows) lines.push(JSON.stringify(columns.map((c) => canonical(r[c]))));
    }
    lines.sort();
    const hash = crypto.createHash('sha256');
    for (const l of lines) hash.update(l).update('\n');
    out[table] = { rows: lines.length, sha256: hash.digest('hex') };
  }
  return out;
}
