import type { Role } from '../../api/types';

/** Who opens «Клиенты» (DESIGN §6): everyone but production. */
export const CLIENT_VIEW_ROLES: readonly Role[] = ['admin', 'owner', 'head', 'manager', 'accountant'];

/** The accountant reads every client but changes nothing. */
export function canEditClients(role: Role | undefined): boolean {
  return role === 'admin' || role === 'owner' || role === 'head' || role === 'manager';
}

/** Reassign, merge, delete, «Создать всё равно» and the owner filter: head, owner, admin. */
export function canManageClients(role: Role | undefined): boolean {
  return role === 'admin' || role === 'owner' || role === 'head';
}

/** Roles that may own clients (the choices of «Передать другому менеджеру»). */
export const OWNER_ROLES: readonly Role[] = ['manager', 'head', 'owner', 'admin'];
