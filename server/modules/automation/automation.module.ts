import type { ModuleDef } from '../../platform/http.js';
import { AutomationService, RUN_JOB } from './automation.service.js';
import { automationRoutes } from './automation.routes.js';

export const automationModule: ModuleDef = {
  name: 'automation',
  services: (ctx) => (ctx.services.automation = new AutomationService(ctx)),
  routes: automationRoutes,
  jobs: (ctx) => {
    ctx.jobs.register(RUN_JOB, (payload, { trx }) => ctx.services.automation.runJob(trx, payload));
  },
  init: async (ctx) => {
    await ctx.services.automation.seedDefaults();
    // Rules listen to these domain events; each occurrence has its key (the same key never runs a rule twice).
    const { domain, services } = ctx;
    // Every entry into a stage (creation included) is an event rules may listen to.
    domain.on('deal.stage_entered', (trx, e) =>
      services.automation.trigger(trx, {
        type: 'deal.stage_entered',
        key: `deal.stage_entered:${e.deal.id}:${e.stage.id}:${e.deal.stageEnteredAt}`,
        dealId: e.deal.id,
        clientId: e.deal.clientId,
        stageCode: e.stage.code,
        actorId: e.actorId,
        at: e.deal.stageEnteredAt,
      }),
    );
    domain.on('invoice.issued', (trx, e) =>
      services.automation.trigger(trx, { type: 'invoice.issued', ...e, key: `invoice.issued:${e.invoiceId}` }),
    );
    domain.on('invoice.sent', (trx, { at, ...e }) =>
      // `at` only tells one sending from another; due times count from the run, as before.
      services.automation.trigger(trx, { type: 'invoice.sent', ...e, key: `invoice.sent:${e.invoiceId}:${at}` }),
    );
    domain.on('invoice.paid', (trx, e) =>
      services.automation.trigger(trx, { type: 'invoice.paid', ...e, key: `invoice.paid:${e.invoiceId}` }),
    );
    domain.on('invoice.overdue', (trx, e) =>
      services.automation.trigger(trx, { type: 'invoice.overdue', ...e, key: `invoice.overdue:${e.invoiceId}` }),
    );
    domain.on('production.done', (trx, { orderNumber, ...e }) =>
      // One occurrence per order: done → back → done again never creates a second feedback task.
      services.automation.trigger(trx, { type: 'production.done', ...e, key: `production.done:${e.orderId}`, facts: { orderNumber } }),
    );
    domain.on('review.negative', (trx, e) =>
      services.automation.trigger(trx, { type: 'review.negative', ...e, key: `review.negative:${e.reviewId}` }),
    );
  },
};
