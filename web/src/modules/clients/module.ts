import { lazy } from 'react';
import { IconAddressBook } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Клиенты»: the client base, client cards and the global search (`/clients/search?q=`). */
export const clientsModule: ModuleDefinition = {
  key: 'clients',
  path: '/clients',
  labelKey: 'nav.clients',
  icon: IconAddressBook,
  access: (a) => a.can('client'),
  element: lazy(() => import('./ClientsSection')),
  searchPath: (q) => '/clients/search?q=' + encodeURIComponent(q),
};
