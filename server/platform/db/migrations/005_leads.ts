import type { Kysely } from 'kysely';
import { columnTypes } from '../types.js';

/**
 * Web forms and leads.
 * `forms.rr_counter` is the persistent round-robin position (incremented atomically per lead).
 * `leads.idempotency_key` is unique and nullable: `<form id or channel>:<Tilda tranid or Idempotency-Key>`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('forms')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('token', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('strategy', t.text, (c) => c.notNull())
    .addColumn('user_ids', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('rules', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('sla_minutes', t.int, (c) => c.notNull())
    .addColumn('allowed_origins', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('thank_you_text', t.text)
    .addColumn('honeypot_field', t.text)
    .addColumn('rate_per_ip', t.int, (c) => c.notNull())
    .addColumn('rate_per_form', t.int, (c) => c.notNull())
    .addColumn('active', t.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('rr_counter', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('leads')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('channel', t.text, (c) => c.notNull())
    .addColumn('form_id', t.id, (c) => c.references('forms.id').onDelete('set null'))
    .addColumn('name', t.text)
    .addColumn('phone', t.text)
    .addColumn('phone_raw', t.text)
    .addColumn('email', t.text)
    .addColumn('comment', t.text)
    .addColumn('company', t.text)
    .addColumn('inn', t.text)
    .addColumn('region', t.text)
    .addColumn('source', t.text)
    .addColumn('utm_source', t.text)
    .addColumn('utm_medium', t.text)
    .addColumn('utm_campaign', t.text)
    .addColumn('utm_term', t.text)
    .addColumn('utm_content', t.text)
    .addColumn('page_url', t.text)
    .addColumn('referrer', t.text)
    .addColumn('fields', t.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('raw', t.text)
    .addColumn('ip', t.text)
    .addColumn('user_agent', t.text)
    .addColumn('idempotency_key', t.text, (c) => c.unique())
    .addColumn('assignee_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('sla_minutes', t.int)
    .addColumn('sla_due_at', t.timestamp)
    .addColumn('sla_task_id', t.id)
    .addColumn('escalated_at', t.timestamp)
    .addColumn('first_response_at', t.timestamp)
    .addColumn('first_response_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('client_id', t.id, (c) => c.references('clients.id').onDelete('set null'))
    .addColumn('deal_id', t.id, (c) => c.references('deals.id').onDelete('set null'))
    .addColumn('junk_reason', t.text)
    .addColumn('search_text', t.text, (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('leads_created_idx').on('leads').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('leads_status_idx').on('leads').columns(['status', 'created_at', 'id']).execute();
  await db.schema.createIndex('leads_assignee_idx').on('leads').columns(['assignee_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('leads_form_idx').on('leads').columns(['form_id', 'created_at']).execute();
  await db.schema.createIndex('leads_sla_idx').on('leads').columns(['status', 'sla_due_at']).execute();
  await db.schema.createIndex('leads_client_idx').on('leads').column('client_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leads').ifExists().execute();
  await db.schema.dropTable('forms').ifExists().execute();
}
