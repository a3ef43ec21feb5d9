/**
 * Every module, in the order its services are created and its routes registered.
 * A new module adds one entry here.
 */
import type { ModuleDef } from '../platform/http.js';
import { AuthService } from './auth/auth.service.js';
import { authRoutes } from './auth/auth.routes.js';
import { UsersService } from './users/users.service.js';
import { usersRoutes } from './users/users.routes.js';
import { DepartmentsService } from './departments/departments.service.js';
import { departmentsRoutes } from './departments/departments.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { eventsRoutes } from './events/events.routes.js';
import { ClientsService } from './clients/clients.service.js';
import { TimelineService } from './timeline/timeline.service.js';

export const modules: ModuleDef[] = [
  { name: 'health', routes: healthRoutes },
  {
    name: 'users',
    services: (ctx) => (ctx.services.users = new UsersService(ctx)),
    routes: usersRoutes,
  },
  {
    name: 'auth',
    services: (ctx) => (ctx.services.auth = new AuthService(ctx)),
    routes: authRoutes,
    jobs: (ctx) => {
      ctx.jobs.register('auth.purge_sessions', (_, { trx }) => ctx.services.auth.purgeExpiredSessions(trx));
      ctx.jobs.schedule('auth.purge_sessions', '17 3 * * *', 'auth.purge_sessions');
    },
  },
  {
    name: 'departments',
    services: (ctx) => (ctx.services.departments = new DepartmentsService(ctx)),
    routes: departmentsRoutes,
  },
  {
    name: 'clients',
    services: (ctx) => {
      ctx.services.timeline = new TimelineService(ctx);
      ctx.services.clients = new ClientsService(ctx);
    },
  },
  { name: 'events', routes: eventsRoutes },
];
