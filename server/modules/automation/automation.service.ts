import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import type { Ctx } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { AppError, forbidden, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertRole, hasRole, mayRead, scopeCondition, type Actor, type Resource } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { addDaysInZone, localDate, zonedDateTime } from '../../../common/dates.js';
import {
  renderTemplate,
  type AutomationAction,
  type AutomationConditions,
  type AutomationRule,
  type AutomationRun,
  type AutomationTrigger,
  type CreateRuleInput,
  type DueOffset,
  type PatchRuleInput,
  type Recipient,
} from '../../../common/api/automation.js';
import type { Deal } from '../../../common/api/deals.js';
import { automationRepo, toRule, toRun, toStoredRule, type RunRow, type StoredRule } from './automation.repo.js';
import { defaultRules } from './default-rules.js';

declare module '../../platform/context.js' {
  interface Services {
    automation: AutomationService;
  }
}

declare module '../../platform/jobs.js' {
  interface Jobs {
    'automation.run': RunPayload;
  }
}

/** The job that evaluates the rules of one event. */
export const RUN_JOB = 'automation.run';
/** Automation triggering automation (a rule moves a deal, which enters a stage, …) stops this deep. */
const MAX_DEPTH = 5;
/** A rule failing on a webhook is retried in this many rounds in all (1 min, 2, 4, 8 apart). */
const MAX_ROUNDS = 5;
const WEBHOOK_TIMEOUT_MS = 5000;

/** What happened; `key` identifies the occurrence: the same key never runs a rule twice. */
export interface AutomationEvent {
  type: AutomationTrigger;
  key: string;
  dealId?: string | null;
  clientId?: string | null;
  invoiceId?: string | null;
  reviewId?: string | null;
  leadId?: string | null;
  orderId?: string | null;
  /** deal.stage_entered: the code of the stage entered. */
  stageCode?: string | null;
  actorId?: string | null;
  /** When it happened (default: now); due times of created tasks count from here. */
  at?: string | Date;
  /** Facts the caller already knows, for conditions and templates (each optional). */
  facts?: {
    /** Kopecks, e.g. an invoice's total; conditions minAmount/maxAmount test this before the deal's amount. */
    amount?: number | null;
    source?: string | null;
    ownerId?: string | null;
    invoiceNumber?: string | number | null;
    leadName?: string | null;
    orderNumber?: number | null;
  };
}

interface RunPayload extends Omit<AutomationEvent, 'at'> {
  at: string;
  depth: number;
  /** Retry round (1 = the first run). */
  round?: number;
  /** A retry runs only these rules. */
  ruleIds?: string[];
}

interface Facts {
  deal: Deal | null;
  clientId: string | null;
  clientName: string | null;
  ownerId: string | null;
  pipelineId: string | null;
  stageCode: string | null;
  amount: number | null;
  source: string | null;
  vars: Record<string, string | number | null>;
}

/** A failure worth retrying (a webhook that did not answer 2xx); anything else fails the run for good. */
class RetryableError extends Error {}

const SYSTEM_ACTOR: Actor = { id: 'system', email: 'system@voronka.local', name: 'Автоматизация', role: 'admin', departmentId: null };

const depthStore = new AsyncLocalStorage<{ depth: number }>();

const rub = (kopecks: number) =>
  `${new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(kopecks / 100).replace(/[\u00a0\u202f]/g, ' ')} ₽`;

/** Due time from the event time in the company zone: +days at the same wall-clock time (or atTime), then +hours/+minutes. */
export function computeDue(at: string | Date, offset: DueOffset, tz: string): Date {
  let due = addDaysInZone(at, offset.days ?? 0, tz);
  if (offset.atTime) due = zonedDateTime(localDate(due, tz), offset.atTime, tz);
  return new Date(due.getTime() + ((offset.hours ?? 0) * 60 + (offset.minutes ?? 0)) * 60_000);
}

