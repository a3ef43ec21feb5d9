import type { Ctx } from '../../platform/context.js';
import type { Audience } from '../../platform/events.js';
import type { LiveEventMap } from '../../../common/live-events.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { AppError, fieldError, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { GroupCommit, TickBatcher } from '../../platform/batch-commit.js';
import { assertCan, scopeCondition, scopeOf, seesUnassigned, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { formatDateTimeRu } from '../../../common/dates.js';
import { normalizePhone } from '../../../common/phone.js';
import { validateInn } from '../../../common/requisites.js';
import { DEFAULT_SLA_MINUTES, type AssignmentRule, type AssignmentStrategy } from '../../../common/api/forms.js';
import type { Client } from '../../../common/api/clients.js';
import type {
  ConvertLeadResult,
  CreateLeadInput,
  Lead,
  LeadChannel,
  LeadDetail,
  LeadListQuery,
  LeadStatus,
  PatchLeadInput,
} from '../../../common/api/leads.js';
import { canonicalKey, extractLead, leadSearchText, normalizeEmail, type Extracted, type Fields } from './normalize.js';
import { leadsRepo, toLead, toLeadDetail, type LeadRow, type LeadWhere, type LeadWithNames } from './leads.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    leads: LeadsService;
  }
}

declare module '../../platform/jobs.js' {
  interface Jobs {
    'leads.sla_check': { leadId: string };
    'leads.publish': Parameters<LeadsService['publish']>[0];
  }
}

export const SLA_CHECK_JOB = 'leads.sla_check';
export const PUBLISH_JOB = 'leads.publish';

/**
 * What the intake needs of a web form (the forms module's configuration satisfies it). Leads do not depend on
 * forms: forms feed the intake, and a `formId` is resolved through ctx.services.forms.
 */
export interface IntakeForm {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  userIds: string[];
  rules: AssignmentRule[];
  slaMinutes: number;
  honeypotField: string | null;
}

export interface IntakeInput {
  channel: LeadChannel;
  /** The web form (its assignment strategy, pool, SLA and honeypot apply). */
  formId?: string | null;
  /** Submitted fields, flattened (`key → text`); name, phone, e-mail… are recognised under their usual names. */
  fields: Fields;
  /** The payload as received (kept on the lead card). */
  raw?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Repeats with the same key (per form or channel) return the first lead. Tilda's `tranid` is used when absent. */
  idempotencyKey?: string | null;
  /** Explicit values (manual entry, telephony, mail) that win over what the fields say. */
  values?: Partial<Pick<Extracted, 'name' | 'phoneRaw' | 'email' | 'comment' | 'company' | 'inn' | 'region' | 'pageUrl' | 'referrer'>> & {
    utm?: Partial<Extracted['utm']>;
  };
  /** Assignee chosen by the caller (`null`: leave unassigned); otherwise the form's strategy decides. */
  assigneeId?: string | null;
  /** SLA for leads without a form (default 15 minutes). */
  slaMinutes?: number;
  source?: string | null;
  createdBy?: string | null;
}

export interface IntakeResult {
  leadId: string;
  /** false: a repeat of an earlier submission (same idempotency key); nothing new was stored. */
  created: boolean;
  status: LeadStatus;
  assigneeId: string | null;
}

/** The `lead.created` live event of a new lead: to everyone who may see it (the assignee, or the heads if unassigned). */
interface LiveLead {
  data: LiveEventMap['lead.created'];
}

/** Everyone who may see a lead assigned to any of `assignees` (null: unassigned — the heads distribute those). */
const leadAudience = (assignees: (string | null)[]): Audience => ({ record: { resource: 'lead', ownerIds: [...new Set(assignees)] } });

const MINUTE = 60_000;
/** Most intakes written in one SQLite transaction. */
const GROUP_COMMIT_MAX = 100;

/** Who gets a lead: decided (a user or nobody), or a turn in a pool taken when writing. */
type AssignmentPlan = { userId: string | null } | { pool: string[]; leastLoaded: boolean; formId: string };
const HONEYPOT_REASON = 'Спам: заполнено скрытое поле (honeypot)';

const displayName = (l: {
  name?: string | null;
  phone?: string | null;
  phone_raw?: string | null;
  email?: string | null;
  company?: string | null;
}) => l.name || l.company || l.phone || l.phone_raw || l.email || 'без имени';

const eqText = (a: string, b: string) =>
  a.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е') === b.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е');

