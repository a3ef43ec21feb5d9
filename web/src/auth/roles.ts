import { ROLES, type Role } from '../api/types';

export { ROLES, type Role };

/** i18n key of a role's UI name (Администратор, Собственник, …). */
export function roleLabelKey(role: Role | string): string {
  return `roles.${role}`;
}

/** `roles` undefined or empty means "every signed-in user". */
export function hasRole(role: Role | undefined, roles: readonly Role[] | undefined): boolean {
  if (!roles || roles.length === 0) return true;
  return role !== undefined && roles.includes(role);
}
