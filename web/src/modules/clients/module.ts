import { lazy } from 'react';
import { IconAddressBook } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';
import { CLIENT_VIEW_ROLES } from './access';

/** «Клиенты»: the client base, client cards and the global search (`/clients/search?q=`). */
export const clientsModule: ModuleDefinition = {
  key: 'clients',
  path: '/clients',
  labelKey: 'nav.clients',
  icon: IconAddressBook,
  roles: CLIENT_VIEW_ROLES,
  element: lazy(() => import('./ClientsSection')),
  searchPath: (q) => '/clients/search?q=' + encodeURIComponent(q),
};
