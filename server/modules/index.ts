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
import { notificationsModule } from './notifications/notifications.module.js';
import { tasksModule } from './tasks/tasks.module.js';
import { invoicesModule } from './invoices/invoices.module.js';
import { leadsModule } from './leads/leads.module.js';
import { automationModule } from './automation/automation.module.js';
import { productionModule } from './production/production.module.js';
import { reviewsModule } from './reviews/reviews.module.js';
import { reportsModule } from './reports/reports.module.js';
import { ClientsService } from './clients/clients.service.js';
import { TimelineService } from './timeline/timeline.service.js';
import { clientsRoutes } from './clients/clients.routes.js';
import { timelineRoutes } from './timeline/timeline.routes.js';
import { LossReasonsService } from './loss-reasons/loss-reasons.service.js';
import { lossReasonsRoutes } from './loss-reasons/loss-reasons.routes.js';
import { PipelinesService } from './pipelines/pipelines.service.js';
import { pipelinesRoutes } from './pipelines/pipelines.routes.js';
import { ProductsService } from './products/products.service.js';
import { productsRoutes } from './products/products.routes.js';
import { DealsService } from './deals/deals.service.js';
import { dealsRoutes } from './deals/deals.routes.js';

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
      ctx.services.lossReasons = new LossReasonsService(ctx);
      ctx.services.clients = new ClientsService(ctx);
    },
    routes: async (app, ctx) => {
      clientsRoutes(app, ctx);
      timelineRoutes(app, ctx);
      lossReasonsRoutes(app, ctx);
    },
  },
  {
    name: 'deals',
    services: (ctx) => {
      ctx.services.pipelines = new PipelinesService(ctx);
      ctx.services.products = new ProductsService(ctx);
      ctx.services.deals = new DealsService(ctx);
    },
    routes: async (app, ctx) => {
      pipelinesRoutes(app, ctx);
      productsRoutes(app, ctx);
      dealsRoutes(app, ctx);
    },
    init: async (ctx) => {
      // Deals follow their client through a merge and (the open ones) through a change of owner.
      ctx.domain.on('client.merged', (trx, e) => ctx.services.deals.moveClient(trx, e.fromId, e.toId));
      ctx.domain.on('client.reassigned', async (trx, e) => {
        await ctx.services.deals.reassignOpen(trx, e.clientId, e.fromOwnerId, e.toOwnerId);
      });
    },
  },
  notificationsModule,
  tasksModule,
  invoicesModule,
  leadsModule,
  automationModule,
  productionModule,
  reviewsModule,
  reportsModule,
  { name: 'events', routes: eventsRoutes },
];
