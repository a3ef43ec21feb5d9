import { sql, type Expression, type ExpressionBuilder, type Insertable, type Selectable, type SqlBool } from 'kysely';
import type { Executor, Tx } from '../../platform/db/connect.js';
import type { ClientCreditsTable, DB, InvoiceItemsTable, InvoicesTable, PaymentsTable } from '../../platform/db/schema.js';
import type { InvoiceItem, InvoiceStatus, InvoiceSummary, Payment } from '../../../common/api/invoices.js';
import { openInvoiceStatuses } from '../../../common/api/invoices.js';
import { containsPattern } from '../../platform/text.js';

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceItemRow = Selectable<InvoiceItemsTable>;
export type PaymentRow = Selectable<PaymentsTable>;

/** An invoice joined with its deal's owner (the scope of invoices follows the deal's current owner). */
export interface JoinedRow extends InvoiceRow {
  owner_id: string | null;
  owner_department_id: string | null;
}

type JoinDB = DB & { i: InvoicesTable; d: DB['deals']; ow: DB['users'] };
export type InvoiceEb = ExpressionBuilder<JoinDB, 'i' | 'd' | 'ow'>;
export type Where = (eb: InvoiceEb) => Expression<SqlBool>;

export interface InvoiceFilters {
  status?: InvoiceStatus;
  clientId?: string;
  dealId?: string;
  /** true: open and past due on `today`; false: the others. */
  overdue?: boolean;
  from?: string;
  to?: string;
  q?: string;
  /** Today in the company time zone (for the overdue condition). */
  today: string;
  /** Leave cancelled invoices out unless a status is asked for (summary). */
  excludeCancelled?: boolean;
}

const OPEN = openInvoiceStatuses as string[];

export function isOverdueRow(r: Pick<InvoiceRow, 'status' | 'due_date'>, today: string): boolean {
  return OPEN.includes(r.status) && r.due_date < today;
}

