import type { ModuleDef } from '../../platform/http.js';
import { UsersService } from './users.service.js';
import { usersRoutes } from './users.routes.js';

/** Users and roles. */
export const usersModule: ModuleDef = {
  name: 'users',
  services: (ctx) => (ctx.services.users = new UsersService(ctx)),
  routes: usersRoutes,
};
