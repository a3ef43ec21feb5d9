import type { ModuleDef } from '../../platform/http.js';
import { TimelineService } from './timeline.service.js';
import { timelineRoutes } from './timeline.routes.js';

/** The client card's timeline. */
export const timelineModule: ModuleDef = {
  name: 'timeline',
  services: (ctx) => (ctx.services.timeline = new TimelineService(ctx)),
  routes: timelineRoutes,
};
