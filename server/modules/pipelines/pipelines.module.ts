import type { ModuleDef } from '../../platform/http.js';
import { PipelinesService } from './pipelines.service.js';
import { pipelinesRoutes } from './pipelines.routes.js';

/** Pipelines and their stages. */
export const pipelinesModule: ModuleDef = {
  name: 'pipelines',
  services: (ctx) => (ctx.services.pipelines = new PipelinesService(ctx)),
  routes: pipelinesRoutes,
};
