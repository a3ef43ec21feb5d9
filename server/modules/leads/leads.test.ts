import { expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import type { LiveEvent } from '../../platform/events.js';
import { generateValidInn } from '../../../common/requisites.js';

const RATE = { perIpPerMinute: 100_000, perFormPerMinute: 100_000 };
let phoneSeq = 1000;
const nextPhone = () => `+7916${String(1000000 + phoneSeq++).slice(-7)}`;

async function form(h: Harness, assignment: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const res = await h.admin.post('/api/forms', { name: 'Форма', assignment, slaMinutes: 30, rateLimit: RATE, ...extra });
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string };
}

async function submit(h: Harness, token: string, body: Record<string, string>): Promise<string> {
  const res = await h.anon.post(`/api/public/forms/${token}`, body);
  expect(res.status).toBe(201);
  return res.body.leadId;
}

const lead = async (h: Harness, id: string) => (await h.admin.get(`/api/leads/${id}`)).body;

/** Runs due jobs until none is left (publish jobs, SLA checks). */
async function drainJobs(h: Harness) {
  for (let i = 0; i < 50 && (await h.server.ctx.jobs.runDue()) > 0; i++);
}

/** Makes a lead's SLA due in the past, and its SLA job due now. */
async function expireSla(h: Harness, leadId: string) {
  const past = new Date(Date.now() - 60_000).toISOString();
  await h.server.ctx.db.updateTable('leads').set({ sla_due_at: past }).where('id', '=', leadId).execute();
  await h.server.ctx.db.updateTable('jobs').set({ run_at: past }).where('dedupe_key', '=', `lead-sla:${leadId}`).execute();
}

