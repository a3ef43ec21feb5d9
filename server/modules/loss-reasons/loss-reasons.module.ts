import type { ModuleDef } from '../../platform/http.js';
import { LossReasonsService } from './loss-reasons.service.js';
import { lossReasonsRoutes } from './loss-reasons.routes.js';

/** Reasons a deal was lost (a dictionary). */
export const lossReasonsModule: ModuleDef = {
  name: 'loss-reasons',
  services: (ctx) => (ctx.services.lossReasons = new LossReasonsService(ctx)),
  routes: lossReasonsRoutes,
};
