import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { idParams } from '../../../common/api/shared.js';
import {
  createPipelineBody,
  createStageBody,
  patchPipelineBody,
  patchStageBody,
  pipelineSchema,
  stageSchema,
} from '../../../common/api/pipelines.js';

export function pipelinesRoutes(app: App, ctx: Ctx) {
  const pipelines = ctx.services.pipelines;
  const tags = ['Воронки'];

  app.get('/pipelines', { schema: { tags, summary: 'Воронки с этапами', response: { 200: z.array(pipelineSchema) } } }, async (req) =>
    pipelines.list(actorOf(req)),
  );

  app.get('/pipelines/:id', { schema: { tags, params: idParams, response: { 200: pipelineSchema } } }, async (req) =>
    pipelines.get(actorOf(req), req.params.id),
  );

  app.post(
    '/pipelines',
    { schema: { tags, summary: 'Создать воронку (администратор)', body: createPipelineBody, response: { 201: pipelineSchema } } },
    async (req, reply) => reply.code(201).send(await pipelines.create(actorOf(req), req.body)),
  );

  app.patch(
    '/pipelines/:id',
    {
      schema: {
        tags,
        summary: 'Переименовать, архивировать, сделать основной',
        params: idParams,
        body: patchPipelineBody,
        response: { 200: pipelineSchema },
      },
    },
    async (req) => pipelines.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/pipelines/:id/stages',
    {
      schema: {
        tags,
        summary: 'Добавить этап (перед закрывающими)',
        params: idParams,
        body: createStageBody,
        response: { 201: stageSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await pipelines.addStage(actorOf(req), req.params.id, req.body)),
  );

  app.patch(
    '/stages/:id',
    {
      schema: {
        tags,
        summary: 'Переименовать, переставить, архивировать этап',
        params: idParams,
        body: patchStageBody,
        response: { 200: stageSchema },
      },
    },
    async (req) => pipelines.updateStage(actorOf(req), req.params.id, req.body),
  );
}
