import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { idParams } from '../../../common/api/shared.js';
import { createDepartmentBody, departmentSchema, patchDepartmentBody } from '../../../common/api/users.js';

export function departmentsRoutes(app: App, ctx: Ctx) {
  const departments = ctx.services.departments;
  const tags = ['Отделы'];

  app.get(
    '/departments',
    {
      schema: { tags, summary: 'Список отделов', response: { 200: z.object({ items: z.array(departmentSchema), nextCursor: z.null() }) } },
    },
    async (req) => ({
      items: await departments.list(actorOf(req)),
      nextCursor: null,
    }),
  );

  app.get('/departments/:id', { schema: { tags, params: idParams, response: { 200: departmentSchema } } }, async (req) =>
    departments.get(actorOf(req), req.params.id),
  );

  app.post('/departments', { schema: { tags, body: createDepartmentBody, response: { 201: departmentSchema } } }, async (req, reply) =>
    reply.code(201).send(await departments.create(actorOf(req), req.body)),
  );

  app.patch(
    '/departments/:id',
    { schema: { tags, params: idParams, body: patchDepartmentBody, response: { 200: departmentSchema } } },
    async (req) => departments.update(actorOf(req), req.params.id, req.body),
  );
}
