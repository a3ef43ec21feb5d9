import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import { listOrFileResponse, sendListExport } from '../../platform/list-export.js';
import { leadsExport } from './leads.export.js';
import {
  convertLeadBody,
  convertLeadResult,
  createLeadBody,
  junkLeadBody,
  leadDetailSchema,
  leadListQuery,
  leadSchema,
  patchLeadBody,
  takeLeadBody,
} from '../../../common/api/leads.js';

export function leadsRoutes(app: App, ctx: Ctx) {
  const leads = ctx.services.leads;
  const tags = ['Лиды'];

  app.get(
    '/leads',
    {
      schema: {
        tags,
        summary:
          'Лиды (в пределах доступа): статус, ответственный, форма, поиск, «Просрочено», «Неразобранные»; format=xlsx|csv — все строки файлом',
        querystring: leadListQuery,
        response: { 200: listOrFileResponse(listResponse(leadSchema)) },
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      if (format === 'xlsx' || format === 'csv') return sendListExport(ctx, reply, actorOf(req), leadsExport(ctx, actorOf(req), q, format));
      return leads.list(actorOf(req), q);
    },
  );

  app.post(
    '/leads',
    { schema: { tags, summary: 'Лид вручную', body: createLeadBody, response: { 201: leadDetailSchema } } },
    async (req, reply) => reply.code(201).send(await leads.createManual(actorOf(req), req.body)),
  );

  app.get(
    '/leads/:id',
    { schema: { tags, summary: 'Карточка лида: все поля и исходные данные', params: idParams, response: { 200: leadDetailSchema } } },
    async (req) => leads.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/leads/:id',
    {
      schema: {
        tags,
        summary: 'Изменить лид: ответственный, статус, контакты',
        params: idParams,
        body: patchLeadBody,
        response: { 200: leadDetailSchema },
      },
    },
    async (req) => leads.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/leads/:id/take',
    { schema: { tags, summary: 'Взять в работу', params: idParams, body: takeLeadBody.optional(), response: { 200: leadDetailSchema } } },
    async (req) => leads.take(actorOf(req), req.params.id, req.body ?? {}),
  );

  app.post(
    '/leads/:id/junk',
    {
      schema: {
        tags,
        summary: 'Спам / не лид (причина обязательна)',
        params: idParams,
        body: junkLeadBody,
        response: { 200: leadDetailSchema },
      },
    },
    async (req) => leads.junk(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/leads/:id/convert',
    {
      schema: {
        tags,
        summary: 'Конвертировать: клиент (найденный по телефону, e-mail или ИНН, или новый) и сделка на этапе «Новая»',
        params: idParams,
        body: convertLeadBody.optional(),
        response: { 200: convertLeadResult },
      },
    },
    async (req) => leads.convert(actorOf(req), req.params.id, req.body ?? {}),
  );
}
