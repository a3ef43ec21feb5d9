import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { idParams } from '../../../common/api/shared.js';
import { createLossReasonBody, lossReasonSchema, patchLossReasonBody } from '../../../common/api/clients.js';

export function lossReasonsRoutes(app: App, ctx: Ctx) {
  const reasons = ctx.services.lossReasons;
  const tags = ['Причины отказа'];

  app.get(
    '/loss-reasons',
    { schema: { tags, summary: 'Причины отказа (и архивные)', response: { 200: z.object({ items: z.array(lossReasonSchema) }) } } },
    async (req) => ({ items: await reasons.list(actorOf(req)) }),
  );

  app.post(
    '/loss-reasons',
    {
      schema: { tags, summary: 'Добавить причину отказа (администратор)', body: createLossReasonBody, response: { 201: lossReasonSchema } },
    },
    async (req, reply) => reply.code(201).send(await reasons.create(actorOf(req), req.body)),
  );

  app.patch(
    '/loss-reasons/:id',
    {
      schema: {
        tags,
        summary: 'Переименовать или убрать в архив (администратор)',
        params: idParams,
        body: patchLossReasonBody,
        response: { 200: lossReasonSchema },
      },
    },
    async (req) => reasons.update(actorOf(req), req.params.id, req.body),
  );
}
