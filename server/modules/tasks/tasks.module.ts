import type { ModuleDef } from '../../platform/http.js';
import { REMIND_JOB, TasksService } from './tasks.service.js';
import { tasksRoutes } from './tasks.routes.js';

export const tasksModule: ModuleDef = {
  name: 'tasks',
  services: (ctx) => (ctx.services.tasks = new TasksService(ctx)),
  routes: tasksRoutes,
  jobs: (ctx) => {
    ctx.jobs.register(REMIND_JOB, (payload, { trx }) => ctx.services.tasks.remind(trx, payload));
  },
  init: async (ctx) => {
    // Tasks follow their client when clients are merged or handed to another manager.
    ctx.domain.on('client.merged', (trx, e) => ctx.services.tasks.onClientMerge(trx, e));
    ctx.domain.on('client.reassigned', (trx, e) => ctx.services.tasks.onClientReassign(trx, e));
  },
};
