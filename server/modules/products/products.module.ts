import type { ModuleDef } from '../../platform/http.js';
import { ProductsService } from './products.service.js';
import { productsRoutes } from './products.routes.js';

/** The product catalogue. */
export const productsModule: ModuleDef = {
  name: 'products',
  services: (ctx) => (ctx.services.products = new ProductsService(ctx)),
  routes: productsRoutes,
};
