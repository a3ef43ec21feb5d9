import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import type { DomainEvents } from '../../platform/domain-events.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { AppError, forbidden, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import {
  assertCan,
  hasAbility,
  inScope,
  ownerRoles,
  scopeCondition,
  scopeOf,
  type Action,
  type Actor,
} from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { addDaysToDate, zonedMidnight } from '../../../common/dates.js';
import { lineTotal, vatFromGross } from '../../../common/money.js';
import type {
  Board,
  CreateDealInput,
  Deal,
  DealItemInput,
  DealsQuery,
  DealSummary,
  PatchDealInput,
  StageHistoryEntry,
} from '../../../common/api/deals.js';
import type { Stage } from '../../../common/api/pipelines.js';
import { normalizeText } from '../../platform/text.js';
import {
  dealsRepo,
  sortKeyOf,
  toDealItem,
  toDealSummary,
  type DealFilters,
  type DealItemRow,
  type DealSort,
  type SummaryRow,
  type Where,
} from './deals.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    deals: DealsService;
  }
}

export type { Deal, Stage };

/** Payload of the domain event `deal.stage_entered` (platform/domain-events.ts). */
export type StageEnteredEvent = DomainEvents['deal.stage_entered'];

interface MoveExtra {
  reasonId?: string | null;
  comment?: string | null;
  version?: number;
  reopened?: boolean;
}

const OWNER_ROLES = new Set<string>(ownerRoles);

/**
 * Deals: items and amounts, moves through the stages of a pipeline with a history of every stay,
 * closing as won or lost (lost needs a reason and a comment), reopening by a head.
 * Scope (DESIGN §6): manager — own deals; head — his department; owner/admin — all; accountant — read all.
 *
 * Why one file over 500 lines: items, stage moves with their history, closing and reopening change the same deal
 * row under one version and one scope check; SQL is in deals.repo.ts.
 */
export class DealsService {
  constructor(private ctx: Ctx) {}

  private get postgres() {
    return this.ctx.database.dialect === 'postgres';
  }

  private scope(actor: Actor, action: Action): Where {
    return (eb) => scopeCondition(eb, actor, 'deal', action, ['d.owner_id']);
  }

  private inScope(actor: Actor, row: SummaryRow, action: Action): boolean {
    return inScope(actor, 'deal', action, [{ userId: row.owner_id, departmentId: row.owner_department_id }]);
  }

  /** 404 when the deal is outside the actor's read scope; 403 when he may read it but not do `action`. */
  private check(actor: Actor, row: SummaryRow | undefined, action: Action): SummaryRow {
    if (!row || !this.inScope(actor, row, 'read')) throw notFound();
    if (action === 'write' && !this.inScope(actor, row, 'write')) throw forbidden();
    return row;
  }

  private async full(exec: Executor, row: SummaryRow): Promise<Deal> {
    const items = await dealsRepo.items(exec, row.id);
    return { ...toDealSummary(row), items: items.map(toDealItem) };
  }

  private async loadFull(exec: Executor, id: string): Promise<Deal> {
    const row = await dealsRepo.findSummary(exec, id);
    if (!row) throw notFound();
    return this.full(exec, row);
  }

  // ── reading ──

  /** The deal with its items when the actor may `action` it (404 out of scope, 403 read-only). */
  async getForActor(actor: Actor, id: string, action: Action = 'read', exec: Executor = this.ctx.db): Promise<Deal> {
    const row = this.check(actor, await dealsRepo.findSummary(exec, id), action);
    return this.full(exec, row);
  }

  /** A deal without a permission check (for system callers: invoices, production, automation). */
  async load(exec: Executor, id: string): Promise<Deal | null> {
    const row = await dealsRepo.findSummary(exec, id);
    return row ? this.full(exec, row) : null;
  }

