import type { ModuleDef } from '../../platform/http.js';
import { FormsService } from '../forms/forms.service.js';
import { formsRoutes } from '../forms/forms.routes.js';
import { LeadsService, PUBLISH_JOB, SLA_CHECK_JOB } from './leads.service.js';
import { leadsRoutes } from './leads.routes.js';

/** Leads and the web forms that bring them (public intake endpoint, embed script, SLA escalation). */
export const leadsModule: ModuleDef = {
  name: 'leads',
  services: (ctx) => {
    ctx.services.forms = new FormsService(ctx);
    ctx.services.leads = new LeadsService(ctx);
  },
  routes: async (app, ctx) => {
    await formsRoutes(app, ctx);
    leadsRoutes(app, ctx);
  },
  jobs: (ctx) => {
    ctx.jobs.register(SLA_CHECK_JOB, (payload, { trx }) => ctx.services.leads.slaCheck(trx, payload));
    ctx.jobs.register(PUBLISH_JOB, (payload) => ctx.services.leads.publish(payload));
  },
  init: async (ctx) => {
    ctx.services.forms.listenForInvalidation();
  },
};
