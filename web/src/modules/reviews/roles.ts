import type { Role } from '../../api/types';

/** Reviews follow the client's owner: manager — his clients, head — his department, owner/admin — all. */
export const REVIEW_ROLES: readonly Role[] = ['admin', 'owner', 'head', 'manager'];

export function canSeeReviews(role: Role | undefined): boolean {
  return role !== undefined && REVIEW_ROLES.includes(role);
}
