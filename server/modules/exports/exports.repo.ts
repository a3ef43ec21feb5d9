/**
 * The whole-database export's SQL: the catalog (tables, columns, primary keys) on SQLite and PostgreSQL, and one
 * table read in key order a batch at a time (keyset on the primary key, so a large table is never read whole).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../../platform/db/connect.js';

export interface CatalogColumn {
  name: string;
  type: string;
  /** Position in the primary key (1, 2, …), 0 if not part of it. */
  pk: number;
}

export const exportsRepo = {
  async tables(db: Executor, dialect: Dialect): Promise<string[]> {
    if (dialect === 'sqlite') {
      const r = await sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
      return r.rows.map((t) => t.name);
    }
    const r = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
    return r.rows.map((t) => t.name);
  },

  async columns(db: Executor, dialect: Dialect, table: string): Promise<CatalogColumn[]> {
    if (dialect === 'sqlite') {
      const r = await sql<{
        name: string;
        type: string;
        pk: number;
      }>`select name, type, pk from pragma_table_info(${table}) order by cid`.execute(db);
      return r.rows.map((c) => ({ name: c.name, type: c.type.toLowerCase(), pk: Number(c.pk) }));
    }
    const r = await sql<{ name: string; type: string; pk: number | null }>`
      select c.column_name as name, c.data_type as type, k.ordinal_position as pk
      from information_schema.columns c
      left join information_schema.table_constraints t
        on t.table_schema = c.table_schema and t.table_name = c.table_name and t.constraint_type = 'PRIMARY KEY'
      left join information_schema.key_column_usage k
        on k.constraint_name = t.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
       and k.column_name = c.column_name
      where c.table_schema = current_schema() and c.table_name = ${table}
      order by c.ordinal_position`.execute(db);
    return r.rows.map((c) => ({ name: c.name, type: c.type.toLowerCase(), pk: Number(c.pk ?? 0) }));
  },

  /**
   * Up to `limit` rows after `after` (the previous batch's last key) in key order; without a primary key, by
   * OFFSET (only the small bookkeeping tables have none).
   */
  async batch(
    db: Executor,
    table: string,
    columns: string[],
    key: string[],
    page: { after: unknown[] | null; offset: number; limit: number },
  ): Promise<Record<string, unknown>[]> {
    const cols = sql.join(columns.map((c) => sql.ref(c)));
    let query: RawBuilder<Record<string, unknown>>;
    if (key.length) {
      const k = sql.join(key.map((c) => sql.ref(c)));
      const where = page.after ? sql`where (${k}) > (${sql.join(page.after)})` : sql``;
      query = sql`select ${cols} from ${sql.table(table)} ${where} order by ${k} limit ${page.limit}`;
    } else {
      query = sql`select ${cols} from ${sql.table(table)} limit ${page.limit} offset ${page.offset}`;
    }
    return (await query.execute(db)).rows;
  },

  async count(db: Executor, table: string): Promise<number> {
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    return Number(r.rows[0].n);
  },

  async lastMigration(db: Executor): Promise<string | null> {
    try {
      const r = await sql<{ name: string }>`select name from voronka_migrations order by name desc limit 1`.execute(db);
      return r.rows[0]?.name ?? null;
    } catch {
      return null;
    }
  },
};