  async list(actor: Actor, q: DealsQuery & { limit: number; cursor?: string }): Promise<Page<DealSummary>> {
    assertCan(actor, 'deal', 'read');
    const sort: DealSort = q.sort ?? '-createdAt';
    const field = sort.replace('-', '');
    const after = decodeCursor(q.cursor, field === 'amount' ? 'integer' : field === 'title' ? 'string' : 'timestamp');
    const rows = await dealsRepo.list(this.ctx.db, {
      scope: this.scope(actor, 'read'),
      filters: this.filters(q),
      sort,
      limit: q.limit,
      after: after ?? undefined,
    });
    return toPage(rows, q.limit, toDealSummary, (r) => encodeCursor(sortKeyOf(r, sort), r.id));
  }

  /** id → title of the given deals, without a permission check (exports of rows the caller already reads). */
  async titles(ids: Iterable<string | null | undefined>, exec: Executor = this.ctx.db): Promise<Map<string, string>> {
    const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
    return new Map((await dealsRepo.titles(exec, wanted)).map((r) => [r.id, r.title]));
  }

  /** Global search by title (case-insensitive, ё = е), newest first, within the actor's scope. */
  async search(actor: Actor, q: string, limit = 10): Promise<DealSummary[]> {
    if (scopeOf(actor, 'deal', 'read') === 'none' || !q.trim()) return [];
    const rows = await dealsRepo.list(this.ctx.db, { scope: this.scope(actor, 'read'), filters: { q }, sort: '-createdAt', limit });
    return rows.slice(0, limit).map(toDealSummary);
  }

  /** Kanban: every active stage of the pipeline with count and sum over the whole column and its newest deals. */
  async board(
    actor: Actor,
    q: { pipelineId?: string; ownerId?: string; source?: string; from?: string; to?: string; limitPerStage: number },
  ): Promise<Board> {
    assertCan(actor, 'deal', 'read');
    const pipeline = q.pipelineId
      ? await this.ctx.services.pipelines.load(this.ctx.db, q.pipelineId)
      : await this.ctx.services.pipelines.getDefault();
    if (!pipeline) throw notFound();
    const filters = this.filters({ ...q, pipelineId: pipeline.id });
    const scope = this.scope(actor, 'read');
    const totals = await dealsRepo.totalsByStage(this.ctx.db, { scope, filters });
    const stages = pipeline.stages.filter((s) => !s.archived || (totals.get(s.id)?.count ?? 0) > 0);
    const columns = [];
    for (const s of stages) {
      const rows =
        q.limitPerStage > 0 ? await dealsRepo.stageDeals(this.ctx.db, { scope, filters, stageId: s.id, limit: q.limitPerStage }) : [];
      const t = totals.get(s.id) ?? { count: 0, amount: 0 };
      columns.push({
        stageId: s.id,
        code: s.code,
        name: s.name,
        kind: s.kind,
        count: t.count,
        amount: t.amount,
        deals: rows.map(toDealSummary),
      });
    }
    return { pipelineId: pipeline.id, stages: columns };
  }

  async history(actor: Actor, id: string): Promise<{ items: StageHistoryEntry[]; nextCursor: null }> {
    this.check(actor, await dealsRepo.findSummary(this.ctx.db, id), 'read');
    const now = Date.now();
    const rows = await dealsRepo.history(this.ctx.db, id);
    return {
      items: rows.map((r) => ({
        id: r.id,
        pipelineId: r.pipeline_id,
        stageId: r.stage_id,
        stageCode: r.stage_code,
        stageName: r.stage_name ?? r.stage_code,
        enteredAt: r.entered_at,
        leftAt: r.left_at,
        durationSeconds: Math.max(0, Math.floor(((r.left_at ? Date.parse(r.left_at) : now) - Date.parse(r.entered_at)) / 1000)),
        ownerId: r.owner_id,
        byUserId: r.by_user_id,
      })),
      nextCursor: null,
    };
  }

