import type { ModuleDef } from '../../platform/http.js';
import { ReportsService } from './reports.service.js';
import { reportsRoutes } from './reports.routes.js';
import { registerReportsCommand } from './reports.command.js';

export const reportsModule: ModuleDef = {
  name: 'reports',
  services: (ctx) => (ctx.services.reports = new ReportsService(ctx)),
  routes: reportsRoutes,
  commands: registerReportsCommand,
  // The zone table and the rollups follow VORONKA_TZ (a first start, or a changed zone, rebuilds them).
  init: async (ctx) => {
    await ctx.services.reports.ensureZone();
  },
};