/**
 * Leads: one intake for every channel (web forms, manual entry, later calls and e-mail) — normalisation,
 * idempotency, assignment (round robin, least loaded, rules), the SLA task, the SLA check job — and the
 * inbox actions (take into work, junk, convert into a client and a deal).
 *
 * Access (DESIGN §6): manager — leads assigned to him; head — his department's and the unassigned ones;
 * owner and admin — all; other roles none. Out of scope is 404.
 *
 * Why one file over 500 lines: the intake and the inbox actions share the access checks, the SLA task and the live
 * events of one lead's life; the batching machinery is platform/batch-commit.ts, normalisation normalize.ts.
 */
export class LeadsService {
  /** Intakes running now in this process; beyond `maxInFlight` the public endpoint answers 503. */
  inFlight = 0;
  maxInFlight = 256;

  /** SQLite group commit of intakes (platform/batch-commit.ts). */
  private readonly commits: GroupCommit;
  /**
   * A turn in a form's rotation outside any transaction (PostgreSQL): the turns asked for in one event-loop
   * tick are taken with one atomic `rr_counter + k`, and handed out in order.
   */
  private readonly turns: TickBatcher;

  constructor(private ctx: Ctx) {
    this.commits = new GroupCommit(ctx.db, GROUP_COMMIT_MAX);
    this.turns = new TickBatcher((formId, n) => ctx.services.forms.nextCounter(ctx.db, formId, n));
  }

  // ── access ──

  scope(actor: Actor, action: 'read' | 'write' = 'read'): LeadWhere {
    return (eb) => {
      const base = scopeCondition(eb, actor, 'lead', action, ['leads.assignee_id']);
      // A head distributes the unassigned leads («Неразобранные»).
      if (seesUnassigned(actor, 'lead', action)) return eb.or([base, eb('leads.assignee_id', 'is', null)]);
      return base;
    };
  }

  private async rowForActor(actor: Actor, id: string, action: 'read' | 'write', exec: Executor = this.ctx.db): Promise<LeadWithNames> {
    assertCan(actor, 'lead', 'read');
    const row = await leadsRepo.findById(exec, id, this.scope(actor, action));
    if (!row) throw notFound();
    return row;
  }

  /** May the actor give leads to `userId`? Throws 400 on `assigneeId` otherwise. */
  private async assertAssignable(actor: Actor, userId: string, exec: Executor = this.ctx.db): Promise<void> {
    const user = await leadsRepo.userInfo(exec, userId);
    if (!user || user.active !== 1) throw fieldError('assigneeId', 'Нет такого активного пользователя');
    const scope = scopeOf(actor, 'lead', 'write');
    if (scope === 'own' && userId !== actor.id) throw fieldError('assigneeId', 'Менеджер может назначить лид только себе');
    if (scope === 'department' && userId !== actor.id && user.department_id !== actor.departmentId) {
      throw fieldError('assigneeId', 'Можно назначить только сотрудника своего отдела');
    }
  }

  // ── intake ──

