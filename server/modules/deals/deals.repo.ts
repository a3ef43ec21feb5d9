import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { DB, DealItemsTable, DealsTable, DealStageHistoryTable } from '../../platform/db/schema.js';
import type { DealItem, DealStatus, DealSummary } from '../../../common/api/deals.js';
import { containsPattern } from '../../platform/text.js';

export type DealRow = Selectable<DealsTable>;
export type DealItemRow = Selectable<DealItemsTable>;
export type HistoryRow = Selectable<DealStageHistoryTable>;

/** Joined tables of a deal summary: deals d, clients c, stages s, users ow (owner). */
type SummaryDB = DB & { d: DealsTable; c: DB['clients']; s: DB['stages']; ow: DB['users'] };
export type SummaryEb = ExpressionBuilder<SummaryDB, 'd' | 'c' | 's' | 'ow'>;
/** A condition over the summary join: the caller's scope and filters. */
export type Where = (eb: SummaryEb) => Expression<SqlBool>;

export interface SummaryRow extends DealRow {
  client_name: string;
  stage_code: string;
  stage_name: string;
  owner_name: string | null;
  owner_department_id: string | null;
}

export function toDealSummary(r: SummaryRow): DealSummary {
  return {
    id: r.id,
    clientId: r.client_id,
    clientName: r.client_name,
    title: r.title,
    amount: Number(r.amount),
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    stageCode: r.stage_code,
    stageName: r.stage_name,
    status: r.status as DealStatus,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    source: r.source,
    lossReasonId: r.loss_reason_id,
    lossComment: r.loss_comment,
    closedAt: r.closed_at,
    stageEnteredAt: r.stage_entered_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function toDealItem(r: DealItemRow): DealItem {
  return {
    id: r.id,
    productId: r.product_id,
    name: r.name,
    quantity: Number(r.quantity),
    price: Number(r.price),
    vatRate: r.vat_rate === null ? null : Number(r.vat_rate),
    total: Number(r.total),
    vat: Number(r.vat),
  };
}

export type DealSort = 'createdAt' | '-createdAt' | 'amount' | '-amount' | 'title' | '-title';
const sortColumns = { createdAt: 'd.created_at', amount: 'd.amount', title: 'd.title_norm' } as const;

/** The sort key of a row as stored in a cursor. */
export function sortKeyOf(row: SummaryRow, sort: DealSort): string | number {
  const field = sort.replace('-', '') as keyof typeof sortColumns;
  return field === 'amount' ? Number(row.amount) : field === 'title' ? row.title_norm : row.created_at;
}

function summaryQuery(db: Executor) {
  return db
    .selectFrom('deals as d')
    .innerJoin('clients as c', 'c.id', 'd.client_id')
    .innerJoin('stages as s', 's.id', 'd.stage_id')
    .leftJoin('users as ow', 'ow.id', 'd.owner_id')
    .selectAll('d')
    .select([
      'c.name as client_name',
      's.code as stage_code',
      's.name as stage_name',
      'ow.name as owner_name',
      'ow.department_id as owner_department_id',
    ]);
}

export interface DealFilters {
  pipelineId?: string;
  stageId?: string;
  stageCode?: string;
  ownerId?: string;
  clientId?: string;
  q?: string;
  status?: string;
  source?: string;
  /** ISO instants: created_at >= from, created_at < to. */
  createdFrom?: string;
  createdBefore?: string;
}

function filtersCondition(eb: SummaryEb, f: DealFilters): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [];
  if (f.pipelineId) conds.push(eb('d.pipeline_id', '=', f.pipelineId));
  if (f.stageId) conds.push(eb('d.stage_id', '=', f.stageId));
  if (f.stageCode) conds.push(eb('s.code', '=', f.stageCode));
  if (f.ownerId) conds.push(eb('d.owner_id', '=', f.ownerId));
  if (f.clientId) conds.push(eb('d.client_id', '=', f.clientId));
  if (f.status) conds.push(eb('d.status', '=', f.status));
  if (f.source) conds.push(eb('d.source', '=', f.source));
  if (f.createdFrom) conds.push(eb('d.created_at', '>=', f.createdFrom));
  if (f.createdBefore) conds.push(eb('d.created_at', '<', f.createdBefore));
  if (f.q && f.q.trim()) conds.push(sql<SqlBool>`${eb.ref('d.title_norm')} like ${containsPattern(f.q)} escape '\\'`);
  return eb.and(conds);
}

export const dealsRepo = {
  async findIdByClientTitle(db: Executor, clientId: string, titleNorm: string): Promise<string | null> {
    const row = await db
      .selectFrom('deals')
      .select('id')
      .where('client_id', '=', clientId)
      .where('title_norm', '=', titleNorm)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  },
  /** Deletes a deal; items, stage history and automation runs cascade, tasks and leads keep a null deal. */
  async delete(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('deals').where('id', '=', id).execute();
  },
  /** A deal with its joins, or undefined. `forUpdate` locks the deal row on PostgreSQL. */
  async findSummary(db: Executor, id: string, opts: { forUpdate?: boolean; postgres?: boolean } = {}): Promise<SummaryRow | undefined> {
    if (opts.forUpdate && opts.postgres) {
      await db.selectFrom('deals').select('id').where('id', '=', id).forUpdate().execute();
    }
    return (await summaryQuery(db).where('d.id', '=', id).executeTakeFirst()) as SummaryRow | undefined;
  },

  titles(db: Executor, ids: string[]) {
    return ids.length ? db.selectFrom('deals').select(['id', 'title']).where('id', 'in', ids).execute() : Promise.resolve([]);
  },

  items(db: Executor, dealId: string) {
    return db.selectFrom('deal_items').selectAll().where('deal_id', '=', dealId).orderBy('position').execute();
  },

  async productIdsOf(db: Executor, dealId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('deal_items')
      .select('product_id')
      .where('deal_id', '=', dealId)
      .where('product_id', 'is not', null)
      .execute();
    return rows.map((r) => r.product_id!);
  },

  async countItems(db: Executor, dealId: string): Promise<number> {
    const r = await db
      .selectFrom('deal_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deal_id', '=', dealId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  insert(db: Executor, row: Omit<DealRow, 'version'>) {
    return db.insertInto('deals').values(row).execute();
  },

  async replaceItems(db: Executor, dealId: string, items: DealItemRow[]): Promise<void> {
    await db.deleteFrom('deal_items').where('deal_id', '=', dealId).execute();
    if (items.length) await db.insertInto('deal_items').values(items).execute();
  },

  /** Updates when `version` matches (when given); returns false on a stale version. */
  async update(db: Executor, id: string, patch: Partial<Omit<DealRow, 'id' | 'version'>>, version?: number): Promise<boolean> {
    let q = db
      .updateTable('deals')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  list(db: Executor, opts: { scope: Where; filters: DealFilters; sort: DealSort; limit: number; after?: { key: unknown; id: string } }) {
    const desc = opts.sort.startsWith('-');
    const col = sortColumns[opts.sort.replace('-', '') as keyof typeof sortColumns];
    let q = summaryQuery(db)
      .where((eb) => opts.scope(eb as SummaryEb))
      .where((eb) => filtersCondition(eb as SummaryEb, opts.filters));
    if (opts.after) {
      const { key, id } = opts.after;
      const op = desc ? '<' : '>';
      q = q.where((eb) => eb.or([eb(col, op, key as any), eb.and([eb(col, '=', key as any), eb('d.id', op, id)])]));
    }
    return q
      .orderBy(col, desc ? 'desc' : 'asc')
      .orderBy('d.id', desc ? 'desc' : 'asc')
      .limit(opts.limit + 1)
      .execute() as Promise<SummaryRow[]>;
  },

  /** Count and sum per stage over every deal matching scope and filters (the board's column headers). */
  async totalsByStage(db: Executor, opts: { scope: Where; filters: DealFilters }): Promise<Map<string, { count: number; amount: number }>> {
    const rows = await db
      .selectFrom('deals as d')
      .innerJoin('clients as c', 'c.id', 'd.client_id')
      .innerJoin('stages as s', 's.id', 'd.stage_id')
      .leftJoin('users as ow', 'ow.id', 'd.owner_id')
      .where((eb) => opts.scope(eb as SummaryEb))
      .where((eb) => filtersCondition(eb as SummaryEb, opts.filters))
      .select((eb) => [
        'd.stage_id',
        eb.fn.countAll<number>().as('n'),
        eb.fn.coalesce(eb.fn.sum<number>('d.amount'), sql<number>`0`).as('total'),
      ])
      .groupBy('d.stage_id')
      .execute();
    return new Map(rows.map((r) => [r.stage_id, { count: Number(r.n), amount: Number(r.total) }]));
  },

  /** The newest `limit` deals of one stage. */
  stageDeals(db: Executor, opts: { scope: Where; filters: DealFilters; stageId: string; limit: number }) {
    return summaryQuery(db)
      .where((eb) => opts.scope(eb as SummaryEb))
      .where((eb) => filtersCondition(eb as SummaryEb, { ...opts.filters, stageId: opts.stageId }))
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(opts.limit)
      .execute() as Promise<SummaryRow[]>;
  },

  // ── stage history ──
  insertHistory(db: Executor, row: HistoryRow) {
    return db.insertInto('deal_stage_history').values(row).execute();
  },
  closeHistory(db: Executor, dealId: string, at: string) {
    return db.updateTable('deal_stage_history').set({ left_at: at }).where('deal_id', '=', dealId).where('left_at', 'is', null).execute();
  },
  setOpenHistoryOwner(db: Executor, dealId: string, ownerId: string | null) {
    return db
      .updateTable('deal_stage_history')
      .set({ owner_id: ownerId })
      .where('deal_id', '=', dealId)
      .where('left_at', 'is', null)
      .execute();
  },
  history(db: Executor, dealId: string) {
    return db
      .selectFrom('deal_stage_history as h')
      .leftJoin('stages as s', 's.id', 'h.stage_id')
      .selectAll('h')
      .select('s.name as stage_name')
      .where('h.deal_id', '=', dealId)
      .orderBy('h.entered_at')
      .orderBy('h.id')
      .execute();
  },
  /** The most recent open-kind, not archived stage the deal stayed in (for reopening). */
  async lastOpenStageId(db: Executor, dealId: string, pipelineId: string): Promise<string | null> {
    const r = await db
      .selectFrom('deal_stage_history as h')
      .innerJoin('stages as s', 's.id', 'h.stage_id')
      .select('h.stage_id')
      .where('h.deal_id', '=', dealId)
      .where('h.pipeline_id', '=', pipelineId)
      .where('s.kind', '=', 'open')
      .where('s.archived', '=', 0)
      .orderBy('h.entered_at', 'desc')
      .orderBy('h.id', 'desc')
      .executeTakeFirst();
    return r?.stage_id ?? null;
  },

  // ── people and clients ──
  moveClient(db: Executor, fromId: string, toId: string) {
    return db
      .updateTable('deals')
      .set((eb) => ({ client_id: toId, version: eb('version', '+', 1), updated_at: new Date().toISOString() }))
      .where('client_id', '=', fromId)
      .execute();
  },
  /** Open deals of a client owned by `fromOwnerId` (or by nobody when null) → `toOwnerId`; returns how many. */
  async reassignOpen(db: Executor, clientId: string, fromOwnerId: string | null, toOwnerId: string): Promise<number> {
    let q = db
      .updateTable('deals')
      .set((eb) => ({ owner_id: toOwnerId, version: eb('version', '+', 1), updated_at: new Date().toISOString() }))
      .where('client_id', '=', clientId)
      .where('status', '=', 'open');
    q = fromOwnerId === null ? q.where('owner_id', 'is', null) : q.where('owner_id', '=', fromOwnerId);
    const r = await q.executeTakeFirst();
    // The current stay in a stage follows its deal's owner (time-in-stage per manager).
    await db
      .updateTable('deal_stage_history')
      .set({ owner_id: toOwnerId })
      .where('left_at', 'is', null)
      .where('deal_id', 'in', (eb) =>
        eb
          .selectFrom('deals')
          .select('id')
          .where('client_id', '=', clientId)
          .where('status', '=', 'open')
          .where('owner_id', '=', toOwnerId),
      )
      .execute();
    return Number(r.numUpdatedRows);
  },
};
