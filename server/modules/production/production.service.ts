import type { Ctx } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { fieldError, forbidden, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, hasAbility, inScope, scopeCondition, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import {
  productionStatusLabelsRu,
  type PatchProductionOrderInput,
  type ProductionItem,
  type ProductionOrder,
  type ProductionOrdersQuery,
  type ProductionStatus,
} from '../../../common/api/production.js';
import type { StageEnteredEvent } from '../deals/deals.service.js';
import { productionRepo, toOrder, type OrderJoinedRow, type OrderRow, type OrderWhere } from './production.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    production: ProductionService;
  }
}

const RANK: Record<ProductionStatus, number> = { queued: 0, in_progress: 1, done: 2 };

/**
 * Production orders (DESIGN §5). A deal entering the `production` stage gets one open order (queued) with its items
 * and client, in the move's transaction. Status goes forward queued → in_progress → done (a step may be skipped);
 * only an admin can go back, one step. `done` moves the deal to `delivered` and fires `production.done` (the default
 * rule creates the 15-day feedback task). The deal's owner is notified of every change.
 * Scope (§6): production — every order, read and write; owner/admin — all; head — his department's deals, read;
 * manager — orders of his own deals, read; accountant — none. Orders carry no prices.
 */
export class ProductionService {
  constructor(private ctx: Ctx) {}

  private get postgres() {
    return this.ctx.database.dialect === 'postgres';
  }

  private scope(actor: Actor): OrderWhere {
    return (eb) => scopeCondition(eb, actor, 'production_order', 'read', ['d.owner_id']);
  }

  private visible(actor: Actor, row: OrderJoinedRow, action: 'read' | 'write'): boolean {
    return inScope(actor, 'production_order', action, [{ userId: row.owner_id, departmentId: row.owner_department_id }]);
  }

