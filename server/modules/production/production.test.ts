import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import { addDaysInZone, addDaysToDate, localDate } from '../../../common/dates.js';

const TZ = 'Europe/Moscow';

async function drainJobs(h: Harness) {
  for (let i = 0; i < 200 && (await h.server.ctx.jobs.runDue()) > 0; i++);
}

const timeIn = (iso: string) =>
  new Intl.DateTimeFormat('ru-RU', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );

describeEachDialect('production', (h) => {
  let head1: TestClient;
  let head2: TestClient;
  let m1: TestClient;
  let m2: TestClient;
  let worker: TestClient;
  let worker2: TestClient;
  let accountant: TestClient;
  let owner: TestClient;
  let productId: string;

  const newDeal = async (m: TestClient, title: string) => {
    const client = (await m.post('/api/clients', { kind: 'company', name: `ООО «${title}»` })).body;
    const res = await m.post('/api/deals', {
      clientId: client.id,
      title,
      items: [
        { productId, quantity: 12 },
        { name: 'Монтаж', quantity: 1, price: 500_000 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const move = async (m: TestClient, dealId: string, stageCode: string) => {
    const res = await m.post(`/api/deals/${dealId}/move`, { stageCode });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const orderOf = async (dealId: string) => {
    const res = await worker.get(`/api/production-orders?dealId=${dealId}`);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };

  beforeAll(async () => {
    const d1 = await h.department('Продажи-1');
    const d2 = await h.department('Продажи-2');
    head1 = d1.head;
    head2 = d2.head;
    m1 = await h.user('manager', { departmentId: d1.id, name: 'Иван Менеджеров' });
    m2 = await h.user('manager', { departmentId: d2.id });
    worker = await h.user('production', { name: 'Цех Первый' });
    worker2 = await h.user('production');
    accountant = await h.user('accountant');
    owner = await h.user('owner');
    productId = (await h.admin.post('/api/products', { sku: 'PR-OK-1', name: 'Окно ПВХ', price: 1_234_56, unit: 'шт', vatRate: 22 })).body
      .id;
  });

  it('entering «Производство» creates one queued order with the items and client, without prices; production is told', async () => {
    const deal = await newDeal(m1, 'Окна на дачу');
    await move(m1, deal.id, 'paid');
    await move(m1, deal.id, 'production');
    const orders = await orderOf(deal.id);
    expect(orders).toHaveLength(1);
    const o = orders[0];
    expect(o).toMatchObject({
      dealId: deal.id,
      dealTitle: 'Окна на дачу',
      clientId: deal.clientId,
      clientName: 'ООО «Окна на дачу»',
      ownerId: m1.user!.id,
      ownerName: 'Иван Менеджеров',
      items: [
        { name: 'Окно ПВХ', quantity: 12, unit: 'шт' },
        { name: 'Монтаж', quantity: 1, unit: null },
      ],
      status: 'queued',
      assigneeId: null,
      dueDate: null,
      comment: null,
      startedAt: null,
      doneAt: null,
      version: 1,
    });
    expect(o.number).toBeGreaterThan(0);
    // No money reaches production.
    expect(JSON.stringify(o)).not.toMatch(/price|amount|total|vat/i);
    // Back and forth: still one open order.
    await move(m1, deal.id, 'paid');
    await move(m1, deal.id, 'production');
    expect(await orderOf(deal.id)).toHaveLength(1);
    // Every production user got a notification with a link to the board.
    for (const w of [worker, worker2]) {
      const notes = (await w.get('/api/notifications?limit=100')).body.items as any[];
      expect(notes.filter((n) => n.kind === 'production_order' && n.entityId === o.id)).toHaveLength(1);
      expect(notes.find((n) => n.entityId === o.id).title).toBe(`Новый заказ в производство № ${o.number}`);
    }
    // A deal created right in «Производство» gets its order at creation; numbers go up.
    const client = (await m1.post('/api/clients', { kind: 'company', name: 'ИП Сразу' })).body;
    const stages = (await m1.get('/api/pipelines')).body[0].stages as any[];
    const direct = await m1.post('/api/deals', {
      clientId: client.id,
      title: 'Срочный заказ',
      stageId: stages.find((s) => s.code === 'production').id,
    });
    expect(direct.status).toBe(201);
    const second = await orderOf(direct.body.id);
    expect(second).toHaveLength(1);
    expect(second[0].number).toBe(o.number + 1);
    expect(second[0].items).toEqual([]);
  });

  it('access: production all; manager his deals read-only; head his department read-only; accountant nothing', async () => {
    const deal = await newDeal(m1, 'Двери');
    await move(m1, deal.id, 'production');
    const [o] = await orderOf(deal.id);
    const other = await newDeal(m2, 'Ворота');
    await move(m2, other.id, 'production');
    const [o2] = await orderOf(other.id);

    const listIds = async (c: TestClient) => {
      const res = await c.get('/api/production-orders?limit=500');
      return res.status === 200 ? (res.body.items as any[]).map((x) => x.id) : res.status;
    };
    expect(await listIds(worker)).toEqual(expect.arrayContaining([o.id, o2.id]));
    expect(await listIds(owner)).toEqual(expect.arrayContaining([o.id, o2.id]));
    const m1Ids = (await listIds(m1)) as string[];
    expect(m1Ids).toContain(o.id);
    expect(m1Ids).not.toContain(o2.id);
    const h1Ids = (await listIds(head1)) as string[];
    expect(h1Ids).toContain(o.id);
    expect(h1Ids).not.toContain(o2.id);
    expect(await listIds(accountant)).toBe(404);

    expect((await m1.get(`/api/production-orders/${o.id}`)).status).toBe(200);
    expect((await m1.get(`/api/production-orders/${o2.id}`)).status).toBe(404);
    expect((await head2.get(`/api/production-orders/${o.id}`)).status).toBe(404);
    expect((await accountant.get(`/api/production-orders/${o.id}`)).status).toBe(404);
    expect((await m1.patch(`/api/production-orders/${o.id}`, { status: 'in_progress', version: 1 })).status).toBe(403);
    expect((await m2.patch(`/api/production-orders/${o.id}`, { status: 'in_progress', version: 1 })).status).toBe(404);
    expect((await head1.patch(`/api/production-orders/${o.id}`, { status: 'in_progress', version: 1 })).status).toBe(403);
    expect((await accountant.patch(`/api/production-orders/${o.id}`, { status: 'in_progress', version: 1 })).status).toBe(404);
    expect((await worker.get('/api/production-orders/nope')).status).toBe(404);

    // Bad input and rules.
    expect((await worker.patch(`/api/production-orders/${o.id}`, { status: 'shipped', version: 1 })).status).toBe(400);
    expect((await worker.patch(`/api/production-orders/${o.id}`, { status: 'in_progress' })).status).toBe(400);
    const badAssignee = await worker.patch(`/api/production-orders/${o.id}`, { assigneeId: m1.user!.id, version: 1 });
    expect(badAssignee.status).toBe(400);
    expect(badAssignee.body.error.fields.assigneeId).toBeTruthy();
    const badDate = await worker.patch(`/api/production-orders/${o.id}`, { dueDate: '2026-02-30', version: 1 });
    expect(badDate.status).toBe(400);

    const started = await worker.patch(`/api/production-orders/${o.id}`, {
      status: 'in_progress',
      assigneeId: worker2.user!.id,
      dueDate: '2030-06-01',
      comment: 'Профиль в наличии',
      version: 1,
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      status: 'in_progress',
      assigneeId: worker2.user!.id,
      dueDate: '2030-06-01',
      comment: 'Профиль в наличии',
      version: 2,
    });
    expect(started.body.startedAt).toBeTruthy();
    expect((await worker.patch(`/api/production-orders/${o.id}`, { status: 'done', version: 1 })).status).toBe(409);
    const back = await worker.patch(`/api/production-orders/${o.id}`, { status: 'queued', version: 2 });
    expect(back.status).toBe(422);
    // The admin may step back once; two steps are refused.
    const adminBack = await h.admin.patch(`/api/production-orders/${o.id}`, { status: 'queued', version: 2 });
    expect(adminBack.status).toBe(200);
    expect(adminBack.body).toMatchObject({ status: 'queued', startedAt: null, version: 3 });
    // Forward may skip a step: queued → done.
    const done = await worker.patch(`/api/production-orders/${o.id}`, { status: 'done', version: 3 });
    expect(done.status).toBe(200);
    expect(done.body.startedAt).toBeTruthy();
    expect(done.body.doneAt).toBeTruthy();
    expect((await h.admin.patch(`/api/production-orders/${o.id}`, { status: 'queued', version: 4 })).status).toBe(422);
    // Manager sees the status, read-only.
    expect((await m1.get(`/api/production-orders/${o.id}`)).body.status).toBe('done');
  });

  it('the chain: production → in progress → done → deal delivered → the 15-day feedback task, once', async () => {
    const deal = await newDeal(m1, 'Остекление балкона');
    await move(m1, deal.id, 'invoiced');
    await move(m1, deal.id, 'paid');
    await move(m1, deal.id, 'production');
    const [order] = await orderOf(deal.id);
    expect(order.status).toBe('queued');

    const inProgress = await worker.patch(`/api/production-orders/${order.id}`, { status: 'in_progress', version: order.version });
    expect(inProgress.status).toBe(200);
    let notes = (await m1.get('/api/notifications?limit=100')).body.items as any[];
    expect(notes.find((n) => n.kind === 'production_order' && n.entityId === order.id && n.title.includes('В работе'))).toBeTruthy();
    expect((await m1.get(`/api/deals/${deal.id}`)).body.stageCode).toBe('production');

    const done = await worker.patch(`/api/production-orders/${order.id}`, {
      status: 'done',
      comment: 'Сдано по акту',
      version: inProgress.body.version,
    });
    expect(done.status).toBe(200);
    const doneAt: string = done.body.doneAt;
    expect((await m1.get(`/api/deals/${deal.id}`)).body.stageCode).toBe('delivered');
    notes = (await m1.get('/api/notifications?limit=100')).body.items as any[];
    expect(notes.find((n) => n.entityId === order.id && n.title.includes('Готово'))).toBeTruthy();

    await drainJobs(h);
    const tasks = (await m1.get(`/api/tasks?dealId=${deal.id}`)).body.items as any[];
    const feedback = tasks.filter((t) => t.title === 'Собрать отзыв: Остекление балкона');
    expect(feedback).toHaveLength(1);
    const task = feedback[0];
    expect(task).toMatchObject({
      type: 'call',
      assigneeId: m1.user!.id,
      authorId: null,
      clientId: deal.clientId,
      dealId: deal.id,
      status: 'open',
      source: 'feedback_after_delivery',
    });
    // Exactly 15 calendar days after delivery, at the same local time in Moscow.
    expect(task.dueAt).toBe(addDaysInZone(doneAt, 15, TZ).toISOString());
    expect(localDate(task.dueAt, TZ)).toBe(addDaysToDate(localDate(doneAt, TZ), 15));
    expect(timeIn(task.dueAt)).toBe(timeIn(doneAt));

    // The run is on the deal's log.
    const runs = (await m1.get(`/api/deals/${deal.id}/automation-runs`)).body.items as any[];
    const fr = runs.filter((r) => r.trigger === 'production.done');
    expect(fr).toHaveLength(1);
    expect(fr[0]).toMatchObject({
      status: 'ok',
      ruleName: 'Сдача клиенту → задача собрать отзыв через 15 дней',
      results: [{ type: 'create_task', taskId: task.id }],
    });

    // The trigger fired again, the job re-run, the order stepped back and done again: still one task.
    const { ctx } = h.server;
    await ctx.services.automation.trigger(ctx.db, { type: 'production.done', key: `production.done:${order.id}`, dealId: deal.id });
    await ctx.db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: new Date(0).toISOString() })
      .where('dedupe_key', '=', `automation:production.done:${order.id}`)
      .execute();
    await drainJobs(h);
    const back = await h.admin.patch(`/api/production-orders/${order.id}`, { status: 'in_progress', version: done.body.version });
    expect(back.status).toBe(200);
    expect(back.body.doneAt).toBeNull();
    const again = await worker.patch(`/api/production-orders/${order.id}`, { status: 'done', version: back.body.version });
    expect(again.status).toBe(200);
    await drainJobs(h);
    const after = ((await m1.get(`/api/tasks?dealId=${deal.id}`)).body.items as any[]).filter(
      (t) => t.source === 'feedback_after_delivery',
    );
    expect(after).toHaveLength(1);
    expect(
      await ctx.db.selectFrom('automation_runs').select('id').where('event_key', '=', `production.done:${order.id}`).execute(),
    ).toHaveLength(1);
  });

  it('with the default rule disabled, done still delivers the deal but creates no task', async () => {
    const rules = (await h.admin.get('/api/automation/rules')).body.items as any[];
    const fb = rules.find((r) => r.code === 'feedback_after_delivery');
    const off = await h.admin.patch(`/api/automation/rules/${fb.id}`, { enabled: false, version: fb.version });
    expect(off.status).toBe(200);
    try {
      const deal = await newDeal(m1, 'Без отзыва');
      await move(m1, deal.id, 'production');
      const [order] = await orderOf(deal.id);
      const done = await worker.patch(`/api/production-orders/${order.id}`, { status: 'done', version: order.version });
      expect(done.status).toBe(200);
      await drainJobs(h);
      expect((await m1.get(`/api/deals/${deal.id}`)).body.stageCode).toBe('delivered');
      expect((await m1.get(`/api/tasks?dealId=${deal.id}`)).body.items).toHaveLength(0);
    } finally {
      await h.admin.patch(`/api/automation/rules/${fb.id}`, { enabled: true, version: off.body.version });
    }
  });
});
