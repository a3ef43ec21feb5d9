import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { auditPage, auditQuery } from '../../../common/api/audit.js';

export function auditRoutes(app: App, ctx: Ctx) {
  const audit = ctx.services.audit;
  app.get(
    '/audit',
    {
      schema: {
        tags: ['Журнал действий'],
        summary: 'Журнал действий (администратор, собственник): входы, экспорт, удаления, объединения, права, настройки',
        querystring: auditQuery,
        response: { 200: auditPage },
      },
    },
    async (req) => audit.list(actorOf(req), req.query),
  );
}
