import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, assertRole, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import type { User } from '../../../common/api/users.js';
import { assertPasswordPolicy, hashPassword } from '../auth/passwords.js';
import { toUser, usersRepo, type UserRow } from './users.repo.js';

export { toUser, type UserRow };

declare module '../../platform/context.js' {
  interface Services {
    users: UsersService;
  }
}

export interface CreateUserInput {
  email: string;
  name: string;
  role: User['role'];
  password: string;
  departmentId?: string | null;
}

export class UsersService {
  constructor(private ctx: Ctx) {}

  async list(
    actor: Actor,
    q: { limit: number; cursor?: string; departmentId?: string; role?: string; active?: boolean },
  ): Promise<Page<User>> {
    assertCan(actor, 'user', 'read');
    const after = decodeCursor(q.cursor, 'string');
    const rows = await usersRepo.list(this.ctx.db, {
      limit: q.limit,
      departmentId: q.departmentId,
      role: q.role,
      active: q.active,
      afterName: after ? { name: after.key, id: after.id } : undefined,
    });
    return toPage(rows, q.limit, toUser, (r) => encodeCursor(r.name, r.id));
  }

  async get(actor: Actor, id: string, exec: Executor = this.ctx.db): Promise<User> {
    assertCan(actor, 'user', 'read');
    const row = await usersRepo.findById(exec, id);
    if (!row) throw notFound();
    return toUser(row);
  }

  /** An active user by id without a permission check (a job acting for the user who started it), else null. */
  async findActive(id: string, exec: Executor = this.ctx.db): Promise<User | null> {
    const row = await usersRepo.findById(exec, id);
    return row && row.active === 1 ? toUser(row) : null;
  }

  /** Every active user's id, name and e-mail (imports match «Ответственный» by name or e-mail; no permission check). */
  async activeDirectory(exec: Executor = this.ctx.db): Promise<{ id: string; name: string; email: string }[]> {
    return usersRepo.activeDirectory(exec);
  }

  /** The stored record with its password hash, for the login check only (auth module). */
  findForLogin(email: string): Promise<UserRow | undefined> {
    return usersRepo.findByEmail(this.ctx.db, email);
  }

