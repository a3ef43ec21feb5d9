import { expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import { addDaysToDate, localDate, zonedDateTime } from '../../../common/dates.js';

const TZ = 'Europe/Moscow';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Day of week of a 'YYYY-MM-DD' (0 = Sunday). */
const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();
/** The first local date after `date` that falls on `dow`. */
function nextWeekday(date: string, dow: number): string {
  let d = addDaysToDate(date, 1);
  while (weekday(d) !== dow) d = addDaysToDate(d, 1);
  return d;
}
const at = (date: string, time: string) => zonedDateTime(date, time, TZ).toISOString();
const iso = (ms: number) => new Date(ms).toISOString();

async function drainJobs(h: Harness) {
  while ((await h.server.ctx.jobs.runDue()) > 0) {
    /* until no job is due */
  }
}

async function newTask(c: TestClient, body: Record<string, unknown>) {
  const res = await c.post('/api/tasks', { title: 'Позвонить клиенту', type: 'call', dueAt: iso(Date.now() + DAY), ...body });
  if (res.status !== 201) throw new Error(`create task: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((t) => t.id);

describeEachDialect('tasks', (h) => {
  it('creates a task for oneself with defaults; the response follows the contract', async () => {
    const m = await h.user('manager');
    const dueAt = '2030-05-20T15:00:00+03:00';
    const res = await m.post('/api/tasks', { title: '  Отправить КП  ', type: 'email', dueAt, description: 'По прайсу' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: 'Отправить КП',
      type: 'email',
      description: 'По прайсу',
      dueAt: '2030-05-20T12:00:00.000Z',
      assigneeId: m.user!.id,
      authorId: m.user!.id,
      clientId: null,
      dealId: null,
      status: 'open',
      result: null,
      doneAt: null,
      recurrence: null,
      remindAt: null,
      overdue: false,
      version: 1,
    });
    const got = await m.get(`/api/tasks/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(res.body.id);
  });

  it('validates: dueAt with offset, type, recurrence, assignee, client; nothing is written', async () => {
    const m = await h.user('manager');
    const cases: [Record<string, unknown>, string][] = [
      [{ dueAt: 'завтра' }, 'dueAt'],
      [{ dueAt: '2030-05-20T15:00' }, 'dueAt'], // no offset
      [{ dueAt: '2030-02-30T15:00:00Z' }, 'dueAt'],
      [{ dueAt: '2030-05-20T25:00:00+03:00' }, 'dueAt'],
      [{ dueAt: 1747742400000 }, 'dueAt'],
      [{ type: 'lunch' }, 'type'],
      [{ title: '   ' }, 'title'],
      [{ recurrence: 'FREQ=SOMETIMES' }, 'recurrence'],
      [{ recurrence: 'каждую пятницу' }, 'recurrence'],
      [{ recurrence: 'FREQ=MONTHLY;BYMONTHDAY=40' }, 'recurrence'],
      [{ recurrence: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, 'recurrence'],
      [{ assigneeId: 'nobody' }, 'assigneeId'],
      [{ clientId: 'no-such-client' }, 'clientId'],
      [{ remindAt: '2030-05-20T10:00:00Z', remindBeforeMinutes: 15 }, 'remindBeforeMinutes'],
      [{ remindAt: 'скоро' }, 'remindAt'],
    ];
    for (const [patch, field] of cases) {
      const res = await m.post('/api/tasks', { title: 'Проверка', type: 'call', dueAt: '2030-05-20T15:00:00+03:00', ...patch });
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields), JSON.stringify(patch)).toContain(field);
      expect(typeof res.body.error.fields[field]).toBe('string');
    }
    expect((await m.get('/api/tasks')).body.items).toEqual([]);
    // A deactivated user cannot be given a task.
    const gone = await h.user('manager');
    const u = (await h.admin.get(`/api/users/${gone.user!.id}`)).body;
    await h.admin.patch(`/api/users/${gone.user!.id}`, { active: false, version: u.version });
    const res = await h.admin.post('/api/tasks', {
      title: 'Ушедшему',
      type: 'call',
      dueAt: '2030-05-20T15:00:00+03:00',
      assigneeId: gone.user!.id,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.assigneeId).toBeTruthy();
  });

  it('due filters and the summary count in Moscow time (23:30 today is today, 00:30 tomorrow is not)', async () => {
    const m = await h.user('manager');
    const now = Date.now();
    const today = localDate(new Date(now), TZ);
    const tomorrow = addDaysToDate(today, 1);
    const sunday = weekday(today) === 0;
    const late = await newTask(m, { title: '23:30 сегодня', dueAt: at(today, '23:30') });
    const early = await newTask(m, { title: '00:30 завтра', dueAt: at(tomorrow, '00:30') });
    const midnight = await newTask(m, { title: '00:00 сегодня', dueAt: at(today, '00:00') });
    const past = await newTask(m, { title: 'Три дня назад', dueAt: iso(now - 3 * DAY) });
    const pastDone = await newTask(m, { title: 'Три дня назад, выполнена', dueAt: iso(now - 3 * DAY) });
    expect((await m.post(`/api/tasks/${pastDone.id}/complete`, { result: 'Готово' })).status).toBe(200);
    const far = await newTask(m, { title: 'Через 8 дней', dueAt: at(addDaysToDate(today, 8), '12:00') });

    const lateIsPast = Date.parse(late.dueAt) < Date.now();
    expect(late.overdue).toBe(lateIsPast);
    expect(past.overdue).toBe(true);

    const todayList = await m.get('/api/tasks?due=today');
    expect(todayList.status).toBe(200);
    expect(ids(todayList).sort()).toEqual([midnight.id, late.id].sort());

    const overdue = await m.get('/api/tasks?due=overdue');
    expect(ids(overdue)).toEqual([past.id, midnight.id, ...(lateIsPast ? [late.id] : [])]);
    expect(overdue.body.items.every((t: any) => t.overdue && t.status === 'open')).toBe(true);
    expect((await m.get('/api/tasks?due=overdue&status=done')).body.items).toEqual([]);

    // This week: from now to Sunday 23:59:59 Moscow. Tomorrow 00:30 is next week when today is Sunday.
    const week = await m.get('/api/tasks?due=week');
    const expectedWeek = [...(lateIsPast ? [] : [late.id]), ...(sunday ? [] : [early.id])];
    expect(ids(week)).toEqual(expectedWeek);
    expect(ids(week)).not.toContain(far.id);

    // Sorted by due time; status filter.
    const open = await m.get('/api/tasks?status=open');
    expect(ids(open)).toEqual([past.id, midnight.id, late.id, early.id, far.id]);
    expect(ids(await m.get('/api/tasks?status=done'))).toEqual([pastDone.id]);

    const summary = await m.get('/api/tasks/summary');
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({ overdue: lateIsPast ? 3 : 2, today: 2, week: expectedWeek.length });

    // Paging by cursor keeps the order.
    const p1 = await m.get('/api/tasks?status=open&limit=2');
    const p2 = await m.get(`/api/tasks?status=open&limit=2&cursor=${p1.body.nextCursor}`);
    const p3 = await m.get(`/api/tasks?status=open&limit=2&cursor=${p2.body.nextCursor}`);
    expect([...ids(p1), ...ids(p2), ...ids(p3)]).toEqual(ids(open));
    expect(p3.body.nextCursor).toBeNull();
    expect((await m.get('/api/tasks?due=someday')).status).toBe(400);
  });

  it('the head’s weekly control task on Friday spawns the next Friday at the same Moscow time, keeping its fields', async () => {
    const m = (await h.department()).head;
    const client = (await m.post('/api/clients', { kind: 'company', name: 'ООО «Пятница»' })).body;
    const today = localDate(new Date(), TZ);
    const friday = nextWeekday(today, 5);
    const task = await newTask(m, {
      title: 'Прослушать 5 звонков',
      type: 'control',
      dueAt: at(friday, '10:00'),
      recurrence: 'rrule:freq=weekly;byday=fr',
      clientId: client.id,
      description: 'Контроль качества',
    });
    expect(task.recurrence).toBe('FREQ=WEEKLY;BYDAY=FR');
    const done = await m.post(`/api/tasks/${task.id}/complete`, { result: 'Прослушано' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: task.id, status: 'done', result: 'Прослушано' });
    expect(typeof done.body.doneAt).toBe('string');
    const next = done.body.next;
    expect(next).toMatchObject({
      title: 'Прослушать 5 звонков',
      type: 'control',
      description: 'Контроль качества',
      assigneeId: m.user!.id,
      clientId: client.id,
      recurrence: 'FREQ=WEEKLY;BYDAY=FR',
      status: 'open',
      dueAt: at(addDaysToDate(friday, 7), '10:00'),
    });
    expect(next.id).not.toBe(task.id);
    // Reopening and completing again does not spawn a second copy.
    expect((await m.post(`/api/tasks/${task.id}/reopen`)).body).toMatchObject({ status: 'open', result: null, doneAt: null });
    const again = await m.post(`/api/tasks/${task.id}/complete`, {});
    expect(again.status).toBe(200);
    expect(again.body.next).toBeNull();
    const open = await m.get('/api/tasks?status=open');
    expect(ids(open)).toEqual([next.id]);
    // Completing a done task is a business rule error.
    const twice = await m.post(`/api/tasks/${task.id}/complete`, {});
    expect(twice.status).toBe(422);
  });

  it('recurrence: MO,FR; monthly by day; interval; COUNT exhausted and UNTIL passed spawn nothing; a late completion skips to the future', async () => {
    const m = await h.user('manager');
    const today = localDate(new Date(), TZ);
    const monday = nextWeekday(today, 1);
    const moFr = await newTask(m, { dueAt: at(monday, '09:15'), recurrence: 'FREQ=WEEKLY;BYDAY=MO,FR' });
    expect((await m.post(`/api/tasks/${moFr.id}/complete`)).body.next.dueAt).toBe(at(addDaysToDate(monday, 4), '09:15'));

    const start = addDaysToDate(today, 3);
    const every2 = await newTask(m, { dueAt: at(start, '18:00'), recurrence: 'FREQ=DAILY;INTERVAL=2' });
    expect((await m.post(`/api/tasks/${every2.id}/complete`)).body.next.dueAt).toBe(at(addDaysToDate(start, 2), '18:00'));

    const [y, mo] = addDaysToDate(today, 40).split('-');
    const monthStart = `${y}-${mo}-05`;
    const monthly = await newTask(m, { dueAt: at(monthStart, '11:00'), recurrence: 'FREQ=MONTHLY;BYMONTHDAY=5' });
    const nextMonth = new Date(Date.UTC(Number(y), Number(mo), 5)).toISOString().slice(0, 10);
    expect((await m.post(`/api/tasks/${monthly.id}/complete`)).body.next.dueAt).toBe(at(nextMonth, '11:00'));

    // COUNT=2: the first completion spawns the second occurrence, the second ends the series.
    const friday = nextWeekday(today, 5);
    const counted = await newTask(m, { dueAt: at(friday, '10:00'), recurrence: 'FREQ=WEEKLY;BYDAY=FR;COUNT=2' });
    const second = (await m.post(`/api/tasks/${counted.id}/complete`)).body.next;
    expect(second.dueAt).toBe(at(addDaysToDate(friday, 7), '10:00'));
    const last = await m.post(`/api/tasks/${second.id}/complete`);
    expect(last.status).toBe(200);
    expect(last.body.next).toBeNull();

    const until = addDaysToDate(friday, 3).replaceAll('-', '');
    const bounded = await newTask(m, { dueAt: at(friday, '10:00'), recurrence: `FREQ=WEEKLY;UNTIL=${until}T000000Z` });
    expect((await m.post(`/api/tasks/${bounded.id}/complete`)).body.next).toBeNull();

    // Three weeks late: the next occurrence is the first Friday 10:00 after now, not an overdue one.
    const oldFriday = addDaysToDate(nextWeekday(today, 5), -28);
    const late = await newTask(m, { dueAt: at(oldFriday, '10:00'), recurrence: 'FREQ=WEEKLY;BYDAY=FR' });
    const nextLate = (await m.post(`/api/tasks/${late.id}/complete`)).body.next;
    expect(Date.parse(nextLate.dueAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(nextLate.dueAt)).toBeLessThanOrEqual(Date.now() + 7 * DAY);
    expect(weekday(localDate(nextLate.dueAt, TZ))).toBe(5);
    expect(nextLate.dueAt.slice(11, 16)).toBe('07:00'); // 10:00 Moscow
  });

  it('completing a client task writes task_done to the client timeline', async () => {
    const m = await h.user('manager');
    const client = (await m.post('/api/clients', { kind: 'company', name: 'ООО «Лента»' })).body;
    const task = await newTask(m, { title: 'Согласовать договор', clientId: client.id });
    expect(task.clientId).toBe(client.id);
    await m.post(`/api/tasks/${task.id}/complete`, { result: 'Договор подписан' });
    const timeline = await m.get(`/api/clients/${client.id}/timeline`);
    expect(timeline.status).toBe(200);
    const entry = timeline.body.items.find((e: any) => e.kind === 'task_done');
    expect(entry).toBeTruthy();
    expect(entry.authorId).toBe(m.user!.id);
    expect(entry.data).toMatchObject({ title: 'Согласовать договор', result: 'Договор подписан' });
    expect((await m.get(`/api/tasks?clientId=${client.id}&status=done`)).body.items.map((t: any) => t.id)).toEqual([task.id]);
    // A client the manager cannot see cannot be linked.
    const other = await h.user('manager');
    const res = await other.post('/api/tasks', { title: 'Чужой', type: 'call', dueAt: iso(Date.now() + DAY), clientId: client.id });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.clientId).toBeTruthy();
  });

  it('a deal link brings its client; a deal of another client or out of scope is 400; ?dealId filters', async () => {
    const m = await h.user('manager');
    const client = (await m.post('/api/clients', { kind: 'company', name: 'ООО «Сделка»' })).body;
    const other = (await m.post('/api/clients', { kind: 'company', name: 'ООО «Другой»' })).body;
    const deal = await m.post('/api/deals', { clientId: client.id, title: 'Поставка станков' });
    expect(deal.status).toBe(201);
    const t = await newTask(m, { title: 'Выставить счёт', dealId: deal.body.id });
    expect(t).toMatchObject({ dealId: deal.body.id, clientId: client.id });
    const wrong = await m.post('/api/tasks', {
      title: 'x',
      type: 'call',
      dueAt: iso(Date.now() + DAY),
      dealId: deal.body.id,
      clientId: other.id,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.dealId).toBeTruthy();
    const stranger = await h.user('manager');
    const hidden = await stranger.post('/api/tasks', { title: 'x', type: 'call', dueAt: iso(Date.now() + DAY), dealId: deal.body.id });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.fields.dealId).toBeTruthy();
    expect(ids(await m.get(`/api/tasks?dealId=${deal.body.id}`))).toEqual([t.id]);
    // Changing the client drops a deal of the old client.
    const moved = await m.patch(`/api/tasks/${t.id}`, { clientId: other.id });
    expect(moved.body).toMatchObject({ clientId: other.id, dealId: null });
    await m.post(`/api/tasks/${t.id}/complete`, { result: 'Счёт выставлен' });
    const timeline = await m.get(`/api/clients/${other.id}/timeline`);
    expect(timeline.body.items.some((e: any) => e.kind === 'task_done')).toBe(true);
  });

  it('reminders: a due reminder notifies the assignee once; a moved or completed task is not reminded', async () => {
    const m = await h.user('manager');
    const soon = await newTask(m, { title: 'Перезвонить', dueAt: iso(Date.now() + 10 * 60_000), remindBeforeMinutes: 30 });
    expect(Date.parse(soon.remindAt)).toBe(Date.parse(soon.dueAt) - 30 * 60_000);
    expect(soon.remindBeforeMinutes).toBe(30);
    const moved = await newTask(m, { title: 'Перенесённая', dueAt: iso(Date.now() + DAY), remindAt: iso(Date.now() - 60_000) });
    const done = await newTask(m, { title: 'Уже сделана', dueAt: iso(Date.now() + DAY), remindAt: iso(Date.now() - 60_000) });
    const future = await newTask(m, { title: 'Завтрашняя', dueAt: iso(Date.now() + 2 * DAY), remindAt: iso(Date.now() + DAY) });
    const patched = await m.patch(`/api/tasks/${moved.id}`, { remindAt: iso(Date.now() + DAY), version: moved.version });
    expect(patched.status).toBe(200);
    await m.post(`/api/tasks/${done.id}/complete`);

    await drainJobs(h);
    const bell = await m.get('/api/notifications');
    const reminders = bell.body.items.filter((n: any) => n.kind === 'task_reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      title: 'Напоминание: Перезвонить',
      link: `/tasks?open=${soon.id}`,
      entity: 'task',
      entityId: soon.id,
    });
    expect(reminders[0].text).toMatch(/^Срок: \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
    // The future reminders are queued with their dedupe keys and wait.
    const jobs = await h.server.ctx.db.selectFrom('jobs').select(['dedupe_key', 'status']).where('type', '=', 'tasks.remind').execute();
    const byKey = new Map(jobs.map((j) => [j.dedupe_key, j.status]));
    expect(byKey.get(`task-remind:${future.id}:${future.remindAt}`)).toBe('pending');
    expect(byKey.get(`task-remind:${moved.id}:${patched.body.remindAt}`)).toBe('pending');
    expect(byKey.get(`task-remind:${soon.id}:${soon.remindAt}`)).toBe('done');
    // Running the jobs again sends nothing new.
    await drainJobs(h);
    expect((await m.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'task_reminder')).toHaveLength(1);
  });

  it('moving dueAt moves a relative reminder', async () => {
    const m = await h.user('manager');
    const t = await newTask(m, { dueAt: '2031-01-10T12:00:00+03:00', remindBeforeMinutes: 60 });
    expect(t.remindAt).toBe('2031-01-10T08:00:00.000Z');
    const moved = await m.patch(`/api/tasks/${t.id}`, { dueAt: '2031-01-11T12:00:00+03:00', version: t.version });
    expect(moved.body.remindAt).toBe('2031-01-11T08:00:00.000Z');
    const cleared = await m.patch(`/api/tasks/${t.id}`, { remindBeforeMinutes: null, version: moved.body.version });
    expect(cleared.body).toMatchObject({ remindAt: null, remindBeforeMinutes: null });
  });

  it('a task for another user notifies him (task_assigned) and the live event reaches him after commit', async () => {
    const dep = await h.department();
    const m = await h.user('manager', { departmentId: dep.id });
    const seen: any[] = [];
    const off = h.server.ctx.events.subscribe(m.user!, (e) => e.type === 'notification.created' && seen.push(e));
    try {
      const task = await newTask(dep.head, { title: 'Подготовить отчёт', assigneeId: m.user!.id });
      expect(task).toMatchObject({ assigneeId: m.user!.id, authorId: dep.head.user!.id });
      const bell = await m.get('/api/notifications?unread=true');
      expect(bell.body.unreadCount).toBe(1);
      expect(bell.body.items[0]).toMatchObject({
        kind: 'task_assigned',
        title: 'Новая задача: Подготовить отчёт',
        link: `/tasks?open=${task.id}`,
        entityId: task.id,
      });
      expect(bell.body.items[0].text).toContain(dep.head.user!.name);
      await drainJobs(h);
      const until = Date.now() + 3000;
      while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(seen[0]).toMatchObject({
        audience: { userIds: [m.user!.id] },
        data: { kind: 'task_assigned', title: 'Новая задача: Подготовить отчёт', link: `/tasks?open=${task.id}` },
      });
      // A task for oneself notifies nobody.
      await newTask(dep.head, { title: 'Себе' });
      expect((await dep.head.get('/api/notifications')).body.items).toEqual([]);
    } finally {
      off();
    }
  });

  it('access per role: who may assign to whom, who sees what (out of scope is 404)', async () => {
    const d1 = await h.department();
    const d2 = await h.department();
    const m1 = await h.user('manager', { departmentId: d1.id });
    const m2 = await h.user('manager', { departmentId: d1.id });
    const m3 = await h.user('manager', { departmentId: d2.id });
    const owner = await h.user('owner');
    const acc = await h.user('accountant');
    const prod = await h.user('production');

    const own1 = await newTask(m1, { title: 'Своя m1' });
    // A manager assigns only to himself.
    const toOther = await m1.post('/api/tasks', { title: 'Коллеге', type: 'call', dueAt: iso(Date.now() + DAY), assigneeId: m2.user!.id });
    expect(toOther.status).toBe(403);
    // A head assigns within his department only.
    const fromHead = await newTask(d1.head, { title: 'От руководителя m1', assigneeId: m1.user!.id });
    const outside = await d1.head.post('/api/tasks', {
      title: 'Чужому',
      type: 'call',
      dueAt: iso(Date.now() + DAY),
      assigneeId: m3.user!.id,
    });
    expect(outside.status).toBe(403);
    // Owner and admin assign to anyone.
    const fromOwner = await newTask(owner, { title: 'От собственника m3', assigneeId: m3.user!.id });
    const accTask = await newTask(acc, { title: 'Бухгалтер себе' });
    expect((await acc.post('/api/tasks', { title: 'x', type: 'call', dueAt: iso(Date.now() + DAY), assigneeId: m1.user!.id })).status).toBe(
      403,
    );
    const prodTask = await newTask(prod, { title: 'Производство себе' });

    // Manager: assigned to him or authored by him.
    expect(ids(await m1.get('/api/tasks')).sort()).toEqual([own1.id, fromHead.id].sort());
    expect((await m2.get('/api/tasks')).body.items).toEqual([]);
    expect((await m2.get(`/api/tasks?assigneeId=${m1.user!.id}`)).body.items).toEqual([]);
    expect((await m2.get(`/api/tasks/${own1.id}`)).status).toBe(404);
    expect((await m2.patch(`/api/tasks/${own1.id}`, { title: 'Взлом' })).status).toBe(404);
    expect((await m2.post(`/api/tasks/${own1.id}/complete`)).status).toBe(404);
    expect((await m2.delete(`/api/tasks/${own1.id}`)).status).toBe(404);
    // Head: tasks of his department's people (and his own); not the other department.
    expect(ids(await d1.head.get('/api/tasks')).sort()).toEqual([own1.id, fromHead.id].sort());
    expect(ids(await d1.head.get(`/api/tasks?assigneeId=${m1.user!.id}`)).sort()).toEqual([own1.id, fromHead.id].sort());
    expect((await d2.head.get(`/api/tasks/${own1.id}`)).status).toBe(404);
    expect(ids(await d2.head.get('/api/tasks'))).toEqual([fromOwner.id]);
    // Owner and admin: everything.
    const all = ids(await owner.get('/api/tasks?limit=500'));
    for (const t of [own1, fromHead, fromOwner, accTask, prodTask]) expect(all).toContain(t.id);
    expect(ids(await h.admin.get('/api/tasks?limit=500'))).toEqual(expect.arrayContaining(all));
    // Accountant and production: their own.
    expect(ids(await acc.get('/api/tasks'))).toEqual([accTask.id]);
    expect(ids(await prod.get('/api/tasks'))).toEqual([prodTask.id]);
    expect((await acc.get(`/api/tasks/${own1.id}`)).status).toBe(404);
    // The summary counts only the caller's own tasks.
    expect((await d1.head.get('/api/tasks/summary')).body).toEqual({ overdue: 0, today: expect.any(Number), week: expect.any(Number) });

    // A manager may not reassign his task to a colleague; a head may, within the department.
    expect((await m1.patch(`/api/tasks/${own1.id}`, { assigneeId: m2.user!.id })).status).toBe(403);
    const moved = await d1.head.patch(`/api/tasks/${own1.id}`, { assigneeId: m2.user!.id });
    expect(moved.status).toBe(200);
    expect(moved.body.assigneeId).toBe(m2.user!.id);
    expect(ids(await m2.get('/api/tasks'))).toEqual([own1.id]);
    expect((await m2.get('/api/notifications')).body.items[0]).toMatchObject({ kind: 'task_assigned', entityId: own1.id });

    // Delete: the author, a head, the owner or an admin — not an assignee who did not write it.
    expect((await m1.delete(`/api/tasks/${fromHead.id}`)).status).toBe(403);
    expect((await d1.head.delete(`/api/tasks/${fromHead.id}`)).status).toBe(204);
    expect((await d1.head.get(`/api/tasks/${fromHead.id}`)).status).toBe(404);
    expect((await acc.delete(`/api/tasks/${accTask.id}`)).status).toBe(204);
    const audit = await h.server.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'task')
      .where('entity_id', '=', fromHead.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].user_id).toBe(d1.head.user!.id);
  });

  it('a stale version is 409 and changes nothing; reopening needs a done task', async () => {
    const m = await h.user('manager');
    const t = await newTask(m, { title: 'Версия' });
    const ok = await m.patch(`/api/tasks/${t.id}`, { title: 'Первое', version: t.version });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(t.version + 1);
    const stale = await m.patch(`/api/tasks/${t.id}`, { title: 'Второе', version: t.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect((await m.post(`/api/tasks/${t.id}/complete`, { version: t.version })).status).toBe(409);
    expect((await m.get(`/api/tasks/${t.id}`)).body).toMatchObject({ title: 'Первое', status: 'open' });
    expect((await m.post(`/api/tasks/${t.id}/reopen`)).status).toBe(422);
    const bad = await m.patch(`/api/tasks/${t.id}`, { dueAt: 'вчера' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.dueAt).toBeTruthy();
  });

  it('system tasks: authorless, created once per dedupe key, the assignee is notified', async () => {
    const m = await h.user('manager');
    const tasks = h.server.ctx.services.tasks;
    const input = {
      title: 'Контроль оплаты по счёту № 7',
      type: 'call' as const,
      dueAt: new Date(Date.now() + DAY),
      assigneeId: m.user!.id,
      source: 'payment_control',
      dedupeKey: 'payment-control:invoice-7',
    };
    const first = await h.server.ctx.db.transaction().execute((trx) => tasks.createSystemTask(trx, input));
    const second = await tasks.createSystemTask(h.server.ctx.db, { ...input, title: 'Дубль' });
    expect(second.id).toBe(first.id);
    expect(first).toMatchObject({ authorId: null, source: 'payment_control', assigneeId: m.user!.id, status: 'open' });
    const list = await m.get('/api/tasks');
    expect(list.body.items.map((t: any) => t.title)).toEqual(['Контроль оплаты по счёту № 7']);
    const bell = await m.get('/api/notifications');
    expect(bell.body.items.filter((n: any) => n.kind === 'task_assigned')).toHaveLength(1);
    expect(bell.body.items[0].text).toMatch(/Создана автоматически/);
    // Without a key, every call creates a task.
    await tasks.createSystemTask(h.server.ctx.db, { ...input, dedupeKey: undefined, title: 'Без ключа' });
    await tasks.createSystemTask(h.server.ctx.db, { ...input, dedupeKey: undefined, title: 'Без ключа' });
    expect((await m.get('/api/tasks')).body.items).toHaveLength(3);
    // listForEntity applies the actor's scope.
    const client = (await m.post('/api/clients', { kind: 'person', name: 'Иван Иванов' })).body;
    await tasks.createSystemTask(h.server.ctx.db, { ...input, dedupeKey: 'feedback:1', clientId: client.id, title: 'Собрать отзыв' });
    const forClient = await tasks.listForEntity(m.user! as any, { clientId: client.id });
    expect(forClient.map((t) => t.title)).toEqual(['Собрать отзыв']);
    const stranger = await h.user('manager');
    expect(await tasks.listForEntity(stranger.user! as any, { clientId: client.id })).toEqual([]);
  });

  it('client merge moves tasks; reassignment moves the previous owner\u2019s open tasks only', async () => {
    const dep = await h.department();
    const m1 = await h.user('manager', { departmentId: dep.id });
    const m2 = await h.user('manager', { departmentId: dep.id });
    const a = (await m1.post('/api/clients', { kind: 'company', name: 'ООО «Альфа»' })).body;
    const b = (await m1.post('/api/clients', { kind: 'company', name: 'ООО «Альфа» (дубль)' })).body;
    const onB = await newTask(m1, { title: 'По дублю', clientId: b.id });
    const openA = await newTask(m1, { title: 'Открытая по Альфе', clientId: a.id });
    const doneA = await newTask(m1, { title: 'Выполненная по Альфе', clientId: a.id });
    await m1.post(`/api/tasks/${doneA.id}/complete`);
    const headOnA = await newTask(dep.head, { title: 'Руководителя по Альфе', clientId: a.id });

    const merged = await dep.head.post(`/api/clients/${a.id}/merge`, { sourceId: b.id });
    expect(merged.status).toBe(200);
    expect((await m1.get(`/api/tasks/${onB.id}`)).body.clientId).toBe(a.id);

    const re = await dep.head.post(`/api/clients/${a.id}/reassign`, { ownerId: m2.user!.id });
    expect(re.status).toBe(200);
    const byId = async (id: string) => (await dep.head.get(`/api/tasks/${id}`)).body;
    expect((await byId(openA.id)).assigneeId).toBe(m2.user!.id);
    expect((await byId(onB.id)).assigneeId).toBe(m2.user!.id);
    expect((await byId(doneA.id)).assigneeId).toBe(m1.user!.id);
    expect((await byId(headOnA.id)).assigneeId).toBe(dep.head.user!.id);
  });
});
