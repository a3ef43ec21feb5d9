import type { Role } from '../../api/types';

/** Who opens the board (DESIGN §6): production works it, the rest watch (head, manager read-only). */
export const PRODUCTION_VIEW_ROLES: readonly Role[] = ['production', 'admin', 'owner', 'head', 'manager'];

/** Who changes orders: status, assignee, due date, comment. */
export function canWriteOrders(role: Role | undefined): boolean {
  return role === 'production' || role === 'admin' || role === 'owner';
}

/** Production does not see deals and clients: links to them only for the sales side. */
export function seesDeals(role: Role | undefined): boolean {
  return role !== undefined && role !== 'production';
}

/** Only an admin steps an order back (one step). */
export function canStepBack(role: Role | undefined): boolean {
  return role === 'admin';
}
