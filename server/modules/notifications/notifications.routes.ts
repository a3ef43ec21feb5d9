import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams } from '../../../common/api/shared.js';
import { notificationListResponse, notificationSchema, notificationsQuery, readAllResponse } from '../../../common/api/notifications.js';

export function notificationsRoutes(app: App, ctx: Ctx) {
  const notifications = ctx.services.notifications;
  const tags = ['Уведомления'];

  app.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: 'Мои уведомления (новые сверху) и число непрочитанных',
        querystring: pageQuery.extend(notificationsQuery.shape),
        response: { 200: notificationListResponse },
      },
    },
    async (req) =>
      notifications.list(actorOf(req), {
        limit: req.query.limit,
        cursor: req.query.cursor,
        unread: req.query.unread === undefined ? undefined : req.query.unread === 'true',
      }),
  );

  app.post(
    '/notifications/read-all',
    { schema: { tags, summary: 'Отметить все уведомления прочитанными', response: { 200: readAllResponse } } },
    async (req) => notifications.markAllRead(actorOf(req)),
  );

  app.post(
    '/notifications/:id/read',
    { schema: { tags, summary: 'Отметить уведомление прочитанным', params: idParams, response: { 200: notificationSchema } } },
    async (req) => notifications.markRead(actorOf(req), req.params.id),
  );
}
