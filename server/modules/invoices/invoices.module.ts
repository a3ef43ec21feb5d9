import type { ModuleDef } from '../../platform/http.js';
import { InvoicesService, OVERDUE_JOB } from './invoices.service.js';
import { invoicesRoutes } from './invoices.routes.js';

/** Invoices: numbering, PDF, e-mail, payments, payment control, register export. */
export const invoicesModule: ModuleDef = {
  name: 'invoices',
  services: (ctx) => (ctx.services.invoices = new InvoicesService(ctx)),
  routes: invoicesRoutes,
  jobs: (ctx) => {
    // Payment control: every 15 minutes (and on demand: ctx.jobs.enqueue(trx, 'invoices.check_overdue', {})).
    ctx.jobs.register(OVERDUE_JOB, async (payload, { trx }) => {
      const now = payload && typeof payload.now === 'string' ? new Date(payload.now) : new Date();
      await ctx.services.invoices.checkOverdue(trx, Number.isNaN(now.getTime()) ? new Date() : now);
    });
    ctx.jobs.schedule(OVERDUE_JOB, '*/15 * * * *', OVERDUE_JOB);
  },
  init: async (ctx) => {
    // Invoices, payments and credit follow their client through a merge.
    ctx.domain.on('client.merged', (trx, e) => ctx.services.invoices.moveClient(trx, e.fromId, e.toId));
  },
};
