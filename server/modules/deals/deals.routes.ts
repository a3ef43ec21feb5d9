import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listFormatSchema, listResponse } from '../../../common/api/shared.js';
import { listOrFileResponse, sendListExport } from '../../platform/list-export.js';
import { dealsExport } from './deals.export.js';
import {
  boardQuery,
  boardSchema,
  createDealBody,
  dealSchema,
  dealSummarySchema,
  dealsQuery,
  loseDealBody,
  moveDealBody,
  patchDealBody,
  reopenDealBody,
  stageHistorySchema,
} from '../../../common/api/deals.js';

export function dealsRoutes(app: App, ctx: Ctx) {
  const deals = ctx.services.deals;
  const tags = ['Сделки'];

  app.get(
    '/deals',
    {
      schema: {
        tags,
        summary: 'Список сделок (в пределах прав); format=xlsx|csv — все строки файлом (в журнал аудита)',
        querystring: pageQuery.merge(dealsQuery).extend({ format: listFormatSchema }),
        response: { 200: listOrFileResponse(listResponse(dealSummarySchema)) },
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      if (format === 'xlsx' || format === 'csv') return sendListExport(ctx, reply, actorOf(req), dealsExport(ctx, actorOf(req), q, format));
      return deals.list(actorOf(req), q);
    },
  );

  // Registered before /deals/:id; Fastify prefers the static segment anyway.
  app.get(
    '/deals/board',
    { schema: { tags, summary: 'Канбан: этапы воронки с количеством и суммой', querystring: boardQuery, response: { 200: boardSchema } } },
    async (req) => deals.board(actorOf(req), req.query),
  );

  app.post(
    '/deals',
    { schema: { tags, summary: 'Создать сделку', body: createDealBody, response: { 201: dealSchema } } },
    async (req, reply) => reply.code(201).send(await deals.create(actorOf(req), req.body)),
  );

  app.get('/deals/:id', { schema: { tags, params: idParams, response: { 200: dealSchema } } }, async (req) =>
    deals.getForActor(actorOf(req), req.params.id, 'read'),
  );

  app.patch(
    '/deals/:id',
    {
      schema: {
        tags,
        summary: 'Изменить сделку (version → 409 при устаревшей)',
        params: idParams,
        body: patchDealBody,
        response: { 200: dealSchema },
      },
    },
    async (req) => deals.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/deals/:id/move',
    { schema: { tags, summary: 'Перевести на этап', params: idParams, body: moveDealBody, response: { 200: dealSchema } } },
    async (req) => deals.move(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/deals/:id/lose',
    {
      schema: {
        tags,
        summary: 'Отказ: причина из списка и комментарий обязательны (иначе 422)',
        params: idParams,
        body: loseDealBody,
        response: { 200: dealSchema },
      },
    },
    async (req) => deals.lose(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/deals/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Вернуть закрытую сделку в работу (руководитель)',
        params: idParams,
        body: reopenDealBody,
        response: { 200: dealSchema },
      },
    },
    async (req) => deals.reopen(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/deals/:id/history',
    { schema: { tags, summary: 'История этапов со временем на каждом', params: idParams, response: { 200: stageHistorySchema } } },
    async (req) => deals.history(actorOf(req), req.params.id),
  );
}
