import type { ModuleDef } from '../../platform/http.js';
import { FormsService } from './forms.service.js';
import { formsRoutes } from './forms.routes.js';

/** Web forms and their public intake endpoint and embed script; submissions go to the leads intake. */
export const formsModule: ModuleDef = {
  name: 'forms',
  services: (ctx) => (ctx.services.forms = new FormsService(ctx)),
  routes: formsRoutes,
  init: async (ctx) => {
    ctx.services.forms.listenForInvalidation();
  },
};