export function toInvoiceSummary(r: InvoiceRow & { owner_id: string | null }, today: string): InvoiceSummary {
  const total = Number(r.total);
  const vat = Number(r.vat_amount);
  return {
    id: r.id,
    number: r.number,
    seq: Number(r.seq),
    year: Number(r.year),
    date: r.date,
    dueDate: r.due_date,
    dealId: r.deal_id,
    dealTitle: r.deal_title,
    clientId: r.client_id,
    clientName: r.client_name,
    ownerId: r.owner_id,
    subtotal: Number(r.subtotal),
    vatAmount: vat,
    total,
    paidAmount: Number(r.paid_amount),
    status: r.status as InvoiceStatus,
    overdue: isOverdueRow(r, today),
    sentAt: r.sent_at,
    sentTo: r.sent_to,
    paidAt: r.paid_at,
    cancelledAt: r.cancelled_at,
    reissueOfId: r.reissue_of_id,
    replacedById: r.replaced_by_id,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toInvoiceItem(r: InvoiceItemRow): InvoiceItem {
  return {
    name: r.name,
    quantity: Number(r.quantity),
    unit: r.unit,
    price: Number(r.price),
    vatRate: r.vat_rate === null ? null : Number(r.vat_rate),
    total: Number(r.total),
    vat: Number(r.vat),
  };
}

export function toPayment(r: PaymentRow & { created_by_name?: string | null }): Payment {
  const amount = Number(r.amount);
  const credit = Number(r.credit);
  return {
    id: r.id,
    invoiceId: r.invoice_id,
    clientId: r.client_id,
    amount,
    credit,
    received: amount + credit,
    paidAt: r.paid_at,
    reference: r.reference,
    createdBy: r.created_by,
    createdByName: r.created_by_name ?? null,
    createdAt: r.created_at,
  };
}

function joined(db: Executor) {
  return db
    .selectFrom('invoices as i')
    .innerJoin('deals as d', 'd.id', 'i.deal_id')
    .leftJoin('users as ow', 'ow.id', 'd.owner_id')
    .selectAll('i')
    .select(['d.owner_id as owner_id', 'ow.department_id as owner_department_id']);
}

function overdueCondition(eb: InvoiceEb, today: string): Expression<SqlBool> {
  return eb.and([eb('i.status', 'in', OPEN), eb('i.due_date', '<', today)]);
}

function filtersCondition(eb: InvoiceEb, f: InvoiceFilters): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [];
  if (f.status) conds.push(eb('i.status', '=', f.status));
  else if (f.excludeCancelled) conds.push(eb('i.status', '!=', 'cancelled'));
  if (f.clientId) conds.push(eb('i.client_id', '=', f.clientId));
  if (f.dealId) conds.push(eb('i.deal_id', '=', f.dealId));
  if (f.overdue === true) conds.push(overdueCondition(eb, f.today));
  if (f.overdue === false) conds.push(eb.not(overdueCondition(eb, f.today)));
  if (f.from) conds.push(eb('i.date', '>=', f.from));
  if (f.to) conds.push(eb('i.date', '<=', f.to));
  if (f.q && f.q.trim()) conds.push(sql<SqlBool>`${eb.ref('i.search_text')} like ${containsPattern(f.q)} escape '\\'`);
  return eb.and(conds);
}

export const invoicesRepo = {
  /**
   * The next number of the year: the counter row is created once, then `n = n + 1 … RETURNING n` inside the caller's
   * transaction — the row lock makes concurrent issuers wait, and a rollback gives the number back (no gaps).
   */
  async nextNumber(trx: Tx, year: number): Promise<number> {
    await trx
      .insertInto('invoice_counters')
      .values({ year, n: 0 })
      .onConflict((oc) => oc.column('year').doNothing())
      .execute();
    const r = await trx
      .updateTable('invoice_counters')
      .set({ n: sql<number>`n + 1` })
      .where('year', '=', year)
      .returning('n')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** A joined invoice row; `forUpdate` locks it on PostgreSQL first. */
  async find(db: Executor, id: string, opts: { forUpdate?: boolean; postgres?: boolean } = {}): Promise<JoinedRow | undefined> {
    if (opts.forUpdate && opts.postgres) {
      await db.selectFrom('invoices').select('id').where('id', '=', id).forUpdate().execute();
    }
    return (await joined(db).where('i.id', '=', id).executeTakeFirst()) as JoinedRow | undefined;
  },

  items(db: Executor, invoiceId: string) {
    return db.selectFrom('invoice_items').selectAll().where('invoice_id', '=', invoiceId).orderBy('position').execute();
  },

  async insert(db: Executor, row: Insertable<InvoicesTable>, items: Insertable<InvoiceItemsTable>[]): Promise<void> {
    await db.insertInto('invoices').values(row).execute();
    if (items.length) await db.insertInto('invoice_items').values(items).execute();
  },

  /** Updates when `version` matches (when given); returns false on a stale version. */
  async update(db: Executor, id: string, patch: Partial<Omit<InvoiceRow, 'id' | 'version'>>, version?: number): Promise<boolean> {
    let q = db
      .updateTable('invoices')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  list(db: Executor, opts: { scope: Where; filters: InvoiceFilters; limit: number; after?: { key: string; id: string } }) {
    let q = joined(db)
      .where((eb) => opts.scope(eb as InvoiceEb))
      .where((eb) => filtersCondition(eb as InvoiceEb, opts.filters));
    if (opts.after) {
      const { key, id } = opts.after;
      q = q.where((eb) => eb.or([eb('i.created_at', '<', key), eb.and([eb('i.created_at', '=', key), eb('i.id', '<', id)])]));
    }
    return q
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(opts.limit + 1)
      .execute() as Promise<JoinedRow[]>;
  },

  async summary(db: Executor, opts: { scope: Where; filters: InvoiceFilters }) {
    const today = opts.filters.today;
    const r = await db
      .selectFrom('invoices as i')
      .innerJoin('deals as d', 'd.id', 'i.deal_id')
      .leftJoin('users as ow', 'ow.id', 'd.owner_id')
      .where((eb) => opts.scope(eb as InvoiceEb))
      .where((eb) => filtersCondition(eb as InvoiceEb, opts.filters))
      .select((eb) => {
        const open = eb('i.status', 'in', OPEN);
        const overdue = overdueCondition(eb as InvoiceEb, today);
        const zero = sql<number>`0`;
        return [
          eb.fn.countAll<number>().as('count'),
          eb.fn.coalesce(eb.fn.sum<number>('i.total'), zero).as('total'),
          eb.fn.coalesce(eb.fn.sum<number>('i.paid_amount'), zero).as('paid'),
          eb.fn
            .coalesce(
              eb.fn.sum<number>(
                eb
                  .case()
                  .when(open)
                  .then(sql<number>`i.total - i.paid_amount`)
                  .else(zero)
                  .end(),
              ),
              zero,
            )
            .as('outstanding'),
          eb.fn
            .coalesce(
              eb.fn.sum<number>(
                eb
                  .case()
                  .when(overdue)
                  .then(sql<number>`1`)
                  .else(zero)
                  .end(),
              ),
              zero,
            )
            .as('overdue_count'),
          eb.fn
            .coalesce(
              eb.fn.sum<number>(
                eb
                  .case()
                  .when(overdue)
                  .then(sql<number>`i.total - i.paid_amount`)
                  .else(zero)
                  .end(),
              ),
              zero,
            )
            .as('overdue_amount'),
        ];
      })
      .executeTakeFirstOrThrow();
    return {
      count: Number(r.count),
      total: Number(r.total),
      paid: Number(r.paid),
      outstanding: Number(r.outstanding),
      overdueCount: Number(r.overdue_count),
      overdueAmount: Number(r.overdue_amount),
    };
  },

  /** Open invoices past due whose payment control has not fired yet. */
  dueForControl(db: Executor, today: string, limit: number) {
    return db
      .selectFrom('invoices')
      .selectAll()
      .where('status', 'in', OPEN)
      .where('due_date', '<', today)
      .where('overdue_at', 'is', null)
      .orderBy('due_date')
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Sets overdue_at once; false when another run already did. */
  async markOverdue(db: Executor, id: string, at: string): Promise<boolean> {
    const r = await db
      .updateTable('invoices')
      .set({ overdue_at: at })
      .where('id', '=', id)
      .where('overdue_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async userDepartment(db: Executor, userId: string | null): Promise<string | null> {
    if (!userId) return null;
    const r = await db.selectFrom('users').select('department_id').where('id', '=', userId).executeTakeFirst();
    return r?.department_id ?? null;
  },

  // ── payments and credit ──

  payments(db: Executor, invoiceId: string) {
    return db
      .selectFrom('payments as p')
      .leftJoin('users as u', 'u.id', 'p.created_by')
      .selectAll('p')
      .select('u.name as created_by_name')
      .where('p.invoice_id', '=', invoiceId)
      .orderBy('p.created_at')
      .orderBy('p.id')
      .execute();
  },

  findPayment(db: Executor, id: string) {
    return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertPayment(db: Executor, row: Insertable<PaymentsTable>, credit: Insertable<ClientCreditsTable> | null): Promise<void> {
    await db.insertInto('payments').values(row).execute();
    if (credit) await db.insertInto('client_credits').values(credit).execute();
  },

  async deletePayment(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('client_credits').where('payment_id', '=', id).execute();
    await db.deleteFrom('payments').where('id', '=', id).execute();
  },

  async paidSum(db: Executor, invoiceId: string): Promise<number> {
    const r = await db
      .selectFrom('payments')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('s'))
      .where('invoice_id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    return Number(r.s);
  },

  async countPayments(db: Executor, invoiceId: string): Promise<number> {
    const r = await db
      .selectFrom('payments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('invoice_id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  credits(db: Executor, clientId: string) {
    return db
      .selectFrom('client_credits as cc')
      .innerJoin('invoices as i', 'i.id', 'cc.invoice_id')
      .select(['cc.id', 'cc.payment_id', 'cc.invoice_id', 'cc.amount', 'cc.created_at', 'i.number as invoice_number'])
      .where('cc.client_id', '=', clientId)
      .orderBy('cc.created_at', 'desc')
      .execute();
  },

  /** A client merge: invoices, payments and credit follow the surviving client. */
  async moveClient(db: Executor, fromId: string, toId: string): Promise<void> {
    await db.updateTable('invoices').set({ client_id: toId }).where('client_id', '=', fromId).execute();
    await db.updateTable('payments').set({ client_id: toId }).where('client_id', '=', fromId).execute();
    await db.updateTable('client_credits').set({ client_id: toId }).where('client_id', '=', fromId).execute();
  },
};
