import { lazy } from 'react';
import { IconLayoutKanban } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Сделки»: kanban per pipeline, list, deal card. Everyone but production (DESIGN §6). */
export const dealsModule: ModuleDefinition = {
  key: 'deals',
  path: '/deals',
  labelKey: 'nav.deals',
  icon: IconLayoutKanban,
  access: (a) => a.can('deal'),
  element: lazy(() => import('./DealsSection')),
};
