import { lazy } from 'react';
import { IconBuildingFactory2 } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';
import { PRODUCTION_VIEW_ROLES } from './roles';

/** «Производство»: the board of production orders (queued / in progress / done). */
export const productionModule: ModuleDefinition = {
  key: 'production',
  path: '/production',
  labelKey: 'nav.production',
  icon: IconBuildingFactory2,
  roles: PRODUCTION_VIEW_ROLES,
  element: lazy(() => import('./ProductionPage')),
};
