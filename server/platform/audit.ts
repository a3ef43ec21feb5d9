import type { Executor } from './db/connect.js';
import { newId } from './ids.js';

/** Exports, deletions and other sensitive actions (DESIGN §6), written in the caller's transaction. */
export class AuditLog {
  constructor(private defaultExec: Executor) {}

  async write(
    entry: { userId: string | null; action: string; entity: string; entityId?: string | null; data?: unknown },
    exec: Executor = this.defaultExec,
  ): Promise<void> {
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
      })
      .execute();
  }
}
