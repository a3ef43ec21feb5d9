import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { idParams, idSchema, listResponse } from '../../../common/api/shared.js';
import { listOrFileResponse, sendListExport } from '../../platform/list-export.js';
import { clientsExport } from './clients.export.js';
import {
  bulkReassignBody,
  bulkReassignResult,
  clientCountsSchema,
  clientListQuery,
  clientSchema,
  contactSchema,
  createClientBody,
  createContactBody,
  mergeBody,
  patchClientBody,
  patchContactBody,
  reassignBody,
  refusalBody,
  searchQuery,
  searchResultSchema,
} from '../../../common/api/clients.js';
import { commentBody, timelineEntrySchema } from '../../../common/api/timeline.js';

export function clientsRoutes(app: App, ctx: Ctx) {
  const clients = ctx.services.clients;
  const tags = ['Клиенты'];

  app.get(
    '/clients',
    {
      schema: {
        tags,
        summary: 'Список клиентов (поиск q: название, ИНН, телефон, e-mail); format=xlsx|csv — все строки файлом (в журнал аудита)',
        querystring: clientListQuery,
        response: { 200: listOrFileResponse(listResponse(clientSchema)) },
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      if (format === 'xlsx' || format === 'csv')
        return sendListExport(ctx, reply, actorOf(req), clientsExport(ctx, actorOf(req), q, format));
      return clients.list(actorOf(req), q);
    },
  );

  app.get(
    '/clients/counts',
    {
      schema: {
        tags,
        summary: 'Число клиентов в доступной области',
        querystring: z.object({ ownerId: idSchema.optional(), region: z.string().max(200).optional() }),
        response: { 200: clientCountsSchema },
      },
    },
    async (req) => clients.counts(actorOf(req), req.query),
  );

  app.post(
    '/clients',
    {
      schema: {
        tags,
        summary: 'Создать клиента (дубли по ИНН, телефону, e-mail → 409)',
        body: createClientBody,
        response: { 201: clientSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await clients.create(actorOf(req), req.body)),
  );

  app.post(
    '/clients/reassign',
    {
      schema: { tags, summary: 'Передать всех клиентов сотрудника другому', body: bulkReassignBody, response: { 200: bulkReassignResult } },
    },
    async (req) => clients.reassignAll(actorOf(req), req.body.fromOwnerId, req.body.toOwnerId),
  );

  app.get(
    '/clients/:id',
    { schema: { tags, summary: 'Карточка клиента', params: idParams, response: { 200: clientSchema } } },
    async (req) => clients.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/clients/:id',
    {
      schema: {
        tags,
        summary: 'Изменить клиента (нужна version)',
        params: idParams,
        body: patchClientBody,
        response: { 200: clientSchema },
      },
    },
    async (req) => clients.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/clients/:id',
    { schema: { tags, summary: 'Удалить клиента (руководитель, собственник, администратор)', params: idParams } },
    async (req, reply) => {
      await clients.delete(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/clients/:id/refusal',
    { schema: { tags, summary: 'Перевести в отказ с причиной', params: idParams, body: refusalBody, response: { 200: clientSchema } } },
    async (req) => clients.refuse(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/clients/:id/reactivate',
    {
      schema: {
        tags,
        summary: 'Вернуть клиента из отказа',
        params: idParams,
        body: z.object({ version: z.number().int().min(1).optional() }).optional(),
        response: { 200: clientSchema },
      },
    },
    async (req) => clients.reactivate(actorOf(req), req.params.id, req.body ?? {}),
  );

  app.post(
    '/clients/:id/comments',
    {
      schema: {
        tags,
        summary: 'Комментарий в карточке клиента',
        params: idParams,
        body: commentBody,
        response: { 201: timelineEntrySchema },
      },
    },
    async (req, reply) => reply.code(201).send(await clients.addComment(actorOf(req), req.params.id, req.body.text)),
  );

  app.post(
    '/clients/:id/merge',
    {
      schema: {
        tags,
        summary: 'Объединить дубль (sourceId) с этим клиентом',
        params: idParams,
        body: mergeBody,
        response: { 200: clientSchema },
      },
    },
    async (req) => clients.merge(actorOf(req), req.params.id, req.body.sourceId),
  );

  app.post(
    '/clients/:id/reassign',
    {
      schema: {
        tags,
        summary: 'Сменить ответственного (с открытыми сделками и задачами)',
        params: idParams,
        body: reassignBody,
        response: { 200: clientSchema },
      },
    },
    async (req) => clients.reassign(actorOf(req), req.params.id, req.body.ownerId),
  );

  // ── contacts ──
  const contactTags = ['Контакты'];
  app.get(
    '/clients/:id/contacts',
    { schema: { tags: contactTags, summary: 'Контакты клиента', params: idParams, response: { 200: listResponse(contactSchema) } } },
    async (req) => ({ items: await clients.listContacts(actorOf(req), req.params.id), nextCursor: null }),
  );

  app.post(
    '/clients/:id/contacts',
    {
      schema: {
        tags: contactTags,
        summary: 'Добавить контакт',
        params: idParams,
        body: createContactBody,
        response: { 201: contactSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await clients.createContact(actorOf(req), req.params.id, req.body)),
  );

  app.patch(
    '/contacts/:id',
    {
      schema: {
        tags: contactTags,
        summary: 'Изменить контакт',
        params: idParams,
        body: patchContactBody,
        response: { 200: contactSchema },
      },
    },
    async (req) => clients.updateContact(actorOf(req), req.params.id, req.body),
  );

  app.delete('/contacts/:id', { schema: { tags: contactTags, summary: 'Удалить контакт', params: idParams } }, async (req, reply) => {
    await clients.deleteContact(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  // ── global search ──
  app.get(
    '/search',
    {
      schema: {
        tags: ['Поиск'],
        summary: 'Поиск по клиентам, контактам и сделкам',
        querystring: searchQuery,
        response: { 200: searchResultSchema },
      },
    },
    async (req) => clients.search(actorOf(req), req.query.q, req.query.limit),
  );
}
