import type { Kysely } from 'kysely';
import { columnTypes } from '../types.js';

/**
 * Imports (server/modules/imports): one row per uploaded file, and one row per data row of the file — its cells
 * (staged when the file is received, so the job reads the database, not the file), its outcome (created, updated,
 * skipped, error with field and message), the record it made or changed, and for an updated record its previous
 * values and the version the import left, so that «Отменить импорт» restores exactly that and refuses to overwrite a
 * later edit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('imports')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.references('users.id'))
    .addColumn('entity', t.text, (c) => c.notNull())
    .addColumn('dedupe', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('file_name', t.text, (c) => c.notNull())
    .addColumn('format', t.text, (c) => c.notNull())
    .addColumn('encoding', t.text)
    .addColumn('delimiter', t.text)
    .addColumn('headers', t.json, (c) => c.notNull())
    .addColumn('mapping', t.json, (c) => c.notNull())
    .addColumn('total', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('processed', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('created', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('updated', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('errors', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('failure', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .addColumn('undone_at', t.timestamp)
    .execute();
  await db.schema.createIndex('imports_user_created_idx').on('imports').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('imports_created_idx').on('imports').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('import_rows')
    .addColumn('import_id', t.id, (c) => c.notNull().references('imports.id').onDelete('cascade'))
    .addColumn('row_no', t.int, (c) => c.notNull())
    .addColumn('cells', t.json, (c) => c.notNull())
    /** pending | created | updated | skipped | error */
    .addColumn('outcome', t.text, (c) => c.notNull())
    .addColumn('record_id', t.id)
    /** A contact the row added (to a created or an updated client). */
    .addColumn('contact_id', t.id)
    .addColumn('field', t.text)
    .addColumn('message', t.text)
    /** Updated records: the values the import replaced (JSON of the service's patch), and the version it left. */
    .addColumn('previous', t.json)
    .addColumn('version_after', t.int)
    .addPrimaryKeyConstraint('import_rows_pk', ['import_id', 'row_no'])
    .execute();
  await db.schema.createIndex('import_rows_outcome_idx').on('import_rows').columns(['import_id', 'outcome', 'row_no']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_rows').ifExists().execute();
  await db.schema.dropTable('imports').ifExists().execute();
}
