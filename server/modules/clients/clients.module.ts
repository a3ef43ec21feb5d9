import type { ModuleDef } from '../../platform/http.js';
import { ClientsService } from './clients.service.js';
import { clientsRoutes } from './clients.routes.js';

/** Clients, contacts, requisites, duplicates, merge and reassign hooks, search. */
export const clientsModule: ModuleDef = {
  name: 'clients',
  services: (ctx) => (ctx.services.clients = new ClientsService(ctx)),
  routes: clientsRoutes,
};
