import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import { addDaysInZone } from '../../../common/dates.js';
import { computeDue } from './automation.service.js';

async function drainJobs(h: Harness) {
  for (let i = 0; i < 200 && (await h.server.ctx.jobs.runDue()) > 0; i++);
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver on 127.0.0.1 answering `status` (changeable). */
async function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(state.status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describeEachDialect('automation', (h) => {
  let head: TestClient;
  let depId: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  const newManager = () => h.user('manager', { departmentId: depId });
  const newDeal = async (m: TestClient, title: string, amount = 100_000) => {
    const client = (await m.post('/api/clients', { kind: 'company', name: `ООО «${title}»` })).body;
    const res = await m.post('/api/deals', { clientId: client.id, title, amount });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const move = async (m: TestClient, dealId: string, stageCode: string) => {
    const res = await m.post(`/api/deals/${dealId}/move`, { stageCode });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const tasksOf = async (m: TestClient, dealId: string) => (await m.get(`/api/tasks?dealId=${dealId}&limit=500`)).body.items as any[];
  const rule = async (body: Record<string, unknown>) => {
    const res = await h.admin.post('/api/automation/rules', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    const d = await h.department('Отдел автоматизации');
    head = d.head;
    depId = d.id;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('seeds the regulation defaults once; head and owner read, only the admin sees secrets and writes', async () => {
    const res = await h.admin.get('/api/automation/rules');
    expect(res.status).toBe(200);
    const byCode = Object.fromEntries((res.body.items as any[]).filter((r) => r.code).map((r) => [r.code, r]));
    expect(byCode.feedback_after_delivery).toMatchObject({
      trigger: 'production.done',
      enabled: true,
      system: true,
      actions: [
        { type: 'create_task', taskType: 'call', titleTemplate: 'Собрать отзыв: {deal.title}', dueOffset: { days: 15 }, assignee: 'owner' },
      ],
    });
    expect(byCode.negative_review_control).toMatchObject({
      trigger: 'review.negative',
      enabled: true,
      actions: [
        { type: 'create_task', taskType: 'control', assignee: 'head', dueOffset: { days: 1 } },
        { type: 'notify', to: 'head' },
      ],
    });
    // Seeding again (a restart) adds nothing and keeps an admin's change.
    const patched = await h.admin.patch(`/api/automation/rules/${byCode.agreed_issue_invoice.id}`, {
      name: 'Согласие → счёт',
      version: byCode.agreed_issue_invoice.version,
    });
    expect(patched.status).toBe(200);
    await h.server.ctx.services.automation.seedDefaults();
    const again = (await h.admin.get('/api/automation/rules')).body.items as any[];
    expect(again.length).toBe(res.body.items.length);
    expect(again.find((r) => r.code === 'agreed_issue_invoice').name).toBe('Согласие → счёт');

    expect((await head.get('/api/automation/rules')).status).toBe(200);
    const owner = await h.user('owner');
    expect((await owner.get('/api/automation/rules')).status).toBe(200);
    const m = await newManager();
    expect((await m.get('/api/automation/rules')).status).toBe(403);
    expect((await m.get('/api/automation/runs')).status).toBe(403);
    const create = { name: 'x', trigger: 'lead.created', actions: [{ type: 'notify', to: 'head', titleTemplate: 'x' }] };
    expect((await head.post('/api/automation/rules', create)).status).toBe(403);
    expect((await owner.patch(`/api/automation/rules/${byCode.feedback_after_delivery.id}`, { enabled: false, version: 1 })).status).toBe(
      403,
    );
    expect((await owner.delete(`/api/automation/rules/${byCode.feedback_after_delivery.id}`)).status).toBe(403);

    const secretRule = await rule({
      name: 'Вебхук с ключом',
      trigger: 'lead.created',
      enabled: false,
      actions: [{ type: 'webhook', url: 'https://example.com/x', secret: 'super-secret-1' }],
    });
    expect(secretRule.actions[0].secret).toBe('super-secret-1');
    const seenByHead = (await head.get(`/api/automation/rules/${secretRule.id}`)).body;
    expect(seenByHead.actions[0]).toEqual({ type: 'webhook', url: 'https://example.com/x', hasSecret: true });
    // The admin re-saving without the secret keeps it.
    const kept = await h.admin.patch(`/api/automation/rules/${secretRule.id}`, {
      actions: [{ type: 'webhook', url: 'https://example.com/x' }],
      version: secretRule.version,
    });
    expect(kept.body.actions[0].secret).toBe('super-secret-1');
  });

  it('validates rules: 400 naming the fields, unknown stage or user, 409 stale version, defaults cannot be deleted', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await h.admin.post('/api/automation/rules', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(res.body.error.fields)).toContain(field);
      return res.body.error.fields[field] as string;
    };
    const task = { type: 'create_task', taskType: 'call', titleTemplate: 'Позвонить: {deal.title}' };
    await bad({ name: 'x', trigger: 'deal.moved', actions: [task] }, 'trigger');
    await bad({ name: 'x', trigger: 'deal.stage_entered', actions: [] }, 'actions');
    await bad({ name: '', trigger: 'deal.stage_entered', actions: [task] }, 'name');
    await bad({ name: 'x', trigger: 'deal.stage_entered', actions: [{ ...task, taskType: 'visit' }] }, 'actions.0.taskType');
    expect(
      await bad(
        { name: 'x', trigger: 'deal.stage_entered', actions: [{ ...task, titleTemplate: 'Позвонить {deal.name}' }] },
        'actions.0.titleTemplate',
      ),
    ).toContain('{deal.name}');
    await bad(
      { name: 'x', trigger: 'deal.stage_entered', actions: [{ ...task, dueOffset: { atTime: '25:00' } }] },
      'actions.0.dueOffset.atTime',
    );
    await bad({ name: 'x', trigger: 'deal.stage_entered', actions: [{ ...task, dueOffset: { dayz: 1 } }] }, 'actions.0.dueOffset');
    await bad({ name: 'x', trigger: 'deal.stage_entered', actions: [{ type: 'send_sms' }] }, 'actions.0.type');
    await bad({ name: 'x', trigger: 'deal.stage_entered', actions: [{ type: 'webhook', url: 'ftp://example.com' }] }, 'actions.0.url');
    await bad(
      { name: 'x', trigger: 'deal.stage_entered', conditions: { minAmount: 500, maxAmount: 100 }, actions: [task] },
      'conditions.maxAmount',
    );
    await bad({ name: 'x', trigger: 'deal.stage_entered', conditions: { stage: 'new' }, actions: [task] }, 'conditions');
    // References: unknown stage, pipeline, user → 400.
    await bad({ name: 'x', trigger: 'deal.stage_entered', conditions: { stageCode: 'nowhere' }, actions: [task] }, 'conditions.stageCode');
    await bad(
      { name: 'x', trigger: 'deal.stage_entered', conditions: { pipelineId: 'no-such-pipeline' }, actions: [task] },
      'conditions.pipelineId',
    );
    await bad(
      { name: 'x', trigger: 'deal.stage_entered', actions: [{ ...task, assignee: { userId: 'no-such-user' } }] },
      'actions.0.assignee.userId',
    );
    await bad(
      { name: 'x', trigger: 'deal.stage_entered', actions: [task, { type: 'notify', to: { userId: 'nobody' }, titleTemplate: 'x' }] },
      'actions.1.to.userId',
    );
    await bad({ name: 'x', trigger: 'invoice.paid', actions: [{ type: 'move_deal', stageCode: 'shipped' }] }, 'actions.0.stageCode');

    const created = await rule({
      name: 'Проверка',
      trigger: 'invoice.paid',
      conditions: { stageCode: 'paid', minAmount: 0 },
      actions: [{ type: 'move_deal', stageCode: 'production' }, task],
    });
    expect(created).toMatchObject({
      code: null,
      system: false,
      enabled: true,
      conditions: { stageCode: 'paid', minAmount: 0 },
      actions: [
        { type: 'move_deal', stageCode: 'production', onlyForward: true },
        { ...task, dueOffset: {}, assignee: 'owner' },
      ],
      version: 1,
    });
    const patched = await h.admin.patch(`/api/automation/rules/${created.id}`, { enabled: false, version: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ enabled: false, version: 2 });
    const stale = await h.admin.patch(`/api/automation/rules/${created.id}`, { enabled: true, version: 1 });
    expect(stale.status).toBe(409);
    const noVersion = await h.admin.patch(`/api/automation/rules/${created.id}`, { enabled: true });
    expect(noVersion.status).toBe(400);
    const badPatch = await h.admin.patch(`/api/automation/rules/${created.id}`, {
      actions: [{ type: 'move_deal', stageCode: 'nowhere' }],
      version: 2,
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.fields['actions.0.stageCode']).toBeTruthy();

    expect((await h.admin.delete(`/api/automation/rules/${created.id}`)).status).toBe(204);
    expect((await h.admin.get(`/api/automation/rules/${created.id}`)).status).toBe(404);
    expect((await h.admin.delete(`/api/automation/rules/${created.id}`)).status).toBe(404);

    const defaults = (await h.admin.get('/api/automation/rules')).body.items as any[];
    const feedback = defaults.find((r) => r.code === 'feedback_after_delivery');
    const del = await h.admin.delete(`/api/automation/rules/${feedback.id}`);
    expect(del.status).toBe(422);
    expect(del.body.error.message).toMatch(/отключить/);
  });

  it('conditions: stage, amount and pipeline decide; the run log shows on the deal; a disabled rule does nothing', async () => {
    const m = await newManager();
    const otherPipeline = (await h.admin.post('/api/pipelines', { name: 'Сервис' })).body;
    expect(otherPipeline.id).toBeTruthy();
    const big = await rule({
      name: 'Крупная сделка в КП → звонок',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'proposal', minAmount: 100_000_00, ownerId: m.user!.id },
      actions: [
        {
          type: 'create_task',
          taskType: 'call',
          titleTemplate: 'Обзвонить: {deal.title} на {deal.amount}, {client.name}',
          dueOffset: { days: 1, atTime: '10:00' },
          assignee: 'owner',
        },
      ],
    });
    const elsewhere = await rule({
      name: 'Только воронка «Сервис»',
      trigger: 'deal.stage_entered',
      conditions: { pipelineId: otherPipeline.id, ownerId: m.user!.id },
      actions: [{ type: 'notify', to: 'owner', titleTemplate: 'Сервис: {deal.title}' }],
    });

    const large = await newDeal(m, 'Станок', 150_000_00);
    const small = await newDeal(m, 'Фреза', 50_000_00);
    const movedAt = Date.now();
    await move(m, large.id, 'proposal');
    await move(m, small.id, 'proposal');
    await drainJobs(h);

    const tasks = await tasksOf(m, large.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      title: 'Обзвонить: Станок на 150 000,00 ₽, ООО «Станок»',
      type: 'call',
      assigneeId: m.user!.id,
      authorId: null,
      source: 'automation',
    });
    // Tomorrow (company time zone) at 10:00 Moscow = 07:00 UTC.
    const expectedDue = computeDue(new Date(movedAt).toISOString(), { days: 1, atTime: '10:00' }, 'Europe/Moscow');
    expect(tasks[0].dueAt).toBe(expectedDue.toISOString());
    expect(tasks[0].dueAt).toMatch(/T07:00:00\.000Z$/);
    expect(await tasksOf(m, small.id)).toHaveLength(0);

    const log = await m.get(`/api/deals/${large.id}/automation-runs`);
    expect(log.status).toBe(200);
    const proposalRuns = (log.body.items as any[]).filter((r) => r.ruleId === big.id);
    expect(proposalRuns).toHaveLength(1);
    expect(proposalRuns[0]).toMatchObject({
      ruleName: big.name,
      trigger: 'deal.stage_entered',
      status: 'ok',
      error: null,
      attempts: 1,
      dealId: large.id,
      results: [{ type: 'create_task', taskId: tasks[0].id }],
    });
    expect((await m.get(`/api/deals/${small.id}/automation-runs`)).body.items).toHaveLength(0);
    // The pipeline condition kept the other rule silent for deals of the default pipeline.
    expect((await h.admin.get(`/api/automation/runs?ruleId=${elsewhere.id}`)).body.items).toHaveLength(0);
    const notifs = (await m.get('/api/notifications?limit=500')).body.items as any[];
    expect(notifs.filter((n) => n.title.startsWith('Сервис:'))).toHaveLength(0);

    // A deal created in «Сервис» does run it.
    const client = (await m.post('/api/clients', { kind: 'company', name: 'ИП Сервисов' })).body;
    const serviceDeal = (await m.post('/api/deals', { clientId: client.id, title: 'Ремонт', pipelineId: otherPipeline.id })).body;
    await drainJobs(h);
    const after = (await m.get('/api/notifications?limit=500')).body.items as any[];
    expect(after.filter((n) => n.title === 'Сервис: Ремонт')).toHaveLength(1);
    expect(after.find((n) => n.title === 'Сервис: Ремонт')).toMatchObject({ kind: 'automation', link: `/deals/${serviceDeal.id}` });

    // Runs: admin filters by rule; a head of another department cannot open this deal's log.
    const byRule = await h.admin.get(`/api/automation/runs?ruleId=${big.id}`);
    expect(byRule.body.items.map((r: any) => r.dealId)).toEqual([large.id]);
    const otherHead = (await h.department('Чужой отдел')).head;
    expect((await otherHead.get(`/api/automation/runs?dealId=${large.id}`)).status).toBe(404);
    expect((await otherHead.get(`/api/deals/${large.id}/automation-runs`)).status).toBe(404);
    expect((await otherHead.get(`/api/automation/runs?ruleId=${big.id}`)).body.items).toHaveLength(0);
    expect((await head.get(`/api/automation/runs?ruleId=${big.id}`)).body.items).toHaveLength(1);

    // Disabled: nothing happens, no run either.
    const off = await h.admin.patch(`/api/automation/rules/${big.id}`, { enabled: false, version: big.version });
    expect(off.status).toBe(200);
    const third = await newDeal(m, 'Пресс', 300_000_00);
    await move(m, third.id, 'proposal');
    await drainJobs(h);
    expect(await tasksOf(m, third.id)).toHaveLength(0);
    expect((await m.get(`/api/deals/${third.id}/automation-runs`)).body.items).toHaveLength(0);
  });

  it('runs a rule once per event: the trigger fired twice and the job re-run change nothing', async () => {
    const m = await newManager();
    const r = await rule({
      name: 'Квалификация → письмо',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'qualification', ownerId: m.user!.id },
      actions: [{ type: 'create_task', taskType: 'email', titleTemplate: 'Письмо: {deal.title}', assignee: 'owner' }],
    });
    const deal = await newDeal(m, 'Насосы');
    await move(m, deal.id, 'qualification');
    const { ctx } = h.server;
    const stageId = (await m.get(`/api/deals/${deal.id}`)).body.stageId;
    const key = `deal.stage_entered:${deal.id}:${stageId}:manual`;
    await ctx.services.automation.trigger(ctx.db, { type: 'deal.stage_entered', key, dealId: deal.id, stageCode: 'qualification' });
    await ctx.services.automation.trigger(ctx.db, { type: 'deal.stage_entered', key, dealId: deal.id, stageCode: 'qualification' });
    const jobs = await ctx.db.selectFrom('jobs').select(['id']).where('dedupe_key', '=', `automation:${key}`).execute();
    expect(jobs).toHaveLength(1);
    await drainJobs(h);
    // Two events (the move and the manual key): two runs of the rule, each with its own task.
    let tasks = await tasksOf(m, deal.id);
    expect(tasks).toHaveLength(2);

    // The job claimed again (as after a crash): the run row stops a second execution.
    await ctx.db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: new Date(0).toISOString() })
      .where('id', '=', jobs[0].id)
      .execute();
    await drainJobs(h);
    tasks = await tasksOf(m, deal.id);
    expect(tasks).toHaveLength(2);
    const runs = await ctx.db.selectFrom('automation_runs').selectAll().where('rule_id', '=', r.id).execute();
    expect(runs).toHaveLength(2);
    expect(runs.every((x) => x.status === 'ok' && Number(x.attempts) === 1)).toBe(true);
  });

  it('move_deal and chains: automation moving a deal fires the next rule; a loop stops', async () => {
    const m = await newManager();
    await rule({
      name: 'Согласие → сразу КП-этап пропущен',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'qualification', ownerId: m.user!.id },
      actions: [{ type: 'move_deal', stageCode: 'agreed' }],
    });
    await rule({
      name: 'На согласии → уведомить',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'agreed', ownerId: m.user!.id },
      actions: [{ type: 'notify', to: 'head', titleTemplate: 'Согласие: {deal.title} ({deal.stage})' }],
    });
    const deal = await newDeal(m, 'Котёл');
    await move(m, deal.id, 'qualification');
    await drainJobs(h);
    const after = (await m.get(`/api/deals/${deal.id}`)).body;
    expect(after.stageCode).toBe('agreed');
    const headNotes = (await head.get('/api/notifications?limit=500')).body.items as any[];
    expect(headNotes.filter((n) => n.title === 'Согласие: Котёл (Согласие)')).toHaveLength(1);
    // History shows the system move (no author).
    const history = (await m.get(`/api/deals/${deal.id}/history`)).body.items as any[];
    expect(history.at(-1)).toMatchObject({ stageCode: 'agreed', byUserId: null });

    // onlyForward: a rule moving back does nothing.
    const m2 = await newManager();
    await rule({
      name: 'Назад нельзя',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'proposal', ownerId: m2.user!.id },
      actions: [{ type: 'move_deal', stageCode: 'new' }],
    });
    const d2 = await newDeal(m2, 'Труба');
    await move(m2, d2.id, 'proposal');
    await drainJobs(h);
    expect((await m2.get(`/api/deals/${d2.id}`)).body.stageCode).toBe('proposal');
    const runs = (await m2.get(`/api/deals/${d2.id}/automation-runs`)).body.items as any[];
    expect(runs[0]).toMatchObject({ status: 'ok', results: [{ type: 'move_deal', stageCode: 'new', moved: false }] });

    // A ping-pong pair (both directions allowed) ends by the depth limit instead of running forever.
    const m3 = await newManager();
    await rule({
      name: 'Пинг',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'qualification', ownerId: m3.user!.id },
      actions: [{ type: 'move_deal', stageCode: 'proposal', onlyForward: false }],
    });
    await rule({
      name: 'Понг',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'proposal', ownerId: m3.user!.id },
      actions: [{ type: 'move_deal', stageCode: 'qualification', onlyForward: false }],
    });
    const d3 = await newDeal(m3, 'Маятник');
    await move(m3, d3.id, 'qualification');
    await drainJobs(h);
    const hist = (await m3.get(`/api/deals/${d3.id}/history`)).body.items as any[];
    expect(hist.length).toBeLessThanOrEqual(10);
    expect(await h.server.ctx.jobs.runDue()).toBe(0);
  });

  it('webhook: signed POST to a local server; a failure rolls the rule back, logs it failed, and a retry succeeds', async () => {
    const m = await newManager();
    const secret = 'webhook-secret-42';
    const r = await rule({
      name: 'КП → во внешнюю систему',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'proposal', ownerId: m.user!.id },
      actions: [
        { type: 'create_task', taskType: 'call', titleTemplate: 'После вебхука: {deal.title}' },
        { type: 'webhook', url: receiver.url, secret },
      ],
    });
    const deal = await newDeal(m, 'Ворота', 12_345_67);
    receiver.received.length = 0;
    await move(m, deal.id, 'proposal');
    await drainJobs(h);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    const expectedSig = 'sha256=' + crypto.createHmac('sha256', secret).update(got.body).digest('hex');
    expect(got.headers['x-voronka-signature']).toBe(expectedSig);
    expect(got.headers['x-voronka-event']).toBe('deal.stage_entered');
    expect(got.headers['content-type']).toMatch(/application\/json/);
    const payload = JSON.parse(got.body);
    expect(payload).toMatchObject({
      event: 'deal.stage_entered',
      rule: { id: r.id, name: r.name },
      deal: { id: deal.id, title: 'Ворота', amount: 12_345_67, stageCode: 'proposal', ownerId: m.user!.id },
      client: { id: deal.clientId, name: 'ООО «Ворота»' },
      stageCode: 'proposal',
    });
    expect(got.headers['x-voronka-delivery']).toBe(payload.id);
    expect(await tasksOf(m, deal.id)).toHaveLength(1);

    // The receiver fails: the run is `failed`, the task of the same rule is rolled back, a retry is scheduled.
    receiver.state.status = 500;
    const d2 = await newDeal(m, 'Калитка');
    await move(m, d2.id, 'proposal');
    await drainJobs(h);
    let runs = (await m.get(`/api/deals/${d2.id}/automation-runs`)).body.items as any[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ ruleId: r.id, status: 'failed', attempts: 1, error: 'Вебхук ответил HTTP 500' });
    expect(await tasksOf(m, d2.id)).toHaveLength(0);
    const { ctx } = h.server;
    const retry = await ctx.db
      .selectFrom('jobs')
      .selectAll()
      .where('dedupe_key', 'like', `automation:deal.stage_entered:${d2.id}:%:retry:2`)
      .execute();
    expect(retry).toHaveLength(1);
    expect(retry[0].status).toBe('pending');
    expect(new Date(retry[0].run_at).getTime()).toBeGreaterThan(Date.now() + 30_000);

    receiver.state.status = 204;
    await ctx.db
      .updateTable('jobs')
      .set({ run_at: new Date(0).toISOString() })
      .where('id', '=', retry[0].id)
      .execute();
    await drainJobs(h);
    runs = (await m.get(`/api/deals/${d2.id}/automation-runs`)).body.items as any[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'ok', attempts: 2, error: null });
    expect(await tasksOf(m, d2.id)).toHaveLength(1);
    const failed = await h.admin.get(`/api/automation/runs?status=failed&ruleId=${r.id}`);
    expect(failed.body.items).toHaveLength(0);

    // A receiver that is down (connection refused) is a failure too.
    const down = await startReceiver();
    await down.close();
    const r2 = await rule({
      name: 'Недоступный вебхук',
      trigger: 'deal.stage_entered',
      conditions: { stageCode: 'agreed', ownerId: m.user!.id },
      actions: [{ type: 'webhook', url: down.url }],
    });
    await move(m, d2.id, 'agreed');
    await drainJobs(h);
    const downRuns = (await h.admin.get(`/api/automation/runs?ruleId=${r2.id}`)).body.items as any[];
    expect(downRuns[0]).toMatchObject({ status: 'failed', dealId: d2.id });
    expect(downRuns[0].error).toMatch(/Вебхук недоступен/);
  });

  it('events from other modules: facts feed conditions and templates; a rule needing an owner fails visibly', async () => {
    const m = await newManager();
    const deal = await newDeal(m, 'Кровля', 10_000_00);
    await rule({
      name: 'Просрочка крупного счёта → руководителю',
      trigger: 'invoice.overdue',
      conditions: { minAmount: 50_000_00, ownerId: m.user!.id },
      actions: [
        {
          type: 'create_task',
          taskType: 'control',
          titleTemplate: 'Счёт № {invoice.number} по «{deal.title}» просрочен',
          dueOffset: { hours: 2 },
          assignee: 'head',
        },
      ],
    });
    const { ctx } = h.server;
    const at = '2030-01-10T09:00:00.000Z';
    // The invoice's amount (not the deal's) is tested: 600 000 ₽ ≥ 50 000 ₽.
    await ctx.services.automation.trigger(ctx.db, {
      type: 'invoice.overdue',
      key: 'invoice.overdue:test-1',
      dealId: deal.id,
      at,
      facts: { invoiceNumber: 'А-17', amount: 600_000_00 },
    });
    await ctx.services.automation.trigger(ctx.db, {
      type: 'invoice.overdue',
      key: 'invoice.overdue:test-2',
      dealId: deal.id,
      at,
      facts: { invoiceNumber: 'А-18', amount: 1_000_00 },
    });
    await drainJobs(h);
    const tasks = (await head.get(`/api/tasks?dealId=${deal.id}`)).body.items as any[];
    expect(tasks.map((t) => t.title)).toEqual(['Счёт № А-17 по «Кровля» просрочен']);
    expect(tasks[0]).toMatchObject({ assigneeId: head.user!.id, type: 'control', dueAt: '2030-01-10T11:00:00.000Z' });

    // No owner to assign to: the run is failed with a readable reason, nothing is created, no retry.
    const orphan = await h.admin.post('/api/clients', { kind: 'person', name: 'Без ответственного' });
    await rule({
      name: 'Лид → владельцу',
      trigger: 'lead.created',
      actions: [{ type: 'create_task', taskType: 'call', titleTemplate: 'Лид {lead.name}' }],
    });
    await ctx.db.updateTable('clients').set({ owner_id: null }).where('id', '=', orphan.body.id).execute();
    await ctx.services.automation.trigger(ctx.db, {
      type: 'lead.created',
      key: 'lead.created:test-1',
      clientId: orphan.body.id,
      facts: { leadName: 'Пётр' },
    });
    await drainJobs(h);
    const runs = (await h.admin.get('/api/automation/runs?status=failed&limit=500')).body.items as any[];
    const failed = runs.find((r) => r.eventKey === 'lead.created:test-1');
    expect(failed).toMatchObject({ status: 'failed', clientId: orphan.body.id, dealId: null });
    expect(failed.error).toMatch(/Не определён ответственный/);
    expect(
      await ctx.db.selectFrom('jobs').select('id').where('dedupe_key', 'like', 'automation:lead.created:test-1:retry%').execute(),
    ).toHaveLength(0);
  });

  it('computes due times in the company zone across a DST change', () => {
    // Berlin switches to summer time on 2026-03-29: 15 days after 2026-03-20 10:00 local is 2026-04-04 10:00 local.
    const due = computeDue('2026-03-20T09:00:00.000Z', { days: 15 }, 'Europe/Berlin');
    expect(due.toISOString()).toBe('2026-04-04T08:00:00.000Z');
    expect(due.toISOString()).toBe(addDaysInZone('2026-03-20T09:00:00.000Z', 15, 'Europe/Berlin').toISOString());
    expect(computeDue('2026-03-20T09:00:00.000Z', { days: 1, atTime: '09:30', minutes: 15 }, 'Europe/Moscow').toISOString()).toBe(
      '2026-03-21T06:45:00.000Z',
    );
    expect(computeDue('2026-03-20T09:00:00.000Z', { hours: 4 }, 'Europe/Moscow').toISOString()).toBe('2026-03-20T13:00:00.000Z');
  });
});
