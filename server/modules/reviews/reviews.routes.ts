import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listFormatSchema, listResponse } from '../../../common/api/shared.js';
import { listOrFileResponse, sendListExport } from '../../platform/list-export.js';
import { reviewsExport } from './reviews.export.js';
import { createReviewBody, reviewSchema, reviewsQuery, reviewsSummaryQuery, reviewsSummarySchema } from '../../../common/api/reviews.js';

export function reviewsRoutes(app: App, ctx: Ctx) {
  const reviews = ctx.services.reviews;
  const tags = ['Отзывы'];

  app.get(
    '/reviews',
    {
      schema: {
        tags,
        summary: 'База отзывов (в пределах прав); format=xlsx|csv — все строки файлом (в журнал аудита)',
        querystring: pageQuery.merge(reviewsQuery).extend({ format: listFormatSchema }),
        response: { 200: listOrFileResponse(listResponse(reviewSchema)) },
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      if (format === 'xlsx' || format === 'csv')
        return sendListExport(ctx, reply, actorOf(req), reviewsExport(ctx, actorOf(req), q, format));
      return reviews.list(actorOf(req), q);
    },
  );

  app.get(
    '/reviews/summary',
    {
      schema: {
        tags,
        summary: 'Сводка: количество, средняя оценка, доля отрицательных',
        querystring: reviewsSummaryQuery,
        response: { 200: reviewsSummarySchema },
      },
    },
    async (req) => reviews.summary(actorOf(req), req.query),
  );

  app.get('/reviews/:id', { schema: { tags, params: idParams, response: { 200: reviewSchema } } }, async (req) =>
    reviews.get(actorOf(req), req.params.id),
  );

  app.post(
    '/reviews',
    {
      schema: {
        tags,
        summary: 'Записать отзыв (отрицательный — отметка в карточке и контрольная задача руководителю)',
        body: createReviewBody,
        response: { 201: reviewSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await reviews.create(actorOf(req), req.body)),
  );
}
