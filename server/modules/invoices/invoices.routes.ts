import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { contentDisposition } from '../../platform/xlsx.js';
import { listOrFileResponse, sendListExport } from '../../platform/list-export.js';
import { invoicesExport } from './invoices.export.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import {
  cancelInvoiceBody,
  clientCreditSchema,
  invoiceSchema,
  invoicesListQuery,
  invoicesQuery,
  invoicesSummarySchema,
  invoiceSummarySchema,
  paymentBody,
  paymentsList,
  sendInvoiceBody,
} from '../../../common/api/invoices.js';

export function invoicesRoutes(app: App, ctx: Ctx) {
  const invoices = ctx.services.invoices;
  const tags = ['Счета и оплаты'];

  app.post(
    '/deals/:id/invoices',
    {
      schema: {
        tags,
        summary: 'Выставить счёт по позициям сделки (422: нет позиций или не заполнены реквизиты компании)',
        params: idParams,
        response: { 201: invoiceSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await invoices.issue(actorOf(req), req.params.id)),
  );

  app.get(
    '/invoices',
    {
      schema: {
        tags,
        summary: 'Реестр счетов (в пределах прав); format=xlsx|csv — все строки файлом (XLSX с итогами; в журнал аудита)',
        querystring: invoicesListQuery,
        response: { 200: listOrFileResponse(listResponse(invoiceSummarySchema)) },
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      if (format === 'xlsx' || format === 'csv')
        return sendListExport(ctx, reply, actorOf(req), invoicesExport(ctx, actorOf(req), q, format));
      return invoices.list(actorOf(req), q);
    },
  );

  app.get(
    '/invoices/summary',
    {
      schema: {
        tags,
        summary: 'Итоги по счетам с теми же фильтрами и правами',
        querystring: invoicesQuery,
        response: { 200: invoicesSummarySchema },
      },
    },
    async (req) => invoices.summary(actorOf(req), req.query),
  );

  app.get('/invoices/:id', { schema: { tags, params: idParams, response: { 200: invoiceSchema } } }, async (req) =>
    invoices.get(actorOf(req), req.params.id),
  );

  app.get('/invoices/:id/pdf', { schema: { tags, summary: 'Счёт на оплату в PDF', params: idParams } }, async (req, reply) => {
    const file = await invoices.pdf(actorOf(req), req.params.id);
    return reply
      .type('application/pdf')
      .header('content-disposition', contentDisposition('inline', file.filename, file.asciiFilename))
      .header('cache-control', 'private, no-cache')
      .send(file.buffer);
  });

  app.post(
    '/invoices/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Аннулировать счёт без оплат (бухгалтер, руководитель)',
        params: idParams,
        body: cancelInvoiceBody,
        response: { 200: invoiceSchema },
      },
    },
    async (req) => invoices.cancel(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/invoices/:id/reissue',
    {
      schema: {
        tags,
        summary: 'Перевыставить: аннулировать и выставить новый счёт (новый номер) по текущим позициям сделки',
        params: idParams,
        body: cancelInvoiceBody,
        response: { 201: invoiceSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await invoices.reissue(actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/invoices/:id/send',
    {
      schema: {
        tags,
        summary: 'Отправить счёт (PDF) по e-mail; без VORONKA_SMTP_URL — 422 smtp_not_configured',
        params: idParams,
        body: sendInvoiceBody,
        response: { 200: invoiceSchema },
      },
    },
    async (req) => invoices.send(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/invoices/:id/payments',
    { schema: { tags, summary: 'Оплаты по счёту', params: idParams, response: { 200: paymentsList } } },
    async (req) => ({ items: await invoices.payments(actorOf(req), req.params.id), nextCursor: null }),
  );

  app.post(
    '/invoices/:id/payments',
    {
      schema: {
        tags,
        summary: 'Записать оплату; больше остатка — 422 overpayment, с confirmCredit излишек идёт в аванс клиента',
        params: idParams,
        body: paymentBody,
        response: { 201: invoiceSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await invoices.addPayment(actorOf(req), req.params.id, req.body)),
  );

  app.delete(
    '/payments/:id',
    {
      schema: {
        tags,
        summary: 'Удалить ошибочную оплату (бухгалтер, администратор; в журнал аудита)',
        params: idParams,
        response: { 200: invoiceSchema },
      },
    },
    async (req) => invoices.deletePayment(actorOf(req), req.params.id),
  );

  app.get(
    '/clients/:id/credit',
    {
      schema: { tags, summary: 'Аванс клиента: излишки подтверждённых переплат', params: idParams, response: { 200: clientCreditSchema } },
    },
    async (req) => invoices.credit(actorOf(req), req.params.id),
  );
}