  /** Reserves a slot for a public submission; false when the process is saturated (answer 503). */
  tryEnter(): boolean {
    if (this.inFlight >= this.maxInFlight) return false;
    this.inFlight++;
    return true;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /**
   * The one intake for every channel. Stores the lead, its SLA task (for the assignee, due in `slaMinutes`)
   * and the SLA check job in one transaction — the caller's when `exec` is a transaction, else its own.
   * When the returned promise resolves the lead is committed (own transaction) or will be with the caller's.
   */
  async intake(input: IntakeInput): Promise<IntakeResult>;
  async intake(exec: Executor | null | undefined, input: IntakeInput): Promise<IntakeResult>;
  async intake(a: Executor | IntakeInput | null | undefined, b?: IntakeInput): Promise<IntakeResult> {
    const exec = b ? ((a as Executor | null | undefined) ?? undefined) : undefined;
    const input = b ?? (a as IntakeInput);
    let form: IntakeForm | null = null;
    if (input.formId) {
      form = await this.ctx.services.forms.configById(exec ?? this.ctx.db, input.formId);
      if (!form) throw fieldError('formId', 'Нет такой формы');
    }
    return this.intakeWith(exec, input, form);
  }

  /** Intake for a form already looked up (the public endpoint has it from its cache). */
  async intakeForm(form: IntakeForm, input: Omit<IntakeInput, 'formId' | 'channel'>): Promise<IntakeResult> {
    return this.intakeWith(undefined, { ...input, channel: 'form', formId: form.id }, form);
  }

  private async intakeWith(exec: Executor | undefined, input: IntakeInput, form: IntakeForm | null): Promise<IntakeResult> {
    const ext = extractLead(input.fields);
    const v = input.values ?? {};
    const name = v.name !== undefined ? v.name : ext.name;
    const phoneRaw = v.phoneRaw !== undefined ? v.phoneRaw : ext.phoneRaw;
    const emailRaw = v.email !== undefined ? v.email : ext.email;
    const email = normalizeEmail(emailRaw);
    const phone = phoneRaw ? normalizePhone(phoneRaw) : null;
    if (!name && !phoneRaw && !email) {
      if (emailRaw) throw new AppError('validation_failed', { fields: { email: 'Некорректный e-mail' } });
      throw new AppError('lead_contact_required', {
        fields: {
          name: 'Укажите имя, телефон или e-mail',
          phone: 'Укажите имя, телефон или e-mail',
          email: 'Укажите имя, телефон или e-mail',
        },
      });
    }

    const rawKey = input.idempotencyKey?.trim() || ext.tranId;
    const idemKey = rawKey ? `${form ? form.id : input.channel}:${rawKey.slice(0, 200)}` : null;
    const honeypot = !!(form?.honeypotField && (input.fields[form.honeypotField] ?? '').trim());
    const utm = { ...ext.utm, ...Object.fromEntries(Object.entries(v.utm ?? {}).filter(([, x]) => x)) };
    const region = v.region !== undefined ? v.region : ext.region;

    // Reads before writing: a repeat of an earlier submission (idempotency), the rules and the active pool,
    // the head to tell about an unassigned lead. On SQLite they run inside the (group-committed) transaction;
    // on PostgreSQL before it, and the round-robin turn too, so concurrent submissions to one form do not
    // queue on the form row until commit.
    const prepare = async (x: Executor): Promise<{ existing: IntakeResult | null; plan: AssignmentPlan; headId: string | null }> => {
      if (idemKey) {
        const existing = await leadsRepo.findByIdempotencyKey(x, idemKey);
        if (existing)
          return {
            existing: { leadId: existing.id, created: false, status: existing.status as LeadStatus, assigneeId: null },
            plan: { userId: null },
            headId: null,
          };
      }
      let plan: AssignmentPlan = { userId: null };
      if (!honeypot) {
        if (input.assigneeId !== undefined) plan = { userId: input.assigneeId };
        else if (form) plan = await this.planAssignment(x, form, { region, utmSource: utm.source ?? null, ext, fields: input.fields });
      }
      let headId: string | null = null;
      if (!honeypot && 'userId' in plan && !plan.userId)
        headId = await this.ctx.services.users.responsibleHeadFor(form?.userIds[0] ?? null, x);
      return { existing: null, plan, headId };
    };
    let prepared: Awaited<ReturnType<typeof prepare>> | null = null;
    if (!exec && this.ctx.database.dialect === 'postgres') {
      prepared = await prepare(this.ctx.db);
      if (prepared.existing) return prepared.existing;
      if (!('userId' in prepared.plan)) prepared.plan = { userId: await this.pick(this.ctx.db, prepared.plan, true) };
    }

    const now = new Date();
    const nowIso = now.toISOString();
    const slaMinutes = input.slaMinutes ?? form?.slaMinutes ?? DEFAULT_SLA_MINUTES;
    const slaDueAt = honeypot ? null : new Date(now.getTime() + slaMinutes * MINUTE).toISOString();
    const id = newId();
    const row: Omit<LeadRow, 'version'> = {
      id,
      status: honeypot ? 'junk' : 'new',
      channel: input.channel,
      form_id: form?.id ?? null,
      name,
      phone,
      phone_raw: phoneRaw,
      email,
      comment: v.comment !== undefined ? v.comment : ext.comment,
      company: v.company !== undefined ? v.company : ext.company,
      inn: v.inn !== undefined ? v.inn : ext.inn,
      region,
      source: input.source ?? ext.formName ?? (form ? hostOf(ext.pageUrl) : null),
      utm_source: utm.source ?? null,
      utm_medium: utm.medium ?? null,
      utm_campaign: utm.campaign ?? null,
      utm_term: utm.term ?? null,
      utm_content: utm.content ?? null,
      page_url: v.pageUrl !== undefined ? v.pageUrl : ext.pageUrl,
      referrer: v.referrer !== undefined ? v.referrer : ext.referrer,
      fields: JSON.stringify(input.fields),
      raw: input.raw ?? null,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 500) ?? null,
      idempotency_key: idemKey,
      assignee_id: null,
      sla_minutes: honeypot ? null : slaMinutes,
      sla_due_at: slaDueAt,
      sla_task_id: null,
      escalated_at: null,
      first_response_at: null,
      first_response_by: null,
      client_id: null,
      deal_id: null,
      junk_reason: honeypot ? HONEYPOT_REASON : null,
      search_text: '',
      created_by: input.createdBy ?? null,
      created_at: nowIso,
      updated_at: nowIso,
    };
    row.search_text = leadSearchText({ ...row, phoneRaw: row.phone_raw });
    const formName = form?.name ?? null;

    const write = async (trx: Executor): Promise<IntakeResult & { live: LiveLead | null }> => {
      const { existing, plan, headId } = prepared ?? (await prepare(trx));
      if (existing) return { ...existing, live: null };
      const assigneeId = await this.pick(trx, plan);
      const inserted = await leadsRepo.insert(trx, { ...row, assignee_id: assigneeId });
      if (!inserted) {
        // Lost a race with the same idempotency key: the other submission's lead stands.
        const existing = await leadsRepo.findByIdempotencyKey(trx, idemKey!);
        if (!existing) throw new Error('lead idempotency: no row');
        return { leadId: existing.id, created: false, status: existing.status as LeadStatus, assigneeId: null, live: null };
      }
      if (honeypot) return { leadId: id, created: true, status: 'junk', assigneeId: null, live: null };
      const who = displayName(row);
      const when = formatDateTimeRu(slaDueAt!, this.ctx.config.tz);
      if (assigneeId) {
        const task = await this.ctx.services.tasks.createSystemTask(trx, {
          title: `Обработать лид: ${who}`.slice(0, 300),
          type: 'call',
          dueAt: slaDueAt!,
          assigneeId,
          authorId: null,
          description: leadTaskDescription(row, formName, when),
          source: 'lead_sla',
          dedupeKey: `lead-sla:${id}`,
        });
        await leadsRepo.setSlaTask(trx, id, task.id);
      } else if (headId) {
        await this.ctx.services.notifications.notify(trx, {
          userIds: [headId],
          kind: 'lead_unassigned',
          title: `Неразобранный лид: ${who}`,
          text: `${formName ? `Форма «${formName}». ` : ''}Назначьте ответственного до ${when}`,
          link: `/leads/${id}`,
          entity: 'lead',
          entityId: id,
        });
      }
      await this.ctx.jobs.enqueue(trx, SLA_CHECK_JOB, { leadId: id }, { runAt: new Date(slaDueAt!), dedupeKey: `lead-sla:${id}` });
      const live: LiveLead = {
        data: { id, name: row.name, phone: row.phone ?? row.phone_raw, formName, assigneeId, slaDueAt, alertUserId: assigneeId ?? headId },
      };
      // In the caller's transaction the live event waits for its commit (outbox job).
      if (trx.isTransaction && exec) await this.ctx.jobs.enqueue(trx, PUBLISH_JOB, live);
      return { leadId: id, created: true, status: 'new', assigneeId, live };
    };

    const result = exec
      ? await write(exec)
      : this.ctx.database.dialect === 'sqlite'
        ? await this.commits.run(write)
        : await this.ctx.db.transaction().execute((trx) => write(trx));
    if (!exec && result.live) this.ctx.events.emit('lead.created', result.live.data, leadAudience([result.live.data.assigneeId]));
    const { live: _live, ...out } = result;
    return out;
  }

