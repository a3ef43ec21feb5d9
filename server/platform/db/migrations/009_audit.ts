import type { Kysely } from 'kysely';
import { columnTypes } from '../types.js';

/**
 * The audit log records the client's IP, and `GET /api/audit` reads it newest first by (at, id), optionally for one
 * user or one set of actions: an index for each of those orders (the plain `at` index of 001 serves no filter).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('audit_log').addColumn('ip', t.text).execute();
  await db.schema.createIndex('audit_log_at_id_idx').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_user_at_idx').on('audit_log').columns(['user_id', 'at', 'id']).execute();
  await db.schema.createIndex('audit_log_action_at_idx').on('audit_log').columns(['action', 'at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const idx of ['audit_log_action_at_idx', 'audit_log_user_at_idx', 'audit_log_at_id_idx']) {
    await db.schema.dropIndex(idx).ifExists().execute();
  }
  await db.schema.alterTable('audit_log').dropColumn('ip').execute();
}
