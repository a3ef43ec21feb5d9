/**
 * Every module, in the order its services are created, its jobs registered, its `init` run and its routes
 * registered (a module's init may use any service; hooks run in this order). A new module adds one entry here;
 * each folder under server/modules/ has exactly one `<folder>.module.ts`.
 */
import type { ModuleDef } from '../platform/http.js';
import { healthModule } from './health/health.module.js';
import { usersModule } from './users/users.module.js';
import { authModule } from './auth/auth.module.js';
import { departmentsModule } from './departments/departments.module.js';
import { clientsModule } from './clients/clients.module.js';
import { timelineModule } from './timeline/timeline.module.js';
import { lossReasonsModule } from './loss-reasons/loss-reasons.module.js';
import { pipelinesModule } from './pipelines/pipelines.module.js';
import { productsModule } from './products/products.module.js';
import { dealsModule } from './deals/deals.module.js';
import { notificationsModule } from './notifications/notifications.module.js';
import { tasksModule } from './tasks/tasks.module.js';
import { settingsModule } from './settings/settings.module.js';
import { invoicesModule } from './invoices/invoices.module.js';
import { formsModule } from './forms/forms.module.js';
import { leadsModule } from './leads/leads.module.js';
import { automationModule } from './automation/automation.module.js';
import { productionModule } from './production/production.module.js';
import { reviewsModule } from './reviews/reviews.module.js';
import { reportsModule } from './reports/reports.module.js';
import { plansModule } from './plans/plans.module.js';
import { eventsModule } from './events/events.module.js';
import { demoModule } from './demo/demo.module.js';
import { auditModule } from './audit/audit.module.js';
import { exportsModule } from './exports/exports.module.js';
import { importsModule } from './imports/imports.module.js';
import { backupModule } from './backup/backup.module.js';

export const modules: ModuleDef[] = [
  healthModule,
  usersModule,
  authModule,
  departmentsModule,
  clientsModule,
  timelineModule,
  lossReasonsModule,
  pipelinesModule,
  productsModule,
  dealsModule,
  notificationsModule,
  tasksModule,
  settingsModule,
  invoicesModule,
  formsModule,
  leadsModule,
  automationModule,
  productionModule,
  reviewsModule,
  reportsModule,
  plansModule,
  auditModule,
  importsModule,
  backupModule,
  eventsModule,
  demoModule,
  exportsModule,
];