  private filters(q: Partial<DealsQuery>): DealFilters {
    const tz = this.ctx.config.tz;
    return {
      pipelineId: q.pipelineId,
      stageId: q.stageId,
      stageCode: q.stageCode,
      ownerId: q.ownerId,
      clientId: q.clientId,
      q: q.q,
      status: q.status,
      source: q.source,
      createdFrom: q.from ? zonedMidnight(q.from, tz).toISOString() : undefined,
      createdBefore: q.to ? zonedMidnight(addDaysToDate(q.to, 1), tz).toISOString() : undefined,
    };
  }

  // ── writing ──

  async create(actor: Actor, input: CreateDealInput): Promise<Deal> {
    const deal = await this.ctx.db.transaction().execute((trx) => this.createIn(trx, actor, input));
    this.notify(deal);
    return deal;
  }

  /** `create` inside the caller's transaction (imports: a savepoint per row); the caller announces the deal. */
  async createIn(trx: Tx, actor: Actor, input: CreateDealInput): Promise<Deal> {
    assertCan(actor, 'deal', 'write');
    let client: { id: string; ownerId: string | null };
    try {
      client = await this.ctx.services.clients.getForActor(actor, input.clientId, 'read', trx);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found')
        throw new AppError('validation_failed', { fields: { clientId: 'Клиент не найден' } });
      throw err;
    }
    const ownerId = input.ownerId ?? (scopeOf(actor, 'deal', 'write') === 'own' ? actor.id : (client.ownerId ?? actor.id));
    await this.assertAssignable(actor, ownerId, trx);
    const stage = await this.initialStage(input.pipelineId, input.stageId, trx);
    const { items, amount } = await this.buildItems(trx, input.items ?? [], new Set(), input.amount);
    const id = newId();
    const now = new Date().toISOString();
    {
      await dealsRepo.insert(trx, {
        id,
        client_id: client.id,
        title: input.title,
        title_norm: normalizeText(input.title),
        amount,
        pipeline_id: stage.pipelineId,
        stage_id: stage.id,
        status: 'open',
        owner_id: ownerId,
        source: input.source ?? null,
        loss_reason_id: null,
        loss_comment: null,
        closed_at: null,
        stage_entered_at: now,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      });
      await dealsRepo.replaceItems(
        trx,
        id,
        items.map((it) => ({ ...it, deal_id: id })),
      );
      await dealsRepo.insertHistory(trx, {
        id: newId(),
        deal_id: id,
        pipeline_id: stage.pipelineId,
        stage_id: stage.id,
        stage_code: stage.code,
        entered_at: now,
        left_at: null,
        owner_id: ownerId,
        by_user_id: actor.id,
      });
      await this.ctx.services.timeline.add(trx, {
        clientId: client.id,
        dealId: id,
        kind: 'deal_created',
        authorId: actor.id,
        text: `Сделка «${input.title}»`,
        data: { title: input.title, amount, stage: { id: stage.id, code: stage.code, name: stage.name } },
        at: now,
      });
      const created = await this.loadFull(trx, id);
      await this.ctx.domain.emit(trx, 'deal.stage_entered', { deal: created, stage, previousStageId: null, actorId: actor.id });
      return this.loadFull(trx, id);
    }
  }

  /** Live event for a deal created by a batch (imports), after its commit. */
  announce(deal: Deal) {
    this.notify(deal);
  }

  /** An open or closed deal of this client with this title (case and ё folded), for an import's dedupe. */
  async findForImport(exec: Executor, clientId: string, title: string): Promise<Deal | null> {
    const id = await dealsRepo.findIdByClientTitle(exec, clientId, normalizeText(title));
    return id ? this.loadFull(exec, id) : null;
  }

  /** The stored version of a deal (an import's undo checks it), or null when it is gone. */
  async versionOf(exec: Executor, id: string): Promise<number | null> {
    return (await dealsRepo.findSummary(exec, id))?.version ?? null;
  }