export function signWebhook(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

const clean = (c: Record<string, unknown> | undefined): AutomationConditions =>
  Object.fromEntries(Object.entries(c ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '')) as AutomationConditions;

/**
 * Automation rules (DESIGN §5): «when X happens, if conditions hold, do A, B, C».
 *
 * `trigger(exec, event)` is called by other modules inside their own transaction: it enqueues one
 * `automation.run` job (dedupe key `automation:<event.key>`), so the job exists iff their change commits and a
 * second trigger of the same occurrence is ignored. The job evaluates the enabled rules of the event type; each
 * matching rule runs its actions in order inside a savepoint of the job's transaction and leaves one
 * `automation_runs` row, unique per (rule, event key): a rule never runs twice for one event, even when the job
 * is retried. Tasks it creates carry the dedupe key `auto:<rule id>:<event key>` as a second guard.
 *
 * Webhooks are called at least once: a failure (network, timeout 5 s, non-2xx) rolls the rule's actions back, marks
 * the run `failed` and schedules a retry of that rule (up to 5 rounds); a crash after the call but before commit
 * repeats it. Receivers deduplicate by the `X-Voronka-Delivery` header.
 *
 * Why one file over 500 lines: rules CRUD, the matching engine, the actions and the run log share one rule model
 * and one transaction discipline; default rules are default-rules.ts, SQL automation.repo.ts.
 */
/** Whose records a run's trigger is about (for the deal card's log). */
const RUN_RESOURCE: Record<AutomationTrigger, Resource> = {
  'deal.stage_entered': 'deal',
  'invoice.issued': 'invoice',
  'invoice.sent': 'invoice',
  'invoice.paid': 'invoice',
  'invoice.overdue': 'invoice',
  'production.done': 'production_order',
  'review.negative': 'review',
  'lead.created': 'lead',
};

export class AutomationService {
  constructor(private ctx: Ctx) {}

  private get tz() {
    return this.ctx.config.tz;
  }

  // ── the engine ──

  /** Enqueues the evaluation of `event` in the caller's transaction (nothing when no enabled rule listens). */
  async trigger(exec: Executor, event: AutomationEvent): Promise<void> {
    const depth = depthStore.getStore()?.depth ?? 0;
    if (depth >= MAX_DEPTH) {
      this.ctx.log.warn({ event: event.type, key: event.key, depth }, 'automation: chain too deep, event not processed');
      return;
    }
    const rules = (await automationRepo.enabledRules(exec, event.type)).map(toStoredRule);
    if (rules.length === 0) return;
    if (
      event.type === 'deal.stage_entered' &&
      event.stageCode &&
      rules.every((r) => r.conditions.stageCode && r.conditions.stageCode !== event.stageCode)
    ) {
      return;
    }
    const at = event.at ? new Date(event.at).toISOString() : new Date().toISOString();
    const payload: RunPayload = { ...event, at, depth };
    await this.ctx.jobs.enqueue(exec, RUN_JOB, payload, { dedupeKey: `automation:${event.key}` });
  }

  /** Handler of the `automation.run` job. */
  async runJob(trx: Tx, p: RunPayload): Promise<void> {
    let rules = (await automationRepo.enabledRules(trx, p.type)).map(toStoredRule);
    if (p.ruleIds) rules = rules.filter((r) => p.ruleIds!.includes(r.id));
    if (rules.length === 0) return;
    const round = p.round ?? 1;
    const facts = await this.loadFacts(trx, p);
    const retry: string[] = [];
    for (const rule of rules) {
      const existing = await automationRepo.findRun(trx, rule.id, p.key);
      if (existing && (existing.status === 'ok' || !p.ruleIds)) continue;
      if (!this.matches(rule.conditions, facts)) continue;
      const results: Record<string, unknown>[] = [];
      let error: string | null = null;
      await automationRepo.savepoint(trx, 'automation_rule', 'savepoint');
      try {
        await depthStore.run({ depth: p.depth + 1 }, () => this.execute(trx, rule, p, { ...facts }, results));
        await automationRepo.savepoint(trx, 'automation_rule', 'release');
      } catch (err) {
        await automationRepo.savepoint(trx, 'automation_rule', 'rollback');
        await automationRepo.savepoint(trx, 'automation_rule', 'release');
        error = err instanceof AppError ? this.appErrorText(err) : String((err as Error)?.message ?? err);
        error = error.slice(0, 2000);
        if (err instanceof RetryableError && round < MAX_ROUNDS) retry.push(rule.id);
        this.ctx.log.warn({ err, rule: rule.id, key: p.key, round }, 'automation rule failed');
      }
      await this.saveRun(trx, rule, p, facts, existing, { status: error ? 'failed' : 'ok', error, results });
    }
    if (retry.length) {
      const backoffMs = Math.min(60_000 * 2 ** (round - 1), 3_600_000);
      const next: RunPayload = { ...p, round: round + 1, ruleIds: retry };
      await this.ctx.jobs.enqueue(trx, RUN_JOB, next, {
        dedupeKey: `automation:${p.key}:retry:${round + 1}`,
        runAt: new Date(Date.now() + backoffMs),
      });
    }
  }

  private appErrorText(err: AppError): string {
    const fields = err.fields
      ? ` (${Object.entries(err.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')})`
      : '';
    return `${err.customMessage?.ru ?? err.code}${fields}`;
  }

  private async saveRun(
    trx: Tx,
    rule: StoredRule,
    p: RunPayload,
    facts: Facts,
    existing: RunRow | undefined,
    r: { status: 'ok' | 'failed'; error: string | null; results: Record<string, unknown>[] },
  ): Promise<void> {
    const now = new Date().toISOString();
    if (existing) {
      await automationRepo.updateRun(trx, existing.id, {
        status: r.status,
        error: r.error,
        attempts: Number(existing.attempts) + 1,
        results: JSON.stringify(r.results),
        updated_at: now,
      });
      return;
    }
    await automationRepo.insertRun(trx, {
      id: newId(),
      rule_id: rule.id,
      rule_name: rule.name,
      event_type: p.type,
      event_key: p.key,
      deal_id: facts.deal?.id ?? p.dealId ?? null,
      client_id: facts.clientId,
      status: r.status,
      error: r.error,
      attempts: 1,
      results: JSON.stringify(r.results),
      created_at: now,
      updated_at: now,
    });
  }

  private async loadFacts(trx: Tx, p: RunPayload): Promise<Facts> {
    const deal = p.dealId ? await this.ctx.services.deals.load(trx, p.dealId) : null;
    const clientId = p.clientId ?? deal?.clientId ?? null;
    let clientName: string | null = deal && deal.clientId === clientId ? deal.clientName : null;
    let clientOwner: string | null = null;
    let clientSource: string | null = null;
    if (clientId && (!deal || deal.clientId !== clientId || !deal.ownerId)) {
      try {
        const client = await this.ctx.services.clients.getForActor(SYSTEM_ACTOR, clientId, 'read', trx);
        clientName = client.name;
        clientOwner = client.ownerId;
        clientSource = client.source ?? null;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      }
    }
    const vars: Record<string, string | number | null> = {
      'deal.title': deal?.title ?? null,
      'deal.amount': deal ? rub(deal.amount) : null,
      'deal.stage': deal?.stageName ?? null,
      'client.name': clientName,
      'invoice.number': p.facts?.invoiceNumber ?? null,
      'lead.name': p.facts?.leadName ?? null,
      'order.number': p.facts?.orderNumber ?? null,
    };
    if (p.reviewId) {
      const review = await this.ctx.services.reviews?.load(trx, p.reviewId);
      if (review) {
        vars['review.rating'] = review.rating;
        vars['review.text'] = review.text;
      }
    }
    let invoiceTotal: number | null = null;
    if (p.invoiceId) {
      // The invoice's number and total; the event's facts win when given.
      try {
        const invoice = await this.ctx.services.invoices.load(trx, p.invoiceId);
        if (vars['invoice.number'] === null) vars['invoice.number'] = invoice?.number ?? null;
        if (typeof invoice?.total === 'number') invoiceTotal = invoice.total;
      } catch {
        /* no invoice facts then */
      }
    }
    return {
      deal,
      clientId,
      clientName,
      ownerId: deal?.ownerId ?? clientOwner ?? p.facts?.ownerId ?? null,
      pipelineId: deal?.pipelineId ?? null,
      stageCode: p.type === 'deal.stage_entered' ? (p.stageCode ?? deal?.stageCode ?? null) : (deal?.stageCode ?? p.stageCode ?? null),
      amount: p.facts?.amount ?? invoiceTotal ?? deal?.amount ?? null,
      source: p.facts?.source ?? deal?.source ?? clientSource,
      vars,
    };
  }

  private matches(c: AutomationConditions, f: Facts): boolean {
    if (c.pipelineId && f.pipelineId !== c.pipelineId) return false;
    if (c.stageCode && f.stageCode !== c.stageCode) return false;
    if (c.minAmount != null && (f.amount === null || f.amount < c.minAmount)) return false;
    if (c.maxAmount != null && (f.amount === null || f.amount > c.maxAmount)) return false;
    if (c.ownerId && f.ownerId !== c.ownerId) return false;
    if (c.source && (f.source ?? '').trim().toLowerCase() !== c.source.trim().toLowerCase()) return false;
    return true;
  }

  private async recipient(trx: Tx, to: Recipient, f: Facts): Promise<string> {
    if (typeof to === 'object') return to.userId;
    if (to === 'owner') {
      if (!f.ownerId) throw new Error('Не определён ответственный: у сделки и клиента нет ответственного');
      return f.ownerId;
    }
    const head = await this.ctx.services.users.responsibleHeadFor(f.ownerId, trx);
    if (!head) throw new Error('Не найден руководитель: в системе нет руководителя отдела или собственника');
    return head;
  }

  private async execute(trx: Tx, rule: StoredRule, p: RunPayload, f: Facts, results: Record<string, unknown>[]): Promise<void> {
    for (const [i, action] of rule.actions.entries()) {
      const render = (t: string) => renderTemplate(t, f.vars).trim();
      switch (action.type) {
        case 'create_task': {
          const assigneeId = await this.recipient(trx, action.assignee ?? 'owner', f);
          const task = await this.ctx.services.tasks.createSystemTask(trx, {
            title: render(action.titleTemplate) || rule.name,
            type: action.taskType,
            dueAt: computeDue(p.at, action.dueOffset ?? {}, this.tz),
            assigneeId,
            clientId: f.clientId,
            dealId: f.deal?.id ?? null,
            authorId: null,
            description: action.descriptionTemplate ? render(action.descriptionTemplate) || null : null,
            source: rule.code ?? 'automation',
            dedupeKey: i === 0 ? `auto:${rule.id}:${p.key}` : `auto:${rule.id}:${p.key}:${i}`,
          });
          results.push({ type: 'create_task', taskId: task.id, assigneeId, dueAt: task.dueAt });
          break;
        }
        case 'move_deal': {
          if (!f.deal) throw new Error('У события нет сделки: перемещать нечего');
          const r = await this.ctx.services.deals.moveByCode(trx, f.deal.id, action.stageCode, null, {
            onlyForward: action.onlyForward !== false,
          });
          f.deal = r.deal;
          results.push({ type: 'move_deal', stageCode: action.stageCode, moved: r.moved });
          break;
        }
        case 'notify': {
          const userId = await this.recipient(trx, action.to, f);
          const link = f.deal ? `/deals/${f.deal.id}` : f.clientId ? `/clients/${f.clientId}` : null;
          await this.ctx.services.notifications.notify(trx, {
            userIds: [userId],
            kind: 'automation',
            title: render(action.titleTemplate) || rule.name,
            text: action.textTemplate ? render(action.textTemplate) || null : null,
            link,
            entity: f.deal ? 'deal' : f.clientId ? 'client' : null,
            entityId: f.deal?.id ?? f.clientId,
          });
          results.push({ type: 'notify', userId });
          break;
        }
        case 'webhook': {
          const status = await this.callWebhook(action, rule, p, f, results);
          results.push({ type: 'webhook', status });
          break;
        }
      }
    }
  }

  private async callWebhook(
    action: Extract<AutomationAction, { type: 'webhook' }>,
    rule: StoredRule,
    p: RunPayload,
    f: Facts,
    results: Record<string, unknown>[],
  ): Promise<number> {
    const deliveryId = `${rule.id}:${p.key}`;
    const body = JSON.stringify({
      id: deliveryId,
      event: p.type,
      key: p.key,
      at: p.at,
      rule: { id: rule.id, code: rule.code, name: rule.name },
      deal: f.deal
        ? {
            id: f.deal.id,
            title: f.deal.title,
            amount: f.deal.amount,
            pipelineId: f.deal.pipelineId,
            stageCode: f.deal.stageCode,
            ownerId: f.deal.ownerId,
            clientId: f.deal.clientId,
          }
        : null,
      client: f.clientId ? { id: f.clientId, name: f.clientName } : null,
      invoiceId: p.invoiceId ?? null,
      reviewId: p.reviewId ?? null,
      leadId: p.leadId ?? null,
      orderId: p.orderId ?? null,
      stageCode: p.stageCode ?? null,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': `Voronka/${this.ctx.config.version}`,
      'x-voronka-event': p.type,
      'x-voronka-delivery': deliveryId,
    };
    if (action.secret) headers['x-voronka-signature'] = signWebhook(action.secret, body);
    let res: Response;
    try {
      res = await fetch(action.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), redirect: 'manual' });
    } catch (err) {
      const timeout = (err as Error)?.name === 'TimeoutError';
      results.push({ type: 'webhook', error: timeout ? 'timeout' : 'network' });
      throw new RetryableError(
        timeout
          ? `Вебхук не ответил за ${WEBHOOK_TIMEOUT_MS / 1000} с`
          : `Вебхук недоступен: ${(err as Error)?.cause ?? (err as Error)?.message}`,
      );
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) {
      results.push({ type: 'webhook', status: res.status });
      throw new RetryableError(`Вебхук ответил HTTP ${res.status}`);
    }
    return res.status;
  }

  // ── rules ──

  private assertReader(actor: Actor): void {
    if (!hasRole(actor, 'admin', 'owner', 'head')) throw forbidden();
  }

  async listRules(actor: Actor, q: { trigger?: string; enabled?: boolean } = {}): Promise<AutomationRule[]> {
    this.assertReader(actor);
    const rows = await automationRepo.listRules(this.ctx.db, q);
    return rows.map((r) => toRule(toStoredRule(r), actor.role === 'admin'));
  }

  async getRule(actor: Actor, id: string): Promise<AutomationRule> {
    this.assertReader(actor);
    const row = await automationRepo.findRule(this.ctx.db, id);
    if (!row) throw notFound();
    return toRule(toStoredRule(row), actor.role === 'admin');
  }

  async createRule(actor: Actor, input: CreateRuleInput): Promise<AutomationRule> {
    assertRole(actor, 'admin');
    const conditions = clean(input.conditions);
    await this.validateRefs(actor, conditions, input.actions);
    const now = new Date().toISOString();
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const row = await automationRepo.insertRule(trx, {
        id: newId(),
        code: null,
        name: input.name,
        trigger: input.trigger,
        enabled: input.enabled ? 1 : 0,
        conditions: JSON.stringify(conditions),
        actions: JSON.stringify(input.actions),
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      });
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'automation_rule.create',
          entity: 'automation_rule',
          entityId: row.id,
          data: { name: input.name, trigger: input.trigger },
        },
        trx,
      );
      return row;
    });
    return toRule(toStoredRule(row), true);
  }

  async updateRule(actor: Actor, id: string, patch: PatchRuleInput): Promise<AutomationRule> {
    if (!hasRole(actor, 'admin')) {
      this.assertReader(actor);
      throw forbidden();
    }
    const current = await automationRepo.findRule(this.ctx.db, id);
    if (!current) throw notFound();
    const conditions = patch.conditions !== undefined ? clean(patch.conditions) : undefined;
    await this.validateRefs(actor, conditions ?? JSON.parse(current.conditions), patch.actions ?? [], {
      conditions: conditions !== undefined,
    });
    const set: Parameters<typeof automationRepo.updateRule>[2] = { updated_at: new Date().toISOString() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (conditions !== undefined) set.conditions = JSON.stringify(conditions);
    if (patch.actions !== undefined) {
      // A webhook whose secret the editor left out keeps the stored one (the API hides it from non-admins).
      const old = (JSON.parse(current.actions) as AutomationAction[]).filter((a) => a.type === 'webhook');
      const actions = patch.actions.map((a) => {
        if (a.type !== 'webhook' || a.secret) return a;
        const same = old.find((o) => o.type === 'webhook' && o.url === a.url);
        return same && same.type === 'webhook' && same.secret ? { ...a, secret: same.secret } : a;
      });
      set.actions = JSON.stringify(actions);
    }
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const row = await automationRepo.updateRule(trx, id, set, patch.version);
      if (!row) throw versionConflict();
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'automation_rule.update',
          entity: 'automation_rule',
          entityId: id,
          data: { name: row.name, enabled: row.enabled === 1, changed: Object.keys(patch).filter((k) => k !== 'version') },
        },
        trx,
      );
      return row;
    });
    return toRule(toStoredRule(row), true);
  }

  async deleteRule(actor: Actor, id: string): Promise<void> {
    if (!hasRole(actor, 'admin')) {
      this.assertReader(actor);
      throw forbidden();
    }
    const current = await automationRepo.findRule(this.ctx.db, id);
    if (!current) throw notFound();
    if (current.code) {
      throw ruleViolation(
        'Стандартное правило регламента нельзя удалить — его можно отключить',
        undefined,
        'A default rule cannot be deleted; disable it instead',
      );
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await automationRepo.deleteRule(trx, id);
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'automation_rule.delete',
          entity: 'automation_rule',
          entityId: id,
          data: { name: current.name, trigger: current.trigger },
        },
        trx,
      );
    });
  }

  /** Unknown pipeline, stage or user named by a rule → 400 with the field's path. */
  private async validateRefs(
    actor: Actor,
    c: AutomationConditions,
    actions: AutomationAction[],
    check: { conditions?: boolean } = { conditions: true },
  ): Promise<void> {
    const fields: Record<string, string> = {};
    const pipelines = await this.ctx.services.pipelines.list(actor);
    const pipeline = c.pipelineId ? pipelines.find((p) => p.id === c.pipelineId) : undefined;
    const stageExists = (code: string) =>
      pipeline
        ? pipeline.stages.some((s) => s.code === code && !s.archived)
        : pipelines.some((p) => p.stages.some((s) => s.code === code && !s.archived));
    const userOk = (id: string) => automationRepo.isActiveUser(this.ctx.db, id);
    if (check.conditions !== false) {
      if (c.pipelineId && !pipeline) fields['conditions.pipelineId'] = 'Нет такой воронки';
      if (c.stageCode && !stageExists(c.stageCode))
        fields['conditions.stageCode'] = pipeline ? 'В этой воронке нет такого этапа' : 'Нет этапа с таким кодом';
      if (c.ownerId && !(await userOk(c.ownerId))) fields['conditions.ownerId'] = 'Нет такого активного пользователя';
    }
    for (const [i, a] of actions.entries()) {
      const who = a.type === 'create_task' ? a.assignee : a.type === 'notify' ? a.to : undefined;
      const key = a.type === 'create_task' ? 'assignee' : 'to';
      if (who && typeof who === 'object' && !(await userOk(who.userId)))
        fields[`actions.${i}.${key}.userId`] = 'Нет такого активного пользователя';
      if (a.type === 'move_deal' && !stageExists(a.stageCode))
        fields[`actions.${i}.stageCode`] = pipeline ? 'В этой воронке нет такого этапа' : 'Нет этапа с таким кодом';
    }
    if (Object.keys(fields).length) throw new AppError('validation_failed', { fields });
  }

  /** Seeds the regulation's default rules once each (by code); an admin's later edits are kept. */
  async seedDefaults(): Promise<void> {
    const now = new Date().toISOString();
    for (const d of defaultRules) {
      await automationRepo.insertRuleOnce(this.ctx.db, {
        id: newId(),
        code: d.code,
        name: d.name,
        trigger: d.trigger,
        enabled: d.enabled ? 1 : 0,
        conditions: JSON.stringify(d.conditions),
        actions: JSON.stringify(d.actions),
        created_by: null,
        created_at: now,
        updated_at: now,
      });
    }
  }

  // ── the execution log ──

  /** Runs newest first: admin/owner all; head those of his department's deals (and runs without a deal). */
  async listRuns(
    actor: Actor,
    q: { dealId?: string; ruleId?: string; status?: string; limit: number; cursor?: string },
  ): Promise<Page<AutomationRun>> {
    this.assertReader(actor);
    if (q.dealId) await this.ctx.services.deals.getForActor(actor, q.dealId, 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await automationRepo.listRuns(this.ctx.db, {
      dealId: q.dealId,
      ruleId: q.ruleId,
      status: q.status,
      scope:
        actor.role === 'head'
          ? (eb) => eb.or([eb('r.deal_id', 'is', null), scopeCondition(eb, actor, 'deal', 'read', ['d.owner_id'])])
          : undefined,
      limit: q.limit,
      before: after ? { createdAt: after.key, id: after.id } : undefined,
    });
    return toPage(rows, q.limit, toRun, (r) => encodeCursor(r.created_at, r.id));
  }

  /**
   * The log on a deal card: whoever may read the deal, and of it only the runs whose trigger's records he may read
   * (RUN_RESOURCE: the accountant does not see the runs of review rules).
   */
  async dealRuns(actor: Actor, dealId: string, q: { limit: number; cursor?: string }): Promise<Page<AutomationRun>> {
    const deal = await this.ctx.services.deals.getForActor(actor, dealId, 'read');
    const owners = [{ userId: deal.ownerId, departmentId: await this.ctx.services.users.departmentOf(deal.ownerId) }];
    const hiddenTriggers = Object.entries(RUN_RESOURCE)
      .filter(([, resource]) => !mayRead(actor, resource, owners))
      .map(([trigger]) => trigger);
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await automationRepo.listRuns(this.ctx.db, {
      dealId,
      hiddenTriggers,
      limit: q.limit,
      before: after ? { createdAt: after.key, id: after.id } : undefined,
    });
    return toPage(rows, q.limit, toRun, (r) => encodeCursor(r.created_at, r.id));
  }
}
