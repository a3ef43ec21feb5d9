import type { Ctx } from '../../platform/context.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, assertRole, type Actor } from '../../platform/permissions.js';
import type { Department } from '../../../common/api/users.js';
import { departmentsRepo, toDepartment } from './departments.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    departments: DepartmentsService;
  }
}

export class DepartmentsService {
  constructor(private ctx: Ctx) {}

  async list(actor: Actor): Promise<Department[]> {
    assertCan(actor, 'department', 'read');
    return (await departmentsRepo.list(this.ctx.db)).map(toDepartment);
  }

  async exists(id: string): Promise<boolean> {
    return (await departmentsRepo.findById(this.ctx.db, id)) !== undefined;
  }

  async get(actor: Actor, id: string): Promise<Department> {
    assertCan(actor, 'department', 'read');
    const row = await departmentsRepo.findById(this.ctx.db, id);
    if (!row) throw notFound();
    return toDepartment(row);
  }

  async create(actor: Actor, input: { name: string; headId?: string | null }): Promise<Department> {
    assertRole(actor, 'admin');
    if (input.headId) await this.assertUser(input.headId);
    const id = newId();
    const now = new Date().toISOString();
    await this.ctx.db.transaction().execute(async (trx) => {
      await departmentsRepo.insert(trx, { id, name: input.name.trim(), head_id: input.headId ?? null, created_at: now, updated_at: now });
      const data = { name: input.name.trim(), headId: input.headId ?? null };
      await this.ctx.audit.write({ userId: actor.id, action: 'department.create', entity: 'department', entityId: id, data }, trx);
      // The head belongs to the department he leads.
      if (input.headId) await this.ctx.services.users.setDepartment(trx, input.headId, id);
    });
    if (input.headId) await this.ctx.services.auth.invalidateUser(input.headId);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: { name?: string; headId?: string | null; version?: number }): Promise<Department> {
    assertRole(actor, 'admin');
    const before = await departmentsRepo.findById(this.ctx.db, id);
    if (!before) throw notFound();
    if (patch.headId) await this.assertUser(patch.headId);
    const ok = await this.ctx.db.transaction().execute(async (trx) => {
      const res = await departmentsRepo.update(
        trx,
        id,
        {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.headId !== undefined ? { head_id: patch.headId } : {}),
          updated_at: new Date().toISOString(),
        },
        patch.version,
      );
      if (Number(res.numUpdatedRows) === 0) return false;
      const data = {
        name: patch.name?.trim() ?? before.name,
        ...(patch.name !== undefined && patch.name.trim() !== before.name ? { renamed: { from: before.name, to: patch.name.trim() } } : {}),
        ...(patch.headId !== undefined && patch.headId !== before.head_id ? { headId: { from: before.head_id, to: patch.headId } } : {}),
      };
      await this.ctx.audit.write({ userId: actor.id, action: 'department.update', entity: 'department', entityId: id, data }, trx);
      if (patch.headId) await this.ctx.services.users.setDepartment(trx, patch.headId, id);
      return true;
    });
    if (!ok) throw versionConflict();
    if (patch.headId) await this.ctx.services.auth.invalidateUser(patch.headId);
    return this.get(actor, id);
  }

  private async assertUser(id: string) {
    if (!(await this.ctx.services.users.exists(id)))
      throw new AppError('validation_failed', { fields: { headId: 'Такого пользователя нет' } });
  }
}