  /**
   * Removes a deal an import created (its undo, in the caller's transaction): only while it is as the import left it
   * (`version`, else 409) and nothing was issued for it (an invoice → 409). Items, stage history, timeline entries and
   * its automation runs go with it; report mirrors follow by their triggers.
   */
  async removeImported(trx: Tx, id: string, version: number): Promise<void> {
    const row = await dealsRepo.findSummary(trx, id);
    if (!row) return;
    if (row.version !== version) throw versionConflict();
    await sql`savepoint deal_remove`.execute(trx);
    try {
      await this.ctx.services.timeline.removeDeal(trx, id);
      await dealsRepo.delete(trx, id);
      await sql`release savepoint deal_remove`.execute(trx);
    } catch (err) {
      await sql`rollback to savepoint deal_remove`.execute(trx);
      if (/foreign key/i.test(String((err as Error).message))) {
        throw new AppError('conflict', {
          message: `По сделке «${row.title}» после импорта выставлены счета или созданы другие записи`,
          messageEn: `Invoices or other records were made for the deal «${row.title}» after the import`,
        });
      }
      throw err;
    }
  }

  async update(actor: Actor, id: string, patch: PatchDealInput): Promise<Deal> {
    assertCan(actor, 'deal', 'write');
    // Checked before the transaction: the users service reads on its own connection.
    if (patch.ownerId !== undefined) await this.assertAssignable(actor, patch.ownerId);
    const { deal, previousOwner } = await this.ctx.db.transaction().execute(async (trx) => {
      const row = this.check(actor, await dealsRepo.findSummary(trx, id, { forUpdate: true, postgres: this.postgres }), 'write');
      if (patch.version !== undefined && patch.version !== row.version) throw versionConflict();
      const set: Parameters<typeof dealsRepo.update>[2] = { updated_at: new Date().toISOString() };
      if (patch.title !== undefined) {
        set.title = patch.title;
        set.title_norm = normalizeText(patch.title);
      }
      if (patch.source !== undefined) set.source = patch.source;
      if (patch.ownerId !== undefined && patch.ownerId !== row.owner_id) set.owner_id = patch.ownerId;
      if (patch.items !== undefined) {
        const existing = new Set(await dealsRepo.productIdsOf(trx, id));
        const built = await this.buildItems(trx, patch.items, existing, patch.amount);
        set.amount = built.amount;
        await dealsRepo.replaceItems(
          trx,
          id,
          built.items.map((it) => ({ ...it, deal_id: id })),
        );
      } else if (patch.amount !== undefined) {
        if ((await dealsRepo.countItems(trx, id)) > 0) {
          throw new AppError('validation_failed', { fields: { amount: 'Сумма сделки с позициями считается по позициям' } });
        }
        set.amount = patch.amount;
      }
      if (!(await dealsRepo.update(trx, id, set, row.version))) throw versionConflict();
      if (set.owner_id !== undefined) await dealsRepo.setOpenHistoryOwner(trx, id, set.owner_id);
      return { deal: await this.loadFull(trx, id), previousOwner: row.owner_id };
    });
    this.notify(deal, previousOwner);
    return deal;
  }

  /** Moves a deal to a stage (by id, or by code within its pipeline). Lost needs reasonId and comment. */
  async move(
    actor: Actor,
    id: string,
    input: { stageId?: string; stageCode?: string; reasonId?: string | null; comment?: string | null; version?: number },
  ): Promise<Deal> {
    if (!input.stageId && !input.stageCode)
      throw new AppError('validation_failed', { fields: { stageId: 'Укажите этап (stageId или stageCode)' } });
    return this.actorMove(
      actor,
      id,
      async (trx, row) => {
        if (input.stageId) {
          const stage = await this.ctx.services.pipelines.stage(trx, input.stageId);
          if (!stage) throw new AppError('validation_failed', { fields: { stageId: 'Нет такого этапа' } });
          return stage;
        }
        const stage = await this.ctx.services.pipelines.stageByCode(trx, row.pipeline_id, input.stageCode!);
        if (!stage) throw new AppError('validation_failed', { fields: { stageCode: 'В воронке сделки нет такого этапа' } });
        return stage;
      },
      input,
    );
  }

