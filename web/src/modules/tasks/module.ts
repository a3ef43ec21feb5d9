import { lazy } from 'react';
import { IconChecklist } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Задачи»: my tasks (today, overdue, this week), recurring control tasks, reminders. Every role. */
export const tasksModule: ModuleDefinition = {
  key: 'tasks',
  path: '/tasks',
  labelKey: 'nav.tasks',
  icon: IconChecklist,
  element: lazy(() => import('./TasksPage')),
};
