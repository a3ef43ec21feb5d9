import type { Kysely } from 'kysely';
import { columnTypes } from '../types.js';

/**
 * Backups (server/modules/backup): one row per backup run (its file in `VORONKA_BACKUP_DIR`, status, what started
 * it), and one row per off-server copy of it (target label, upload attempts, last error). The admin page lists them
 * newest first; the off-server summary reads the newest done copy.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('backups')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('file_name', t.text, (c) => c.notNull().unique())
    .addColumn('size', t.money) // bytes (bigint on PostgreSQL); null while running
    .addColumn('encrypted', t.bool, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull()) // running | done | failed
    .addColumn('error', t.text)
    .addColumn('trigger', t.text, (c) => c.notNull()) // schedule | manual | cli
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('deleted_at', t.timestamp) // the local file was removed by retention
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .execute();
  await db.schema.createIndex('backups_created_idx').on('backups').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('backup_copies')
    .addColumn('backup_id', t.id, (c) => c.notNull().references('backups.id').onDelete('cascade'))
    .addColumn('target', t.text, (c) => c.notNull()) // the target's label (URL without credentials)
    .addColumn('status', t.text, (c) => c.notNull()) // pending | uploading | retrying | done | failed
    .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', t.text)
    .addColumn('copied_at', t.timestamp)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('backup_copies_pk', ['backup_id', 'target'])
    .execute();
  await db.schema.createIndex('backup_copies_copied_idx').on('backup_copies').columns(['status', 'copied_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backup_copies').ifExists().execute();
  await db.schema.dropTable('backups').ifExists().execute();
}
