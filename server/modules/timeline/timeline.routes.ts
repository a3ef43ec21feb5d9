import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams } from '../../../common/api/shared.js';
import { timelinePage } from '../../../common/api/timeline.js';

export function timelineRoutes(app: App, ctx: Ctx) {
  const timeline = ctx.services.timeline;
  app.get(
    '/clients/:id/timeline',
    {
      schema: {
        tags: ['Клиенты'],
        summary: 'Лента карточки клиента (новые сверху)',
        params: idParams,
        querystring: pageQuery,
        response: { 200: timelinePage },
      },
    },
    async (req) => timeline.list(actorOf(req), req.params.id, req.query),
  );
}
