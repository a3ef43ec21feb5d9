import { lazy } from 'react';
import { IconBuildingFactory2 } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Производство»: the board of production orders (queued / in progress / done). */
export const productionModule: ModuleDefinition = {
  key: 'production',
  path: '/production',
  labelKey: 'nav.production',
  icon: IconBuildingFactory2,
  access: (a) => a.can('production_order'),
  element: lazy(() => import('./ProductionPage')),
};