  /** Closes a deal as lost: the pipeline's lost stage, with a reason from the list and a comment. */
  async lose(actor: Actor, id: string, input: { reasonId?: string | null; comment?: string | null; version?: number }): Promise<Deal> {
    return this.actorMove(
      actor,
      id,
      async (trx, row) => {
        const pipeline = await this.ctx.services.pipelines.load(trx, row.pipeline_id);
        const lost = pipeline?.stages.find((s) => s.kind === 'lost' && !s.archived);
        if (!lost) throw ruleViolation('В воронке сделки нет этапа «Отказ»', undefined, 'The deal’s pipeline has no «Lost» stage');
        return lost;
      },
      input,
    );
  }

  /** Returns a closed deal to an open stage (head, owner, admin): the given one, else the last open stage it was in. */
  async reopen(actor: Actor, id: string, input: { stageId?: string; version?: number }): Promise<Deal> {
    if (!hasAbility(actor, 'deal.reopen')) {
      // A manager learns nothing about deals he cannot see.
      this.check(actor, await dealsRepo.findSummary(this.ctx.db, id), 'read');
      throw new AppError('forbidden', {
        message: 'Вернуть закрытую сделку в работу может руководитель',
        messageEn: 'Only a head can reopen a closed deal',
      });
    }
    return this.actorMove(
      actor,
      id,
      async (trx, row) => {
        if (row.status === 'open') throw ruleViolation('Сделка уже в работе', undefined, 'The deal is already open');
        let stageId = input.stageId ?? (await dealsRepo.lastOpenStageId(trx, id, row.pipeline_id));
        if (!stageId) {
          const pipeline = await this.ctx.services.pipelines.load(trx, row.pipeline_id);
          stageId = pipeline?.stages.find((s) => s.kind === 'open' && !s.archived)?.id ?? null;
        }
        const stage = stageId ? await this.ctx.services.pipelines.stage(trx, stageId) : null;
        if (!stage) throw new AppError('validation_failed', { fields: { stageId: 'Нет такого этапа' } });
        if (stage.kind !== 'open')
          throw ruleViolation(
            'Вернуть в работу можно только на открытый этап',
            { stageId: 'Выберите открытый этап' },
            'A deal can be reopened only at an open stage',
          );
        return stage;
      },
      { version: input.version, reopened: true },
    );
  }

  /**
   * A system move by stage code (e.g. invoice paid → `paid`), inside the caller's transaction when given one.
   * No actor scope check; history, timeline and hooks as for any move. Does nothing (moved: false) when the
   * deal is closed, already there, the pipeline has no such stage, or — with onlyForward — the stage is behind.
   */
  async moveByCode(
    exec: Executor,
    dealId: string,
    code: string,
    actorId: string | null,
    opts: { onlyForward?: boolean; reasonId?: string; comment?: string } = {},
  ): Promise<{ deal: Deal; moved: boolean }> {
    const run = async (trx: Tx) => {
      const row = await dealsRepo.findSummary(trx, dealId, { forUpdate: true, postgres: this.postgres });
      if (!row) throw notFound();
      const target = await this.ctx.services.pipelines.stageByCode(trx, row.pipeline_id, code);
      const current = await this.ctx.services.pipelines.stage(trx, row.stage_id);
      const skip =
        !target ||
        target.archived ||
        row.status !== 'open' ||
        target.id === row.stage_id ||
        (opts.onlyForward === true && current !== null && target.position <= current.position);
      if (skip) return { deal: await this.full(trx, row), moved: false };
      const deal = await this.applyMove(trx, row, target, actorId, { reasonId: opts.reasonId, comment: opts.comment });
      return { deal, moved: true };
    };
    if (exec.isTransaction) {
      const result = await run(exec as Tx);
      // Inside the caller's transaction (SQLite holds its single connection there): read through it.
      if (result.moved) this.notify(result.deal);
      return result;
    }
    const result = await (exec as Executor).transaction().execute(run);
    if (result.moved) this.notify(result.deal);
    return result;
  }

