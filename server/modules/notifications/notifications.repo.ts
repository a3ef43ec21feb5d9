import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { NotificationsTable } from '../../platform/db/schema.js';
import type { Notification } from '../../../common/api/notifications.js';

export type NotificationRow = Selectable<NotificationsTable>;

export function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    text: r.text,
    link: r.link,
    entity: r.entity,
    entityId: r.entity_id,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

export const notificationsRepo = {
  insertMany(db: Executor, rows: NotificationRow[]) {
    return db.insertInto('notifications').values(rows).execute();
  },
  findForUser(db: Executor, userId: string, id: string) {
    return db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  },
  /** Newest first, (created_at, id) keyset. */
  list(db: Executor, userId: string, opts: { limit: number; unread?: boolean; before?: { createdAt: string; id: string } }) {
    let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (opts.unread === true) q = q.where('read_at', 'is', null);
    if (opts.unread === false) q = q.where('read_at', 'is not', null);
    if (opts.before) {
      const { createdAt, id } = opts.before;
      q = q.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
    }
    return q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit + 1)
      .execute();
  },
  async unreadCount(db: Executor, userId: string): Promise<number> {
    const r = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  markRead(db: Executor, userId: string, id: string, at: string) {
    return db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute();
  },
  async markAllRead(db: Executor, userId: string, at: string): Promise<number> {
    const r = await db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  async purgeReadBefore(db: Executor, before: string): Promise<number> {
    const r = await db.deleteFrom('notifications').where('read_at', 'is not', null).where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
