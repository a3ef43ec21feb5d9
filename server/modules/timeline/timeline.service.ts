import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { newId } from '../../platform/ids.js';
import { mayRead, type Actor, type Resource } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import type { TimelineEntry } from '../../../common/api/timeline.js';
import { timelineRepo, toTimelineEntry } from './timeline.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    timeline: TimelineService;
  }
}

export interface TimelineInput {
  clientId: string;
  dealId?: string | null;
  /** comment, refusal, reactivated, deal_created, stage_changed, deal_won, deal_lost, task_done, call, invoice, payment, review, merged, reassigned */
  kind: string;
  authorId: string | null;
  text?: string | null;
  data?: unknown;
  /** ISO timestamp; defaults to now. */
  at?: string;
}

/**
 * Whose records an entry kind shows: a reader sees an entry only if he may read that resource for the client's owner
 * (e.g. the accountant reads clients, deals and invoices but not reviews or other people's tasks). Other kinds: 'client'.
 */
const KIND_RESOURCE: Record<string, Resource> = {
  deal_created: 'deal',
  stage_changed: 'deal',
  deal_won: 'deal',
  deal_lost: 'deal',
  task_done: 'task',
  invoice: 'invoice',
  payment: 'invoice',
  review: 'review',
  lead_converted: 'lead',
};

/**
 * The client card's feed. Other modules write to it with `add(trx, …)` inside their own transaction;
 * reading goes through the client's scope.
 */
export class TimelineService {
  constructor(private ctx: Ctx) {}

  /** Adds an entry in the caller's transaction (or on ctx.db); returns its id. No permission check: callers have done it. */
  async add(exec: Executor, entry: TimelineInput): Promise<string> {
    const id = newId();
    await timelineRepo.insert(exec, {
      id,
      client_id: entry.clientId,
      deal_id: entry.dealId ?? null,
      kind: entry.kind,
      at: entry.at ? new Date(entry.at).toISOString() : new Date().toISOString(),
      author_id: entry.authorId,
      text: entry.text ?? null,
      data: entry.data === undefined || entry.data === null ? null : JSON.stringify(entry.data),
    });
    return id;
  }

  /** Newest first, only the entries the actor may see (KIND_RESOURCE); 404 when the client is out of his scope. */
  async list(actor: Actor, clientId: string, q: { limit: number; cursor?: string }): Promise<Page<TimelineEntry>> {
    const client = await this.ctx.services.clients.getForActor(actor, clientId, 'read');
    const owners = [{ userId: client.ownerId, departmentId: await this.ctx.services.users.departmentOf(client.ownerId) }];
    const hiddenKinds = Object.entries(KIND_RESOURCE)
      .filter(([, resource]) => !mayRead(actor, resource, owners))
      .map(([kind]) => kind);
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await timelineRepo.list(this.ctx.db, clientId, {
      hiddenKinds,
      limit: q.limit,
      before: after ? { at: after.key, id: after.id } : undefined,
    });
    return toPage(rows, q.limit, toTimelineEntry, (r) => encodeCursor(r.at, r.id));
  }

  /** Removes a deal's entries (an import's undo removes the deal it created). */
  async removeDeal(exec: Executor, dealId: string): Promise<void> {
    await timelineRepo.removeDeal(exec, dealId);
  }

  /** Moves a client's entries to another client (used by merge, in its transaction). */
  async moveClient(exec: Executor, fromId: string, toId: string): Promise<void> {
    await timelineRepo.moveClient(exec, fromId, toId);
  }
}
