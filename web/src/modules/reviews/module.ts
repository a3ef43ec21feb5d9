import { lazy } from 'react';
import { IconMessageStar } from '@tabler/icons-react';
import type { ModuleDefinition } from '../types';
import { REVIEW_ROLES } from './roles';

/** «Отзывы»: the review base (seed step 13). Not for production and the accountant (DESIGN §6). */
export const reviewsModule: ModuleDefinition = {
  key: 'reviews',
  path: '/reviews',
  labelKey: 'nav.reviews',
  icon: IconMessageStar,
  roles: REVIEW_ROLES,
  element: lazy(() => import('./ReviewsPage')),
};
