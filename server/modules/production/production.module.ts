import type { ModuleDef } from '../../platform/http.js';
import { ProductionService } from './production.service.js';
import { productionRoutes } from './production.routes.js';

export const productionModule: ModuleDef = {
  name: 'production',
  services: (ctx) => (ctx.services.production = new ProductionService(ctx)),
  routes: productionRoutes,
  init: async (ctx) => {
    // Entering «Производство» hands the deal to production in the same transaction.
    ctx.services.deals.hooks.onStageEntered.push((trx, e) => ctx.services.production.onStageEntered(trx, e));
  },
};
