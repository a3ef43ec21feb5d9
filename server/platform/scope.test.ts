/**
 * Scope suite for what leaks around the lists (issue 9, «Leaks»): live events reach only users who may see their
 * record; the SSE stream ends with its session; escalations of users without a department go to the configured head
 * of sales or the owner himself; timeline entries and automation runs are filtered by what the reader may see; the
 * duplicate-client 409 names a client only to whoever may open it.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../test/harness.js';
import type { LiveEvent } from './events.js';

async function drainJobs(h: Harness) {
  for (let i = 0; i < 200 && (await h.server.ctx.jobs.runDue()) > 0; i++);
}

/** Polls `check` until it passes or 5 s are over (then throws its last failure). */
async function eventually(check: () => void | Promise<void>, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

let innSeq = 0;
/** A valid 10-digit ИНН of an organisation, different on every call. */
function freshInn(): string {
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const body = `78${String(1000000 + ++innSeq * 7919).slice(-7)}`;
  let s = 0;
  for (let i = 0; i < 9; i++) s += Number(body[i]) * w[i];
  return body + String((s % 11) % 10);
}

describeEachDialect('scope: live events, streams, routing, timeline, duplicates', (h) => {
  let headA: TestClient;
  let headB: TestClient;
  let m1: TestClient; // department A
  let m2: TestClient; // department A, another manager
  let m3: TestClient; // department B
  let owner: TestClient;
  let accountant: TestClient;
  let worker: TestClient; // production

  const clientOf = async (c: TestClient, name: string, extra: Record<string, unknown> = {}) => {
    const res = await c.post('/api/clients', { kind: 'company', name, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    const a = await h.department('Отдел А');
    const b = await h.department('Отдел Б');
    headA = a.head;
    headB = b.head;
    m1 = await h.user('manager', { departmentId: a.id, name: 'Менеджер Один' });
    m2 = await h.user('manager', { departmentId: a.id, name: 'Менеджер Два' });
    m3 = await h.user('manager', { departmentId: b.id, name: 'Менеджер Три' });
    owner = await h.user('owner', { name: 'Собственник' });
    accountant = await h.user('accountant');
    worker = await h.user('production');
  });

  // ── 2. live events: one filter in the bus ──

  it('a live event about a record reaches only who may see it: not another manager, his head yes, owner/admin all', async () => {
    const bus = h.server.ctx.events;
    const all = { m1, m2, m3, headA, headB, owner, admin: h.admin, accountant, worker };
    const seen = Object.fromEntries(Object.keys(all).map((k) => [k, [] as LiveEvent[]])) as Record<keyof typeof all, LiveEvent[]>;
    const offs = Object.entries(all).map(([k, c]) => bus.subscribe(c.user!, (e) => seen[k as keyof typeof all].push(e)));
    try {
      const client = await clientOf(m1, 'ООО «Живые события»');
      expect((await m1.post(`/api/clients/${client.id}/comments`, { text: 'Позвонить в пятницу' })).status).toBe(201);
      const deal = await m1.post('/api/deals', { clientId: client.id, title: 'Сделка для событий' });
      expect(deal.status).toBe(201);
      expect((await m1.post(`/api/deals/${deal.body.id}/move`, { stageCode: 'qualification' })).status).toBe(200);
      const lead = await m1.post('/api/leads', { name: 'Лид для событий', phone: '+79990001122' });
      expect(lead.status, JSON.stringify(lead.body)).toBe(201);
      const leadId = lead.body.id ?? lead.body.leadId;
      expect((await m1.post(`/api/leads/${leadId}/take`, {})).status).toBe(200);

      const about = (events: LiveEvent[]) =>
        events
          .filter((e) => {
            const d = e.data as { id?: string; clientId?: string };
            return d?.id === client.id || d?.clientId === client.id || d?.id === deal.body.id || d?.id === leadId;
          })
          .map((e) => e.type);
      const expected = ['client.changed', 'client.timeline', 'deal.updated', 'lead.updated'];
      for (const who of ['m1', 'headA', 'owner', 'admin'] as const) {
        await eventually(() => expect(new Set(about(seen[who])), who).toEqual(new Set([...expected, 'lead.created'])));
      }
      // The accountant reads clients and deals (read-only), not leads.
      await eventually(() =>
        expect(new Set(about(seen.accountant))).toEqual(new Set(['client.changed', 'client.timeline', 'deal.updated'])),
      );
      await new Promise((r) => setTimeout(r, 100));
      for (const who of ['m2', 'm3', 'headB', 'worker'] as const) expect(about(seen[who]), who).toEqual([]);

      // Personal events stay personal; company settings are for everyone.
      await h.server.ctx.services.notifications.notify(h.server.ctx.db, { userIds: [m2.user!.id], kind: 'test', title: 'Лично' });
      const s = await h.admin.get('/api/settings/company');
      expect((await h.admin.put('/api/settings/company', { ...s.body, logo: undefined, facsimile: undefined })).status).toBe(200);
      await eventually(() => expect(seen.worker.filter((e) => e.type === 'settings.updated')).toHaveLength(1));
      await eventually(() => expect(seen.m2.filter((e) => e.type === 'notification.created')).toHaveLength(1));
      for (const who of ['m1', 'headA', 'owner', 'admin'] as const) {
        expect(
          seen[who].filter((e) => e.type === 'notification.created'),
          who,
        ).toHaveLength(0);
      }
    } finally {
      for (const off of offs) off();
    }
  });

  it('the bus filter itself: record audiences by role and department, unassigned leads to heads, none without audience', async () => {
    const bus = h.server.ctx.events;
    const rec = (resource: 'client' | 'lead' | 'review', ownerIds: (string | null)[]) => ({ record: { resource, ownerIds } });
    const m1Client = rec('client', [m1.user!.id]);
    expect(await bus.mayReceive(m1.user!, m1Client)).toBe(true);
    expect(await bus.mayReceive(m2.user!, m1Client)).toBe(false);
    expect(await bus.mayReceive(headA.user!, m1Client)).toBe(true);
    expect(await bus.mayReceive(headB.user!, m1Client)).toBe(false);
    expect(await bus.mayReceive(owner.user!, m1Client)).toBe(true);
    expect(await bus.mayReceive(worker.user!, m1Client)).toBe(false);
    // Reviews: not the accountant.
    expect(await bus.mayReceive(accountant.user!, rec('review', [m1.user!.id]))).toBe(false);
    // An unassigned lead: the heads distribute it; managers do not see it.
    expect(await bus.mayReceive(headB.user!, rec('lead', [null]))).toBe(true);
    expect(await bus.mayReceive(m1.user!, rec('lead', [null]))).toBe(false);
    // userIds narrow a record audience.
    expect(await bus.mayReceive(owner.user!, { ...m1Client, userIds: [m1.user!.id] })).toBe(false);
    // A manager moved into department B is seen by head B at once (the bus forgets departments on auth.invalidate).
    const moving = await h.user('manager', { departmentId: null });
    expect(await bus.mayReceive(headB.user!, rec('client', [moving.user!.id]))).toBe(false);
    const dept = (await h.admin.get(`/api/users/${m3.user!.id}`)).body.departmentId;
    expect((await h.admin.patch(`/api/users/${moving.user!.id}`, { departmentId: dept })).status).toBe(200);
    // (on PostgreSQL the invalidation travels through NOTIFY: a moment later)
    await eventually(async () => expect(await bus.mayReceive(headB.user!, rec('client', [moving.user!.id]))).toBe(true));
  });

  // ── 6. the SSE stream ends with its session ──

  describe_sse(h, () => ({ m1, m2 }));

  // ── 1. escalations of users without a department ──

  it('a negative review of the owner goes to the owner himself, or to the configured head of sales — never to a random head', async () => {
    const settings = h.server.ctx.services.settings;
    const users = h.server.ctx.services.users;
    // Without a configured head of sales: the owner himself; a manager in a department: his head.
    expect(await users.responsibleHeadFor(owner.user!.id)).toBe(owner.user!.id);
    expect(await users.responsibleHeadFor(m3.user!.id)).toBe(headB.user!.id);

    const client = await clientOf(owner, 'ООО «Клиент собственника»');
    const negative = async (text: string) => {
      const r = await owner.post('/api/reviews', { clientId: client.id, rating: 1, text });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      await drainJobs(h);
    };
    const controlTasksOf = async (c: TestClient) =>
      ((await c.get(`/api/tasks?assigneeId=${c.user!.id}&type=control&limit=100`)).body.items as any[]).filter(
        (t) => t.clientId === client.id,
      );

    await negative('Первый плохой отзыв');
    expect(await controlTasksOf(owner)).toHaveLength(1);
    expect(await controlTasksOf(headA)).toHaveLength(0);

    // The admin picks head B as the head of sales on the company settings page.
    const current = (await h.admin.get('/api/settings/company')).body;
    expect(current.salesHeadId).toBeNull();
    const bad = await h.admin.put('/api/settings/company', { ...current, logo: undefined, facsimile: undefined, salesHeadId: m1.user!.id });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.salesHeadId).toContain('Руководитель отдела продаж');
    const put = await h.admin.put('/api/settings/company', {
      ...current,
      logo: undefined,
      facsimile: undefined,
      salesHeadId: headB.user!.id,
    });
    expect(put.status).toBe(200);
    expect(put.body.salesHeadId).toBe(headB.user!.id);
    // A PUT without the field keeps it.
    const again = await h.admin.put('/api/settings/company', {
      ...put.body,
      logo: undefined,
      facsimile: undefined,
      salesHeadId: undefined,
    });
    expect(again.body.salesHeadId).toBe(headB.user!.id);
    expect((await settings.company()).salesHeadId).toBe(headB.user!.id);

    await negative('Второй плохой отзыв');
    expect(await controlTasksOf(headB)).toHaveLength(1);
    expect(await controlTasksOf(headA)).toHaveLength(0);
    // Someone in a department still goes to his own head.
    expect(await users.responsibleHeadFor(m1.user!.id)).toBe(headA.user!.id);

    const cleared = await h.admin.put('/api/settings/company', { ...again.body, logo: undefined, facsimile: undefined, salesHeadId: null });
    expect(cleared.body.salesHeadId).toBeNull();
  });

  it('an overdue lead of a user without a department escalates to him, not to an unrelated head', async () => {
    const lead = await owner.post('/api/leads', { name: 'Лид собственника', phone: '+79990003344' });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const leadId = lead.body.id ?? lead.body.leadId;
    await h.server.ctx.db
      .updateTable('leads')
      .set({ sla_due_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', leadId)
      .execute();
    await h.server.ctx.db.transaction().execute((trx) => h.server.ctx.services.leads.slaCheck(trx, { leadId }));
    const tasks = await h.server.ctx.db
      .selectFrom('tasks')
      .select(['assignee_id'])
      .where('dedupe_key', '=', `lead-escalation:${leadId}`)
      .execute();
    expect(tasks.map((t) => t.assignee_id)).toEqual([owner.user!.id]);
  });

  // ── 4. timeline entries and automation runs by what the reader may see ──

  it('the accountant reads the card and its deals and invoices, but not review texts or others’ tasks (timeline, automation runs)', async () => {
    const client = await clientOf(m1, 'ООО «Отзывчивый»');
    const deal = (await m1.post('/api/deals', { clientId: client.id, title: 'Сделка с отзывом' })).body;
    const r = await m1.post('/api/reviews', { clientId: client.id, dealId: deal.id, rating: 1, text: 'Секретная жалоба на монтаж' });
    expect(r.status).toBe(201);
    await drainJobs(h);

    const kinds = async (c: TestClient) => {
      const res = await c.get(`/api/clients/${client.id}/timeline?limit=100`);
      expect(res.status).toBe(200);
      return { kinds: (res.body.items as any[]).map((e) => e.kind), raw: JSON.stringify(res.body) };
    };
    const mine = await kinds(m1);
    expect(mine.kinds).toEqual(expect.arrayContaining(['review', 'deal_created']));
    expect(mine.raw).toContain('Секретная жалоба');
    const acc = await kinds(accountant);
    expect(acc.kinds).toContain('deal_created');
    expect(acc.kinds).not.toContain('review');
    expect(acc.raw).not.toContain('Секретная жалоба');
    // Paging still works with the filter.
    const page = await accountant.get(`/api/clients/${client.id}/timeline?limit=1`);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].kind).not.toBe('review');
    // The production role does not read clients at all.
    expect((await worker.get(`/api/clients/${client.id}/timeline`)).status).toBe(404);

    const runs = async (c: TestClient) => (await c.get(`/api/deals/${deal.id}/automation-runs`)).body.items as any[];
    expect((await runs(m1)).map((x) => x.trigger)).toContain('review.negative');
    expect((await runs(headA)).map((x) => x.trigger)).toContain('review.negative');
    const accRuns = await accountant.get(`/api/deals/${deal.id}/automation-runs`);
    expect(accRuns.status).toBe(200);
    expect((accRuns.body.items as any[]).map((x) => x.trigger)).not.toContain('review.negative');
    expect(JSON.stringify(accRuns.body)).not.toContain('Секретная жалоба');
    expect((await worker.get(`/api/deals/${deal.id}/automation-runs`)).status).toBe(404);
  });

  // ── 5. the duplicate-client 409 ──

  it('a duplicate: the name and id only to whoever may open the client; anyone else learns whose it is', async () => {
    const inn = freshInn();
    const theirs = await clientOf(m3, 'ООО «Чужой дубль»', { inn });
    const hidden = await m1.post('/api/clients', { kind: 'company', name: 'Мой', inn });
    expect(hidden.status).toBe(409);
    expect(hidden.body.error.code).toBe('duplicate_client');
    expect(hidden.body.error.message).toBe('Клиент с таким ИНН уже есть у сотрудника Менеджер Три');
    expect(hidden.body.error.details).toEqual({ field: 'inn', ownerId: m3.user!.id, ownerName: 'Менеджер Три' });
    expect(JSON.stringify(hidden.body)).not.toContain('Чужой дубль');
    expect(JSON.stringify(hidden.body)).not.toContain(theirs.id);

    // Head B and the owner may open it: they get the name and the id.
    for (const c of [headB, owner]) {
      const shown = await c.post('/api/clients', { kind: 'company', name: 'Мой', inn });
      expect(shown.status).toBe(409);
      expect(shown.body.error.message).toBe('Клиент с таким ИНН уже есть: ООО «Чужой дубль»');
      expect(shown.body.error.details).toMatchObject({ existingId: theirs.id, existingName: 'ООО «Чужой дубль»', field: 'inn' });
    }
  });
});

/** Real HTTP streams: the harness's inject cannot hold an SSE response open. */
function describe_sse(h: Harness, who: () => { m1: TestClient; m2: TestClient }) {
  let port = 0;
  const open = async (cookie: string) => {
    if (!port) {
      await h.server.app.listen({ port: 0, host: '127.0.0.1' });
      port = (h.server.app.server.address() as { port: number }).port;
    }
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { cookie }, signal: abort.signal });
    const stream = { status: res.status, text: '', ended: false, close: () => abort.abort() };
    void (async () => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          stream.text += decoder.decode(value, { stream: true });
        }
      } catch {
        /* aborted */
      }
      stream.ended = true;
    })();
    await eventually(() => expect(stream.text).toContain(': connected'));
    return stream;
  };

  it('SSE: a manager’s stream carries his client’s events and not another manager’s', async () => {
    const { m1, m2 } = who();
    const s1 = await open(m1.cookie!);
    const s2 = await open(m2.cookie!);
    try {
      const client = await m1.post('/api/clients', { kind: 'company', name: 'ООО «Поток»' });
      expect((await m1.post(`/api/clients/${client.body.id}/comments`, { text: 'Привет' })).status).toBe(201);
      await eventually(() => expect(s1.text).toContain(`event: client.timeline\ndata: {"clientId":"${client.body.id}"}`));
      await new Promise((r) => setTimeout(r, 100));
      expect(s2.text).not.toContain(client.body.id);
    } finally {
      s1.close();
      s2.close();
    }
  });

  it('SSE: logout of that session ends the stream (session.revoked); another session of the user keeps its own', async () => {
    const user = await h.user('manager');
    const other = await h.server.ctx.services.auth.startSession(user.user!, { ip: '127.0.0.1' });
    const s = await open(user.cookie!);
    const sOther = await open(`voronka_session=${other.token}`);
    try {
      expect((await user.post('/api/auth/logout')).status).toBeLessThan(300);
      await eventually(() => expect(s.ended).toBe(true));
      expect(s.text).toContain('event: session.revoked');
      await new Promise((r) => setTimeout(r, 100));
      expect(sOther.ended).toBe(false);
      // Nothing reaches the closed stream; the other one still gets his events.
      await h.server.ctx.services.notifications.notify(h.server.ctx.db, { userIds: [user.user!.id], kind: 'test', title: 'После выхода' });
      await eventually(() => expect(sOther.text).toContain('После выхода'));
      expect(s.text).not.toContain('После выхода');
    } finally {
      s.close();
      sOther.close();
    }
  });

  it('SSE: deactivation ends the stream at once', async () => {
    const user = await h.user('manager');
    const s = await open(user.cookie!);
    try {
      const patch = await h.admin.patch(`/api/users/${user.user!.id}`, { active: false });
      expect(patch.status).toBe(200);
      await eventually(() => expect(s.ended).toBe(true));
      expect(s.text).toContain('event: session.revoked');
    } finally {
      s.close();
    }
  });

  it('SSE: an expired session ends the stream by itself', async () => {
    const user = await h.user('manager');
    const config = h.server.ctx.config;
    const ttl = config.sessionTtlMs;
    config.sessionTtlMs = 1200;
    const short = await h.server.ctx.services.auth.startSession(user.user!, { ip: '127.0.0.1' }).finally(() => {
      config.sessionTtlMs = ttl;
    });
    const s = await open(`voronka_session=${short.token}`);
    try {
      expect(s.ended).toBe(false);
      await eventually(() => expect(s.ended).toBe(true), 5000);
      expect(s.text).toContain('event: session.revoked');
      // A new stream with the expired cookie is refused.
      const again = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { cookie: `voronka_session=${short.token}` } });
      expect(again.status).toBe(401);
    } finally {
      s.close();
    }
  });
}
