import { lazy } from 'react';
import { IconKey, IconSettings, IconSitemap, IconUsers } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

export const settingsModule: ModuleDefinition = {
  key: 'settings',
  path: '/settings',
  labelKey: 'nav.settings',
  icon: IconSettings,
  children: [
    {
      key: 'users',
      path: '/settings/users',
      labelKey: 'nav.users',
      icon: IconUsers,
      roles: ['admin'],
      element: lazy(() => import('./users/UsersPage')),
    },
    {
      key: 'departments',
      path: '/settings/departments',
      labelKey: 'nav.departments',
      icon: IconSitemap,
      roles: ['admin', 'owner'],
      element: lazy(() => import('./departments/DepartmentsPage')),
    },
    {
      key: 'api-tokens',
      path: '/settings/api-tokens',
      labelKey: 'nav.apiTokens',
      icon: IconKey,
      element: lazy(() => import('./apiTokens/ApiTokensPage')),
    },
  ],
};
