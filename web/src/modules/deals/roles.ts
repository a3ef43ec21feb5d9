import type { Role } from '../../api/types';

/** Who changes deals (the accountant reads all, changes nothing; production has no deals). */
export const canWriteDeals = (role: Role) => role === 'admin' || role === 'owner' || role === 'head' || role === 'manager';
/** Who may return a won or lost deal to work. */
export const canReopenDeals = (role: Role) => role === 'admin' || role === 'owner' || role === 'head';
/** Who sees other people's deals, so the owner filter makes sense. */
export const seesOthersDeals = (role: Role) => role === 'admin' || role === 'owner' || role === 'head' || role === 'accountant';
/** Who may give a deal to someone else. */
export const canAssignDeals = (role: Role) => role === 'admin' || role === 'owner' || role === 'head';
