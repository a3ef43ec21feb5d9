import type { ModuleDef } from '../../platform/http.js';
import { ProductionService } from './production.service.js';
import { productionRoutes } from './production.routes.js';

export const productionModule: ModuleDef = {
  name: 'production',
  services: (ctx) => (ctx.services.production = new ProductionService(ctx)),
  routes: productionRoutes,
  init: async (ctx) => {
    // Entering «Производство» hands the deal to production in the same transaction.
    ctx.domain.on('deal.stage_entered', (trx, e) => ctx.services.production.onStageEntered(trx, e));
  },
};
