import type { Kysely } from 'kysely';
import { columnTypes } from '../types.js';

/**
 * Tasks (with recurrence and reminders) and in-app notifications.
 * `tasks.dedupe_key` is unique and nullable: automation creates a task once per key (NULLs never collide).
 * `tasks.recurrence_start` is the DTSTART of the recurring series (so COUNT is counted over the whole series).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('notifications')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('text', t.text)
    .addColumn('link', t.text)
    .addColumn('entity', t.text)
    .addColumn('entity_id', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('read_at', t.timestamp)
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('notifications_user_unread_idx').on('notifications').columns(['user_id', 'read_at']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('description', t.text)
    .addColumn('due_at', t.timestamp, (c) => c.notNull())
    .addColumn('assignee_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('author_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('client_id', t.id, (c) => c.references('clients.id').onDelete('set null'))
    .addColumn('deal_id', t.id, (c) => c.references('deals.id').onDelete('set null'))
    .addColumn('status', t.text, (c) => c.notNull().defaultTo('open'))
    .addColumn('result', t.text)
    .addColumn('done_at', t.timestamp)
    .addColumn('done_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('recurrence', t.text)
    .addColumn('recurrence_start', t.timestamp)
    .addColumn('remind_at', t.timestamp)
    .addColumn('remind_before', t.int)
    .addColumn('source', t.text)
    .addColumn('dedupe_key', t.text, (c) => c.unique())
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_assignee_idx').on('tasks').columns(['assignee_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('tasks_author_idx').on('tasks').columns(['author_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('tasks_client_idx').on('tasks').column('client_id').execute();
  await db.schema.createIndex('tasks_deal_idx').on('tasks').column('deal_id').execute();
  await db.schema.createIndex('tasks_due_idx').on('tasks').columns(['status', 'due_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tasks').ifExists().execute();
  await db.schema.dropTable('notifications').ifExists().execute();
}