  private async actorMove(actor: Actor, id: string, target: (trx: Tx, row: SummaryRow) => Promise<Stage>, extra: MoveExtra): Promise<Deal> {
    assertCan(actor, 'deal', 'write');
    const deal = await this.ctx.db.transaction().execute(async (trx) => {
      const row = this.check(actor, await dealsRepo.findSummary(trx, id, { forUpdate: true, postgres: this.postgres }), 'write');
      if (extra.version !== undefined && extra.version !== row.version) throw versionConflict();
      const stage = await target(trx, row);
      if (stage.id === row.stage_id && !extra.reopened) return null;
      if (row.status !== 'open' && !extra.reopened) {
        throw ruleViolation('Сделка закрыта: сначала верните её в работу', undefined, 'The deal is closed: reopen it first');
      }
      return this.applyMove(trx, row, stage, actor.id, extra);
    });
    if (!deal) return this.getForActor(actor, id);
    this.notify(deal);
    return deal;
  }

  /** The one place a deal changes stage: deal row, stage history, timeline, `deal.stage_entered`. */
  private async applyMove(trx: Tx, row: SummaryRow, stage: Stage, actorId: string | null, extra: MoveExtra): Promise<Deal> {
    if (stage.archived) throw ruleViolation('Этап в архиве', { stageId: 'Этап в архиве' }, 'The stage is archived');
    if (stage.pipelineId !== row.pipeline_id) {
      const pipeline = await this.ctx.services.pipelines.load(trx, stage.pipelineId);
      if (!pipeline || pipeline.archived)
        throw ruleViolation('Воронка в архиве', { stageId: 'Воронка этапа в архиве' }, 'The pipeline is archived');
    }
    let lossReason: { id: string; name: string } | null = null;
    if (stage.kind === 'lost') {
      const comment = extra.comment?.trim() ?? '';
      const fields: Record<string, string> = {};
      if (!extra.reasonId) fields.reasonId = 'Выберите причину отказа';
      if (!comment) fields.comment = 'Напишите, почему клиент отказался';
      if (Object.keys(fields).length) {
        throw ruleViolation(
          'Для отказа укажите причину из списка и комментарий',
          fields,
          'A lost deal needs a reason from the list and a comment',
        );
      }
      lossReason = await this.lossReason(trx, extra.reasonId!);
    }
    const now = new Date().toISOString();
    const closing = stage.kind === 'won' || stage.kind === 'lost';
    const ok = await dealsRepo.update(
      trx,
      row.id,
      {
        pipeline_id: stage.pipelineId,
        stage_id: stage.id,
        status: stage.kind,
        closed_at: closing ? now : null,
        loss_reason_id: lossReason?.id ?? null,
        loss_comment: lossReason ? extra.comment!.trim() : null,
        stage_entered_at: now,
        updated_at: now,
      },
      row.version,
    );
    if (!ok) throw versionConflict();
    await dealsRepo.closeHistory(trx, row.id, now);
    await dealsRepo.insertHistory(trx, {
      id: newId(),
      deal_id: row.id,
      pipeline_id: stage.pipelineId,
      stage_id: stage.id,
      stage_code: stage.code,
      entered_at: now,
      left_at: null,
      owner_id: row.owner_id,
      by_user_id: actorId,
    });
    const from = { id: row.stage_id, code: row.stage_code, name: row.stage_name };
    const to = { id: stage.id, code: stage.code, name: stage.name };
    const kind = stage.kind === 'won' ? 'deal_won' : stage.kind === 'lost' ? 'deal_lost' : 'stage_changed';
    const text =
      stage.kind === 'won'
        ? `Сделка «${row.title}» успешно закрыта`
        : stage.kind === 'lost'
          ? `Сделка «${row.title}»: отказ — ${lossReason!.name}. ${extra.comment!.trim()}`
          : `Сделка «${row.title}»: ${from.name} → ${to.name}${extra.reopened ? ' (возвращена в работу)' : ''}`;
    await this.ctx.services.timeline.add(trx, {
      clientId: row.client_id,
      dealId: row.id,
      kind,
      authorId: actorId,
      text,
      data: {
        from,
        to,
        ...(lossReason ? { reason: lossReason.name, reasonId: lossReason.id, comment: extra.comment!.trim() } : {}),
        ...(extra.reopened ? { reopened: true } : {}),
      },
      at: now,
    });
    let deal = await this.loadFull(trx, row.id);
    // Run inside the move's transaction each time a deal enters a stage (creation included).
    await this.ctx.domain.emit(trx, 'deal.stage_entered', { deal, stage, previousStageId: row.stage_id, actorId });
    if (this.ctx.domain.has('deal.stage_entered')) deal = await this.loadFull(trx, row.id);
    return deal;
  }

