import type { ModuleDef } from '../../platform/http.js';
import { AuditService } from './audit.service.js';
import { auditRoutes } from './audit.routes.js';

/** The audit log's reader (`GET /api/audit`); entries are written by platform/audit.ts from every module. */
export const auditModule: ModuleDef = {
  name: 'audit',
  services: (ctx) => (ctx.services.audit = new AuditService(ctx)),
  routes: auditRoutes,
};
