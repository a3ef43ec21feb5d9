import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { DB, ProductionOrdersTable } from '../../platform/db/schema.js';
import type { ProductionItem, ProductionOrder, ProductionStatus } from '../../../common/api/production.js';

export type OrderRow = Selectable<ProductionOrdersTable>;

/** Joined tables: production_orders o, deals d, clients c, users ow (deal owner), users asg (assignee). */
type OrderDB = DB & { o: ProductionOrdersTable; d: DB['deals']; c: DB['clients']; ow: DB['users']; asg: DB['users'] };
export type OrderEb = ExpressionBuilder<OrderDB, 'o' | 'd' | 'c' | 'ow' | 'asg'>;
export type OrderWhere = (eb: OrderEb) => Expression<SqlBool>;

export interface OrderJoinedRow extends OrderRow {
  deal_title: string;
  client_id: string;
  client_name: string;
  owner_id: string | null;
  owner_name: string | null;
  owner_department_id: string | null;
  assignee_name: string | null;
}

export function toOrder(r: OrderJoinedRow): ProductionOrder {
  return {
    id: r.id,
    number: Number(r.number),
    dealId: r.deal_id,
    dealTitle: r.deal_title,
    clientId: r.client_id,
    clientName: r.client_name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    items: JSON.parse(r.items) as ProductionItem[],
    status: r.status as ProductionStatus,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    dueDate: r.due_date,
    comment: r.comment,
    createdAt: r.created_at,
    startedAt: r.started_at,
    doneAt: r.done_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

function joined(db: Executor) {
  return db
    .selectFrom('production_orders as o')
    .innerJoin('deals as d', 'd.id', 'o.deal_id')
    .innerJoin('clients as c', 'c.id', 'd.client_id')
    .leftJoin('users as ow', 'ow.id', 'd.owner_id')
    .leftJoin('users as asg', 'asg.id', 'o.assignee_id')
    .selectAll('o')
    .select([
      'd.title as deal_title',
      'c.id as client_id',
      'c.name as client_name',
      'd.owner_id as owner_id',
      'ow.name as owner_name',
      'ow.department_id as owner_department_id',
      'asg.name as assignee_name',
    ]);
}

export interface OrderFilters {
  status?: string;
  dealId?: string;
  assigneeId?: string;
}

export const productionRepo = {
  /** The next order number; the row lock serialises concurrent hand-overs on PostgreSQL. */
  async nextNumber(db: Executor): Promise<number> {
    const r = await db
      .updateTable('production_sequence')
      .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
      .where('id', '=', 'orders')
      .returning('last_number')
      .executeTakeFirstOrThrow();
    return Number(r.last_number);
  },

  insert(db: Executor, row: Omit<OrderRow, 'version'>) {
    return db.insertInto('production_orders').values(row).execute();
  },

  findOpenForDeal(db: Executor, dealId: string) {
    return db
      .selectFrom('production_orders')
      .select(['id', 'number'])
      .where('deal_id', '=', dealId)
      .where('status', '<>', 'done')
      .executeTakeFirst();
  },

  /** `forUpdate` locks the order row on PostgreSQL. */
  async find(db: Executor, id: string, opts: { forUpdate?: boolean; postgres?: boolean } = {}): Promise<OrderJoinedRow | undefined> {
    if (opts.forUpdate && opts.postgres) await db.selectFrom('production_orders').select('id').where('id', '=', id).forUpdate().execute();
    return (await joined(db).where('o.id', '=', id).executeTakeFirst()) as OrderJoinedRow | undefined;
  },

  /** Newest first within the scope. */
  list(db: Executor, opts: { scope: OrderWhere; filters: OrderFilters; limit: number; before?: { createdAt: string; id: string } }) {
    let q = joined(db).where((eb) => opts.scope(eb as OrderEb));
    if (opts.filters.status) q = q.where('o.status', '=', opts.filters.status);
    if (opts.filters.dealId) q = q.where('o.deal_id', '=', opts.filters.dealId);
    if (opts.filters.assigneeId) q = q.where('o.assignee_id', '=', opts.filters.assigneeId);
    if (opts.before) {
      const { createdAt, id } = opts.before;
      q = q.where((eb) => eb.or([eb('o.created_at', '<', createdAt), eb.and([eb('o.created_at', '=', createdAt), eb('o.id', '<', id)])]));
    }
    return q
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(opts.limit + 1)
      .execute() as Promise<OrderJoinedRow[]>;
  },

  async update(db: Executor, id: string, patch: Partial<Omit<OrderRow, 'id' | 'version'>>, version: number): Promise<boolean> {
    const r = await db
      .updateTable('production_orders')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  findUser(db: Executor, id: string) {
    return db.selectFrom('users').select(['id', 'role', 'active']).where('id', '=', id).executeTakeFirst();
  },

  /** Active users of the production role (they receive new orders). */
  async productionUserIds(db: Executor): Promise<string[]> {
    const rows = await db.selectFrom('users').select('id').where('role', '=', 'production').where('active', '=', 1).execute();
    return rows.map((r) => r.id);
  },
};
