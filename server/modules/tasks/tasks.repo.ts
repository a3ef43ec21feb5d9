import type { ExpressionBuilder, Expression, Selectable, SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { DB, TasksTable } from '../../platform/db/schema.js';
import type { Task } from '../../../common/api/tasks.js';

export type TaskRow = Selectable<TasksTable>;
export type TaskInsert = Omit<TaskRow, 'version'>;
/** A condition on `tasks` built by the service (the actor's scope). */
export type TaskWhere = (eb: ExpressionBuilder<DB, 'tasks'>) => Expression<SqlBool>;

export function toTask(r: TaskRow, now: number = Date.now()): Task {
  return {
    id: r.id,
    title: r.title,
    type: r.type as Task['type'],
    description: r.description,
    dueAt: r.due_at,
    assigneeId: r.assignee_id,
    authorId: r.author_id,
    clientId: r.client_id,
    dealId: r.deal_id,
    status: r.status as Task['status'],
    result: r.result,
    doneAt: r.done_at,
    recurrence: r.recurrence,
    remindAt: r.remind_at,
    remindBeforeMinutes: r.remind_before,
    source: r.source,
    overdue: r.status === 'open' && new Date(r.due_at).getTime() < now,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export interface TaskFilter {
  scope: TaskWhere;
  assigneeId?: string;
  status?: string;
  clientId?: string;
  dealId?: string;
  type?: string;
  /** due_at >= from */
  dueFrom?: string;
  /** due_at < to */
  dueTo?: string;
}

function applyFilter<Q extends { where: any }>(q: Q, f: TaskFilter): Q {
  let r: any = q.where(f.scope);
  if (f.assigneeId) r = r.where('tasks.assignee_id', '=', f.assigneeId);
  if (f.status) r = r.where('tasks.status', '=', f.status);
  if (f.clientId) r = r.where('tasks.client_id', '=', f.clientId);
  if (f.dealId) r = r.where('tasks.deal_id', '=', f.dealId);
  if (f.type) r = r.where('tasks.type', '=', f.type);
  if (f.dueFrom) r = r.where('tasks.due_at', '>=', f.dueFrom);
  if (f.dueTo) r = r.where('tasks.due_at', '<', f.dueTo);
  return r as Q;
}

export const tasksRepo = {
  findById(db: Executor, id: string, scope?: TaskWhere) {
    let q = db.selectFrom('tasks').selectAll().where('id', '=', id);
    if (scope) q = q.where(scope);
    return q.executeTakeFirst();
  },
  findByDedupeKey(db: Executor, key: string) {
    return db.selectFrom('tasks').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
  },
  /** Sorted by due_at, id; keyset after (dueAt, id). */
  list(db: Executor, f: TaskFilter & { limit: number; after?: { dueAt: string; id: string } }) {
    let q = applyFilter(db.selectFrom('tasks').selectAll(), f);
    if (f.after) {
      const { dueAt, id } = f.after;
      q = q.where((eb) => eb.or([eb('tasks.due_at', '>', dueAt), eb.and([eb('tasks.due_at', '=', dueAt), eb('tasks.id', '>', id)])]));
    }
    return q
      .orderBy('tasks.due_at')
      .orderBy('tasks.id')
      .limit(f.limit + 1)
      .execute();
  },
  async count(db: Executor, f: TaskFilter): Promise<number> {
    const r = await applyFilter(
      db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')),
      f,
    ).executeTakeFirstOrThrow();
    return Number(r.n);
  },
  /** Inserts; with a dedupe key already taken, inserts nothing and returns undefined. */
  insert(db: Executor, row: TaskInsert) {
    return db
      .insertInto('tasks')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returningAll()
      .executeTakeFirst();
  },
  /** Updates when `version` matches (or is not given) and `where` holds; returns the row or undefined. */
  update(db: Executor, id: string, patch: Partial<Omit<TaskRow, 'id' | 'version'>>, opts: { version?: number; status?: string } = {}) {
    let q = db
      .updateTable('tasks')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (opts.version !== undefined) q = q.where('version', '=', opts.version);
    if (opts.status !== undefined) q = q.where('status', '=', opts.status);
    return q.returningAll().executeTakeFirst();
  },
  delete(db: Executor, id: string) {
    return db.deleteFrom('tasks').where('id', '=', id).executeTakeFirst();
  },
  moveClient(db: Executor, fromId: string, toId: string, now: string) {
    return db
      .updateTable('tasks')
      .set((eb) => ({ client_id: toId, updated_at: now, version: eb('version', '+', 1) }))
      .where('client_id', '=', fromId)
      .execute();
  },
  reassignOpenForClient(db: Executor, clientId: string, fromUserId: string, toUserId: string, now: string) {
    return db
      .updateTable('tasks')
      .set((eb) => ({ assignee_id: toUserId, updated_at: now, version: eb('version', '+', 1) }))
      .where('client_id', '=', clientId)
      .where('assignee_id', '=', fromUserId)
      .where('status', '=', 'open')
      .returning(['id'])
      .execute();
  },
  findUser(db: Executor, id: string) {
    return db.selectFrom('users').select(['id', 'name', 'role', 'department_id', 'active']).where('id', '=', id).executeTakeFirst();
  },
};
