import type { ComponentType, LazyExoticComponent } from 'react';
import type { TablerIcon } from '@tabler/icons-react';
import type { Role } from '../api/types';
import type { Access } from '../auth/permissions';

/** A page component; use `lazy(() => import('./Page'))` so each section is its own chunk. */
export type PageComponent = ComponentType | LazyExoticComponent<ComponentType>;

/** Navbar sections in their fixed order (DESIGN: the CRM's main menu). */
export const SECTION_ORDER = ['clients', 'deals', 'tasks', 'leads', 'invoices', 'production', 'reviews', 'reports', 'settings'] as const;
export type SectionKey = (typeof SECTION_ORDER)[number];

/** A sub-page of a section, e.g. Настройки → Пользователи. */
export interface SubPage {
  key: string;
  /** Absolute path, e.g. `/settings/users`. */
  path: string;
  labelKey: string;
  icon?: TablerIcon;
  /** Who may open it; undefined = every signed-in user. */
  roles?: readonly Role[];
  /** Who may open it, from the permissions the server sent (preferred to `roles`). */
  access?: (access: Access) => boolean;
  element: PageComponent;
}

/** What a feature module registers in `registry.ts`. */
export interface ModuleDefinition {
  key: SectionKey;
  /** Absolute path of the section, e.g. `/clients`. Deep routes below it are handled by `element` (`path/*`). */
  path: string;
  /** i18n key of the navbar label, e.g. `nav.clients`. */
  labelKey: string;
  icon: TablerIcon;
  /** Who sees the section; undefined = every signed-in user. */
  roles?: readonly Role[];
  /** Who sees the section, from the permissions the server sent (preferred to `roles`). */
  access?: (access: Access) => boolean;
  /** The section's page. Without it, the section path opens its first allowed sub-page. */
  element?: PageComponent;
  /** Sub-pages shown nested in the navbar. */
  children?: readonly SubPage[];
  /** If set, the header shows the global search box, which opens `searchPath(q)`. */
  searchPath?: (query: string) => string;
}