  async list(actor: Actor, q: ProductionOrdersQuery & { limit: number; cursor?: string }): Promise<Page<ProductionOrder>> {
    assertCan(actor, 'production_order', 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await productionRepo.list(this.ctx.db, {
      scope: this.scope(actor),
      filters: { status: q.status, dealId: q.dealId, assigneeId: q.assigneeId },
      limit: q.limit,
      before: after ? { createdAt: after.key, id: after.id } : undefined,
    });
    return toPage(rows, q.limit, toOrder, (r) => encodeCursor(r.created_at, r.id));
  }

  async get(actor: Actor, id: string): Promise<ProductionOrder> {
    assertCan(actor, 'production_order', 'read');
    const row = await productionRepo.find(this.ctx.db, id);
    if (!row || !this.visible(actor, row, 'read')) throw notFound();
    return toOrder(row);
  }

  /** An order without a permission check (automation templates). */
  async load(exec: Executor, id: string): Promise<ProductionOrder | null> {
    const row = await productionRepo.find(exec, id);
    return row ? toOrder(row) : null;
  }

  /** Domain event `deal.stage_entered`: entering `production` hands the deal over (once while an order is open). */
  async onStageEntered(trx: Tx, e: StageEnteredEvent): Promise<void> {
    if (e.stage.code !== 'production') return;
    if (await productionRepo.findOpenForDeal(trx, e.deal.id)) return;
    const products = await this.ctx.services.products.getMany(
      trx,
      e.deal.items.map((i) => i.productId).filter((x): x is string => !!x),
    );
    const items: ProductionItem[] = e.deal.items.map((i) => ({
      name: i.name,
      quantity: i.quantity,
      unit: (i.productId ? products.get(i.productId)?.unit : null) ?? null,
    }));
    const id = newId();
    const number = await productionRepo.nextNumber(trx);
    const now = new Date().toISOString();
    await productionRepo.insert(trx, {
      id,
      number,
      deal_id: e.deal.id,
      items: JSON.stringify(items),
      status: 'queued',
      assignee_id: null,
      due_date: null,
      comment: null,
      created_by: e.actorId,
      started_at: null,
      done_at: null,
      created_at: now,
      updated_at: now,
    });
    const notifications = this.ctx.services.notifications;
    if (e.deal.ownerId && e.deal.ownerId !== e.actorId) {
      await notifications.notify(trx, {
        userIds: [e.deal.ownerId],
        kind: 'production_order',
        title: `Заказ № ${number} передан в производство`,
        text: `${e.deal.title} — ${e.deal.clientName}`,
        link: `/deals/${e.deal.id}`,
        entity: 'production_order',
        entityId: id,
      });
    }
    const workers = (await productionRepo.productionUserIds(trx)).filter((u) => u !== e.actorId);
    await notifications.notify(trx, {
      userIds: workers,
      kind: 'production_order',
      title: `Новый заказ в производство № ${number}`,
      text: `${e.deal.title} — ${e.deal.clientName}`,
      link: `/production?open=${id}`,
      entity: 'production_order',
      entityId: id,
    });
  }

  async update(actor: Actor, id: string, patch: PatchProductionOrderInput): Promise<ProductionOrder> {
    assertCan(actor, 'production_order', 'read');
    if (patch.assigneeId) {
      const user = await productionRepo.findUser(this.ctx.db, patch.assigneeId);
      if (!user || user.active !== 1) throw fieldError('assigneeId', 'Нет такого активного пользователя');
      if (user.role !== 'production') throw fieldError('assigneeId', 'Исполнителем может быть только сотрудник производства');
    }
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      const row = await productionRepo.find(trx, id, { forUpdate: true, postgres: this.postgres });
      if (!row || !this.visible(actor, row, 'read')) throw notFound();
      if (!this.visible(actor, row, 'write')) throw forbidden();
      if (patch.version !== row.version) throw versionConflict();

      const now = new Date().toISOString();
      const from = row.status as ProductionStatus;
      const to = patch.status ?? from;
      const set: Partial<Omit<OrderRow, 'id' | 'version'>> = {};
      if (to !== from) {
        if (RANK[to] < RANK[from]) {
          if (!hasAbility(actor, 'production_order.step_back') || RANK[from] - RANK[to] !== 1) {
            throw ruleViolation(
              'Статус заказа меняется только вперёд: «В очереди» → «В работе» → «Готово». Вернуть на шаг назад может администратор',
              { status: 'Нельзя вернуть статус назад' },
              'An order moves forward only; an admin may step it back once',
            );
          }
          if (to === 'queued') set.started_at = null;
          if (from === 'done') set.done_at = null;
        } else {
          if (RANK[to] >= 1 && !row.started_at) set.started_at = now;
          if (to === 'done') set.done_at = now;
        }
        set.status = to;
      }
      if (patch.comment !== undefined && (patch.comment || null) !== row.comment) set.comment = patch.comment || null;
      if (patch.assigneeId !== undefined && patch.assigneeId !== row.assignee_id) set.assignee_id = patch.assigneeId;
      if (patch.dueDate !== undefined && patch.dueDate !== row.due_date) set.due_date = patch.dueDate;
      if (Object.keys(set).length === 0) return { order: toOrder(row), changed: false };
      set.updated_at = now;
      if (!(await productionRepo.update(trx, id, set, row.version))) throw versionConflict();

      if (to === 'done' && from !== 'done') {
        const { deal } = await this.ctx.services.deals.moveByCode(trx, row.deal_id, 'delivered', actor.id, { onlyForward: true });
        // A deal closed as lost meanwhile gets no feedback call.
        if (deal.status !== 'lost')
          await this.ctx.domain.emit(trx, 'production.done', {
            orderId: id,
            orderNumber: Number(row.number),
            dealId: row.deal_id,
            clientId: row.client_id,
            actorId: actor.id,
            at: now,
          });
      }
      if (row.owner_id && row.owner_id !== actor.id) {
        const changes: string[] = [];
        if (set.status) changes.push(`статус: ${productionStatusLabelsRu[to]}`);
        if (set.due_date !== undefined) changes.push(`срок: ${set.due_date ?? 'не указан'}`);
        if (set.assignee_id !== undefined) changes.push('сменился исполнитель');
        if (set.comment !== undefined) changes.push(`комментарий: ${set.comment ?? '—'}`);
        await this.ctx.services.notifications.notify(trx, {
          userIds: [row.owner_id],
          kind: 'production_order',
          title: set.status
            ? `Заказ № ${row.number} «${row.deal_title}»: ${productionStatusLabelsRu[to]}`
            : `Заказ № ${row.number} «${row.deal_title}» изменён`,
          text: changes.join('; '),
          link: `/deals/${row.deal_id}`,
          entity: 'production_order',
          entityId: id,
        });
      }
      const updated = await productionRepo.find(trx, id);
      return { order: toOrder(updated!), changed: true };
    });
    if (result.changed) this.emit(result.order);
    return result.order;
  }

  /** Live update of the production board and the deal card, after commit, to everyone who may see the order. */
  private emit(order: ProductionOrder): void {
    this.ctx.events.emit(
      'production_order.changed',
      { id: order.id, dealId: order.dealId, status: order.status, version: order.version },
      { record: { resource: 'production_order', ownerIds: [order.ownerId] } },
    );
  }
}
