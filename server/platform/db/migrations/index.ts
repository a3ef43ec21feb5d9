import type { Migration } from 'kysely';
import * as platform from './001_platform.js';
import * as clients from './002_clients.js';
import * as deals from './003_deals.js';
import * as tasks from './004_tasks.js';
import * as leads from './005_leads.js';
import * as invoices from './006_invoices.js';
import * as automation from './007_automation.js';
import * as reports from './008_reports.js';
import * as audit from './009_audit.js';
import * as imports from './011_imports.js';
import * as backups from './010_backups.js';

/**
 * Every migration, by name; Kysely applies them in name order. A module adds its own file
 * (`NNN_<module>.ts`, next free number) and one line here. Migrations must run on both dialects.
 */
export const migrations: Record<string, Migration> = {
  '001_platform': platform,
  '002_clients': clients,
  '003_deals': deals,
  '004_tasks': tasks,
  '005_leads': leads,
  '006_invoices': invoices,
  '007_automation': automation,
  '008_reports': reports,
  '009_audit': audit,
  '011_imports': imports,
  '010_backups': backups,
};
