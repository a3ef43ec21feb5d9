import { lazy } from 'react';
import {
  IconBuildingBank,
  IconKey,
  IconLayoutKanban,
  IconPackage,
  IconSettings,
  IconSitemap,
  IconThumbDown,
  IconUsers,
} from '@tabler/icons-react';
import { IconRobot } from '@tabler/icons-react';
import { IconForms } from '@tabler/icons-react';
import { IconHistory, IconFileImport, IconDatabaseExport } from '@tabler/icons-react';
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
      key: 'company',
      path: '/settings/company',
      labelKey: 'nav.company',
      icon: IconBuildingBank,
      roles: ['admin', 'owner', 'head', 'manager', 'accountant'],
      element: lazy(() => import('../company/CompanySettingsPage')),
    },
    {
      key: 'api-tokens',
      path: '/settings/api-tokens',
      labelKey: 'nav.apiTokens',
      icon: IconKey,
      element: lazy(() => import('./apiTokens/ApiTokensPage')),
    },
    {
      key: 'pipelines',
      path: '/settings/pipelines',
      labelKey: 'nav.pipelines',
      icon: IconLayoutKanban,
      roles: ['admin'],
      element: lazy(() => import('../deals/settings/PipelinesPage')),
    },
    {
      key: 'products',
      path: '/settings/products',
      labelKey: 'nav.products',
      icon: IconPackage,
      roles: ['admin', 'accountant', 'owner'],
      element: lazy(() => import('../deals/settings/ProductsPage')),
    },
    {
      key: 'loss-reasons',
      path: '/settings/loss-reasons',
      labelKey: 'nav.lossReasons',
      icon: IconThumbDown,
      roles: ['admin'],
      element: lazy(() => import('../deals/settings/LossReasonsPage')),
    },
    {
      key: 'automation',
      path: '/settings/automation',
      labelKey: 'nav.automation',
      icon: IconRobot,
      roles: ['admin', 'owner', 'head'],
      element: lazy(() => import('../automation/AutomationPage')),
    },
    {
      key: 'forms',
      path: '/settings/forms',
      labelKey: 'nav.webForms',
      icon: IconForms,
      roles: ['admin', 'owner', 'head'],
      element: lazy(() => import('../forms/FormsSection')),
    },
    {
      key: 'imports',
      path: '/settings/imports',
      labelKey: 'nav.imports',
      icon: IconFileImport,
      access: (a) => a.has('data.import'),
      element: lazy(() => import('../imports/ImportPage')),
    },
    {
      key: 'audit',
      path: '/settings/audit',
      labelKey: 'nav.audit',
      icon: IconHistory,
      roles: ['admin', 'owner'],
      element: lazy(() => import('../audit/AuditPage')),
    },
    {
      key: 'backups',
      path: '/settings/backups',
      labelKey: 'nav.backups',
      icon: IconDatabaseExport,
      access: (a) => a.can('backup'),
      element: lazy(() => import('../backup/BackupsPage')),
    },
  ],
};
