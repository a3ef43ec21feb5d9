import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { FormsTable } from '../../platform/db/schema.js';
import type { AssignmentRule, AssignmentStrategy, WebForm } from '../../../common/api/forms.js';

export type FormRow = Selectable<FormsTable>;
export type FormInsert = Omit<FormRow, 'version' | 'rr_counter'>;

const parseJson = <T>(s: string | null, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

/** What intake needs of a form (kept in the public endpoint's cache). */
export interface FormConfig {
  id: string;
  name: string;
  strategy: AssignmentStrategy;
  userIds: string[];
  rules: AssignmentRule[];
  slaMinutes: number;
  allowedOrigins: string[];
  thankYouText: string | null;
  honeypotField: string | null;
  ratePerIp: number;
  ratePerForm: number;
  active: boolean;
}

export function toFormConfig(r: FormRow): FormConfig {
  return {
    id: r.id,
    name: r.name,
    strategy: r.strategy as AssignmentStrategy,
    userIds: parseJson<string[]>(r.user_ids, []),
    rules: parseJson<AssignmentRule[]>(r.rules, []),
    slaMinutes: r.sla_minutes,
    allowedOrigins: parseJson<string[]>(r.allowed_origins, []),
    thankYouText: r.thank_you_text,
    honeypotField: r.honeypot_field,
    ratePerIp: r.rate_per_ip,
    ratePerForm: r.rate_per_form,
    active: r.active === 1,
  };
}

export function toForm(r: FormRow, publicUrl: string): WebForm {
  const c = toFormConfig(r);
  return {
    id: r.id,
    token: r.token,
    name: r.name,
    assignment: { strategy: c.strategy, userIds: c.userIds, rules: c.rules },
    slaMinutes: r.sla_minutes,
    allowedOrigins: c.allowedOrigins,
    thankYouText: r.thank_you_text,
    honeypotField: r.honeypot_field,
    rateLimit: { perIpPerMinute: r.rate_per_ip, perFormPerMinute: r.rate_per_form },
    active: r.active === 1,
    endpointUrl: `${publicUrl.replace(/\/+$/, '')}/api/public/forms/${r.token}`,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export const formsRepo = {
  findById(db: Executor, id: string) {
    return db.selectFrom('forms').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findByToken(db: Executor, token: string) {
    return db.selectFrom('forms').selectAll().where('token', '=', token).executeTakeFirst();
  },
  list(db: Executor, opts: { limit: number; after?: { createdAt: string; id: string } }) {
    let q = db.selectFrom('forms').selectAll();
    if (opts.after) {
      const { createdAt, id } = opts.after;
      q = q.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
    }
    return q
      .orderBy('created_at')
      .orderBy('id')
      .limit(opts.limit + 1)
      .execute();
  },
  insert(db: Executor, row: FormInsert) {
    return db.insertInto('forms').values(row).returningAll().executeTakeFirstOrThrow();
  },
  /** Updates when `version` matches (or is not given); undefined on a stale version. */
  update(db: Executor, id: string, patch: Partial<Omit<FormRow, 'id' | 'version' | 'rr_counter'>>, version?: number) {
    let q = db
      .updateTable('forms')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },
  /** Atomically advances the round-robin counter by `by`; returns the new value (1, 2, 3, …). */
  async nextCounter(db: Executor, id: string, by = 1): Promise<number> {
    const r = await db
      .updateTable('forms')
      .set({ rr_counter: sql`rr_counter + ${by}` })
      .where('id', '=', id)
      .returning('rr_counter')
      .executeTakeFirst();
    return Number(r?.rr_counter ?? 0);
  },
  /** Active users among `ids`, as id → department. */
  async activeUsers(db: Executor, ids: string[]): Promise<Map<string, { departmentId: string | null; role: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('users')
      .select(['id', 'department_id', 'role'])
      .where('id', 'in', ids)
      .where('active', '=', 1)
      .execute();
    return new Map(rows.map((r) => [r.id, { departmentId: r.department_id, role: r.role }]));
  },
};
