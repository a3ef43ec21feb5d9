import type { Executor } from '../../platform/db/connect.js';

export interface AuditRow {
  id: string;
  at: string;
  user_id: string | null;
  user_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  ip: string | null;
  data: string | null;
}

export interface AuditFilter {
  /** Stored action names to match; `notIn` matches every name outside the list instead. */
  actions?: { in: string[] } | { notIn: string[] };
  userId?: string;
  entity?: string;
  /** Instants: from ≤ at < to. */
  from?: string;
  to?: string;
  /** Keyset: entries strictly older than (at, id). */
  before?: { at: string; id: string };
  limit: number;
}

export const auditRepo = {
  /** Newest first by (at, id); `limit` rows (the caller asks for one more to know whether a next page exists). */
  list(db: Executor, f: AuditFilter): Promise<AuditRow[]> {
    let q = db
      .selectFrom('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.id', 'a.at', 'a.user_id', 'u.name as user_name', 'a.action', 'a.entity', 'a.entity_id', 'a.ip', 'a.data']);
    if (f.actions && 'in' in f.actions) q = q.where('a.action', 'in', f.actions.in.length ? f.actions.in : ['']);
    if (f.actions && 'notIn' in f.actions && f.actions.notIn.length) q = q.where('a.action', 'not in', f.actions.notIn);
    if (f.userId) q = q.where('a.user_id', '=', f.userId);
    if (f.entity) q = q.where('a.entity', '=', f.entity);
    if (f.from) q = q.where('a.at', '>=', f.from);
    if (f.to) q = q.where('a.at', '<', f.to);
    if (f.before) {
      const b = f.before;
      q = q.where((eb) => eb.or([eb('a.at', '<', b.at), eb.and([eb('a.at', '=', b.at), eb('a.id', '<', b.id)])]));
    }
    return q.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(f.limit).execute() as Promise<AuditRow[]>;
  },
};
