import type { FastifyReply } from 'fastify';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { contentDisposition } from '../../platform/xlsx.js';
import {
  activityReportSchema,
  clientBaseReportSchema,
  correlationQuery,
  correlationReportSchema,
  funnelReportSchema,
  lossReasonsReportSchema,
  planFactQuery,
  planFactReportSchema,
  reportQuery,
  reviewsReportSchema,
  salesQuery,
  salesReportSchema,
  sourcesReportSchema,
  type ReportFormat,
} from '../../../common/api/reports.js';

export function reportsRoutes(app: App, ctx: Ctx) {
  const reports = ctx.services.reports;
  const tags = ['Отчёты'];
  const files = ' format=xlsx|csv|pdf — файл (выгрузка записывается в журнал аудита).';

  /** JSON, or the report as a file (audited). */
  async function answer<T>(
    actor: Actor,
    reply: FastifyReply,
    report: string,
    query: { format?: ReportFormat } & Record<string, unknown>,
    data: T,
  ) {
    const { format, ...params } = query;
    if (!format || format === 'json') return data;
    const file = await reports.exportFile(actor, report, params, data, format);
    return reply
      .type(file.contentType)
      .header(
        'content-disposition',
        contentDisposition('attachment', file.filename, `${report}-${new Date().toISOString().slice(0, 10)}.${format}`),
      )
      .header('cache-control', 'no-store')
      .send(file.buffer as never);
  }

  app.get(
    '/reports/sales',
    {
      schema: {
        tags,
        summary: 'Конструктор отчётов: показатель × до двух измерений.' + files,
        querystring: salesQuery,
        response: { 200: salesReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'sales', req.query, await reports.sales(actorOf(req), req.query)),
  );

  app.get(
    '/reports/funnel',
    {
      schema: {
        tags,
        summary: 'Воронка продаж: сделки периода, дошедшие до каждого этапа.' + files,
        querystring: reportQuery,
        response: { 200: funnelReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'funnel', req.query, await reports.funnel(actorOf(req), req.query)),
  );

  app.get(
    '/reports/activity',
    {
      schema: {
        tags,
        summary: 'Активность менеджеров: задачи по типам, просрочка, сделки, выручка.' + files,
        querystring: reportQuery,
        response: { 200: activityReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'activity', req.query, await reports.activity(actorOf(req), req.query)),
  );

  app.get(
    '/reports/client-base',
    {
      schema: {
        tags,
        summary: 'Структура клиентской базы: ABC, XYZ, сегменты, риск оттока.' + files,
        querystring: reportQuery,
        response: { 200: clientBaseReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'client-base', req.query, await reports.clientBase(actorOf(req), req.query)),
  );

  app.get(
    '/reports/loss-reasons',
    {
      schema: {
        tags,
        summary: 'Причины отказов по проигранным в периоде сделкам.' + files,
        querystring: reportQuery,
        response: { 200: lossReasonsReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'loss-reasons', req.query, await reports.lossReasons(actorOf(req), req.query)),
  );

  app.get(
    '/reports/sources',
    {
      schema: {
        tags,
        summary: 'Источники и кампании: лиды → сделки → выручка.' + files,
        querystring: reportQuery,
        response: { 200: sourcesReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'sources', req.query, await reports.sources(actorOf(req), req.query)),
  );

  app.get(
    '/reports/reviews',
    {
      schema: {
        tags,
        summary: 'Отзывы по месяцам: количество, средняя оценка, доли тональности.' + files,
        querystring: reportQuery,
        response: { 200: reviewsReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'reviews', req.query, await reports.reviews(actorOf(req), req.query)),
  );

  app.get(
    '/reports/correlation',
    {
      schema: {
        tags,
        summary: 'Корреляция и регрессия двух показателей по менеджерам или месяцам.' + files,
        querystring: correlationQuery,
        response: { 200: correlationReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'correlation', req.query, await reports.correlation(actorOf(req), req.query)),
  );

  app.get(
    '/reports/plan-fact',
    {
      schema: {
        tags,
        summary: 'План / факт за месяц с процентом и прогнозом.' + files,
        querystring: planFactQuery,
        response: { 200: planFactReportSchema },
      },
    },
    async (req, reply) => answer(actorOf(req), reply, 'plan-fact', req.query, await reports.planFact(actorOf(req), req.query)),
  );
}
