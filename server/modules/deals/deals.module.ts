import type { ModuleDef } from '../../platform/http.js';
import { DealsService } from './deals.service.js';
import { dealsRoutes } from './deals.routes.js';

/** Deals with items, stage history, the kanban board; emits `deal.stage_entered`. */
export const dealsModule: ModuleDef = {
  name: 'deals',
  services: (ctx) => (ctx.services.deals = new DealsService(ctx)),
  routes: dealsRoutes,
  init: async (ctx) => {
    // Deals follow their client through a merge and (the open ones) through a change of owner.
    ctx.domain.on('client.merged', (trx, e) => ctx.services.deals.moveClient(trx, e.fromId, e.toId));
    ctx.domain.on('client.reassigned', async (trx, e) => {
      await ctx.services.deals.reassignOpen(trx, e.clientId, e.fromOwnerId, e.toOwnerId);
    });
  },
};
