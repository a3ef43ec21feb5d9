import type { ModuleDef } from '../../platform/http.js';
import { NotificationsService, PUBLISH_JOB } from './notifications.service.js';
import { notificationsRoutes } from './notifications.routes.js';

export const notificationsModule: ModuleDef = {
  name: 'notifications',
  services: (ctx) => (ctx.services.notifications = new NotificationsService(ctx)),
  routes: notificationsRoutes,
  jobs: (ctx) => {
    ctx.jobs.register(PUBLISH_JOB, (payload) => ctx.services.notifications.publish(payload));
    ctx.jobs.register('notifications.purge', async (_, { trx }) => {
      await ctx.services.notifications.purge(trx);
    });
    ctx.jobs.schedule('notifications.purge', '43 3 * * *', 'notifications.purge');
  },
};
