import { lazy } from 'react';
import { IconFileInvoice } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Счета»: the register of invoices and payments, the invoice card. Not for production (DESIGN §6). */
export const invoicesModule: ModuleDefinition = {
  key: 'invoices',
  path: '/invoices',
  labelKey: 'nav.invoices',
  icon: IconFileInvoice,
  access: (a) => a.can('invoice'),
  element: lazy(() => import('./InvoicesSection')),
};
