import type { Kysely } from 'kysely';
import { columnTypes } from '../types.js';
import { newId } from '../../ids.js';
import { DEFAULT_PIPELINE_NAME, defaultStages } from '../../../../common/api/pipelines.js';

/**
 * Pipelines and their stages, products, deals with their items, and the stage history of every deal
 * (one row per stay in a stage: the funnel report's "time in each stage").
 * The default pipeline is the seed's regulation, created here once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('pipelines')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('is_default', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('archived', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('position', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stages')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('pipeline_id', t.id, (c) => c.notNull().references('pipelines.id').onDelete('cascade'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull()) // open | won | lost
    .addColumn('position', t.int, (c) => c.notNull())
    .addColumn('archived', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stages_pipeline_code_uq').on('stages').columns(['pipeline_id', 'code']).unique().execute();

  await db.schema
    .createTable('products')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('sku', t.text)
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('search_text', t.text, (c) => c.notNull())
    .addColumn('price', t.money, (c) => c.notNull())
    .addColumn('unit', t.text, (c) => c.notNull())
    .addColumn('vat_rate', t.int)
    .addColumn('archived', t.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  // NULLs are distinct in a unique index on both databases: many products without an SKU.
  await db.schema.createIndex('products_sku_uq').on('products').column('sku').unique().execute();
  await db.schema.createIndex('products_name_idx').on('products').columns(['archived', 'name', 'id']).execute();

  await db.schema
    .createTable('deals')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id'))
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('title_norm', t.text, (c) => c.notNull())
    .addColumn('amount', t.money, (c) => c.notNull().defaultTo(0))
    .addColumn('pipeline_id', t.id, (c) => c.notNull().references('pipelines.id'))
    .addColumn('stage_id', t.id, (c) => c.notNull().references('stages.id'))
    .addColumn('status', t.text, (c) => c.notNull().defaultTo('open'))
    .addColumn('owner_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('source', t.text)
    .addColumn('loss_reason_id', t.id, (c) => c.references('loss_reasons.id'))
    .addColumn('loss_comment', t.text)
    .addColumn('closed_at', t.timestamp)
    .addColumn('stage_entered_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.id)
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deals_pipeline_stage_idx').on('deals').columns(['pipeline_id', 'stage_id', 'created_at']).execute();
  await db.schema.createIndex('deals_owner_idx').on('deals').columns(['owner_id', 'created_at']).execute();
  await db.schema.createIndex('deals_client_idx').on('deals').column('client_id').execute();
  await db.schema.createIndex('deals_created_idx').on('deals').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('deals_closed_idx').on('deals').column('closed_at').execute();

  await db.schema
    .createTable('deal_items')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('deal_id', t.id, (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('position', t.int, (c) => c.notNull())
    .addColumn('product_id', t.id, (c) => c.references('products.id'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('quantity', t.real, (c) => c.notNull())
    .addColumn('price', t.money, (c) => c.notNull())
    .addColumn('vat_rate', t.int)
    .addColumn('total', t.money, (c) => c.notNull())
    .addColumn('vat', t.money, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deal_items_deal_idx').on('deal_items').columns(['deal_id', 'position']).execute();
  await db.schema.createIndex('deal_items_product_idx').on('deal_items').column('product_id').execute();

  await db.schema
    .createTable('deal_stage_history')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('deal_id', t.id, (c) => c.notNull().references('deals.id').onDelete('cascade'))
    .addColumn('pipeline_id', t.id, (c) => c.notNull())
    .addColumn('stage_id', t.id, (c) => c.notNull())
    .addColumn('stage_code', t.text, (c) => c.notNull())
    .addColumn('entered_at', t.timestamp, (c) => c.notNull())
    .addColumn('left_at', t.timestamp)
    .addColumn('owner_id', t.id)
    .addColumn('by_user_id', t.id)
    .execute();
  await db.schema.createIndex('deal_stage_history_deal_idx').on('deal_stage_history').columns(['deal_id', 'entered_at']).execute();
  await db.schema
    .createIndex('deal_stage_history_stage_idx')
    .on('deal_stage_history')
    .columns(['pipeline_id', 'stage_id', 'entered_at'])
    .execute();

  const now = new Date().toISOString();
  const pipelineId = newId();
  await db
    .insertInto('pipelines')
    .values({ id: pipelineId, name: DEFAULT_PIPELINE_NAME, is_default: 1, archived: 0, position: 0, created_at: now, updated_at: now })
    .execute();
  await db
    .insertInto('stages')
    .values(
      defaultStages.map((s, i) => ({
        id: newId(),
        pipeline_id: pipelineId,
        name: s.name,
        code: s.code,
        kind: s.kind,
        position: i,
        archived: 0,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['deal_stage_history', 'deal_items', 'deals', 'products', 'stages', 'pipelines']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
