import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import {
  automationRuleSchema,
  automationRunSchema,
  createRuleBody,
  patchRuleBody,
  rulesQuery,
  runsQuery,
} from '../../../common/api/automation.js';
import { z } from 'zod';

export function automationRoutes(app: App, ctx: Ctx) {
  const automation = ctx.services.automation;
  const tags = ['Автоматизация'];

  app.get(
    '/automation/rules',
    {
      schema: {
        tags,
        summary: 'Правила автоматизации (администратор, руководитель, собственник)',
        querystring: rulesQuery,
        response: { 200: z.object({ items: z.array(automationRuleSchema), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: await automation.listRules(actorOf(req), {
        trigger: req.query.trigger,
        enabled: req.query.enabled === undefined ? undefined : req.query.enabled === 'true',
      }),
      nextCursor: null,
    }),
  );

  app.get('/automation/rules/:id', { schema: { tags, params: idParams, response: { 200: automationRuleSchema } } }, async (req) =>
    automation.getRule(actorOf(req), req.params.id),
  );

  app.post(
    '/automation/rules',
    { schema: { tags, summary: 'Создать правило (администратор)', body: createRuleBody, response: { 201: automationRuleSchema } } },
    async (req, reply) => reply.code(201).send(await automation.createRule(actorOf(req), req.body)),
  );

  app.patch(
    '/automation/rules/:id',
    {
      schema: {
        tags,
        summary: 'Изменить правило (администратор; version → 409 при устаревшей)',
        params: idParams,
        body: patchRuleBody,
        response: { 200: automationRuleSchema },
      },
    },
    async (req) => automation.updateRule(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/automation/rules/:id',
    { schema: { tags, summary: 'Удалить правило (стандартные — только отключить)', params: idParams } },
    async (req, reply) => {
      await automation.deleteRule(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/automation/runs',
    {
      schema: {
        tags,
        summary: 'Журнал выполнения правил',
        querystring: pageQuery.merge(runsQuery),
        response: { 200: listResponse(automationRunSchema) },
      },
    },
    async (req) => automation.listRuns(actorOf(req), req.query),
  );

  app.get(
    '/deals/:id/automation-runs',
    {
      schema: {
        tags: ['Сделки', ...tags],
        summary: 'Журнал автоматизации по сделке',
        params: idParams,
        querystring: pageQuery,
        response: { 200: listResponse(automationRunSchema) },
      },
    },
    async (req) => automation.dealRuns(actorOf(req), req.params.id, req.query),
  );
}
