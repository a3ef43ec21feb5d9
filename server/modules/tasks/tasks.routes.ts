import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listFormatSchema, listResponse } from '../../../common/api/shared.js';
import { listOrFileResponse, sendListExport } from '../../platform/list-export.js';
import { tasksExport } from './tasks.export.js';
import {
  completeTaskBody,
  completeTaskResponse,
  createTaskBody,
  patchTaskBody,
  reopenTaskBody,
  taskSchema,
  taskSummarySchema,
  tasksQuery,
} from '../../../common/api/tasks.js';

export function tasksRoutes(app: App, ctx: Ctx) {
  const tasks = ctx.services.tasks;
  const tags = ['Задачи'];

  app.get(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'Список задач по сроку (в пределах доступа); format=xlsx|csv — все строки файлом (в журнал аудита)',
        querystring: pageQuery.extend(tasksQuery.shape).extend({ format: listFormatSchema }),
        response: { 200: listOrFileResponse(listResponse(taskSchema)) },
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      if (format === 'xlsx' || format === 'csv') return sendListExport(ctx, reply, actorOf(req), tasksExport(ctx, actorOf(req), q, format));
      return tasks.list(actorOf(req), q);
    },
  );

  app.get(
    '/tasks/summary',
    { schema: { tags, summary: 'Мои открытые задачи: просрочено, на сегодня, до конца недели', response: { 200: taskSummarySchema } } },
    async (req) => tasks.summary(actorOf(req)),
  );

  app.get('/tasks/:id', { schema: { tags, summary: 'Задача', params: idParams, response: { 200: taskSchema } } }, async (req) =>
    tasks.get(actorOf(req), req.params.id),
  );

  app.post(
    '/tasks',
    { schema: { tags, summary: 'Поставить задачу', body: createTaskBody, response: { 201: taskSchema } } },
    async (req, reply) => {
      const task = await tasks.create(actorOf(req), req.body);
      return reply.code(201).send(task);
    },
  );

  app.patch(
    '/tasks/:id',
    { schema: { tags, summary: 'Изменить задачу', params: idParams, body: patchTaskBody, response: { 200: taskSchema } } },
    async (req) => tasks.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/tasks/:id/complete',
    {
      schema: {
        tags,
        summary: 'Выполнить задачу (повторяющаяся создаёт следующую)',
        params: idParams,
        body: completeTaskBody.optional(),
        response: { 200: completeTaskResponse },
      },
    },
    async (req) => tasks.complete(actorOf(req), req.params.id, req.body ?? {}),
  );

  app.post(
    '/tasks/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Возобновить выполненную задачу',
        params: idParams,
        body: reopenTaskBody.optional(),
        response: { 200: taskSchema },
      },
    },
    async (req) => tasks.reopen(actorOf(req), req.params.id, req.body ?? {}),
  );

  app.delete(
    '/tasks/:id',
    { schema: { tags, summary: 'Удалить задачу (автор, руководитель, администратор)', params: idParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await tasks.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
