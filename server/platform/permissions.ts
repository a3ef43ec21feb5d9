/**
 * The one place that answers "may this user see or change this record" (DESIGN §6).
 * Policies are per role and resource; a scope becomes a SQL condition on the record's owner column(s),
 * so lists, searches, counts and sums all filter the same way. Out of scope reads are 404, not 403.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { AppError } from './errors.js';
import { resourceValues, type Ability, type Action, type Permissions, type Resource, type Scope } from '../../common/api/permissions.js';

export type { Ability, Action, Permissions, Resource, Scope };

export const roles = ['admin', 'owner', 'head', 'manager', 'accountant', 'production'] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  departmentId: string | null;
}

type Policy = Partial<Record<Resource, { read: Scope; write: Scope }>>;

const rw = (read: Scope, write: Scope = read) => ({ read, write });

const policies: Record<Role, Policy> = {
  admin: {
    client: rw('all'),
    deal: rw('all'),
    task: rw('all'),
    lead: rw('all'),
    invoice: rw('all'),
    product: rw('all'),
    production_order: rw('all'),
    review: rw('all'),
    report: rw('all'),
    user: rw('all'),
    department: rw('all'),
    settings: rw('all'),
    pipeline: rw('all'),
    automation: rw('all'),
    form: rw('all'),
    audit: rw('all'),
    backup: rw('all'),
  },
  owner: {
    client: rw('all'),
    deal: rw('all'),
    task: rw('all'),
    lead: rw('all'),
    invoice: rw('all'),
    product: rw('all'),
    production_order: rw('all'),
    review: rw('all'),
    report: rw('all'),
    user: rw('all', 'none'),
    department: rw('all', 'none'),
    settings: rw('all', 'none'),
    pipeline: rw('all', 'none'),
    automation: rw('all', 'none'),
    form: rw('all', 'none'),
    audit: rw('all', 'none'),
    // The owner sees how the data is protected; creating and downloading (the whole database) is the admin's.
    backup: rw('all', 'none'),
  },
  head: {
    client: rw('department'),
    deal: rw('department'),
    task: rw('department'),
    lead: rw('department'),
    invoice: rw('department'),
    product: rw('all', 'none'),
    production_order: rw('department', 'none'),
    review: rw('department'),
    report: rw('department'),
    user: rw('all', 'none'),
    department: rw('all', 'none'),
    settings: rw('all', 'none'),
    pipeline: rw('all', 'none'),
    form: rw('all', 'none'),
  },
  manager: {
    client: rw('own'),
    deal: rw('own'),
    task: rw('own'),
    lead: rw('own'),
    invoice: rw('own'),
    product: rw('all', 'none'),
    production_order: rw('own', 'none'),
    review: rw('own'),
    report: rw('own'),
    user: rw('all', 'none'),
    department: rw('all', 'none'),
    settings: rw('all', 'none'),
    pipeline: rw('all', 'none'),
  },
  accountant: {
    client: rw('all', 'none'),
    deal: rw('all', 'none'),
    invoice: rw('all'),
    product: rw('all'),
    task: rw('own'),
    user: rw('all', 'none'),
    department: rw('all', 'none'),
    settings: rw('all', 'none'),
    pipeline: rw('all', 'none'),
  },
  production: {
    production_order: rw('all'),
    task: rw('own'),
    user: rw('all', 'none'),
    department: rw('all', 'none'),
    pipeline: rw('all', 'none'),
    settings: rw('all', 'none'),
  },
};

export function scopeOf(actor: Actor, resource: Resource, action: Action): Scope {
  const scope = policies[actor.role]?.[resource]?.[action] ?? 'none';
  // A head without a department has nobody to lead: he sees only his own records.
  if (scope === 'department' && !actor.departmentId) return 'own';
  return scope;
}

export function can(actor: Actor, resource: Resource, action: Action): boolean {
  return scopeOf(actor, resource, action) !== 'none';
}

/** Throws 403 (or 404 for reads, so existence does not leak) when the role has no access at all. */
export function assertCan(actor: Actor, resource: Resource, action: Action): void {
  if (!can(actor, resource, action)) throw new AppError(action === 'read' ? 'not_found' : 'forbidden');
}

