import type { ModuleDef } from '../../platform/http.js';
import { ReviewsService } from './reviews.service.js';
import { reviewsRoutes } from './reviews.routes.js';

export const reviewsModule: ModuleDef = {
  name: 'reviews',
  services: (ctx) => (ctx.services.reviews = new ReviewsService(ctx)),
  routes: reviewsRoutes,
  init: async (ctx) => {
    // Reviews follow their client through a merge (the merged-away client is deleted).
    ctx.domain.on('client.merged', (trx, e) => ctx.services.reviews.moveClient(trx, e.fromId, e.toId));
  },
};
