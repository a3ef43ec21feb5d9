import type { Role } from '../api/types';
import { hasRole } from '../auth/roles';
import type { Access } from '../auth/permissions';
import { clientsModule } from './clients/module';
import { dealsModule } from './deals/module';
import { invoicesModule } from './invoices/module';
import { leadsModule } from './leads/module';
import { productionModule } from './production/module';
import { reportsModule } from './reports/module';
import { reviewsModule } from './reviews/module';
import { settingsModule } from './settings/module';
import { tasksModule } from './tasks/module';
import { SECTION_ORDER, type ModuleDefinition, type SubPage } from './types';

export type { ModuleDefinition, SubPage } from './types';

/**
 * Every feature module of the web UI. A section that is not listed here is not shown.
 * To add one: create `modules/<domain>/module.ts` exporting a `ModuleDefinition`
 * (key, path, labelKey, icon, roles, lazy element) and append it to this array.
 * The navbar order is SECTION_ORDER, whatever the order here.
 */
const registered: ModuleDefinition[] = [
  clientsModule,
  dealsModule,
  invoicesModule,
  settingsModule,
  tasksModule,
  productionModule,
  reviewsModule,
  leadsModule,
  reportsModule,
];

export const modules: readonly ModuleDefinition[] = [...registered].sort(
  (a, b) => SECTION_ORDER.indexOf(a.key) - SECTION_ORDER.indexOf(b.key),
);

/** Whether a section or sub-page is open to the user: its `roles` and its `access` rule (the server's permissions). */
export function allowed(page: Pick<SubPage, 'roles' | 'access'>, role: Role | undefined, access: Access | undefined): boolean {
  return hasRole(role, page.roles) && (!page.access || (access !== undefined && page.access(access)));
}

/** The sub-pages of a module the user may open. */
export function visibleChildren(module: ModuleDefinition, role: Role | undefined, access?: Access): SubPage[] {
  return (module.children ?? []).filter((child) => allowed(child, role, access));
}

/** Modules the user may open: allowed, and having a page or at least one allowed sub-page. */
export function visibleModules(role: Role | undefined, list: readonly ModuleDefinition[] = modules, access?: Access): ModuleDefinition[] {
  return list.filter(
    (module) => allowed(module, role, access) && (module.element !== undefined || visibleChildren(module, role, access).length > 0),
  );
}

/** The module providing the global search box, if any (the first in navbar order). */
export function searchModule(role: Role | undefined, access?: Access): ModuleDefinition | undefined {
  return visibleModules(role, modules, access).find((module) => module.searchPath);
}
