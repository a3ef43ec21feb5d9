import type { Ctx } from '../../platform/context.js';
import type { NoPayload } from '../../platform/jobs.js';
import type { Executor } from '../../platform/db/connect.js';
import { notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage } from '../../platform/pagination.js';
import type { Notification, NotificationEvent } from '../../../common/api/notifications.js';
import { notificationsRepo, toNotification, type NotificationRow } from './notifications.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    notifications: NotificationsService;
  }
}

declare module '../../platform/jobs.js' {
  interface Jobs {
    'notifications.publish': PublishPayload;
    'notifications.purge': NoPayload;
  }
}

export interface NotifyInput {
  userIds: (string | null | undefined)[];
  /** e.g. task_assigned, task_reminder, lead_assigned, review_negative. */
  kind: string;
  title: string;
  text?: string | null;
  /** A path in the web app, e.g. `/tasks?open=<id>`. */
  link?: string | null;
  entity?: string | null;
  entityId?: string | null;
}

/** Job that publishes live events of notifications written inside a transaction, after that transaction commits. */
export const PUBLISH_JOB = 'notifications.publish';

interface PublishPayload {
  events: { userId: string; data: NotificationEvent }[];
}

const clip = (s: string | null | undefined, max: number): string | null =>
  s == null ? null : s.length > max ? s.slice(0, max - 1) + '…' : s;

/**
 * In-app notifications (the bell).
 *
 * Delivery after commit: `notify(exec, …)` writes one row per recipient through `exec`. The live event
 * `{type:'notification', userIds:[userId], data:{id,title,text,link,kind}}` must reach the UI only if those rows commit:
 * - called with a transaction (`exec.isTransaction`): a `notifications.publish` job is enqueued in the same
 *   transaction (the platform's outbox). It exists only if the transaction commits, and the job runner
 *   publishes the events right after (the enqueue kicks the runner; on SQLite the runner waits for the single
 *   connection, i.e. for the commit; on PostgreSQL at worst one poll interval later). A rollback drops rows and
 *   events together; a crash after commit still delivers (the job is re-claimed).
 * - called with `ctx.db` (autocommit): the rows are committed when the insert returns, so the events are
 *   published at once.
 * Callers therefore just pass their transaction; they never publish anything themselves.
 */
export class NotificationsService {
  constructor(private ctx: Ctx) {}

  /** Writes notifications for users (duplicates and empty ids dropped); returns the new ids. No permission check. */
  async notify(exec: Executor, input: NotifyInput): Promise<string[]> {
    const userIds = [...new Set(input.userIds.filter((u): u is string => typeof u === 'string' && u.length > 0))];
    if (userIds.length === 0) return [];
    const now = new Date().toISOString();
    const rows: NotificationRow[] = userIds.map((userId) => ({
      id: newId(),
      user_id: userId,
      kind: input.kind,
      title: clip(input.title, 500) ?? '',
      text: clip(input.text, 2000),
      link: clip(input.link, 1000),
      entity: input.entity ?? null,
      entity_id: input.entityId ?? null,
      created_at: now,
      read_at: null,
    }));
    await notificationsRepo.insertMany(exec, rows);
    const payload: PublishPayload = {
      events: rows.map((r) => ({
        userId: r.user_id,
        // The live event stays small (PostgreSQL NOTIFY payloads are limited to 8000 bytes).
        data: { id: r.id, kind: r.kind, title: clip(r.title, 300)!, text: clip(r.text, 500), link: r.link },
      })),
    };
    if (exec.isTransaction) await this.ctx.jobs.enqueue(exec, PUBLISH_JOB, payload);
    else await this.publish(payload);
    return rows.map((r) => r.id);
  }

  /** Handler of the `notifications.publish` job (and the autocommit path). */
  async publish(payload: PublishPayload): Promise<void> {
    for (const e of payload.events ?? []) {
      await this.ctx.events.send('notification.created', e.data, { userIds: [e.userId] });
    }
  }

  async list(actor: Actor, q: { limit: number; cursor?: string; unread?: boolean }) {
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await notificationsRepo.list(this.ctx.db, actor.id, {
      limit: q.limit,
      unread: q.unread,
      before: after ? { createdAt: after.key, id: after.id } : undefined,
    });
    const page = toPage(rows, q.limit, toNotification, (r) => encodeCursor(r.created_at, r.id));
    return { ...page, unreadCount: await notificationsRepo.unreadCount(this.ctx.db, actor.id) };
  }

  unreadCount(userId: string): Promise<number> {
    return notificationsRepo.unreadCount(this.ctx.db, userId);
  }

  /** Marks one of the actor's notifications read (idempotent); another user's notification is 404. */
  async markRead(actor: Actor, id: string): Promise<Notification> {
    const updated = await notificationsRepo.markRead(this.ctx.db, actor.id, id, new Date().toISOString());
    const row = await notificationsRepo.findForUser(this.ctx.db, actor.id, id);
    if (!row) throw notFound();
    if (Number(updated[0]?.numUpdatedRows ?? 0) > 0) {
      const unreadCount = await notificationsRepo.unreadCount(this.ctx.db, actor.id);
      this.ctx.events.emit('notifications.read', { ids: [id], unreadCount }, { userIds: [actor.id] });
    }
    return toNotification(row);
  }

  async markAllRead(actor: Actor): Promise<{ updated: number; unreadCount: number }> {
    const updated = await notificationsRepo.markAllRead(this.ctx.db, actor.id, new Date().toISOString());
    const unreadCount = await notificationsRepo.unreadCount(this.ctx.db, actor.id);
    if (updated > 0) this.ctx.events.emit('notifications.read', { all: true, unreadCount }, { userIds: [actor.id] });
    return { updated, unreadCount };
  }

  /** Deletes read notifications older than `days` (a daily job). */
  purge(exec: Executor, days = 180): Promise<number> {
    return notificationsRepo.purgeReadBefore(exec, new Date(Date.now() - days * 86_400_000).toISOString());
  }
}
