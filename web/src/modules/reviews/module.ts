import { lazy } from 'react';
import { IconMessageStar } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';

/** «Отзывы»: the review base (seed step 13). Not for production and the accountant (DESIGN §6). */
export const reviewsModule: ModuleDefinition = {
  key: 'reviews',
  path: '/reviews',
  labelKey: 'nav.reviews',
  icon: IconMessageStar,
  access: (a) => a.can('review'),
  element: lazy(() => import('./ReviewsPage')),
};
