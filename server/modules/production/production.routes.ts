import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import { patchProductionOrderBody, productionOrderSchema, productionOrdersQuery } from '../../../common/api/production.js';

export function productionRoutes(app: App, ctx: Ctx) {
  const production = ctx.services.production;
  const tags = ['Производство'];

  app.get(
    '/production-orders',
    {
      schema: {
        tags,
        summary: 'Заказы производства (в пределах прав)',
        querystring: pageQuery.merge(productionOrdersQuery),
        response: { 200: listResponse(productionOrderSchema) },
      },
    },
    async (req) => production.list(actorOf(req), req.query),
  );

  app.get('/production-orders/:id', { schema: { tags, params: idParams, response: { 200: productionOrderSchema } } }, async (req) =>
    production.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/production-orders/:id',
    {
      schema: {
        tags,
        summary: 'Сменить статус (вперёд; «Готово» — сделка «Сдано клиенту»), исполнителя, срок, комментарий; version обязателен',
        params: idParams,
        body: patchProductionOrderBody,
        response: { 200: productionOrderSchema },
      },
    },
    async (req) => production.update(actorOf(req), req.params.id, req.body),
  );
}