  /** Resolves rules and the active pool; the turn in the pool is taken by `pick`. */
  private async planAssignment(
    db: Executor,
    form: IntakeForm,
    lead: { region: string | null; utmSource: string | null; ext: Extracted; fields: Fields },
  ): Promise<AssignmentPlan> {
    const ruleUsers = form.strategy === 'rules' ? form.rules.map((r) => r.userId) : [];
    const active = await this.ctx.services.forms.activeUsers(db, [...new Set([...form.userIds, ...ruleUsers])]);
    if (form.strategy === 'rules') {
      for (const rule of form.rules) {
        const field = canonicalKey(rule.field);
        const value =
          field === 'region'
            ? lead.region
            : field === 'utm_source'
              ? lead.utmSource
              : (lead.fields[rule.field] ?? lead.ext.byKey[field] ?? null);
        if (value && eqText(value, rule.equals) && active.has(rule.userId)) return { userId: rule.userId };
      }
    }
    const pool = form.userIds.filter((u) => active.has(u));
    if (pool.length <= 1) return { userId: pool[0] ?? null };
    return { pool, leastLoaded: form.strategy === 'least_loaded', formId: form.id };
  }

  /**
   * Takes the next turn in the pool: the form's persistent counter, advanced atomically, so concurrent
   * submissions and several instances share one rotation. Least loaded: fewest open leads, ties in turn.
   */
  private async pick(exec: Executor, plan: AssignmentPlan, shared = false): Promise<string | null> {
    if ('userId' in plan) return plan.userId;
    const { pool } = plan;
    const n = shared ? await this.turns.take(plan.formId) : await this.ctx.services.forms.nextCounter(exec, plan.formId);
    if (plan.leastLoaded) {
      const counts = await leadsRepo.openCounts(exec, pool);
      let best: string | null = null;
      let bestCount = Infinity;
      for (let i = 0; i < pool.length; i++) {
        const u = pool[(n - 1 + i) % pool.length];
        const c = counts.get(u) ?? 0;
        if (c < bestCount) {
          best = u;
          bestCount = c;
        }
      }
      return best;
    }
    return pool[(n - 1) % pool.length];
  }

