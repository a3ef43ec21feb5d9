import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import { createUserBody, patchUserBody, roleSchema, userSchema } from '../../../common/api/users.js';

export function usersRoutes(app: App, ctx: Ctx) {
  const users = ctx.services.users;
  const tags = ['Пользователи'];

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'Список пользователей',
        querystring: pageQuery.extend({
          departmentId: z.string().optional(),
          role: roleSchema.optional(),
          active: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: listResponse(userSchema) },
      },
    },
    async (req) =>
      users.list(actorOf(req), { ...req.query, active: req.query.active === undefined ? undefined : req.query.active === 'true' }),
  );

  app.get('/users/:id', { schema: { tags, params: idParams, response: { 200: userSchema } } }, async (req) =>
    users.get(actorOf(req), req.params.id),
  );

  app.post(
    '/users',
    { schema: { tags, summary: 'Создать пользователя (администратор)', body: createUserBody, response: { 201: userSchema } } },
    async (req, reply) => {
      const user = await users.create(actorOf(req), req.body);
      return reply.code(201).send(user);
    },
  );

  app.patch('/users/:id', { schema: { tags, params: idParams, body: patchUserBody, response: { 200: userSchema } } }, async (req) =>
    users.update(actorOf(req), req.params.id, req.body),
  );
}
