import type { ModuleDef } from '../../platform/http.js';
import { LeadsService, PUBLISH_JOB, SLA_CHECK_JOB } from './leads.service.js';
import { leadsRoutes } from './leads.routes.js';

/** Leads: one intake for every channel, SLA and escalation. */
export const leadsModule: ModuleDef = {
  name: 'leads',
  services: (ctx) => (ctx.services.leads = new LeadsService(ctx)),
  routes: leadsRoutes,
  jobs: (ctx) => {
    ctx.jobs.register(SLA_CHECK_JOB, (payload, { trx }) => ctx.services.leads.slaCheck(trx, payload));
    ctx.jobs.register(PUBLISH_JOB, (payload) => ctx.services.leads.publish(payload));
  },
};
