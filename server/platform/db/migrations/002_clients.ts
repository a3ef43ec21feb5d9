import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../types.js';
import { newId } from '../../ids.js';

/**
 * Clients, their contacts, the client timeline and loss reasons.
 * Search: the app writes a normalised `search_text` on clients and contacts. SQLite keeps it in FTS5 tables
 * (`clients_fts`, `contacts_fts`, rowid stored in `search_rowid`) updated in the same transaction;
 * PostgreSQL indexes `to_tsvector('russian', search_text) || to_tsvector('simple', search_text)` with GIN.
 */
export const defaultLossReasons = ['Дорого', 'Выбрали конкурента', 'Нет бюджета', 'Не актуально', 'Не дозвонились'];

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  const pg = dialectOf(db) === 'postgres';

  await db.schema
    .createTable('loss_reasons')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('archived', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('position', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('clients')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('legal_name', t.text)
    .addColumn('inn', t.text)
    .addColumn('kpp', t.text)
    .addColumn('ogrn', t.text)
    .addColumn('bik', t.text)
    .addColumn('account', t.text)
    .addColumn('corr_account', t.text)
    .addColumn('bank_name', t.text)
    .addColumn('phones', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('emails', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('region', t.text)
    .addColumn('address', t.text)
    .addColumn('source', t.text)
    .addColumn('tags', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('owner_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', t.text, (c) => c.notNull().defaultTo('active'))
    .addColumn('refusal_reason_id', t.id, (c) => c.references('loss_reasons.id'))
    .addColumn('refusal_comment', t.text)
    .addColumn('negative_feedback', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('search_text', t.text, (c) => c.notNull().defaultTo(''))
    .addColumn('search_rowid', t.int)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('clients_owner_idx').on('clients').columns(['owner_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('clients_status_idx').on('clients').columns(['status', 'created_at', 'id']).execute();
  await db.schema.createIndex('clients_region_idx').on('clients').columns(['region', 'created_at', 'id']).execute();
  await db.schema.createIndex('clients_inn_idx').on('clients').column('inn').execute();
  await db.schema.createIndex('clients_created_idx').on('clients').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('position', t.text)
    .addColumn('phones', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('emails', t.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('search_text', t.text, (c) => c.notNull().defaultTo(''))
    .addColumn('search_rowid', t.int)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_client_idx').on('contacts').columns(['client_id', 'name']).execute();

  // Phones, e-mails and ИНН of clients and their contacts, for the duplicate check over all clients.
  await db.schema
    .createTable('client_keys')
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('kind', t.text, (c) => c.notNull()) // inn | phone | email
    .addColumn('value', t.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_keys_value_idx').on('client_keys').columns(['kind', 'value']).execute();
  await db.schema.createIndex('client_keys_client_idx').on('client_keys').column('client_id').execute();

  await db.schema
    .createTable('timeline_entries')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('deal_id', t.id)
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('author_id', t.id)
    .addColumn('text', t.text)
    .addColumn('data', t.json)
    .execute();
  await db.schema.createIndex('timeline_client_at_idx').on('timeline_entries').columns(['client_id', 'at', 'id']).execute();
  await db.schema.createIndex('timeline_deal_idx').on('timeline_entries').column('deal_id').execute();

  if (pg) {
    for (const table of ['clients', 'contacts']) {
      await sql`create index ${sql.raw(`${table}_search_idx`)} on ${sql.table(table)} using gin ((to_tsvector('russian', search_text) || to_tsvector('simple', search_text)))`.execute(
        db,
      );
    }
  } else {
    await sql`create virtual table clients_fts using fts5(search_text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
    await sql`create virtual table contacts_fts using fts5(search_text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
    await db.schema.createIndex('clients_search_rowid_idx').on('clients').column('search_rowid').execute();
    await db.schema.createIndex('contacts_search_rowid_idx').on('contacts').column('search_rowid').execute();
  }

  const now = new Date().toISOString();
  await db
    .insertInto('loss_reasons')
    .values(defaultLossReasons.map((name, i) => ({ id: newId(), name, archived: 0, position: i + 1, created_at: now, updated_at: now })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    await sql`drop table if exists clients_fts`.execute(db);
    await sql`drop table if exists contacts_fts`.execute(db);
  }
  for (const table of ['timeline_entries', 'client_keys', 'contacts', 'clients', 'loss_reasons']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
