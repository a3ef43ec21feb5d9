import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { UsersTable } from '../../platform/db/schema.js';
import type { User } from '../../../common/api/users.js';

export type UserRow = Selectable<UsersTable>;

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as User['role'],
    departmentId: r.department_id,
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
  };
}

export const usersRepo = {
  activeDirectory(db: Executor) {
    return db.selectFrom('users').select(['id', 'name', 'email']).where('active', '=', 1).execute();
  },
  findById(db: Executor, id: string) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** Names of the given users (for exports that show a person, not an id). */
  names(db: Executor, ids: string[]) {
    return ids.length ? db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]);
  },
  async activeIdsOfRole(db: Executor, role: string): Promise<string[]> {
    const rows = await db.selectFrom('users').select('id').where('role', '=', role).where('active', '=', 1).orderBy('id').execute();
    return rows.map((r) => r.id);
  },
  findByEmail(db: Executor, email: string) {
    return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  },
  async count(db: Executor): Promise<number> {
    const r = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  list(
    db: Executor,
    opts: { afterName?: { name: string; id: string }; limit: number; departmentId?: string; role?: string; active?: boolean },
  ) {
    let q = db.selectFrom('users').selectAll();
    if (opts.departmentId) q = q.where('department_id', '=', opts.departmentId);
    if (opts.role) q = q.where('role', '=', opts.role);
    if (opts.active !== undefined) q = q.where('active', '=', opts.active ? 1 : 0);
    if (opts.afterName) {
      const { name, id } = opts.afterName;
      q = q.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
    }
    return q
      .orderBy('name')
      .orderBy('id')
      .limit(opts.limit + 1)
      .execute();
  },
  /** Moves a user into a department (a department's new head belongs to it); the version is left as it is. */
  setDepartment(db: Executor, id: string, departmentId: string) {
    return db.updateTable('users').set({ department_id: departmentId }).where('id', '=', id).execute();
  },
  deleteById(db: Executor, id: string) {
    return db.deleteFrom('users').where('id', '=', id).execute();
  },
  /** The first account ever created (setup races are decided by it). */
  first(db: Executor) {
    return db.selectFrom('users').select('id').orderBy('created_at').orderBy('id').executeTakeFirstOrThrow();
  },
  insert(db: Executor, row: Omit<UserRow, 'version'>) {
    return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
  },
  /** Updates when `version` matches (or is not given); returns the row or undefined on a stale version. */
  update(db: Executor, id: string, patch: Partial<Omit<UserRow, 'id' | 'version'>>, version?: number) {
    let q = db
      .updateTable('users')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },
  /** Heads of a department (its head_id, else users with role head in it). */
  async headOfDepartment(db: Executor, departmentId: string): Promise<string | null> {
    const dep = await db.selectFrom('departments').select('head_id').where('id', '=', departmentId).executeTakeFirst();
    if (dep?.head_id) return dep.head_id;
    const head = await db
      .selectFrom('users')
      .select('id')
      .where('department_id', '=', departmentId)
      .where('role', '=', 'head')
      .where('active', '=', 1)
      .orderBy('created_at')
      .executeTakeFirst();
    return head?.id ?? null;
  },
};
