import type { Ctx } from '../../platform/context.js';
import { assertCan, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { addDaysToDate, zonedMidnight } from '../../../common/dates.js';
import { actionsOfKind, auditActions, kindOfAction, type AuditEntry, type AuditQuery } from '../../../common/api/audit.js';
import { auditRepo, type AuditFilter, type AuditRow } from './audit.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    audit: AuditService;
  }
}

/** Reads the audit log (admin and owner; everyone else gets 404 as for any resource they may not read). */
export class AuditService {
  constructor(private ctx: Ctx) {}

  async list(actor: Actor, q: AuditQuery): Promise<Page<AuditEntry>> {
    assertCan(actor, 'audit', 'read');
    const tz = this.ctx.config.tz;
    const after = decodeCursor(q.cursor, 'timestamp');
    const filter: AuditFilter = {
      userId: q.userId,
      entity: q.entity,
      // Days are local days of the company zone, both ends included.
      from: q.from ? zonedMidnight(q.from, tz).toISOString() : undefined,
      to: q.to ? zonedMidnight(addDaysToDate(q.to, 1), tz).toISOString() : undefined,
      before: after ? { at: after.key, id: after.id } : undefined,
      limit: q.limit + 1,
    };
    if (q.action === 'other') filter.actions = { notIn: Object.keys(auditActions) };
    else if (q.action) filter.actions = { in: actionsOfKind(q.action) };
    const rows = await auditRepo.list(this.ctx.db, filter);
    return toPage(rows, q.limit, toEntry, (r) => encodeCursor(r.at, r.id));
  }
}

function toEntry(r: AuditRow): AuditEntry {
  let details: Record<string, unknown> | null = null;
  if (r.data) {
    try {
      const parsed: unknown = JSON.parse(r.data);
      details = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
    } catch {
      details = { value: r.data };
    }
  }
  return {
    id: r.id,
    at: r.at,
    action: kindOfAction(r.action),
    event: r.action,
    userId: r.user_id,
    userName: r.user_name,
    entity: r.entity,
    entityId: r.entity_id,
    ip: r.ip,
    details,
  };
}
