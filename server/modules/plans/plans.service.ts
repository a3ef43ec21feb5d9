import type { Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hasRole, type Actor } from '../../platform/permissions.js';
import type { Plan, PutPlanInput } from '../../../common/api/plans.js';
import { plansRepo, toPlan } from './plans.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    plans: PlansService;
  }
}

/** Roles a plan can be set for: the people who sell. */
const PLANNED_ROLES = new Set(['manager', 'head']);

/**
 * Sales plans: a target per employee, month and metric. Set by the owner and the admin for anybody who sells,
 * by a head for the people of his department (himself included). Read within the report scope: a manager his own,
 * a head his department, owner and admin all; accountant and production none (404).
 */
export class PlansService {
  constructor(private ctx: Ctx) {}

  private async assertMayPlan(actor: Actor, user: { id: string; department_id: string | null }): Promise<void> {
    if (hasRole(actor, 'admin', 'owner')) return;
    if (hasRole(actor, 'head') && actor.departmentId && (user.id === actor.id || user.department_id === actor.departmentId)) return;
    if (hasRole(actor, 'head')) {
      throw new AppError('forbidden', {
        message: 'Руководитель ставит план только сотрудникам своего отдела',
        messageEn: 'A head sets plans for his own department only',
      });
    }
    throw new AppError('forbidden', {
      message: 'Планы ставят руководитель отдела, собственник или администратор',
      messageEn: 'Plans are set by a head, the owner or an admin',
    });
  }

  async put(actor: Actor, input: PutPlanInput): Promise<Plan> {
    if (!hasRole(actor, 'admin', 'owner', 'head')) await this.assertMayPlan(actor, { id: '', department_id: null });
    const user = await plansRepo.user(this.ctx.db, input.userId);
    if (!user) throw new AppError('validation_failed', { fields: { userId: 'Нет такого сотрудника' } });
    await this.assertMayPlan(actor, user);
    if (!user.active) throw new AppError('validation_failed', { fields: { userId: 'Сотрудник отключён' } });
    if (!PLANNED_ROLES.has(user.role))
      throw new AppError('validation_failed', { fields: { userId: 'План ставится менеджеру или руководителю отдела продаж' } });
    await plansRepo.upsert(this.ctx.db, {
      id: newId(),
      user_id: user.id,
      period: input.period,
      metric: input.metric,
      target: input.target,
      by: actor.id,
      now: new Date().toISOString(),
    });
    return toPlan((await plansRepo.find(this.ctx.db, user.id, input.period, input.metric))!);
  }

  async list(actor: Actor, q: { period?: string; userId?: string }): Promise<Plan[]> {
    const owners = await this.ctx.services.reports.owners(actor, { ownerId: q.userId });
    return (await plansRepo.list(this.ctx.db, { period: q.period, userIds: owners })).map(toPlan);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const plan = await plansRepo.findById(this.ctx.db, id);
    if (!plan) throw notFound();
    const owners = await this.ctx.services.reports.owners(actor, {});
    if (owners !== null && !owners.includes(plan.user_id)) throw notFound();
    const user = await plansRepo.user(this.ctx.db, plan.user_id);
    await this.assertMayPlan(actor, { id: plan.user_id, department_id: user?.department_id ?? null });
    await this.ctx.db.transaction().execute(async (trx) => {
      await plansRepo.remove(trx, id);
      const data = { userId: plan.user_id, userName: user?.name ?? null, period: plan.period, metric: plan.metric, target: plan.target };
      await this.ctx.audit.write({ userId: actor.id, action: 'plan.delete', entity: 'plan', entityId: id, data }, trx);
    });
  }

  /** Plans of a month for the plan/fact report, within the owners (null = all). */
  async forReport(period: string, owners: string[] | null): Promise<Plan[]> {
    return (await plansRepo.list(this.ctx.db, { period, userIds: owners })).map(toPlan);
  }
}
