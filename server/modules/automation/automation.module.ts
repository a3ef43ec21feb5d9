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
    // Every entry into a stage (creation included) is an event rules may listen to.
    ctx.services.deals.hooks.onStageEntered.push((trx, e) =>
      ctx.services.automation.trigger(trx, {
        type: 'deal.stage_entered',
        key: `deal.stage_entered:${e.deal.id}:${e.stage.id}:${e.deal.stageEnteredAt}`,
        dealId: e.deal.id,
        clientId: e.deal.clientId,
        stageCode: e.stage.code,
        actorId: e.actorId,
        at: e.deal.stageEnteredAt,
      }),
    );
  },
};
