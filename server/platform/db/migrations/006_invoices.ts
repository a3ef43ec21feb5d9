import type { Kysely } from 'kysely';
import { columnTypes } from '../types.js';

/**
 * Invoices with their lines, payments, clients' credit (a confirmed overpayment's surplus), and the numbering
 * counter: one row per calendar year, incremented with `UPDATE … SET n = n + 1 RETURNING n` inside the invoice's
 * transaction, so numbers have no gaps and no duplicates (the row lock serialises issuers on PostgreSQL; SQLite has
 * one writer). The unique index (year, seq) is the last line of defence.
 * Company settings live in the `settings` table (key 'company'), no table of their own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('invoice_counters')
    .addColumn('year', t.int, (c) => c.primaryKey())
    .addColumn('n', t.int, (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('deal_id', t.id, (c) => c.notNull().references('deals.id'))
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id'))
    .addColumn('year', t.int, (c) => c.notNull())
    .addColumn('seq', t.int, (c) => c.notNull())
    .addColumn('number', t.text, (c) => c.notNull())
    .addColumn('date', t.date, (c) => c.notNull())
    .addColumn('due_date', t.date, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('tax_mode', t.text, (c) => c.notNull())
    .addColumn('seller', t.json, (c) => c.notNull())
    .addColumn('buyer', t.json, (c) => c.notNull())
    .addColumn('client_name', t.text, (c) => c.notNull())
    .addColumn('deal_title', t.text, (c) => c.notNull())
    .addColumn('search_text', t.text, (c) => c.notNull())
    .addColumn('subtotal', t.money, (c) => c.notNull())
    .addColumn('vat_amount', t.money, (c) => c.notNull())
    .addColumn('total', t.money, (c) => c.notNull())
    .addColumn('paid_amount', t.money, (c) => c.notNull().defaultTo(0))
    .addColumn('paid_at', t.date)
    .addColumn('sent_at', t.timestamp)
    .addColumn('sent_to', t.text)
    .addColumn('overdue_at', t.timestamp)
    .addColumn('cancelled_at', t.timestamp)
    .addColumn('cancelled_by', t.id)
    .addColumn('cancel_reason', t.text)
    .addColumn('reissue_of_id', t.id)
    .addColumn('replaced_by_id', t.id)
    .addColumn('created_by', t.id)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoices_year_seq_uq').on('invoices').columns(['year', 'seq']).unique().execute();
  await db.schema.createIndex('invoices_deal_idx').on('invoices').column('deal_id').execute();
  await db.schema.createIndex('invoices_client_idx').on('invoices').columns(['client_id', 'created_at']).execute();
  await db.schema.createIndex('invoices_created_idx').on('invoices').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('invoices_status_due_idx').on('invoices').columns(['status', 'due_date']).execute();
  await db.schema.createIndex('invoices_date_idx').on('invoices').column('date').execute();

  await db.schema
    .createTable('invoice_items')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('invoice_id', t.id, (c) => c.notNull().references('invoices.id').onDelete('cascade'))
    .addColumn('position', t.int, (c) => c.notNull())
    .addColumn('product_id', t.id)
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('quantity', t.real, (c) => c.notNull())
    .addColumn('unit', t.text, (c) => c.notNull())
    .addColumn('price', t.money, (c) => c.notNull())
    .addColumn('vat_rate', t.int)
    .addColumn('total', t.money, (c) => c.notNull())
    .addColumn('vat', t.money, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoice_items_invoice_idx').on('invoice_items').columns(['invoice_id', 'position']).execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('invoice_id', t.id, (c) => c.notNull().references('invoices.id'))
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id'))
    .addColumn('amount', t.money, (c) => c.notNull())
    .addColumn('credit', t.money, (c) => c.notNull().defaultTo(0))
    .addColumn('paid_at', t.date, (c) => c.notNull())
    .addColumn('reference', t.text)
    .addColumn('created_by', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payments_invoice_idx').on('payments').columns(['invoice_id', 'created_at']).execute();
  await db.schema.createIndex('payments_client_idx').on('payments').column('client_id').execute();
  await db.schema.createIndex('payments_paid_at_idx').on('payments').column('paid_at').execute();

  await db.schema
    .createTable('client_credits')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id'))
    .addColumn('payment_id', t.id, (c) => c.notNull().references('payments.id').onDelete('cascade'))
    .addColumn('invoice_id', t.id, (c) => c.notNull().references('invoices.id'))
    .addColumn('amount', t.money, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_credits_client_idx').on('client_credits').column('client_id').execute();
  await db.schema.createIndex('client_credits_payment_idx').on('client_credits').column('payment_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['client_credits', 'payments', 'invoice_items', 'invoices', 'invoice_counters']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