describeEachDialect('leads', (h) => {
  it('round robin spreads leads over 3 managers in turn, each with an SLA task due in slaMinutes', async () => {
    const ms = [await h.user('manager'), await h.user('manager'), await h.user('manager')];
    const f = await form(h, { strategy: 'round_robin', userIds: ms.map((m) => m.user!.id) });
    const events: LiveEvent[] = [];
    const off = h.server.ctx.events.onAny((e) => e.type === 'lead.created' && events.push(e));
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push(await submit(h, f.token, { name: `Клиент ${i}`, phone: nextPhone() }));
    off();
    const leads = await Promise.all(ids.map((id) => lead(h, id)));
    const assignees = leads.map((l) => l.assigneeId);
    for (let i = 3; i < 9; i++) expect(assignees[i]).toBe(assignees[i - 3]);
    for (const m of ms) expect(assignees.filter((a) => a === m.user!.id)).toHaveLength(3);

    const l0 = leads[0];
    expect(l0.slaTaskId).toBeTruthy();
    expect(new Date(l0.slaDueAt).getTime() - new Date(l0.createdAt).getTime()).toBe(30 * 60_000);
    const task = await h.admin.get(`/api/tasks/${l0.slaTaskId}`);
    expect(task.body).toMatchObject({ assigneeId: l0.assigneeId, dueAt: l0.slaDueAt, status: 'open', authorId: null, source: 'lead_sla' });
    expect(task.body.title).toContain('Клиент 0');
    // The assignee is told at once: a live lead.created event (his toast) and the task notification in the bell.
    expect(events.filter((e) => (e.data as { alertUserId?: string }).alertUserId === l0.assigneeId)).toHaveLength(3);
    expect(events[0].data).toMatchObject({ id: ids[0], name: 'Клиент 0' });
    const owner = ms.find((m) => m.user!.id === l0.assigneeId)!;
    const bell = await owner.get('/api/notifications');
    expect(bell.body.items.some((n: any) => n.kind === 'task_assigned' && n.title.includes('Клиент 0'))).toBe(true);
  });

  it('round robin stays exact under concurrent submissions', async () => {
    const ms = [await h.user('manager'), await h.user('manager'), await h.user('manager')];
    const f = await form(h, { strategy: 'round_robin', userIds: ms.map((m) => m.user!.id) });
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => submit(h, f.token, { name: `Параллельно ${i}` })));
    const leads = await Promise.all(ids.map((id) => lead(h, id)));
    for (const m of ms) expect(leads.filter((l) => l.assigneeId === m.user!.id)).toHaveLength(10);
  });

  it('least loaded gives the lead to the manager with the fewest open leads', async () => {
    const [a, b, c] = [await h.user('manager'), await h.user('manager'), await h.user('manager')];
    const fill = await form(h, { strategy: 'round_robin', userIds: [a.user!.id] });
    await submit(h, fill.token, { name: 'A1' });
    await submit(h, fill.token, { name: 'A2' });
    const fillB = await form(h, { strategy: 'round_robin', userIds: [b.user!.id] });
    await submit(h, fillB.token, { name: 'B1' });
    const f = await form(h, { strategy: 'least_loaded', userIds: [a.user!.id, b.user!.id, c.user!.id] });
    expect((await lead(h, await submit(h, f.token, { name: 'L1' }))).assigneeId).toBe(c.user!.id);
    // Now B and C have one each, A two: the next goes to B or C, then the other one.
    const second = (await lead(h, await submit(h, f.token, { name: 'L2' }))).assigneeId;
    const third = (await lead(h, await submit(h, f.token, { name: 'L3' }))).assigneeId;
    expect([second, third].sort()).toEqual([b.user!.id, c.user!.id].sort());
    // A converted or junked lead no longer counts as open.
    const openA = (await h.admin.get(`/api/leads?assigneeId=${a.user!.id}`)).body.items;
    for (const l of openA) expect((await a.post(`/api/leads/${l.id}/junk`, { reason: 'Дубль' })).status).toBe(200);
    expect((await lead(h, await submit(h, f.token, { name: 'L4' }))).assigneeId).toBe(a.user!.id);
  });

  it('rules: by utm_source, by region and by a form field; no match falls back to the pool', async () => {
    const [pool, yandex, spb, vip] = [await h.user('manager'), await h.user('manager'), await h.user('manager'), await h.user('manager')];
    const f = await form(h, {
      strategy: 'rules',
      userIds: [pool.user!.id],
      rules: [
        { field: 'utm_source', equals: 'yandex', userId: yandex.user!.id },
        { field: 'region', equals: 'Санкт-Петербург', userId: spb.user!.id },
        { field: 'tariff', equals: 'VIP', userId: vip.user!.id },
      ],
    });
    expect((await lead(h, await submit(h, f.token, { name: 'Я', utm_source: 'Yandex' }))).assigneeId).toBe(yandex.user!.id);
    expect((await lead(h, await submit(h, f.token, { name: 'П', city: 'санкт-петербург' }))).assigneeId).toBe(spb.user!.id);
    expect((await lead(h, await submit(h, f.token, { name: 'V', tariff: 'vip' }))).assigneeId).toBe(vip.user!.id);
    expect((await lead(h, await submit(h, f.token, { name: 'Прочие', utm_source: 'google' }))).assigneeId).toBe(pool.user!.id);
  });

  it('no active user in the pool: the lead is stored unassigned («Неразобранные») and the head is told', async () => {
    const dep = await h.department();
    const m = await h.user('manager', { departmentId: dep.id });
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    await h.admin.patch(`/api/users/${m.user!.id}`, { active: false });
    const id = await submit(h, f.token, { name: 'Ничей', phone: nextPhone() });
    const l = await lead(h, id);
    expect(l).toMatchObject({ status: 'new', assigneeId: null, slaTaskId: null });
    const inbox = await dep.head.get('/api/leads?unassigned=true');
    expect(inbox.body.items.map((x: any) => x.id)).toContain(id);
    await drainJobs(h);
    const bell = await dep.head.get('/api/notifications');
    expect(bell.body.items.some((n: any) => n.kind === 'lead_unassigned' && n.link === `/leads/${id}`)).toBe(true);
    // The head hands it out: the new assignee gets the SLA task.
    const other = await h.user('manager', { departmentId: dep.id });
    const patched = await dep.head.patch(`/api/leads/${id}`, { assigneeId: other.user!.id, version: l.version });
    expect(patched.status).toBe(200);
    expect(patched.body.assigneeId).toBe(other.user!.id);
    const task = await other.get(`/api/tasks/${patched.body.slaTaskId}`);
    expect(task.status).toBe(200);
    expect(task.body.assigneeId).toBe(other.user!.id);
  });

  it('SLA escalation: an untouched lead past its SLA gets a control task and a notification for the head; «Просрочено» lists it', async () => {
    const dep = await h.department();
    const m = await h.user('manager', { departmentId: dep.id });
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    const late = await submit(h, f.token, { name: 'Опоздание', phone: nextPhone() });
    const taken = await submit(h, f.token, { name: 'Вовремя', phone: nextPhone() });
    expect((await m.post(`/api/leads/${taken}/take`)).status).toBe(200);
    expect((await m.get('/api/leads?overdue=true')).body.items).toHaveLength(0);
    await expireSla(h, late);
    await expireSla(h, taken);
    const overdue = await m.get('/api/leads?overdue=true');
    expect(overdue.body.items.map((x: any) => x.id)).toEqual([late]);
    expect(overdue.body.items[0].overdue).toBe(true);
    await drainJobs(h);

    const l = await lead(h, late);
    expect(l.escalatedAt).toBeTruthy();
    expect(l.status).toBe('new');
    expect((await lead(h, taken)).escalatedAt).toBeNull();
    const headTasks = await dep.head.get(`/api/tasks?assigneeId=${dep.head.user!.id}&status=open`);
    const control = headTasks.body.items.filter((t: any) => t.type === 'control' && t.title.includes('Опоздание'));
    expect(control).toHaveLength(1);
    expect(control[0].source).toBe('lead_escalation');
    expect(headTasks.body.items.some((t: any) => t.title.includes('Вовремя'))).toBe(false);
    const bell = await dep.head.get('/api/notifications');
    expect(bell.body.items.filter((n: any) => n.kind === 'lead_overdue' && n.link === `/leads/${late}`)).toHaveLength(1);
    // The job runs once: a second run changes nothing.
    await h.server.ctx.db.transaction().execute((trx) => h.server.ctx.services.leads.slaCheck(trx, { leadId: late }));
    const again = await dep.head.get(`/api/tasks?assigneeId=${dep.head.user!.id}&status=open`);
    expect(again.body.items.filter((t: any) => t.title.includes('Опоздание'))).toHaveLength(1);
  });

  it('take into work records the first response once and closes the SLA task', async () => {
    const m = await h.user('manager');
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    const id = await submit(h, f.token, { name: 'Взять', phone: nextPhone() });
    const res = await m.post(`/api/leads/${id}/take`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'in_work', assigneeId: m.user!.id });
    expect(res.body.firstResponseAt).toBeTruthy();
    expect(typeof res.body.firstResponseMinutes).toBe('number');
    expect(res.body.firstResponseMinutes).toBeGreaterThanOrEqual(0);
    const task = await m.get(`/api/tasks/${res.body.slaTaskId}`);
    expect(task.body.status).toBe('done');
    // Later actions keep the first response time.
    const junk = await m.post(`/api/leads/${id}/junk`, { reason: 'Ошиблись номером' });
    expect(junk.body.firstResponseAt).toBe(res.body.firstResponseAt);
  });

  it('junk needs a reason (422); PATCH with a stale version is 409; status back to new from junk', async () => {
    const m = await h.user('manager');
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    const id = await submit(h, f.token, { name: 'Спамер', phone: nextPhone() });
    const noReason = await m.post(`/api/leads/${id}/junk`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.fields.reason).toBeTruthy();
    const blank = await m.post(`/api/leads/${id}/junk`, { reason: '   ' });
    expect(blank.status).toBe(422);
    const ok = await m.post(`/api/leads/${id}/junk`, { reason: 'Реклама' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'junk', junkReason: 'Реклама' });
    const stale = await m.patch(`/api/leads/${id}`, { status: 'new', version: ok.body.version - 1 });
    expect(stale.status).toBe(409);
    const back = await m.patch(`/api/leads/${id}`, { status: 'new', version: ok.body.version });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'new', junkReason: null });
    const converted = await m.patch(`/api/leads/${id}`, { status: 'converted' });
    expect(converted.status).toBe(400);
  });

  it('convert: a new client and a deal in the default pipeline’s «new» stage; the lead links both', async () => {
    const m = await h.user('manager');
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    const phone = nextPhone();
    const id = await submit(h, f.token, { name: 'Новый Клиент', phone, email: 'new.client@firma.ru', comment: 'Станок' });
    const res = await m.post(`/api/leads/${id}/convert`, {});
    expect(res.status).toBe(200);
    expect(res.body.clientExisted).toBe(false);
    expect(res.body.client).toMatchObject({ name: 'Новый Клиент', phones: [phone], emails: ['new.client@firma.ru'], ownerId: m.user!.id });
    expect(res.body.deal).toMatchObject({ clientId: res.body.client.id, stageCode: 'new', ownerId: m.user!.id });
    const pipelines = await h.admin.get('/api/pipelines');
    const def = (pipelines.body.items ?? pipelines.body).find((p: any) => p.isDefault);
    expect(res.body.deal.pipelineId).toBe(def.id);
    expect(res.body.lead).toMatchObject({ status: 'converted', clientId: res.body.client.id, dealId: res.body.deal.id });
    expect(res.body.lead.firstResponseAt).toBeTruthy();
    const timeline = await m.get(`/api/clients/${res.body.client.id}/timeline`);
    expect(timeline.body.items.some((e: any) => e.kind === 'lead_converted' && e.data?.leadId === id)).toBe(true);
    const twice = await m.post(`/api/leads/${id}/convert`, {});
    expect(twice.status).toBe(422);
  });

  it('convert onto an existing client: given by id, or found by phone, e-mail or ИНН', async () => {
    const m = await h.user('manager');
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    const phone = nextPhone();
    const client = await m.post('/api/clients', { kind: 'person', name: 'Старый Клиент', phones: [phone], emails: ['old@firma.ru'] });
    expect(client.status).toBe(201);

    const byId = await submit(h, f.token, { name: 'Кто-то', phone: nextPhone() });
    const r1 = await m.post(`/api/leads/${byId}/convert`, { clientId: client.body.id });
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({
      clientExisted: true,
      client: { id: client.body.id },
      deal: { clientId: client.body.id, stageCode: 'new' },
    });

    const byPhone = await submit(h, f.token, { name: 'Старый', phone: phone.replace('+7', '8') });
    const r2 = await m.post(`/api/leads/${byPhone}/convert`, {});
    expect(r2.status).toBe(200);
    expect(r2.body.clientExisted).toBe(true);
    expect(r2.body.client.id).toBe(client.body.id);

    const byEmail = await submit(h, f.token, { email: 'OLD@firma.ru' });
    const r3 = await m.post(`/api/leads/${byEmail}/convert`, {});
    expect(r3.body.client.id).toBe(client.body.id);

    const inn = generateValidInn(Math.random, 'company');
    const company = await m.post('/api/clients', { kind: 'company', name: 'ООО «Ромашка»', inn });
    expect(company.status).toBe(201);
    const byInn = await submit(h, f.token, { name: 'Бухгалтер Ромашки', company: 'Ромашка', inn, phone: nextPhone() });
    const r4 = await m.post(`/api/leads/${byInn}/convert`, {});
    expect(r4.status).toBe(200);
    expect(r4.body).toMatchObject({ clientExisted: true, client: { id: company.body.id } });

    // A client of another manager is not handed over by a conversion.
    const other = await h.user('manager');
    const foreign = await other.post('/api/clients', { kind: 'person', name: 'Чужой', phones: [nextPhone()] });
    const toForeign = await submit(h, f.token, { name: 'Чужой', phone: foreign.body.phones[0] });
    const r5 = await m.post(`/api/leads/${toForeign}/convert`, {});
    expect(r5.status).toBe(422);
    expect((await lead(h, toForeign)).status).toBe('new');
  });

  it('manual leads go through the same intake: a manager’s lead is his, with an SLA task; no contact is 400', async () => {
    const m = await h.user('manager');
    const res = await m.post('/api/leads', {
      name: 'С выставки',
      phone: '8 (916) 555-44-33',
      source: 'Выставка',
      comment: 'Интересовался ценой',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      channel: 'manual',
      status: 'new',
      assigneeId: m.user!.id,
      phone: '+79165554433',
      source: 'Выставка',
      formId: null,
    });
    expect(res.body.slaTaskId).toBeTruthy();
    expect((await m.post('/api/leads', { comment: 'Без контактов' })).status).toBe(400);
    expect((await m.post('/api/leads', { name: 'X', phone: '123' })).status).toBe(400);
    const other = await h.user('manager');
    const foreign = await m.post('/api/leads', { name: 'Чужой', assigneeId: other.user!.id });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields.assigneeId).toBeTruthy();
  });

  it('access: manager sees his own, head his department and the unassigned, owner all, accountant none', async () => {
    const dep1 = await h.department();
    const dep2 = await h.department();
    const m1 = await h.user('manager', { departmentId: dep1.id });
    const m2 = await h.user('manager', { departmentId: dep1.id });
    const m3 = await h.user('manager', { departmentId: dep2.id });
    const ids: Record<string, string> = {};
    for (const [key, m] of [
      ['m1', m1],
      ['m2', m2],
      ['m3', m3],
    ] as [string, TestClient][]) {
      const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
      ids[key] = await submit(h, f.token, { name: `Лид ${key}`, phone: nextPhone() });
    }
    const empty = await form(h, { strategy: 'round_robin', userIds: [] });
    ids.none = await submit(h, empty.token, { name: 'Лид ничей', phone: nextPhone() });

    const seen = async (c: TestClient) => new Set(((await c.get('/api/leads?limit=500')).body.items ?? []).map((l: any) => l.id));
    const s1 = await seen(m1);
    expect(s1.has(ids.m1)).toBe(true);
    expect(s1.has(ids.m2) || s1.has(ids.m3) || s1.has(ids.none)).toBe(false);
    expect((await m1.get(`/api/leads/${ids.m2}`)).status).toBe(404);
    expect((await m1.post(`/api/leads/${ids.m2}/take`)).status).toBe(404);
    expect((await m1.post(`/api/leads/${ids.none}/junk`, { reason: 'x' })).status).toBe(404);

    const sh = await seen(dep1.head);
    expect([ids.m1, ids.m2, ids.none].every((id) => sh.has(id))).toBe(true);
    expect(sh.has(ids.m3)).toBe(false);
    expect((await dep1.head.get(`/api/leads/${ids.m3}`)).status).toBe(404);
    const reassignOut = await dep1.head.patch(`/api/leads/${ids.m1}`, { assigneeId: m3.user!.id });
    expect(reassignOut.status).toBe(400);

    const owner = await h.user('owner');
    const so = await seen(owner);
    expect(Object.values(ids).every((id) => so.has(id))).toBe(true);

    const acc = await h.user('accountant');
    expect((await acc.get('/api/leads')).status).toBe(404);
    expect((await acc.get(`/api/leads/${ids.m1}`)).status).toBe(404);
    expect((await acc.post('/api/leads', { name: 'A' })).status).toBe(403);
  });

  it('search by name (any letter case, ё = е) and by phone digits; filters by status and form', async () => {
    const m = await h.user('manager');
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    const id = await submit(h, f.token, { name: 'Фёдор ЁЖИКОВ', phone: '+7 916 777-00-11' });
    const byName = await m.get(`/api/leads?q=${encodeURIComponent('ежиков')}`);
    expect(byName.body.items.map((l: any) => l.id)).toEqual([id]);
    const byDigits = await m.get(`/api/leads?q=${encodeURIComponent('8 916 777 00 11')}`);
    expect(byDigits.body.items.map((l: any) => l.id)).toEqual([id]);
    expect((await m.get(`/api/leads?formId=${f.id}&status=new`)).body.items.map((l: any) => l.id)).toEqual([id]);
    expect((await m.get(`/api/leads?formId=${f.id}&status=in_work`)).body.items).toHaveLength(0);
    // Paging: limit and cursor.
    await submit(h, f.token, { name: 'Второй' });
    const p1 = await m.get(`/api/leads?formId=${f.id}&limit=1`);
    expect(p1.body.items).toHaveLength(1);
    const p2 = await m.get(`/api/leads?formId=${f.id}&limit=1&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items[0].id).toBe(id);
  });

  it('intake in a caller’s transaction: rolled back with it, and committed with it', async () => {
    const m = await h.user('manager');
    const f = await form(h, { strategy: 'round_robin', userIds: [m.user!.id] });
    const leads = h.server.ctx.services.leads;
    let rolledBack: string | null = null;
    await h.server.ctx.db
      .transaction()
      .execute(async (trx) => {
        rolledBack = (await leads.intake(trx, { channel: 'call', formId: f.id, fields: { phone: '+79160001122' } })).leadId;
        throw new Error('rollback');
      })
      .catch(() => {});
    expect(rolledBack).toBeTruthy();
    expect((await h.admin.get(`/api/leads/${rolledBack}`)).status).toBe(404);
    const res = await h.server.ctx.db
      .transaction()
      .execute((trx) => leads.intake(trx, { channel: 'call', formId: f.id, fields: { phone: '+79160001122' } }));
    const l = await lead(h, res.leadId);
    expect(l).toMatchObject({ channel: 'call', phone: '+79160001122', assigneeId: m.user!.id });
    expect(l.slaTaskId).toBeTruthy();
  });

  it('concurrent intakes are isolated: one failing intake does not take the others with it', async () => {
    const m = await h.user('manager');
    const leads = h.server.ctx.services.leads;
    const results = await Promise.allSettled([
      leads.intake({ channel: 'manual', fields: { name: 'Хороший 1' }, assigneeId: m.user!.id }),
      leads.intake({ channel: 'manual', fields: { name: 'Плохой' }, assigneeId: 'no-such-user' }),
      leads.intake({ channel: 'manual', fields: { name: 'Хороший 2' }, assigneeId: m.user!.id }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    for (const r of results) if (r.status === 'fulfilled') expect((await lead(h, r.value.leadId)).name).toMatch(/Хороший/);
    const bad = await h.server.ctx.db.selectFrom('leads').select('id').where('name', '=', 'Плохой').execute();
    expect(bad).toHaveLength(0);
  });

  it('reassigning a new lead moves its SLA task to the new assignee', async () => {
    const dep = await h.department();
    const [a, b] = [await h.user('manager', { departmentId: dep.id }), await h.user('manager', { departmentId: dep.id })];
    const f = await form(h, { strategy: 'round_robin', userIds: [a.user!.id] });
    const id = await submit(h, f.token, { name: 'Передать', phone: nextPhone() });
    const before = await lead(h, id);
    const res = await dep.head.patch(`/api/leads/${id}`, { assigneeId: b.user!.id, version: before.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assigneeId: b.user!.id, firstResponseAt: null });
    const task = await b.get(`/api/tasks/${before.slaTaskId}`);
    expect(task.status).toBe(200);
    expect(task.body.assigneeId).toBe(b.user!.id);
    expect((await a.get(`/api/leads/${id}`)).status).toBe(404);
  });
});
