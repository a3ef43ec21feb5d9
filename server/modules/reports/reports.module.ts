import type { ModuleDef } from '../../platform/http.js';
import { ReportsService } from './reports.service.js';
import { reportsRoutes } from './reports.routes.js';
import { PlansService } from '../plans/plans.service.js';
import { plansRoutes } from '../plans/plans.routes.js';

export const reportsModule: ModuleDef = {
  name: 'reports',
  services: (ctx) => {
    ctx.services.reports = new ReportsService(ctx);
    ctx.services.plans = new PlansService(ctx);
  },
  routes: async (app, ctx) => {
    reportsRoutes(app, ctx);
    plansRoutes(app, ctx);
  },
  // The zone table and the rollups follow VORONKA_TZ (a first start, or a changed zone, rebuilds them).
  init: async (ctx) => {
    await ctx.services.reports.ensureZone();
  },
};