/** Rights that are not a scope on records (common/api/permissions.ts names them): the roles that have each. */
const abilityRoles: Record<Ability, readonly Role[]> = {
  'client.manage': ['head', 'owner', 'admin'],
  'deal.reopen': ['head', 'owner', 'admin'],
  'invoice.cancel': ['accountant', 'head', 'owner', 'admin'],
  'payment.delete': ['admin', 'accountant'],
  'production_order.step_back': ['admin'],
  'data.import': ['head', 'admin'],
};

/** Roles whose users may own clients and deals. */
export const ownerRoles: readonly Role[] = ['manager', 'head', 'owner', 'admin'];

export function hasAbility(actor: Actor, ability: Ability): boolean {
  return abilityRoles[ability].includes(actor.role);
}

/** Throws 403 without the ability (with the caller's own message when given). */
export function assertAbility(actor: Actor, ability: Ability, message?: { message: string; messageEn: string }): void {
  if (!hasAbility(actor, ability)) throw new AppError('forbidden', message);
}

/** What the actor may do, for the web UI (sent with the session): the same rules the services enforce. */
export function permissionsOf(actor: Actor): Permissions {
  const scopes = {} as Permissions['scopes'];
  for (const resource of resourceValues)
    scopes[resource] = { read: scopeOf(actor, resource, 'read'), write: scopeOf(actor, resource, 'write') };
  return {
    scopes,
    abilities: (Object.keys(abilityRoles) as Ability[]).filter((ability) => hasAbility(actor, ability)),
    ownerRoles: [...ownerRoles],
  };
}

export function hasRole(actor: Actor, ...allowed: Role[]): boolean {
  return allowed.includes(actor.role);
}

export function assertRole(actor: Actor, ...allowed: Role[]): void {
  if (!hasRole(actor, ...allowed)) throw new AppError('forbidden');
}

/**
 * SQL condition restricting `ownerColumns` (any of them, e.g. owner_id or assignee_id) to the actor's scope.
 * Use in every list, search, count and sum: `.where((eb) => scopeCondition(eb, actor, 'deal', 'read', ['deals.owner_id']))`.
 */
export function scopeCondition<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  actor: Actor,
  resource: Resource,
  action: Action,
  ownerColumns: string[],
): Expression<SqlBool> {
  const scope = scopeOf(actor, resource, action);
  if (scope === 'all') return sql<boolean>`1 = 1`;
  if (scope === 'none') return sql<boolean>`1 = 0`;
  const refs = ownerColumns.map((c) => sql.ref(c));
  if (scope === 'own') {
    return eb.or(refs.map((ref) => eb(ref as any, '=', actor.id)));
  }
  const deptUsers = sql`(select u.id from users u where u.department_id = ${actor.departmentId})`;
  return eb.or(refs.map((ref) => eb.or([eb(ref as any, '=', actor.id), sql<boolean>`${ref} in ${deptUsers}`])));
}

/** In-memory check for an already loaded record (e.g. after a join), same rules as scopeCondition. */
export function inScope(
  actor: Actor,
  resource: Resource,
  action: Action,
  owners: { userId: string | null; departmentId: string | null }[],
): boolean {
  const scope = scopeOf(actor, resource, action);
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  if (scope === 'own') return owners.some((o) => o.userId === actor.id);
  return owners.some((o) => o.userId === actor.id || (o.departmentId !== null && o.departmentId === actor.departmentId));
}

/**
 * Records that nobody owns yet which a scope still sees: a head distributes the unassigned leads («Неразобранные»).
 * The leads list and the live events both ask this.
 */
export function seesUnassigned(actor: Actor, resource: Resource, action: Action): boolean {
  return resource === 'lead' && scopeOf(actor, resource, action) === 'department';
}

/**
 * May the actor read a record owned by any of `owners` (userId null: unassigned)? The one check the live-event bus
 * makes before it delivers an event about a record; same rules as scopeCondition/inScope.
 */
export function mayRead(actor: Actor, resource: Resource, owners: { userId: string | null; departmentId: string | null }[]): boolean {
  if (inScope(actor, resource, 'read', owners)) return true;
  return owners.some((o) => o.userId === null) && seesUnassigned(actor, resource, 'read');
}
