import type { ModuleDef } from '../../platform/http.js';
import { PlansService } from './plans.service.js';
import { plansRoutes } from './plans.routes.js';

/** Sales plans. */
export const plansModule: ModuleDef = {
  name: 'plans',
  services: (ctx) => (ctx.services.plans = new PlansService(ctx)),
  routes: plansRoutes,
};
