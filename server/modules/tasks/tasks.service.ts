import type { Ctx } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { AppError, fieldError, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hasRole, scopeCondition, scopeOf, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { addDaysToDate, formatDateTimeRu, localDate, zonedMidnight } from '../../../common/dates.js';
import type { Task, TaskDue, TaskStatus, TaskSummary, TaskType } from '../../../common/api/tasks.js';
import { taskTypeValues } from '../../../common/api/tasks.js';
import { tasksRepo, toTask, type TaskInsert, type TaskRow, type TaskWhere } from './tasks.repo.js';
import { nextOccurrence, normalizeRecurrence } from './recurrence.js';

declare module '../../platform/context.js' {
  interface Services {
    tasks: TasksService;
  }
}

declare module '../../platform/jobs.js' {
  interface Jobs {
    'tasks.remind': { taskId: string; remindAt: string };
  }
}

export const REMIND_JOB = 'tasks.remind';

export interface CreateTaskInput {
  title: string;
  type: TaskType;
  /** ISO instant (normalised by the route schema). */
  dueAt: string;
  assigneeId?: string;
  clientId?: string | null;
  dealId?: string | null;
  recurrence?: string | null;
  description?: string | null;
  remindAt?: string | null;
  remindBeforeMinutes?: number | null;
}

export interface PatchTaskInput extends Partial<CreateTaskInput> {
  version?: number;
}

export interface SystemTaskInput {
  title: string;
  type: TaskType;
  dueAt: string | Date;
  assigneeId: string;
  clientId?: string | null;
  dealId?: string | null;
  /** null for automation (the default). */
  authorId?: string | null;
  description?: string | null;
  /** The automation that created it, e.g. `payment_control`, `feedback_after_delivery`, `lead_sla`. */
  source?: string | null;
  /** Create-once key: a second call with the same key returns the existing task. */
  dedupeKey?: string | null;
  remindBeforeMinutes?: number | null;
}

export interface TaskListQuery {
  limit: number;
  cursor?: string;
  assigneeId?: string;
  status?: TaskStatus;
  due?: TaskDue;
  clientId?: string;
  dealId?: string;
  type?: TaskType;
}

const MINUTE = 60_000;

/**
 * Tasks: to-dos with a due time for a user, optionally about a client and a deal, recurring by an RRULE,
 * with a reminder. Access (DESIGN §6): a task belongs to its assignee; the author sees it too. Scope `own`
 * (manager, accountant, production): assigned to or authored by the actor; `department` (head): assignee in
 * his department, or authored by him; `all` (owner, admin). Out of scope is 404.
 *
 * Why one file over 500 lines: a task's recurrence, reminder job and client/deal links are rewritten together on every
 * change; RRULE handling is recurrence.ts, SQL tasks.repo.ts.
 */
export class TasksService {
  constructor(private ctx: Ctx) {}

  private get tz(): string {
    return this.ctx.config.tz;
  }

  /** The actor's scope on tasks as a SQL condition. */
  scope(actor: Actor, action: 'read' | 'write' = 'read'): TaskWhere {
    return (eb) => {
      const byAssignee = scopeCondition(eb, actor, 'task', action, ['tasks.assignee_id']);
      if (scopeOf(actor, 'task', action) === 'none') return byAssignee;
      return eb.or([byAssignee, eb('tasks.author_id', '=', actor.id)]);
    };
  }

  private async findForActor(actor: Actor, id: string, action: 'read' | 'write', exec: Executor = this.ctx.db): Promise<TaskRow> {
    const row = await tasksRepo.findById(exec, id, this.scope(actor, action));
    if (!row) throw notFound();
    return row;
  }

  async get(actor: Actor, id: string): Promise<Task> {
    return toTask(await this.findForActor(actor, id, 'read'));
  }

  /** Bounds of a `due` filter, in the company time zone. */
  dueBounds(due: TaskDue, now: Date = new Date()): { from?: string; to?: string; openOnly?: boolean } {
    const today = localDate(now, this.tz);
    if (due === 'overdue') return { to: now.toISOString(), openOnly: true };
    if (due === 'today')
      return { from: zonedMidnight(today, this.tz).toISOString(), to: zonedMidnight(addDaysToDate(today, 1), this.tz).toISOString() };
    // week: from now to the end of the current ISO week (Sunday 23:59:59 local) = next Monday's midnight.
    const dow = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
    const nextMonday = addDaysToDate(today, dow === 0 ? 1 : 8 - dow);
    return { from: now.toISOString(), to: zonedMidnight(nextMonday, this.tz).toISOString() };
  }

  async list(actor: Actor, q: TaskListQuery): Promise<Page<Task>> {
    const now = new Date();
    let status: string | undefined = q.status;
    let from: string | undefined;
    let to: string | undefined;
    if (q.due) {
      const b = this.dueBounds(q.due, now);
      if (b.openOnly) {
        if (status === 'done') return { items: [], nextCursor: null };
        status = 'open';
      }
      from = b.from;
      to = b.to;
    }
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await tasksRepo.list(this.ctx.db, {
      scope: this.scope(actor, 'read'),
      assigneeId: q.assigneeId,
      status,
      clientId: q.clientId,
      dealId: q.dealId,
      type: q.type,
      dueFrom: from,
      dueTo: to,
      limit: q.limit,
      after: after ? { dueAt: after.key, id: after.id } : undefined,
    });
    return toPage(
      rows,
      q.limit,
      (r) => toTask(r, now.getTime()),
      (r) => encodeCursor(r.due_at, r.id),
    );
  }

  /** Open tasks of a client or deal in the actor's scope (for the client card and the deal), by due time. */
  async listForEntity(actor: Actor, entity: { clientId?: string; dealId?: string; status?: TaskStatus; limit?: number }): Promise<Task[]> {
    if (!entity.clientId && !entity.dealId) return [];
    const rows = await tasksRepo.list(this.ctx.db, {
      scope: this.scope(actor, 'read'),
      clientId: entity.clientId,
      dealId: entity.dealId,
      status: entity.status,
      limit: entity.limit ?? 200,
    });
    const now = Date.now();
    return rows.slice(0, entity.limit ?? 200).map((r) => toTask(r, now));
  }

  /** The actor's own open tasks: overdue, due today, due from now to the end of the week. */
  async summary(actor: Actor): Promise<TaskSummary> {
    const now = new Date();
    const mine: TaskWhere = (eb) => eb('tasks.assignee_id', '=', actor.id);
    const count = (due: TaskDue) => {
      const b = this.dueBounds(due, now);
      return tasksRepo.count(this.ctx.db, { scope: mine, status: 'open', dueFrom: b.from, dueTo: b.to });
    };
    const [overdue, today, week] = await Promise.all([count('overdue'), count('today'), count('week')]);
    return { overdue, today, week };
  }

  async create(actor: Actor, input: CreateTaskInput): Promise<Task> {
    const assigneeId = input.assigneeId ?? actor.id;
    const recurrence = input.recurrence ? normalizeRecurrence(input.recurrence) : null;
    const remind = this.resolveRemind(input.dueAt, input.remindAt, input.remindBeforeMinutes);
    await this.assertAssignable(actor, assigneeId);
    const links = await this.resolveLinks(actor, input.clientId ?? null, input.dealId ?? null);
    const now = new Date().toISOString();
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const inserted = await tasksRepo.insert(trx, {
        id: newId(),
        title: input.title.trim(),
        type: input.type,
        description: input.description?.trim() || null,
        due_at: input.dueAt,
        assignee_id: assigneeId,
        author_id: actor.id,
        client_id: links.clientId,
        deal_id: links.dealId,
        status: 'open',
        result: null,
        done_at: null,
        done_by: null,
        recurrence,
        recurrence_start: recurrence ? input.dueAt : null,
        remind_at: remind.remindAt,
        remind_before: remind.remindBefore,
        source: null,
        dedupe_key: null,
        created_at: now,
        updated_at: now,
      });
      if (!inserted) throw new Error('task insert returned nothing');
      await this.scheduleReminder(trx, inserted);
      if (assigneeId !== actor.id) await this.notifyAssigned(trx, inserted, actor.name);
      return inserted;
    });
    this.emitChanged(row, 'created');
    return toTask(row);
  }

  async update(actor: Actor, id: string, patch: PatchTaskInput): Promise<Task> {
    const current = await this.findForActor(actor, id, 'write');
    const set: Partial<TaskRow> = {};
    if (patch.title !== undefined) set.title = patch.title.trim();
    if (patch.type !== undefined) set.type = patch.type;
    if (patch.description !== undefined) set.description = patch.description?.trim() || null;
    const dueAt = patch.dueAt ?? current.due_at;
    if (patch.dueAt !== undefined) set.due_at = patch.dueAt;

    if (patch.recurrence !== undefined) {
      if (!patch.recurrence) {
        set.recurrence = null;
        set.recurrence_start = null;
      } else {
        const rule = normalizeRecurrence(patch.recurrence);
        set.recurrence = rule;
        // A new rule starts a new series at the task's due time; the same rule keeps its series.
        if (rule !== current.recurrence || !current.recurrence_start) set.recurrence_start = dueAt;
      }
    }

    if (patch.remindBeforeMinutes !== undefined || patch.remindAt !== undefined) {
      const remind = this.resolveRemind(dueAt, patch.remindAt, patch.remindBeforeMinutes);
      set.remind_at = remind.remindAt;
      set.remind_before = remind.remindBefore;
    } else if (patch.dueAt !== undefined && current.remind_before !== null) {
      set.remind_at = new Date(new Date(dueAt).getTime() - current.remind_before * MINUTE).toISOString();
    }

    const reassigned = patch.assigneeId !== undefined && patch.assigneeId !== current.assignee_id;
    if (reassigned) {
      await this.assertAssignable(actor, patch.assigneeId!);
      set.assignee_id = patch.assigneeId!;
    }

    if (patch.clientId !== undefined || patch.dealId !== undefined) {
      const clientId = patch.clientId !== undefined ? patch.clientId : patch.dealId ? null : current.client_id;
      const dealId =
        patch.dealId !== undefined
          ? patch.dealId
          : patch.clientId !== undefined && patch.clientId !== current.client_id
            ? null
            : current.deal_id;
      const links = await this.resolveLinks(actor, clientId, dealId, current);
      set.client_id = links.clientId;
      set.deal_id = links.dealId;
    }

    set.updated_at = new Date().toISOString();
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const updated = await tasksRepo.update(trx, id, set, { version: patch.version });
      if (!updated) return undefined;
      if (updated.remind_at !== current.remind_at || updated.status !== current.status) await this.scheduleReminder(trx, updated);
      if (reassigned && updated.assignee_id !== actor.id) await this.notifyAssigned(trx, updated, actor.name);
      return updated;
    });
    if (!row) throw versionConflict();
    this.emitChanged(row, 'updated', reassigned ? [current.assignee_id] : []);
    return toTask(row);
  }

  /** Marks a task done; a recurring one spawns its next occurrence; a client's task goes to the timeline. */
  async complete(actor: Actor, id: string, input: { result?: string | null; version?: number }): Promise<Task & { next: Task | null }> {
    const current = await this.findForActor(actor, id, 'write');
    if (current.status === 'done') throw ruleViolation('Задача уже выполнена', undefined, 'The task is already done');
    const now = new Date();
    const result = input.result?.trim() || null;
    const out = await this.ctx.db.transaction().execute(async (trx) => {
      const done = await tasksRepo.update(
        trx,
        id,
        { status: 'done', result, done_at: now.toISOString(), done_by: actor.id, updated_at: now.toISOString() },
        { version: input.version, status: 'open' },
      );
      if (!done) return undefined;
      if (done.client_id) {
        await this.ctx.services.timeline.add(trx, {
          clientId: done.client_id,
          dealId: done.deal_id,
          kind: 'task_done',
          authorId: actor.id,
          text: done.title,
          data: { taskId: done.id, title: done.title, type: done.type, result },
        });
      }
      const next = done.recurrence ? await this.spawnNext(trx, done, now) : null;
      return { done, next };
    });
    if (!out) {
      const again = await tasksRepo.findById(this.ctx.db, id);
      if (again?.status === 'done') throw ruleViolation('Задача уже выполнена', undefined, 'The task is already done');
      throw versionConflict();
    }
    this.emitChanged(out.done, 'completed');
    if (out.next) this.emitChanged(out.next, 'created');
    return { ...toTask(out.done), next: out.next ? toTask(out.next) : null };
  }

  async reopen(actor: Actor, id: string, input: { version?: number } = {}): Promise<Task> {
    const current = await this.findForActor(actor, id, 'write');
    if (current.status !== 'done') throw ruleViolation('Задача не выполнена: возобновлять нечего', undefined, 'The task is not done');
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const updated = await tasksRepo.update(
        trx,
        id,
        { status: 'open', result: null, done_at: null, done_by: null, updated_at: new Date().toISOString() },
        { version: input.version, status: 'done' },
      );
      if (updated) await this.scheduleReminder(trx, updated);
      return updated;
    });
    if (!row) throw versionConflict();
    this.emitChanged(row, 'updated');
    return toTask(row);
  }

  /** The author, a head (within his scope), the owner or an admin may delete a task. */
  async remove(actor: Actor, id: string): Promise<void> {
    const current = await this.findForActor(actor, id, 'write');
    if (current.author_id !== actor.id && !hasRole(actor, 'head', 'owner', 'admin')) {
      throw new AppError('forbidden', {
        message: 'Удалить задачу может её автор, руководитель или администратор',
        messageEn: 'Only the author, a head or an admin may delete a task',
      });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await tasksRepo.delete(trx, id);
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'delete',
          entity: 'task',
          entityId: id,
          data: { title: current.title, assigneeId: current.assignee_id, clientId: current.client_id },
        },
        trx,
      );
    });
    this.emitChanged(current, 'deleted');
  }

  /**
   * A task created by automation (payment control, feedback after delivery, lead SLA…) in the caller's
   * transaction. No permission check. With `dedupeKey`, created once: a repeated call returns the first task.
   * The assignee is notified (`task_assigned`).
   */
  async createSystemTask(exec: Executor, input: SystemTaskInput): Promise<Task> {
    if (input.dedupeKey) {
      const existing = await tasksRepo.findByDedupeKey(exec, input.dedupeKey);
      if (existing) return toTask(existing);
    }
    const dueAt = new Date(input.dueAt);
    if (Number.isNaN(dueAt.getTime())) throw fieldError('dueAt', 'Некорректный срок задачи');
    if (!(taskTypeValues as readonly string[]).includes(input.type)) throw fieldError('type', 'Неизвестный тип задачи');
    const user = await tasksRepo.findUser(exec, input.assigneeId);
    if (!user) throw fieldError('assigneeId', 'Нет такого пользователя');
    const now = new Date().toISOString();
    const remindBefore = input.remindBeforeMinutes ?? null;
    const row = await tasksRepo.insert(exec, {
      id: newId(),
      title: input.title.trim(),
      type: input.type,
      description: input.description?.trim() || null,
      due_at: dueAt.toISOString(),
      assignee_id: input.assigneeId,
      author_id: input.authorId ?? null,
      client_id: input.clientId ?? null,
      deal_id: input.dealId ?? null,
      status: 'open',
      result: null,
      done_at: null,
      done_by: null,
      recurrence: null,
      recurrence_start: null,
      remind_at: remindBefore !== null ? new Date(dueAt.getTime() - remindBefore * MINUTE).toISOString() : null,
      remind_before: remindBefore,
      source: input.source ?? null,
      dedupe_key: input.dedupeKey ?? null,
      created_at: now,
      updated_at: now,
    });
    if (!row) {
      // Lost a race on the dedupe key: the other insert's task stands.
      const existing = await tasksRepo.findByDedupeKey(exec, input.dedupeKey!);
      if (!existing) throw new Error('system task dedupe: no row');
      return toTask(existing);
    }
    await this.scheduleReminder(exec, row);
    await this.notifyAssigned(exec, row, null);
    if (!exec.isTransaction) this.emitChanged(row, 'created');
    return toTask(row);
  }

  /** Job `tasks.remind`: notifies the assignee if the task is still open and its reminder time unchanged. */
  async remind(trx: Tx, payload: { taskId: string; remindAt: string }): Promise<void> {
    const row = await tasksRepo.findById(trx, payload.taskId);
    if (!row || row.status !== 'open' || !row.remind_at) return;
    if (new Date(row.remind_at).getTime() !== new Date(payload.remindAt).getTime()) return;
    await this.ctx.services.notifications.notify(trx, {
      userIds: [row.assignee_id],
      kind: 'task_reminder',
      title: `Напоминание: ${row.title}`,
      text: `Срок: ${formatDateTimeRu(row.due_at, this.tz)}`,
      link: `/tasks?open=${row.id}`,
      entity: 'task',
      entityId: row.id,
    });
  }

  /** Client merge hook: the merged client's tasks follow it. */
  async onClientMerge(trx: Tx, e: { fromId: string; toId: string }): Promise<void> {
    await tasksRepo.moveClient(trx, e.fromId, e.toId, new Date().toISOString());
  }

  /** Client reassignment hook: the previous owner's open tasks on the client go to the new owner. */
  async onClientReassign(trx: Tx, e: { clientId: string; fromOwnerId: string | null; toOwnerId: string }): Promise<void> {
    if (!e.fromOwnerId || e.fromOwnerId === e.toOwnerId) return;
    await tasksRepo.reassignOpenForClient(trx, e.clientId, e.fromOwnerId, e.toOwnerId, new Date().toISOString());
  }

  // ── helpers ──────────────────────────────────────────────

  private resolveRemind(dueAt: string, remindAt: string | null | undefined, remindBefore: number | null | undefined) {
    if (remindAt != null && remindBefore != null) {
      throw fieldError('remindBeforeMinutes', 'Укажите либо remindAt, либо remindBeforeMinutes');
    }
    if (remindBefore != null) {
      return { remindAt: new Date(new Date(dueAt).getTime() - remindBefore * MINUTE).toISOString(), remindBefore };
    }
    return { remindAt: remindAt ?? null, remindBefore: null };
  }

  /**
   * Who may be given a task: a manager (and accountant, production) only himself; a head users of his
   * department; the owner and admin anyone. The assignee must be an active user (400).
   */
  private async assertAssignable(actor: Actor, assigneeId: string): Promise<void> {
    const user = await tasksRepo.findUser(this.ctx.db, assigneeId);
    if (!user || user.active !== 1) throw fieldError('assigneeId', 'Нет такого активного пользователя');
    if (assigneeId === actor.id || hasRole(actor, 'admin', 'owner')) return;
    if (hasRole(actor, 'head')) {
      if (actor.departmentId && user.department_id === actor.departmentId) return;
      throw new AppError('forbidden', {
        message: 'Руководитель может ставить задачи только сотрудникам своего отдела',
        messageEn: 'A head may assign tasks only to members of his department',
        fields: { assigneeId: 'Сотрудник не из вашего отдела' },
      });
    }
    throw new AppError('forbidden', {
      message: 'Вы можете ставить задачи только себе',
      messageEn: 'You may assign tasks only to yourself',
      fields: { assigneeId: 'Только себе' },
    });
  }

  /** Checks the client and deal are visible to the actor (else 400 naming the field); a deal brings its client. */
  private async resolveLinks(actor: Actor, clientId: string | null, dealId: string | null, current?: TaskRow) {
    if (clientId && clientId !== current?.client_id) {
      try {
        await this.ctx.services.clients.getForActor(actor, clientId, 'read');
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') throw fieldError('clientId', 'Клиент не найден');
        throw err;
      }
    }
    if (dealId && dealId !== current?.deal_id) {
      let dealClient: string;
      try {
        dealClient = (await this.ctx.services.deals.getForActor(actor, dealId, 'read')).clientId;
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') throw fieldError('dealId', 'Сделка не найдена');
        throw err;
      }
      if (!clientId) clientId = dealClient;
      else if (dealClient && dealClient !== clientId) throw fieldError('dealId', 'Сделка относится к другому клиенту');
    }
    return { clientId, dealId };
  }

  private async scheduleReminder(exec: Executor, row: TaskRow): Promise<void> {
    if (row.status !== 'open' || !row.remind_at) return;
    await this.ctx.jobs.enqueue(
      exec,
      REMIND_JOB,
      { taskId: row.id, remindAt: row.remind_at },
      { runAt: new Date(row.remind_at), dedupeKey: `task-remind:${row.id}:${new Date(row.remind_at).toISOString()}` },
    );
  }

  private async notifyAssigned(exec: Executor, row: TaskRow, authorName: string | null): Promise<void> {
    await this.ctx.services.notifications.notify(exec, {
      userIds: [row.assignee_id],
      kind: 'task_assigned',
      title: `Новая задача: ${row.title}`,
      text: `Срок: ${formatDateTimeRu(row.due_at, this.tz)}. ${authorName ? `Поставил(а): ${authorName}` : 'Создана автоматически'}`,
      link: `/tasks?open=${row.id}`,
      entity: 'task',
      entityId: row.id,
    });
  }

  /**
   * The next task of a recurring series: the first occurrence after the completed one's due time, or after
   * now when that is already past (a late completion does not leave a trail of overdue copies).
   * DTSTART is the series start (the first task's due time), so COUNT and UNTIL end the series.
   * Created once per completed task (dedupe key), so reopening and completing again spawns nothing new.
   */
  private async spawnNext(trx: Tx, done: TaskRow, now: Date): Promise<TaskRow | null> {
    const due = new Date(done.due_at);
    const start = new Date(done.recurrence_start ?? done.due_at);
    const after = due.getTime() > now.getTime() ? due : now;
    const next = nextOccurrence(done.recurrence!, start, after, this.tz);
    if (!next) return null;
    const ts = new Date().toISOString();
    const remindAt =
      done.remind_before !== null
        ? new Date(next.getTime() - done.remind_before * MINUTE).toISOString()
        : done.remind_at
          ? new Date(next.getTime() - (due.getTime() - new Date(done.remind_at).getTime())).toISOString()
          : null;
    const row: TaskInsert = {
      id: newId(),
      title: done.title,
      type: done.type,
      description: done.description,
      due_at: next.toISOString(),
      assignee_id: done.assignee_id,
      author_id: done.author_id,
      client_id: done.client_id,
      deal_id: done.deal_id,
      status: 'open',
      result: null,
      done_at: null,
      done_by: null,
      recurrence: done.recurrence,
      recurrence_start: start.toISOString(),
      remind_at: remindAt,
      remind_before: done.remind_before,
      source: done.source,
      dedupe_key: `task-next:${done.id}`,
      created_at: ts,
      updated_at: ts,
    };
    const inserted = await tasksRepo.insert(trx, row);
    if (!inserted) return null;
    await this.scheduleReminder(trx, inserted);
    return inserted;
  }

  private emitChanged(row: TaskRow, action: 'created' | 'updated' | 'completed' | 'deleted', extraUserIds: string[] = []): void {
    const userIds = [...new Set([row.assignee_id, row.author_id, ...extraUserIds].filter((u): u is string => !!u))];
    // To the people whose lists hold it (assignee, author, a previous assignee), each only while he may see it.
    this.ctx.events.emit(
      'task.changed',
      { id: row.id, action, assigneeId: row.assignee_id, status: row.status as TaskStatus },
      { userIds, record: { resource: 'task', ownerIds: userIds } },
    );
  }
}
