import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { idParams } from '../../../common/api/shared.js';
import { planSchema, plansQuery, putPlanBody } from '../../../common/api/plans.js';

export function plansRoutes(app: App, ctx: Ctx) {
  const plans = ctx.services.plans;
  const tags = ['Планы'];

  app.put(
    '/plans',
    {
      schema: {
        tags,
        summary: 'Поставить план сотруднику на месяц (руководитель — своему отделу; собственник, администратор)',
        body: putPlanBody,
        response: { 200: planSchema },
      },
    },
    async (req) => plans.put(actorOf(req), req.body),
  );

  app.get(
    '/plans',
    {
      schema: {
        tags,
        summary: 'Планы в пределах прав',
        querystring: plansQuery,
        response: { 200: z.object({ items: z.array(planSchema), nextCursor: z.null() }) },
      },
    },
    async (req) => ({ items: await plans.list(actorOf(req), req.query), nextCursor: null }),
  );

  app.delete('/plans/:id', { schema: { tags, summary: 'Удалить план', params: idParams } }, async (req, reply) => {
    await plans.remove(actorOf(req), req.params.id);
    return reply.code(204).send();
  });
}
