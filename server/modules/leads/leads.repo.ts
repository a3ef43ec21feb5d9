import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { DB, LeadsTable } from '../../platform/db/schema.js';
import type { Lead, LeadDetail } from '../../../common/api/leads.js';

export type LeadRow = Selectable<LeadsTable>;
export type LeadInsert = Omit<LeadRow, 'version'>;
export type LeadWithNames = LeadRow & { form_name: string | null; assignee_name: string | null };
/** A condition on `leads` built by the service (the actor's scope). */
export type LeadWhere = (eb: ExpressionBuilder<DB, 'leads'>) => Expression<SqlBool>;

const round1 = (n: number) => Math.round(n * 10) / 10;

export function toLead(r: LeadWithNames, now: number = Date.now()): Lead {
  return {
    id: r.id,
    status: r.status as Lead['status'],
    channel: r.channel as Lead['channel'],
    name: r.name,
    phone: r.phone,
    phoneRaw: r.phone_raw,
    email: r.email,
    comment: r.comment,
    company: r.company,
    inn: r.inn,
    region: r.region,
    source: r.source,
    formId: r.form_id,
    formName: r.form_name,
    utm: { source: r.utm_source, medium: r.utm_medium, campaign: r.utm_campaign, term: r.utm_term, content: r.utm_content },
    pageUrl: r.page_url,
    referrer: r.referrer,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    slaDueAt: r.sla_due_at,
    overdue: r.status === 'new' && r.sla_due_at !== null && new Date(r.sla_due_at).getTime() <= now,
    escalatedAt: r.escalated_at,
    firstResponseAt: r.first_response_at,
    firstResponseMinutes: r.first_response_at
      ? Math.max(0, round1((new Date(r.first_response_at).getTime() - new Date(r.created_at).getTime()) / 60_000))
      : null,
    clientId: r.client_id,
    dealId: r.deal_id,
    junkReason: r.junk_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function toLeadDetail(r: LeadWithNames): LeadDetail {
  let fields: Record<string, string> = {};
  try {
    fields = JSON.parse(r.fields);
  } catch {
    /* keep empty */
  }
  return { ...toLead(r), fields, raw: r.raw, ip: r.ip, userAgent: r.user_agent, slaTaskId: r.sla_task_id };
}

export interface LeadFilter {
  scope: LeadWhere;
  status?: string;
  assigneeId?: string;
  formId?: string;
  channel?: string;
  /** Normalised search text (lower case, ё→е) and/or phone digits. */
  text?: string;
  digits?: string;
  overdueAt?: string;
  unassigned?: boolean;
  before?: { createdAt: string; id: string };
  limit: number;
}

function withNames(db: Executor) {
  return db
    .selectFrom('leads')
    .leftJoin('forms', 'forms.id', 'leads.form_id')
    .leftJoin('users', 'users.id', 'leads.assignee_id')
    .selectAll('leads')
    .select(['forms.name as form_name', 'users.name as assignee_name']);
}

export const leadsRepo = {
  insert(db: Executor, row: LeadInsert) {
    return db
      .insertInto('leads')
      .values(row)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning(['id', 'version'])
      .executeTakeFirst();
  },
  findById(db: Executor, id: string, scope?: LeadWhere): Promise<LeadWithNames | undefined> {
    let q = withNames(db).where('leads.id', '=', id);
    if (scope) q = q.where(scope as any);
    return q.executeTakeFirst() as Promise<LeadWithNames | undefined>;
  },
  findRaw(db: Executor, id: string) {
    return db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findByIdempotencyKey(db: Executor, key: string) {
    return db.selectFrom('leads').select(['id', 'status']).where('idempotency_key', '=', key).executeTakeFirst();
  },
  list(db: Executor, f: LeadFilter): Promise<LeadWithNames[]> {
    let q = withNames(db).where(f.scope as any);
    if (f.status) q = q.where('leads.status', '=', f.status);
    if (f.assigneeId) q = q.where('leads.assignee_id', '=', f.assigneeId);
    if (f.formId) q = q.where('leads.form_id', '=', f.formId);
    if (f.channel) q = q.where('leads.channel', '=', f.channel);
    if (f.unassigned) q = q.where('leads.assignee_id', 'is', null);
    if (f.overdueAt) q = q.where('leads.status', '=', 'new').where('leads.sla_due_at', '<=', f.overdueAt);
    if (f.text || f.digits) {
      const terms: Expression<SqlBool>[] = [];
      if (f.text) terms.push(sql<SqlBool>`leads.search_text like ${'%' + f.text + '%'}`);
      if (f.digits) terms.push(sql<SqlBool>`leads.search_text like ${'%' + f.digits + '%'}`);
      q = q.where((eb) => eb.or(terms));
    }
    if (f.before) {
      const { createdAt, id } = f.before;
      q = q.where((eb) =>
        eb.or([eb('leads.created_at', '<', createdAt), eb.and([eb('leads.created_at', '=', createdAt), eb('leads.id', '<', id)])]),
      );
    }
    return q
      .orderBy('leads.created_at', 'desc')
      .orderBy('leads.id', 'desc')
      .limit(f.limit + 1)
      .execute() as Promise<LeadWithNames[]>;
  },
  /** Updates when `version` matches (or is not given); returns the new version or undefined. */
  async update(db: Executor, id: string, patch: Partial<Omit<LeadRow, 'id' | 'version'>>, version?: number): Promise<number | undefined> {
    let q = db
      .updateTable('leads')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.returning('version').executeTakeFirst();
    return r?.version;
  },
  /** Sets the SLA task of a just-inserted lead (no version bump: part of the intake). */
  async setSlaTask(db: Executor, id: string, taskId: string) {
    await db.updateTable('leads').set({ sla_task_id: taskId }).where('id', '=', id).execute();
  },
  /** Open (new or in work) leads per user among `ids`. */
  async openCounts(db: Executor, ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('leads')
      .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('assignee_id', 'in', ids)
      .where('status', 'in', ['new', 'in_work'])
      .groupBy('assignee_id')
      .execute();
    return new Map(rows.map((r) => [r.assignee_id!, Number(r.n)]));
  },
  /** Users and their department (for scope checks on the assignee). */
  userInfo(db: Executor, id: string) {
    return db.selectFrom('users').select(['id', 'name', 'department_id', 'role', 'active']).where('id', '=', id).executeTakeFirst();
  },
};