  // ── client hooks ──

  /** Called by the clients module inside a merge: the deals follow the surviving client. */
  async moveClient(trx: Tx, fromId: string, toId: string): Promise<void> {
    await dealsRepo.moveClient(trx, fromId, toId);
  }

  /** Called by the clients module when a client changes owner: his open deals go along. */
  async reassignOpen(trx: Tx, clientId: string, fromOwnerId: string | null, toOwnerId: string): Promise<number> {
    return dealsRepo.reassignOpen(trx, clientId, fromOwnerId, toOwnerId);
  }

  // ── helpers ──

  private async initialStage(pipelineId?: string, stageId?: string, exec: Executor = this.ctx.db): Promise<Stage> {
    const pipelines = this.ctx.services.pipelines;
    if (stageId) {
      const stage = await pipelines.stage(exec, stageId);
      if (!stage || (pipelineId && stage.pipelineId !== pipelineId))
        throw new AppError('validation_failed', { fields: { stageId: 'Нет такого этапа в воронке' } });
      if (stage.archived) throw ruleViolation('Этап в архиве', { stageId: 'Этап в архиве' }, 'The stage is archived');
      if (stage.kind !== 'open')
        throw ruleViolation(
          'Новая сделка начинается с открытого этапа',
          { stageId: 'Выберите открытый этап' },
          'A new deal starts at an open stage',
        );
      const pipeline = await pipelines.load(exec, stage.pipelineId);
      if (pipeline?.archived) throw ruleViolation('Воронка в архиве', { pipelineId: 'Воронка в архиве' }, 'The pipeline is archived');
      return stage;
    }
    const pipeline = pipelineId ? await pipelines.load(exec, pipelineId) : await pipelines.getDefault(exec);
    if (!pipeline) throw new AppError('validation_failed', { fields: { pipelineId: 'Нет такой воронки' } });
    if (pipeline.archived) throw ruleViolation('Воронка в архиве', { pipelineId: 'Воронка в архиве' }, 'The pipeline is archived');
    const first = pipeline.stages.find((s) => s.kind === 'open' && !s.archived);
    if (!first)
      throw ruleViolation(
        'В воронке нет открытых этапов',
        { pipelineId: 'В воронке нет открытых этапов' },
        'The pipeline has no open stages',
      );
    return first;
  }

