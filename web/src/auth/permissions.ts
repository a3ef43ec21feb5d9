/**
 * The one permissions helper of the web UI, fed by the server: GET /api/auth/me (and login, setup) carry the caller's
 * effective permissions, computed by server/platform/permissions.ts — the same rules the server enforces. Pages ask
 * `can('deal', 'write')`, `scopeOf('lead')`, `has('deal.reopen')`; never a role list of their own.
 */
import { useMemo } from 'react';
import type { Ability, Action, Permissions, Resource, Scope } from '../../../common/api/permissions';
import type { RoleName } from '../../../common/api/users';
import { useSession } from './useAuth';

export type { Ability, Action, Permissions, Resource, Scope };

export interface Access {
  /** Which records of a resource the user reads (default) or changes. */
  scopeOf(resource: Resource, action?: Action): Scope;
  /** Any access at all. */
  can(resource: Resource, action?: Action): boolean;
  /** Records of other people too (department or all): owner filters, assignment to others. */
  beyondOwn(resource: Resource, action?: Action): boolean;
  has(ability: Ability): boolean;
  /** Roles whose users may own clients and deals. */
  ownerRoles: readonly RoleName[];
}

const NOTHING: Permissions = { scopes: {} as Permissions['scopes'], abilities: [], ownerRoles: [] };

export function accessOf(permissions: Permissions | null | undefined): Access {
  const p = permissions ?? NOTHING;
  const scopeOf = (resource: Resource, action: Action = 'read'): Scope => p.scopes[resource]?.[action] ?? 'none';
  return {
    scopeOf,
    can: (resource, action) => scopeOf(resource, action) !== 'none',
    beyondOwn: (resource, action) => {
      const scope = scopeOf(resource, action);
      return scope === 'all' || scope === 'department';
    },
    has: (ability) => p.abilities.includes(ability),
    ownerRoles: p.ownerRoles,
  };
}

/** The signed-in user's permissions (nothing while signed out or loading). */
export function useAccess(): Access {
  const { data } = useSession();
  const permissions = data?.permissions;
  return useMemo(() => accessOf(permissions), [permissions]);
}
