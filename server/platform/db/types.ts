import type { ColumnDataType, Kysely } from 'kysely';
import { SqliteAdapter } from 'kysely';
import type { Dialect } from './connect.js';

/** Dialect of a Kysely instance, for migrations that differ per database. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

/** Column types that mean the same on both dialects (see schema.ts conventions). */
export function columnTypes(db: Kysely<any>) {
  const pg = dialectOf(db) === 'postgres';
  return {
    id: 'text' as ColumnDataType,
    text: 'text' as ColumnDataType,
    int: 'integer' as ColumnDataType,
    money: 'bigint' as ColumnDataType,
    bool: 'integer' as ColumnDataType,
    json: 'text' as ColumnDataType,
    timestamp: (pg ? 'timestamptz' : 'text') as ColumnDataType,
    date: (pg ? 'date' : 'text') as ColumnDataType,
    real: (pg ? 'double precision' : 'real') as ColumnDataType,
  };
}
