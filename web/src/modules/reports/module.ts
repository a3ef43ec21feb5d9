import { lazy } from 'react';
import { IconChartBar } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Отчёты»: funnel, sales builder, plan/fact, activity, client base, refusals, sources, reviews, correlation. */
export const reportsModule: ModuleDefinition = {
  key: 'reports',
  path: '/reports',
  labelKey: 'nav.reports',
  icon: IconChartBar,
  access: (a) => a.can('report'),
  element: lazy(() => import('./ReportsSection')),
};