  // ── SLA ──

  /**
   * Job at the lead's SLA due time: a lead still new and untouched is marked escalated, and the head of
   * sales gets a `control` task and a notification (the assignee is notified too).
   */
  async slaCheck(trx: Tx, payload: { leadId: string }): Promise<void> {
    const lead = await leadsRepo.findRaw(trx, payload.leadId);
    if (!lead || lead.status !== 'new' || lead.first_response_at || lead.escalated_at || !lead.sla_due_at) return;
    const now = new Date();
    if (new Date(lead.sla_due_at).getTime() > now.getTime() + 1000) return;
    const nowIso = now.toISOString();
    await leadsRepo.update(trx, lead.id, { escalated_at: nowIso, updated_at: nowIso });
    const who = displayName(lead);
    const headId = await this.ctx.services.users.responsibleHeadFor(lead.assignee_id, trx);
    let assigneeName: string | null = null;
    if (lead.assignee_id) assigneeName = (await leadsRepo.userInfo(trx, lead.assignee_id))?.name ?? null;
    const text = `Лид не обработан в срок (${lead.sla_minutes ?? DEFAULT_SLA_MINUTES} мин). ${assigneeName ? `Ответственный: ${assigneeName}.` : 'Ответственный не назначен.'}`;
    if (headId) {
      await this.ctx.services.tasks.createSystemTask(trx, {
        title: `Просрочен лид: ${who}`.slice(0, 300),
        type: 'control',
        dueAt: nowIso,
        assigneeId: headId,
        authorId: null,
        description: `${text}\nКарточка лида: /leads/${lead.id}`,
        source: 'lead_escalation',
        dedupeKey: `lead-escalation:${lead.id}`,
      });
    }
    await this.ctx.services.notifications.notify(trx, {
      userIds: [headId, lead.assignee_id],
      kind: 'lead_overdue',
      title: `Просрочен лид: ${who}`,
      text,
      link: `/leads/${lead.id}`,
      entity: 'lead',
      entityId: lead.id,
    });
  }

  /** Job `leads.publish`: live events of leads taken in by a caller's transaction, after it commits. */
  async publish(payload: LiveLead): Promise<void> {
    if (payload.data) await this.ctx.events.send('lead.created', payload.data, leadAudience([payload.data.assigneeId]));
  }

  // ── read ──

