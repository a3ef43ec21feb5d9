import type { Executor } from './db/connect.js';
import { newId } from './ids.js';
import { currentRequest } from './request-context.js';
import type { AuditAction } from '../../common/api/audit.js';

export interface AuditEntryInput {
  /** Who acted (null: nobody signed in, e.g. a failed login). */
  userId: string | null;
  /** A name listed in common/api/audit.ts `auditActions` (so the log can be filtered and named by kind). */
  action: AuditAction;
  entity: string;
  entityId?: string | null;
  data?: unknown;
  /** The client's address; defaults to the current request's (null outside a request). */
  ip?: string | null;
}

/**
 * Logins, exports, deletions, merges, role and settings changes, API tokens (DESIGN §6): who, when, what and from
 * which IP, written in the caller's transaction. Read through `GET /api/audit` (server/modules/audit).
 */
export class AuditLog {
  constructor(private defaultExec: Executor) {}

  async write(entry: AuditEntryInput, exec: Executor = this.defaultExec): Promise<void> {
    const ip = entry.ip !== undefined ? entry.ip : (currentRequest()?.ip ?? null);
    await exec
      .insertInto('audit_log')
      .values({
        id: newId(),
        at: new Date().toISOString(),
        user_id: entry.userId,
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entityId ?? null,
        data: entry.data === undefined ? null : JSON.stringify(entry.data),
        ip: ip ? ip.slice(0, 64) : null,
      })
      .execute();
  }
}