  /** id → name of the given users, without a permission check (list exports show who is responsible). */
  async names(ids: Iterable<string | null | undefined>, exec: Executor = this.ctx.db): Promise<Map<string, string>> {
    const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
    const rows = await usersRepo.names(exec, wanted);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  count(): Promise<number> {
    return usersRepo.count(this.ctx.db);
  }

  async exists(id: string): Promise<boolean> {
    return (await usersRepo.findById(this.ctx.db, id)) !== undefined;
  }

  /** Moves a user into a department inside the caller's transaction (departments: the head belongs to his department). */
  async setDepartment(trx: Executor, userId: string, departmentId: string): Promise<void> {
    await usersRepo.setDepartment(trx, userId, departmentId);
  }

  /**
   * The one-time setup's admin. Two racing setups: only the first user may stay admin-by-setup; the loser's
   * account is removed and `setup_done` thrown.
   */
  async createFirstAdmin(input: { email: string; name: string; password: string }): Promise<User> {
    const user = await this.createUnchecked({ ...input, role: 'admin' });
    const first = await usersRepo.first(this.ctx.db);
    if (first.id !== user.id) {
      await usersRepo.deleteById(this.ctx.db, user.id);
      throw new AppError('setup_done');
    }
    return user;
  }

  /** Creates a user without an actor check: used by setup, the CLI and the admin route. */
  async createUnchecked(input: CreateUserInput): Promise<User> {
    assertPasswordPolicy(input.password, 'password', { email: input.email, name: input.name });
    const email = input.email.trim().toLowerCase();
    if (await usersRepo.findByEmail(this.ctx.db, email)) throw new AppError('email_taken', { fields: { email: 'Этот e-mail уже занят' } });
    if (input.departmentId) await this.assertDepartment(input.departmentId);
    const now = new Date().toISOString();
    try {
      const row = await usersRepo.insert(this.ctx.db, {
        id: newId(),
        email,
        name: input.name.trim(),
        role: input.role,
        department_id: input.departmentId ?? null,
        password_hash: await hashPassword(input.password),
        active: 1,
        created_at: now,
        updated_at: now,
      });
      return toUser(row);
    } catch (err) {
      // A concurrent insert of the same e-mail loses on the unique index.
      if (/unique|duplicate/i.test(String((err as Error).message)))
        throw new AppError('email_taken', { fields: { email: 'Этот e-mail уже занят' } });
      throw err;
    }
  }

  async create(actor: Actor, input: CreateUserInput): Promise<User> {
    assertRole(actor, 'admin');
    const user = await this.createUnchecked(input);
    await this.ctx.audit.write({
      userId: actor.id,
      action: 'user.create',
      entity: 'user',
      entityId: user.id,
      data: { name: user.name, email: user.email, role: user.role, departmentId: user.departmentId },
    });
    return user;
  }

  async update(
    actor: Actor,
    id: string,
    patch: { name?: string; role?: User['role']; departmentId?: string | null; active?: boolean; password?: string; version?: number },
  ): Promise<User> {
    assertRole(actor, 'admin');
    const current = await usersRepo.findById(this.ctx.db, id);
    if (!current) throw notFound();
    if (patch.active === false && id === actor.id) {
      throw new AppError('business_rule', {
        message: 'Нельзя отключить собственную учётную запись',
        messageEn: 'You cannot deactivate your own account',
        fields: { active: 'Нельзя отключить себя' },
      });
    }
    if (patch.password !== undefined)
      assertPasswordPolicy(patch.password, 'password', { email: current.email, name: patch.name ?? current.name });
    if (patch.departmentId) await this.assertDepartment(patch.departmentId);
    const set: Parameters<typeof usersRepo.update>[2] = { updated_at: new Date().toISOString() };
    if (patch.name !== undefined) set.name = patch.name.trim();
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.departmentId !== undefined) set.department_id = patch.departmentId;
    if (patch.active !== undefined) set.active = patch.active ? 1 : 0;
    if (patch.password !== undefined) set.password_hash = await hashPassword(patch.password);
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const updated = await usersRepo.update(trx, id, set, patch.version);
      if (!updated) return undefined;
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'user.update',
          entity: 'user',
          entityId: id,
          data: userChanges(current, updated, patch.password !== undefined),
        },
        trx,
      );
      // Deactivation or a new password ends every session at once (and API tokens stop working: auth checks `active`).
      if (patch.active === false || patch.password !== undefined) {
        await this.ctx.services.auth.endSessions(trx, id);
      }
      return updated;
    });
    if (!row) throw versionConflict();
    await this.ctx.services.auth.invalidateUser(id);
    if (patch.active === false) this.ctx.events.emit('session.revoked', {}, { userIds: [id] });
    return toUser(row);
  }

  /**
   * THE one answer to "who above `userId` gets the control tasks and escalations of his records" (a negative review's
   * control task, an overdue lead, an automation rule's «руководителю», …):
   * 1. the head of the user's department (`departments.head_id`, else an active head in it);
   * 2. for a user without a department (the owner, an admin) or in a department without a head: the company's head of
   *    sales (company settings `salesHeadId`, «Руководитель отдела продаж (для сотрудников без отдела)»);
   * 3. none configured: the user himself (never an unrelated head of another department).
   * Without a user (an unassigned lead) or for a deactivated one: the head of sales, else the first active owner/admin.
   * Pass the transaction (`exec`) when calling from one, e.g. a job handler (SQLite has a single connection).
   */
  async responsibleHeadFor(userId: string | null, exec: Executor = this.ctx.db): Promise<string | null> {
    const user = userId ? await usersRepo.findById(exec, userId) : undefined;
    if (user?.department_id) {
      const head = await usersRepo.headOfDepartment(exec, user.department_id);
      if (head) return head;
    }
    const salesHeadId = (await this.ctx.services.settings.company(exec, { images: false })).salesHeadId;
    if (salesHeadId && (await this.activeRole(salesHeadId, exec))) return salesHeadId;
    if (user && user.active === 1) return user.id;
    const owner = await exec
      .selectFrom('users')
      .select('id')
      .where('role', 'in', ['owner', 'admin'])
      .where('active', '=', 1)
      .orderBy('created_at')
      .executeTakeFirst();
    return owner?.id ?? null;
  }

  /** The department of a user (null: none, or no such user): to check a record owner against a department scope. */
  async departmentOf(userId: string | null, exec: Executor = this.ctx.db): Promise<string | null> {
    if (!userId) return null;
    return (await usersRepo.findById(exec, userId))?.department_id ?? null;
  }

  /** The role of an active user, or null (e.g. to check a user picked in the settings). */
  async activeRole(userId: string, exec: Executor = this.ctx.db): Promise<User['role'] | null> {
    const row = await usersRepo.findById(exec, userId);
    return row && row.active === 1 ? (row.role as User['role']) : null;
  }

  /** Ids of the active users of a role (e.g. the administrators told about a failed backup). */
  async activeIdsOfRole(role: User['role'], exec: Executor = this.ctx.db): Promise<string[]> {
    return usersRepo.activeIdsOfRole(exec, role);
  }

  private async assertDepartment(id: string) {
    if (!(await this.ctx.services.departments.exists(id)))
      throw new AppError('validation_failed', { fields: { departmentId: 'Такого отдела нет' } });
  }
}

/** What an update changed, for the audit log: `{role: {from, to}, …}` (a new password only as `password: true`). */
function userChanges(
  before: { name: string; role: string; department_id: string | null; active: number; email: string },
  after: { name: string; role: string; department_id: string | null; active: number },
  password: boolean,
): Record<string, unknown> {
  const changes: Record<string, unknown> = { name: after.name, email: before.email };
  if (before.role !== after.role) changes.role = { from: before.role, to: after.role };
  if (before.department_id !== after.department_id) changes.departmentId = { from: before.department_id, to: after.department_id };
  if (before.active !== after.active) changes.active = { from: before.active === 1, to: after.active === 1 };
  if (before.name !== after.name) changes.renamed = { from: before.name, to: after.name };
  if (password) changes.password = true;
  return changes;
}
