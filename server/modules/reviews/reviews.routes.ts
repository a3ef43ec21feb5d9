import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import { createReviewBody, reviewSchema, reviewsQuery, reviewsSummaryQuery, reviewsSummarySchema } from '../../../common/api/reviews.js';

export function reviewsRoutes(app: App, ctx: Ctx) {
  const reviews = ctx.services.reviews;
  const tags = ['Отзывы'];

  app.get(
    '/reviews',
    {
      schema: {
        tags,
        summary: 'База отзывов (в пределах прав)',
        querystring: pageQuery.merge(reviewsQuery),
        response: { 200: listResponse(reviewSchema) },
      },
    },
    async (req) => reviews.list(actorOf(req), req.query),
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
