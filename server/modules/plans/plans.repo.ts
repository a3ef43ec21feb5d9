import type { Executor } from '../../platform/db/connect.js';
import type { Plan, PlanMetric } from '../../../common/api/plans.js';

type Row = {
  id: string;
  user_id: string;
  user_name: string;
  period: string;
  metric: string;
  target: number | string;
  updated_at: string;
  version: number;
};

export const toPlan = (r: Row): Plan => ({
  id: r.id,
  userId: r.user_id,
  userName: r.user_name,
  period: r.period,
  metric: r.metric as PlanMetric,
  target: Number(r.target),
  updatedAt: r.updated_at,
  version: r.version,
});

const select = (db: Executor) =>
  db
    .selectFrom('plans as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id', 'p.user_id', 'u.name as user_name', 'p.period', 'p.metric', 'p.target', 'p.updated_at', 'p.version']);

export const plansRepo = {
  /** Insert or update the one plan of (user, period, metric). */
  async upsert(
    db: Executor,
    row: { id: string; user_id: string; period: string; metric: string; target: number; by: string; now: string },
  ): Promise<void> {
    await db
      .insertInto('plans')
      .values({
        id: row.id,
        user_id: row.user_id,
        period: row.period,
        metric: row.metric,
        target: row.target,
        created_by: row.by,
        updated_by: row.by,
        created_at: row.now,
        updated_at: row.now,
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'period', 'metric']).doUpdateSet((eb) => ({
          target: eb.ref('excluded.target'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
          version: eb('plans.version', '+', 1),
        })),
      )
      .execute();
  },
  find(db: Executor, userId: string, period: string, metric: string) {
    return select(db)
      .where('p.user_id', '=', userId)
      .where('p.period', '=', period)
      .where('p.metric', '=', metric)
      .executeTakeFirst() as Promise<Row | undefined>;
  },
  findById(db: Executor, id: string) {
    return select(db).where('p.id', '=', id).executeTakeFirst() as Promise<Row | undefined>;
  },
  /** Plans of the owners (null = everybody), by period and user. */
  list(db: Executor, f: { period?: string; userIds: string[] | null }) {
    let q = select(db);
    if (f.period) q = q.where('p.period', '=', f.period);
    if (f.userIds !== null) {
      if (!f.userIds.length) return Promise.resolve([] as Row[]);
      q = q.where('p.user_id', 'in', f.userIds);
    }
    return q.orderBy('p.period', 'desc').orderBy('u.name').orderBy('p.user_id').orderBy('p.metric').limit(5000).execute() as Promise<Row[]>;
  },
  remove(db: Executor, id: string) {
    return db.deleteFrom('plans').where('id', '=', id).execute();
  },
  user(db: Executor, id: string) {
    return db.selectFrom('users').select(['id', 'name', 'role', 'department_id', 'active']).where('id', '=', id).executeTakeFirst();
  },
};
