import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../types.js';
import { createReportSchema, dropReportSchema } from '../rollup-schema.js';

/**
 * Reports and plans.
 * - Report mirrors and rollups with the triggers that keep them in the data's own transaction (the definitions
 *   live in server/platform/db/rollup-schema.ts; docs/ARCHITECTURE.md «Отчёты»). The zone table is filled and
 *   the rollups built at startup (reports module init), so a database migrated with data gets them too.
 * - `plans`: one target per user × month × metric (UNIQUE), upserted by PUT /api/plans.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await createReportSchema(db, dialectOf(db));

  await db.schema
    .createTable('plans')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('period', t.text, (c) => c.notNull()) // YYYY-MM
    .addColumn('metric', t.text, (c) => c.notNull()) // revenue | deals | calls | meetings | tasks
    .addColumn('target', t.money, (c) => c.notNull())
    .addColumn('created_by', t.id)
    .addColumn('updated_by', t.id)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plans_user_period_metric_uq').on('plans').columns(['user_id', 'period', 'metric']).unique().execute();
  await db.schema.createIndex('plans_period_idx').on('plans').columns(['period', 'user_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plans').ifExists().execute();
  await dropReportSchema(db, dialectOf(db));
}
