import { lazy } from 'react';
import { IconInbox } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Лиды»: requests from the site, calls and mail (MISSION item 7). Not for the accountant and production (DESIGN §6). */
export const leadsModule: ModuleDefinition = {
  key: 'leads',
  path: '/leads',
  labelKey: 'nav.leads',
  icon: IconInbox,
  access: (a) => a.can('lead'),
  element: lazy(() => import('./LeadsSection')),
};