  async list(actor: Actor, q: LeadListQuery): Promise<Page<Lead>> {
    assertCan(actor, 'lead', 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    let text: string | undefined;
    let digits: string | undefined;
    if (q.q?.trim()) {
      const t = q.q
        .trim()
        .toLowerCase()
        .replace(/ё/g, 'е')
        .replace(/[%_\\]/g, '');
      const d = t.replace(/\D/g, '');
      if (d.length >= 3 && /^[\d\s()+\-.]+$/.test(t)) digits = d.length === 11 && d.startsWith('8') ? '7' + d.slice(1) : d;
      else text = t;
    }
    const now = Date.now();
    const rows = await leadsRepo.list(this.ctx.db, {
      scope: this.scope(actor),
      status: q.status,
      assigneeId: q.assigneeId,
      formId: q.formId,
      channel: q.channel,
      text,
      digits,
      overdueAt: q.overdue === 'true' ? new Date(now).toISOString() : undefined,
      unassigned: q.unassigned === 'true',
      before: after ? { createdAt: after.key, id: after.id } : undefined,
      limit: q.limit,
    });
    return toPage(
      rows,
      q.limit,
      (r) => toLead(r, now),
      (r) => encodeCursor(r.created_at, r.id),
    );
  }

  async get(actor: Actor, id: string): Promise<LeadDetail> {
    return toLeadDetail(await this.rowForActor(actor, id, 'read'));
  }

  // ── write ──

  /** A lead typed in by a person (channel `manual`), through the same intake. */
  async createManual(actor: Actor, input: CreateLeadInput): Promise<LeadDetail> {
    assertCan(actor, 'lead', 'write');
    const fields: Record<string, string> = {};
    const errors: Record<string, string> = {};
    if (input.phone && !normalizePhone(input.phone)) errors.phone = 'Некорректный номер телефона';
    if (input.email && !normalizeEmail(input.email)) errors.email = 'Некорректный e-mail';
    if (Object.keys(errors).length) throw new AppError('validation_failed', { fields: errors });
    for (const [k, val] of Object.entries(input)) if (typeof val === 'string' && k !== 'assigneeId') fields[k] = val;
    // A manager's lead is his own; others may pick anyone in their scope or leave it unassigned.
    let assigneeId: string | null = input.assigneeId === undefined ? actor.id : input.assigneeId;
    if (scopeOf(actor, 'lead', 'write') === 'own' && assigneeId !== actor.id) {
      if (assigneeId === null) assigneeId = actor.id;
      else throw fieldError('assigneeId', 'Менеджер может назначить лид только себе');
    }
    if (assigneeId) await this.assertAssignable(actor, assigneeId);
    const res = await this.intake({
      channel: 'manual',
      fields,
      raw: null,
      values: {
        name: input.name?.trim() || null,
        phoneRaw: input.phone?.trim() || null,
        email: input.email?.trim() || null,
        comment: input.comment?.trim() || null,
        company: input.company?.trim() || null,
        inn: input.inn?.replace(/\D/g, '') || null,
        region: input.region?.trim() || null,
        pageUrl: null,
        referrer: null,
      },
      assigneeId,
      source: input.source?.trim() || null,
      createdBy: actor.id,
    });
    return this.get(actor, res.leadId);
  }

  /** An existing client found by phone, e-mail or ИНН, if the actor may work with it. */
  private async existingClient(actor: Actor, id: string | undefined): Promise<Client> {
    try {
      if (!id) throw notFound();
      return await this.ctx.services.clients.getForActor(actor, id, 'write');
    } catch (err) {
      if (err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden')) {
        throw ruleViolation(
          'Клиент с таким телефоном, e-mail или ИНН уже есть и закреплён за другим сотрудником: обратитесь к руководителю',
          undefined,
          'A client with this phone, e-mail or INN exists and belongs to someone else',
        );
      }
      throw err;
    }
  }

  /** First action of a person on the lead: recorded once, for the first-response report. */
  private firstResponse(row: LeadRow, actor: Actor, nowIso: string): Partial<LeadRow> {
    return row.first_response_at ? {} : { first_response_at: nowIso, first_response_by: actor.id };
  }

  async update(actor: Actor, id: string, patch: PatchLeadInput): Promise<LeadDetail> {
    const current = await this.rowForActor(actor, id, 'write');
    const nowIso = new Date().toISOString();
    const set: Partial<LeadRow> = { updated_at: nowIso };
    const errors: Record<string, string> = {};
    if (patch.name !== undefined) set.name = patch.name?.trim() || null;
    if (patch.phone !== undefined) {
      const raw = patch.phone?.trim() || null;
      const e164 = raw ? normalizePhone(raw) : null;
      if (raw && !e164) errors.phone = 'Некорректный номер телефона';
      set.phone = e164;
      set.phone_raw = raw;
    }
    if (patch.email !== undefined) {
      const raw = patch.email?.trim() || null;
      const email = normalizeEmail(raw);
      if (raw && !email) errors.email = 'Некорректный e-mail';
      set.email = email;
    }
    if (Object.keys(errors).length) throw new AppError('validation_failed', { fields: errors });
    if (patch.comment !== undefined) set.comment = patch.comment?.trim() || null;
    if (patch.company !== undefined) set.company = patch.company?.trim() || null;
    if (patch.inn !== undefined) set.inn = patch.inn?.replace(/\D/g, '') || null;
    if (patch.region !== undefined) set.region = patch.region?.trim() || null;

    let reassigned = false;
    if (patch.assigneeId !== undefined && patch.assigneeId !== current.assignee_id) {
      if (patch.assigneeId === null) {
        if (scopeOf(actor, 'lead', 'write') === 'own') throw fieldError('assigneeId', 'Менеджер не может снять лид с себя');
      } else await this.assertAssignable(actor, patch.assigneeId);
      set.assignee_id = patch.assigneeId;
      reassigned = true;
    }
    if (patch.status !== undefined && patch.status !== current.status) {
      if (current.status === 'converted')
        throw ruleViolation(
          'Лид уже сконвертирован в сделку',
          { status: 'Статус сконвертированного лида не меняется' },
          'The lead is already converted',
        );
      set.status = patch.status;
      if (current.status === 'junk') set.junk_reason = null;
      Object.assign(set, this.firstResponse(current, actor, nowIso));
      if (patch.status === 'in_work' && !current.assignee_id && set.assignee_id === undefined) set.assignee_id = actor.id;
    }
    const merged = { ...current, ...set } as LeadRow;
    set.search_text = leadSearchText({ ...merged, phoneRaw: merged.phone_raw });
    const newAssignee = set.assignee_id !== undefined ? set.assignee_id : current.assignee_id;
    const ok = await this.ctx.db.transaction().execute(async (trx) => {
      const version = await leadsRepo.update(trx, id, set, patch.version);
      if (version === undefined) return false;
      // A lead that got its first assignee gets its SLA task now.
      if (newAssignee && !current.sla_task_id && (set.status ?? current.status) === 'new') {
        await this.createSlaTask(trx, { ...merged, assignee_id: newAssignee }, newAssignee);
      }
      return true;
    });
    if (!ok) throw versionConflict();
    if (reassigned && newAssignee && current.sla_task_id && (set.status ?? current.status) === 'new')
      await this.moveSlaTask(actor, current.sla_task_id, newAssignee);
    if (set.status && set.status !== 'new' && current.sla_task_id)
      await this.closeSlaTask(actor, current.sla_task_id, `Лид: ${set.status === 'in_work' ? 'взят в работу' : set.status}`);
    this.emitUpdated(id, [current.assignee_id, newAssignee]);
    return this.get(actor, id);
  }

  private async createSlaTask(trx: Executor, lead: LeadRow, assigneeId: string): Promise<void> {
    const now = Date.now();
    const sla = lead.sla_minutes ?? DEFAULT_SLA_MINUTES;
    const due = lead.sla_due_at && new Date(lead.sla_due_at).getTime() > now ? lead.sla_due_at : new Date(now + sla * MINUTE).toISOString();
    const task = await this.ctx.services.tasks.createSystemTask(trx, {
      title: `Обработать лид: ${displayName(lead)}`.slice(0, 300),
      type: 'call',
      dueAt: due,
      assigneeId,
      authorId: null,
      description: leadTaskDescription(lead, null, formatDateTimeRu(due, this.ctx.config.tz)),
      source: 'lead_sla',
      dedupeKey: `lead-sla:${lead.id}`,
    });
    await leadsRepo.setSlaTask(trx, lead.id, task.id);
  }

  /** The SLA task follows the lead to its new assignee (best effort: the lead change is already committed). */
  private async moveSlaTask(actor: Actor, taskId: string, assigneeId: string): Promise<void> {
    try {
      await this.ctx.services.tasks.update(actor, taskId, { assigneeId });
    } catch (err) {
      this.ctx.log.warn({ err, taskId }, 'lead SLA task not reassigned');
    }
  }

  /** The lead was answered: its SLA task is done (best effort, when still open and the actor may close it). */
  private async closeSlaTask(actor: Actor, taskId: string, result: string): Promise<void> {
    try {
      const task = await this.ctx.services.tasks.get(actor, taskId);
      if (task.status === 'open') await this.ctx.services.tasks.complete(actor, taskId, { result });
    } catch (err) {
      this.ctx.log.debug({ err, taskId }, 'lead SLA task left open');
    }
  }

  /** `assignees`: the previous and the new assignee (null: unassigned, seen by the heads). */
  private emitUpdated(id: string, assignees: (string | null)[]): void {
    this.ctx.events.emit('lead.updated', { id }, leadAudience(assignees));
  }

  /** «Взять в работу»: status in_work, the first response recorded; an unassigned lead becomes the actor's. */
  async take(actor: Actor, id: string, input: { version?: number } = {}): Promise<LeadDetail> {
    const current = await this.rowForActor(actor, id, 'write');
    if (current.status === 'converted') throw ruleViolation('Лид уже сконвертирован в сделку', undefined, 'The lead is already converted');
    if (current.status === 'junk')
      throw ruleViolation('Лид отмечен как спам: сначала верните его в новые', undefined, 'The lead is marked as junk');
    if (current.status === 'in_work' && current.assignee_id) return toLeadDetail(current);
    const nowIso = new Date().toISOString();
    const set: Partial<LeadRow> = { status: 'in_work', updated_at: nowIso, ...this.firstResponse(current, actor, nowIso) };
    if (!current.assignee_id) set.assignee_id = actor.id;
    const version = await leadsRepo.update(this.ctx.db, id, set, input.version);
    if (version === undefined) throw versionConflict();
    if (current.sla_task_id) await this.closeSlaTask(actor, current.sla_task_id, 'Лид взят в работу');
    this.emitUpdated(id, [current.assignee_id, ...(set.assignee_id !== undefined ? [set.assignee_id] : [])]);
    return this.get(actor, id);
  }

  /** «Спам / мусор» with a reason (no reason → 422). */
  async junk(actor: Actor, id: string, input: { reason?: string; version?: number }): Promise<LeadDetail> {
    const current = await this.rowForActor(actor, id, 'write');
    const reason = input.reason?.trim();
    if (!reason) throw ruleViolation('Укажите причину, почему это не лид', { reason: 'Обязательное поле' }, 'A reason is required');
    if (current.status === 'converted') throw ruleViolation('Лид уже сконвертирован в сделку', undefined, 'The lead is already converted');
    const nowIso = new Date().toISOString();
    const version = await leadsRepo.update(
      this.ctx.db,
      id,
      { status: 'junk', junk_reason: reason, updated_at: nowIso, ...this.firstResponse(current, actor, nowIso) },
      input.version,
    );
    if (version === undefined) throw versionConflict();
    if (current.sla_task_id) await this.closeSlaTask(actor, current.sla_task_id, `Лид отмечен как спам: ${reason}`);
    this.emitUpdated(id, [current.assignee_id]);
    return this.get(actor, id);
  }

  /**
   * Conversion: the client (given, or found by phone, e-mail or ИНН, or created) and a deal in the default
   * pipeline's `new` stage; the lead becomes `converted` and links both.
   */
  async convert(actor: Actor, id: string, input: { clientId?: string; title?: string; version?: number }): Promise<ConvertLeadResult> {
    const current = await this.rowForActor(actor, id, 'write');
    if (current.status === 'converted') throw ruleViolation('Лид уже сконвертирован в сделку', undefined, 'The lead is already converted');
    if (current.status === 'junk')
      throw ruleViolation('Лид отмечен как спам: сначала верните его в работу', undefined, 'The lead is marked as junk');
    if (input.version !== undefined && input.version !== current.version) throw versionConflict();
    const clients = this.ctx.services.clients;
    const ownerId = current.assignee_id ?? actor.id;
    let client: Client;
    let clientExisted = true;
    if (input.clientId) {
      client = await clients.getForActor(actor, input.clientId, 'write');
    } else {
      const isCompany = !!(current.company || (current.inn && current.inn.length === 10));
      try {
        client = await clients.create(actor, {
          kind: isCompany ? 'company' : 'person',
          name:
            (isCompany ? current.company : current.name) ||
            current.name ||
            current.company ||
            current.phone ||
            current.email ||
            'Клиент с сайта',
          inn: current.inn && !validateInn(current.inn, isCompany ? 'company' : 'person') ? current.inn : undefined,
          phones: current.phone ? [current.phone] : [],
          emails: current.email ? [current.email] : [],
          region: current.region ?? undefined,
          source: (current.source ?? (current.form_name ? `Веб-форма: ${current.form_name}` : 'Лид')).slice(0, 200),
          ownerId,
        });
        clientExisted = false;
      } catch (err) {
        // The clients module refuses a duplicate by ИНН, phone or e-mail and names the existing card (if visible).
        if (!(err instanceof AppError && err.code === 'duplicate_client')) throw err;
        client = await this.existingClient(actor, err.details?.existingId as string | undefined);
      }
    }
    const title = input.title?.trim() || `Заявка: ${displayName(current)}`.slice(0, 300);
    const deal = await this.ctx.services.deals.create(actor, {
      clientId: client.id,
      title,
      ownerId: client.ownerId ?? ownerId,
      source: (current.source ?? '').slice(0, 100) || null,
    });
    const nowIso = new Date().toISOString();
    const version = await leadsRepo.update(this.ctx.db, id, {
      status: 'converted',
      client_id: client.id,
      deal_id: deal.id,
      updated_at: nowIso,
      ...this.firstResponse(current, actor, nowIso),
    });
    if (version === undefined) throw versionConflict();
    try {
      await this.ctx.services.timeline.add(this.ctx.db, {
        clientId: client.id,
        dealId: deal.id,
        kind: 'lead_converted',
        authorId: actor.id,
        text: `Лид сконвертирован${current.form_name ? ` (форма «${current.form_name}»)` : ''}${current.comment ? `: ${current.comment.slice(0, 500)}` : ''}`,
        data: { leadId: id },
      });
    } catch (err) {
      this.ctx.log.warn({ err, leadId: id }, 'timeline entry for a converted lead failed');
    }
    if (current.sla_task_id) await this.closeSlaTask(actor, current.sla_task_id, 'Лид сконвертирован в сделку');
    this.emitUpdated(id, [current.assignee_id]);
    const lead = await this.get(actor, id);
    return { lead, client, deal, clientExisted };
  }
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

function leadTaskDescription(
  l: Pick<LeadRow, 'id' | 'name' | 'phone' | 'phone_raw' | 'email' | 'comment'>,
  formName: string | null,
  due: string,
): string {
  const lines = [
    `Свяжитесь с клиентом до ${due}.`,
    formName ? `Форма: ${formName}` : null,
    l.name ? `Имя: ${l.name}` : null,
    l.phone || l.phone_raw ? `Телефон: ${l.phone ?? l.phone_raw}` : null,
    l.email ? `E-mail: ${l.email}` : null,
    l.comment ? `Комментарий: ${l.comment.slice(0, 1000)}` : null,
    `Карточка лида: /leads/${l.id}`,
  ];
  return lines.filter(Boolean).join('\n');
}
