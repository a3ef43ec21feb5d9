import type { ModuleDef } from '../../platform/http.js';
import { DepartmentsService } from './departments.service.js';
import { departmentsRoutes } from './departments.routes.js';

/** Departments and their heads. */
export const departmentsModule: ModuleDef = {
  name: 'departments',
  services: (ctx) => (ctx.services.departments = new DepartmentsService(ctx)),
  routes: departmentsRoutes,
};
