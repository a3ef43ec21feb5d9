import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../types.js';

/**
 * The end of the regulation: production orders (with their own number sequence), the review base, and the
 * automation rules with their execution log.
 * - `production_orders`: one open (not done) order per deal — a partial unique index; the client comes from the deal
 *   (so a client merge needs nothing here); `items` is a JSON snapshot without prices.
 * - `automation_runs`: UNIQUE (rule_id, event_key) — a rule runs at most once per event, even when a job is retried.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('production_sequence')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('last_number', t.int, (c) => c.notNull())
    .execute();
  await db.insertInto('production_sequence').values({ id: 'orders', last_number: 0 }).execute();

  await db.schema
    .createTable('production_orders')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('number', t.int, (c) => c.notNull().unique())
    .addColumn('deal_id', t.id, (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('items', t.json, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull()) // queued | in_progress | done
    .addColumn('assignee_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('due_date', t.date)
    .addColumn('comment', t.text)
    .addColumn('created_by', t.id)
    .addColumn('started_at', t.timestamp)
    .addColumn('done_at', t.timestamp)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('production_orders_status_idx').on('production_orders').columns(['status', 'created_at', 'id']).execute();
  await db.schema.createIndex('production_orders_created_idx').on('production_orders').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('production_orders_deal_idx').on('production_orders').column('deal_id').execute();
  await db.schema
    .createIndex('production_orders_open_deal_uq')
    .on('production_orders')
    .column('deal_id')
    .unique()
    .where(sql<boolean>`status <> 'done'`)
    .execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id'))
    .addColumn('deal_id', t.id, (c) => c.references('deals.id').onDelete('set null'))
    .addColumn('rating', t.int, (c) => c.notNull())
    .addColumn('sentiment', t.text, (c) => c.notNull()) // positive | neutral | negative
    .addColumn('text', t.text, (c) => c.notNull())
    .addColumn('source', t.text) // call | email | site | messenger | other
    .addColumn('author_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reviews_created_idx').on('reviews').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('reviews_client_idx').on('reviews').columns(['client_id', 'created_at']).execute();
  await db.schema.createIndex('reviews_deal_idx').on('reviews').column('deal_id').execute();

  await db.schema
    .createTable('automation_rules')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('code', t.text, (c) => c.unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('trigger', t.text, (c) => c.notNull())
    .addColumn('enabled', t.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('conditions', t.json, (c) => c.notNull())
    .addColumn('actions', t.json, (c) => c.notNull())
    .addColumn('created_by', t.id)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_rules_trigger_idx').on('automation_rules').columns(['trigger', 'enabled']).execute();

  await db.schema
    .createTable('automation_runs')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('rule_id', t.id, (c) => c.references('automation_rules.id').onDelete('set null'))
    .addColumn('rule_name', t.text, (c) => c.notNull())
    .addColumn('event_type', t.text, (c) => c.notNull())
    .addColumn('event_key', t.text, (c) => c.notNull())
    .addColumn('deal_id', t.id)
    .addColumn('client_id', t.id)
    .addColumn('status', t.text, (c) => c.notNull()) // ok | failed
    .addColumn('error', t.text)
    .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('results', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_runs_rule_event_uq').on('automation_runs').columns(['rule_id', 'event_key']).unique().execute();
  await db.schema.createIndex('automation_runs_deal_idx').on('automation_runs').columns(['deal_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('automation_runs_created_idx').on('automation_runs').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['automation_runs', 'automation_rules', 'reviews', 'production_orders', 'production_sequence']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