  /** The new owner must be an active salesperson within the actor's write scope. */
  private async assertAssignable(actor: Actor, userId: string, exec: Executor = this.ctx.db): Promise<void> {
    if (userId === actor.id && OWNER_ROLES.has(actor.role)) return;
    let user;
    try {
      user = await this.ctx.services.users.get(actor, userId, exec);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found')
        throw new AppError('validation_failed', { fields: { ownerId: 'Нет такого пользователя' } });
      throw err;
    }
    if (!user.active) throw new AppError('validation_failed', { fields: { ownerId: 'Пользователь отключён' } });
    if (!OWNER_ROLES.has(user.role)) throw new AppError('validation_failed', { fields: { ownerId: 'Этот пользователь не ведёт сделки' } });
    if (!inScope(actor, 'deal', 'write', [{ userId: user.id, departmentId: user.departmentId }])) {
      throw ruleViolation(
        'Можно назначить ответственным только сотрудника в пределах своих прав',
        { ownerId: 'Нельзя назначить этого сотрудника' },
        'You can make only someone within your rights responsible',
      );
    }
  }

  private async lossReason(exec: Executor, id: string): Promise<{ id: string; name: string }> {
    const reason = await this.ctx.services.lossReasons.get(id, exec);
    if (!reason) throw new AppError('validation_failed', { fields: { reasonId: 'Нет такой причины отказа' } });
    if (reason.archived) throw new AppError('validation_failed', { fields: { reasonId: 'Эта причина отказа в архиве' } });
    return { id: reason.id, name: reason.name };
  }

  /**
   * Item rows with totals and VAT (common/money.ts), and the deal amount: the sum of totals, or
   * `explicitAmount` when there are no items. Field errors name items.N.field.
   */
  private async buildItems(
    exec: Executor,
    inputs: DealItemInput[],
    existingProducts: Set<string>,
    explicitAmount: number | undefined,
  ): Promise<{ items: Omit<DealItemRow, 'deal_id'>[]; amount: number }> {
    const products = await this.ctx.services.products.getMany(
      exec,
      inputs.map((i) => i.productId).filter((x): x is string => !!x),
    );
    const fields: Record<string, string> = {};
    const items: Omit<DealItemRow, 'deal_id'>[] = [];
    let amount = 0;
    inputs.forEach((it, i) => {
      const product = it.productId ? products.get(it.productId) : undefined;
      if (it.productId && !product) fields[`items.${i}.productId`] = 'Нет такого товара';
      else if (product?.archived && !existingProducts.has(product.id)) fields[`items.${i}.productId`] = 'Товар в архиве';
      const name = it.name ?? product?.name;
      if (!name) fields[`items.${i}.name`] = 'Обязательное поле';
      const price = it.price ?? product?.price;
      if (price === undefined) fields[`items.${i}.price`] = 'Обязательное поле';
      const vatRate = it.vatRate !== undefined ? it.vatRate : (product?.vatRate ?? null);
      if (!name || price === undefined) return;
      let total: number;
      try {
        total = lineTotal(it.quantity, price);
        amount += total;
        if (!Number.isSafeInteger(amount)) throw new RangeError('too large');
      } catch {
        fields[`items.${i}.quantity`] = 'Слишком большая сумма позиции';
        return;
      }
      items.push({
        id: newId(),
        position: i,
        product_id: product?.id ?? null,
        name,
        quantity: it.quantity,
        price,
        vat_rate: vatRate,
        total,
        vat: vatFromGross(total, vatRate),
      });
    });
    if (inputs.length > 0 && explicitAmount !== undefined && explicitAmount !== amount && !Object.keys(fields).length) {
      fields.amount = 'Сумма сделки с позициями считается по позициям';
    }
    if (Object.keys(fields).length) throw new AppError('validation_failed', { fields });
    return { items, amount: inputs.length ? amount : (explicitAmount ?? 0) };
  }

  /** Live update, after commit, to everyone who may see the deal (and to its previous owner, whose board drops it). */
  private notify(deal: Deal, previousOwnerId?: string | null): void {
    this.ctx.events.emit(
      'deal.updated',
      { id: deal.id, stageId: deal.stageId },
      { record: { resource: 'deal', ownerIds: [deal.ownerId, previousOwnerId ?? null] } },
    );
  }
}
