import { beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';
import type { Actor } from '../../platform/permissions.js';

describeEachDialect('deals', (h) => {
  let dep1: string;
  let head1: TestClient;
  let head2: TestClient;
  let m1: TestClient;
  let m2: TestClient;
  let m3: TestClient;
  let owner: TestClient;
  let accountant: TestClient;
  let production: TestClient;
  let c1: any; // m1's client
  let c2: any; // m2's client
  let c3: any; // m3's client (other department)
  let reasonId: string;

  const client = async (as: TestClient, name: string) => {
    const res = await as.post('/api/clients', { kind: 'company', name });
    expect(res.status).toBe(201);
    return res.body;
  };
  const deal = async (as: TestClient, body: Record<string, unknown>) => {
    const res = await as.post('/api/deals', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const timeline = async (clientId: string) => (await h.admin.get(`/api/clients/${clientId}/timeline?limit=500`)).body.items as any[];
  const historyRows = (dealId: string) =>
    h.server.ctx.db.selectFrom('deal_stage_history').selectAll().where('deal_id', '=', dealId).execute();

  beforeAll(async () => {
    const d1 = await h.department('Отдел Москва');
    const d2 = await h.department('Отдел Казань');
    dep1 = d1.id;
    head1 = d1.head;
    head2 = d2.head;
    m1 = await h.user('manager', { departmentId: d1.id, name: 'Иван Первый' });
    m2 = await h.user('manager', { departmentId: d1.id, name: 'Пётр Второй' });
    m3 = await h.user('manager', { departmentId: d2.id, name: 'Семён Третий' });
    owner = await h.user('owner');
    accountant = await h.user('accountant');
    production = await h.user('production');
    c1 = await client(m1, 'ООО «Ромашка»');
    c2 = await client(m2, 'ООО «Василёк»');
    c3 = await client(m3, 'АО «Казань-Строй»');
    const reasons = await h.admin.get('/api/loss-reasons');
    reasonId = reasons.body.items.find((r: any) => r.name === 'Дорого').id;
  });

  it('creates a deal with items: totals and VAT are exact; timeline gets deal_created', async () => {
    const product = (await h.admin.post('/api/products', { sku: 'KR-1', name: 'Крепёж', price: 999, unit: 'кг', vatRate: 10 })).body;
    const res = await m1.post('/api/deals', {
      clientId: c1.id,
      title: 'Окна в офис',
      source: 'website',
      items: [
        { name: 'Окно ПВХ', quantity: 3, price: 123456, vatRate: 22 },
        { productId: product.id, quantity: 1.5 },
      ],
    });
    expect(res.status).toBe(201);
    const d = res.body;
    // 3 × 1 234,56 = 3 703,68 ₽; VAT 22 % inside: round(370368 × 22 / 122) = round(66787.67) = 66788.
    expect(d.items[0]).toMatchObject({
      name: 'Окно ПВХ',
      quantity: 3,
      price: 123456,
      vatRate: 22,
      total: 370368,
      vat: 66788,
      productId: null,
    });
    // 1.5 × 9,99 = 14,985 → 14,99 ₽ (half away from zero); VAT 10 %: round(1499 × 10 / 110) = 136.
    expect(d.items[1]).toMatchObject({
      name: 'Крепёж',
      quantity: 1.5,
      price: 999,
      vatRate: 10,
      total: 1499,
      vat: 136,
      productId: product.id,
    });
    expect(d).toMatchObject({
      clientId: c1.id,
      clientName: 'ООО «Ромашка»',
      title: 'Окна в офис',
      amount: 371867,
      stageCode: 'new',
      stageName: 'Новый',
      status: 'open',
      ownerId: m1.user!.id,
      source: 'website',
      lossReasonId: null,
      closedAt: null,
      version: 1,
    });
    const again = await m1.get(`/api/deals/${d.id}`);
    expect(again.body.items.map((i: any) => i.total)).toEqual([370368, 1499]);
    const tl = await timeline(c1.id);
    const created = tl.find((e) => e.kind === 'deal_created' && e.dealId === d.id);
    expect(created).toBeTruthy();
    expect(created.authorId).toBe(m1.user!.id);
    const hist = await historyRows(d.id);
    expect(hist).toHaveLength(1);
    expect(hist[0]).toMatchObject({ stage_code: 'new', left_at: null, owner_id: m1.user!.id, by_user_id: m1.user!.id });
  });

  it('explicit amount without items; item and amount errors name the field; nothing is written', async () => {
    const plain = await deal(m1, { clientId: c1.id, title: 'Без позиций', amount: 5_000_00 });
    expect(plain.amount).toBe(500000);
    expect(plain.items).toEqual([]);

    const before = (await m1.get('/api/deals?limit=500')).body.items.length;
    const cases: [unknown, string][] = [
      [[{ quantity: 1, price: 100 }], 'items.0.name'],
      [[{ name: 'X', quantity: 1 }], 'items.0.price'],
      [[{ productId: 'no-such', quantity: 1 }], 'items.0.productId'],
      [[{ name: 'X', quantity: 0, price: 1 }], 'items.0.quantity'],
      [[{ name: 'X', quantity: 1.2345, price: 1 }], 'items.0.quantity'],
      [[{ name: 'X', quantity: 1, price: 1.5 }], 'items.0.price'],
      [[{ name: 'X', quantity: 1, price: 1, vatRate: 18 }], 'items.0.vatRate'],
    ];
    for (const [items, field] of cases) {
      const res = await m1.post('/api/deals', { clientId: c1.id, title: 'Ошибка', items });
      expect(res.status, field).toBe(400);
      expect(Object.keys(res.body.error.fields), field).toContain(field);
    }
    const mismatch = await m1.post('/api/deals', {
      clientId: c1.id,
      title: 'Ошибка',
      amount: 1,
      items: [{ name: 'X', quantity: 1, price: 100 }],
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.fields.amount).toBeTruthy();
    expect((await m1.post('/api/deals', { clientId: c1.id, title: 'Ошибка', amount: -1 })).body.error.fields.amount).toBeTruthy();
    expect((await m1.post('/api/deals', { clientId: c1.id, title: '  ' })).body.error.fields.title).toBe('Обязательное поле');
    expect((await m1.get('/api/deals?limit=500')).body.items.length).toBe(before);
  });

  it('client and owner must be within the actor’s scope', async () => {
    // m2 cannot see m1's client: a field error, the same as for a client that does not exist.
    const foreign = await m2.post('/api/deals', { clientId: c1.id, title: 'Чужой клиент' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields.clientId).toBe('Клиент не найден');
    expect((await m2.post('/api/deals', { clientId: 'nope', title: 'X' })).body.error.fields.clientId).toBe('Клиент не найден');
    // A manager cannot hand a deal to someone else.
    const handOver = await m1.post('/api/deals', { clientId: c1.id, title: 'X', ownerId: m2.user!.id });
    expect(handOver.status).toBe(422);
    expect(handOver.body.error.fields.ownerId).toBeTruthy();
    // A head assigns within his department only.
    const byHead = await deal(head1, { clientId: c2.id, title: 'От руководителя', ownerId: m2.user!.id });
    expect(byHead.ownerId).toBe(m2.user!.id);
    expect((await head1.post('/api/deals', { clientId: c2.id, title: 'X', ownerId: m3.user!.id })).status).toBe(422);
    // Without ownerId a head's deal goes to the client's owner.
    expect((await deal(head1, { clientId: c1.id, title: 'Клиент Ивана' })).ownerId).toBe(m1.user!.id);
    // Accountant and production create nothing.
    expect((await accountant.post('/api/deals', { clientId: c1.id, title: 'X' })).status).toBe(403);
    expect((await production.post('/api/deals', { clientId: c1.id, title: 'X' })).status).toBe(403);
    // Unknown or non-sales owner.
    expect((await h.admin.post('/api/deals', { clientId: c1.id, title: 'X', ownerId: 'nope' })).body.error.fields.ownerId).toBeTruthy();
    expect(
      (await h.admin.post('/api/deals', { clientId: c1.id, title: 'X', ownerId: production.user!.id })).body.error.fields.ownerId,
    ).toBeTruthy();
  });

  it('moves record history with durations; timeline gets stage_changed', async () => {
    const d = await deal(m1, { clientId: c1.id, title: 'История' });
    const q = await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'qualification' });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ stageCode: 'qualification', stageName: 'Квалификация', status: 'open', version: 2 });
    const pipelines = (await m1.get('/api/pipelines')).body;
    const proposal = pipelines.find((p: any) => p.isDefault).stages.find((s: any) => s.code === 'proposal');
    const p = await m1.post(`/api/deals/${d.id}/move`, { stageId: proposal.id });
    expect(p.body.stageCode).toBe('proposal');

    // Same stage: nothing happens.
    const same = await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'proposal' });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(p.body.version);

    const rows = await historyRows(d.id);
    expect(rows.map((r) => r.stage_code).sort()).toEqual(['new', 'proposal', 'qualification']);
    // Pin the stays to known instants: 1 hour in «new», 2 days in «qualification».
    const t0 = Date.parse('2025-03-01T09:00:00.000Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    const byCode = Object.fromEntries(rows.map((r) => [r.stage_code, r]));
    await h.server.ctx.db
      .updateTable('deal_stage_history')
      .set({ entered_at: iso(t0), left_at: iso(t0 + 3600_000) })
      .where('id', '=', byCode.new.id)
      .execute();
    await h.server.ctx.db
      .updateTable('deal_stage_history')
      .set({ entered_at: iso(t0 + 3600_000), left_at: iso(t0 + 3600_000 + 2 * 86400_000) })
      .where('id', '=', byCode.qualification.id)
      .execute();
    const hist = await m1.get(`/api/deals/${d.id}/history`);
    expect(hist.status).toBe(200);
    expect(hist.body.items.map((e: any) => [e.stageCode, e.stageName, e.durationSeconds])).toEqual([
      ['new', 'Новый', 3600],
      ['qualification', 'Квалификация', 172800],
      ['proposal', 'КП отправлено', expect.any(Number)],
    ]);
    const current = hist.body.items[2];
    expect(current.leftAt).toBeNull();
    expect(current.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(current.durationSeconds).toBeLessThan(60);
    expect(current.byUserId).toBe(m1.user!.id);
    // Contiguous before pinning: leftAt of a stay = enteredAt of the next.
    expect(byCode.new.left_at).toBe(byCode.qualification.entered_at);

    const changes = (await timeline(c1.id)).filter((e) => e.kind === 'stage_changed' && e.dealId === d.id);
    expect(changes).toHaveLength(2);
    expect(changes.map((e) => [e.data.from.code, e.data.to.code]).sort()).toEqual([
      ['new', 'qualification'],
      ['qualification', 'proposal'],
    ]);

    expect((await m1.post(`/api/deals/${d.id}/move`, {})).body.error.fields.stageId).toBeTruthy();
    expect((await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'nope' })).body.error.fields.stageCode).toBeTruthy();
    expect((await m1.post(`/api/deals/${d.id}/move`, { stageId: 'nope' })).status).toBe(400);
  });

  it('lost without a reason and a comment is 422 naming them, and nothing is written', async () => {
    const d = await deal(m1, { clientId: c1.id, title: 'Отказ' });
    const histBefore = (await historyRows(d.id)).length;
    const tlBefore = (await timeline(c1.id)).length;

    const none = await m1.post(`/api/deals/${d.id}/lose`, {});
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('business_rule');
    expect(Object.keys(none.body.error.fields).sort()).toEqual(['comment', 'reasonId']);
    const viaMove = await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'lost' });
    expect(viaMove.status).toBe(422);
    expect(Object.keys(viaMove.body.error.fields).sort()).toEqual(['comment', 'reasonId']);
    const noComment = await m1.post(`/api/deals/${d.id}/lose`, { reasonId, comment: '   ' });
    expect(noComment.status).toBe(422);
    expect(Object.keys(noComment.body.error.fields)).toEqual(['comment']);
    const noReason = await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'lost', comment: 'Дорого для них' });
    expect(Object.keys(noReason.body.error.fields)).toEqual(['reasonId']);
    const badReason = await m1.post(`/api/deals/${d.id}/lose`, { reasonId: 'nope', comment: 'x' });
    expect(badReason.status).toBe(400);
    expect(badReason.body.error.fields.reasonId).toBeTruthy();

    const still = (await m1.get(`/api/deals/${d.id}`)).body;
    expect(still).toMatchObject({ status: 'open', stageCode: 'new', version: d.version, closedAt: null });
    expect((await historyRows(d.id)).length).toBe(histBefore);
    expect((await timeline(c1.id)).length).toBe(tlBefore);

    const lost = await m1.post(`/api/deals/${d.id}/lose`, { reasonId, comment: 'Нашли дешевле у конкурента' });
    expect(lost.status).toBe(200);
    expect(lost.body).toMatchObject({
      status: 'lost',
      stageCode: 'lost',
      lossReasonId: reasonId,
      lossComment: 'Нашли дешевле у конкурента',
    });
    expect(lost.body.closedAt).toBeTruthy();
    const entry = (await timeline(c1.id)).find((e) => e.kind === 'deal_lost' && e.dealId === d.id);
    expect(entry.data).toMatchObject({
      reason: 'Дорого',
      comment: 'Нашли дешевле у конкурента',
      from: { code: 'new' },
      to: { code: 'lost' },
    });
    // A closed deal does not move until reopened.
    const moveClosed = await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'agreed' });
    expect(moveClosed.status).toBe(422);
  });

  it('won closes the deal; reopen only by a head (of that department), back to the last open stage', async () => {
    const d = await deal(m1, { clientId: c1.id, title: 'Успех' });
    await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'agreed' });
    const won = await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'won' });
    expect(won.body).toMatchObject({ status: 'won', stageCode: 'won', stageName: 'Успешно' });
    expect(won.body.closedAt).toBeTruthy();
    expect((await timeline(c1.id)).some((e) => e.kind === 'deal_won' && e.dealId === d.id)).toBe(true);

    const byManager = await m1.post(`/api/deals/${d.id}/reopen`, {});
    expect(byManager.status).toBe(403);
    expect((await m2.post(`/api/deals/${d.id}/reopen`, {})).status).toBe(404);
    expect((await head2.post(`/api/deals/${d.id}/reopen`, {})).status).toBe(404);
    const lostStage = (await m1.get('/api/pipelines')).body.find((p: any) => p.isDefault).stages.find((s: any) => s.code === 'lost');
    expect((await head1.post(`/api/deals/${d.id}/reopen`, { stageId: lostStage.id })).status).toBe(422);

    const reopened = await head1.post(`/api/deals/${d.id}/reopen`, {});
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', stageCode: 'agreed', closedAt: null, lossReasonId: null });
    const rows = await historyRows(d.id);
    expect(rows.filter((r) => r.left_at === null)).toHaveLength(1);
    expect(rows.map((r) => r.stage_code).sort()).toEqual(['agreed', 'agreed', 'new', 'won']);
    expect((await head1.post(`/api/deals/${d.id}/reopen`, {})).status).toBe(422);

    // A lost deal reopens too, and its loss reason is cleared.
    await m1.post(`/api/deals/${d.id}/lose`, { reasonId, comment: 'Передумали' });
    const back = await owner.post(`/api/deals/${d.id}/reopen`, {});
    expect(back.body).toMatchObject({ status: 'open', stageCode: 'agreed', lossReasonId: null, lossComment: null });
  });

  it('a stale version is 409 and changes nothing; PATCH replaces items and recomputes the amount', async () => {
    const d = await deal(m1, { clientId: c1.id, title: 'Версии', items: [{ name: 'А', quantity: 2, price: 1000 }] });
    const ok = await m1.patch(`/api/deals/${d.id}`, {
      title: 'Версии 2',
      version: d.version,
      items: [{ name: 'Б', quantity: 3, price: 333, vatRate: 20 }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ title: 'Версии 2', amount: 999, version: d.version + 1 });
    expect(ok.body.items).toHaveLength(1);
    expect(ok.body.items[0]).toMatchObject({ name: 'Б', total: 999, vat: 167 });

    const stale = await m1.patch(`/api/deals/${d.id}`, { title: 'Устаревшее', version: d.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    const staleMove = await m1.post(`/api/deals/${d.id}/move`, { stageCode: 'agreed', version: d.version });
    expect(staleMove.status).toBe(409);
    const now = (await m1.get(`/api/deals/${d.id}`)).body;
    expect(now).toMatchObject({ title: 'Версии 2', stageCode: 'new', version: d.version + 1 });

    // An amount by hand on a deal with items is refused; after clearing the items it is accepted.
    expect((await m1.patch(`/api/deals/${d.id}`, { amount: 5 })).body.error.fields.amount).toBeTruthy();
    const cleared = await m1.patch(`/api/deals/${d.id}`, { items: [], amount: 777 });
    expect(cleared.body).toMatchObject({ amount: 777, items: [] });

    // An archived product cannot be added to a deal, but stays on a deal that already has it.
    const prod = (await h.admin.post('/api/products', { name: 'Снятый товар', price: 100 })).body;
    await m1.patch(`/api/deals/${d.id}`, { items: [{ productId: prod.id, quantity: 1 }] });
    await h.admin.patch(`/api/products/${prod.id}`, { archived: true });
    expect((await m1.patch(`/api/deals/${d.id}`, { items: [{ productId: prod.id, quantity: 2 }] })).status).toBe(200);
    const other = await m1.post('/api/deals', { clientId: c1.id, title: 'X', items: [{ productId: prod.id, quantity: 1 }] });
    expect(other.status).toBe(400);
    expect(other.body.error.fields['items.0.productId']).toBe('Товар в архиве');
  });

  it('scope per role: list, get, search, move', async () => {
    const d1 = await deal(m1, { clientId: c1.id, title: 'Скоуп Ёлки Ивана' });
    const d2 = await deal(m2, { clientId: c2.id, title: 'Скоуп ёлки Петра' });
    const d3 = await deal(m3, { clientId: c3.id, title: 'Скоуп елки Семёна' });
    const ids = async (c: TestClient) => {
      const res = await c.get(`/api/deals?q=${encodeURIComponent('скоуп')}&limit=500`);
      expect(res.status).toBe(200);
      return res.body.items.map((x: any) => x.id).sort();
    };
    expect(await ids(m1)).toEqual([d1.id]);
    expect(await ids(m2)).toEqual([d2.id]);
    expect(await ids(head1)).toEqual([d1.id, d2.id].sort());
    expect(await ids(head2)).toEqual([d3.id]);
    for (const c of [owner, h.admin, accountant]) expect(await ids(c)).toEqual([d1.id, d2.id, d3.id].sort());
    expect((await production.get('/api/deals')).status).toBe(404);

    expect((await m2.get(`/api/deals/${d1.id}`)).status).toBe(404);
    expect((await head2.get(`/api/deals/${d1.id}`)).status).toBe(404);
    expect((await head1.get(`/api/deals/${d2.id}`)).status).toBe(200);
    expect((await accountant.get(`/api/deals/${d3.id}`)).status).toBe(200);
    expect((await production.get(`/api/deals/${d3.id}`)).status).toBe(404);
    expect((await m2.get(`/api/deals/${d1.id}/history`)).status).toBe(404);

    expect((await m2.post(`/api/deals/${d1.id}/move`, { stageCode: 'agreed' })).status).toBe(404);
    expect((await head2.post(`/api/deals/${d1.id}/move`, { stageCode: 'agreed' })).status).toBe(404);
    expect((await accountant.post(`/api/deals/${d1.id}/move`, { stageCode: 'agreed' })).status).toBe(403);
    expect((await accountant.patch(`/api/deals/${d1.id}`, { title: 'X' })).status).toBe(403);
    expect((await head1.post(`/api/deals/${d2.id}/move`, { stageCode: 'agreed' })).body.stageCode).toBe('agreed');
    expect((await owner.post(`/api/deals/${d3.id}/move`, { stageCode: 'agreed' })).body.stageCode).toBe('agreed');
    expect((await m1.get(`/api/deals/${d1.id}`)).body.stageCode).toBe('new');

    // Global search (ё = е, any case), within the same scope.
    const search = async (c: TestClient) => {
      const res = await c.get(`/api/search?q=${encodeURIComponent('ЕЛКИ')}`);
      expect(res.status).toBe(200);
      return res.body.deals.map((x: any) => x.id).sort();
    };
    expect(await search(m1)).toEqual([d1.id]);
    expect(await search(head1)).toEqual([d1.id, d2.id].sort());
    expect(await search(owner)).toEqual([d1.id, d2.id, d3.id].sort());
    const actor = (c: TestClient): Actor => ({
      id: c.user!.id,
      email: c.user!.email,
      name: c.user!.name,
      role: c.user!.role,
      departmentId: c.user!.departmentId,
    });
    expect(await h.server.ctx.services.deals.search(actor(production), 'елки', 10)).toEqual([]);
    expect((await h.server.ctx.services.deals.search(actor(head2), 'ёлки', 10)).map((x) => x.id)).toEqual([d3.id]);
  });

  it('board: count and amount per column over the whole column, restricted by scope, equal to SQL', async () => {
    const p = (await h.admin.post('/api/pipelines', { name: 'Канбан' })).body;
    await h.admin.post(`/api/pipelines/${p.id}/stages`, { name: 'Переговоры' });
    const mk = (as: TestClient, clientId: string, amount: number) =>
      deal(as, { clientId, title: `Канбан ${amount}`, pipelineId: p.id, amount });
    await mk(m1, c1.id, 100);
    await mk(m1, c1.id, 200);
    const talk = await mk(m1, c1.id, 5000);
    await m1.post(`/api/deals/${talk.id}/move`, { stageCode: 'won' });
    await mk(m2, c2.id, 400);
    await mk(m3, c3.id, 800);

    const columns = async (c: TestClient, query = '') => {
      const res = await c.get(`/api/deals/board?pipelineId=${p.id}&limitPerStage=1${query}`);
      expect(res.status).toBe(200);
      expect(res.body.pipelineId).toBe(p.id);
      return Object.fromEntries(res.body.stages.map((s: any) => [s.code, s]));
    };
    const m1Board = await columns(m1);
    expect(Object.keys(m1Board).sort()).toEqual(expect.arrayContaining(['new', 'won', 'lost']));
    expect(m1Board.new).toMatchObject({ count: 2, amount: 300, kind: 'open', name: 'Новый' });
    expect(m1Board.new.deals).toHaveLength(1); // limited, but count and sum cover the whole column
    expect(m1Board.won).toMatchObject({ count: 1, amount: 5000 });
    expect(m1Board.lost).toMatchObject({ count: 0, amount: 0, deals: [] });
    expect((await columns(m2)).new).toMatchObject({ count: 1, amount: 400 });
    expect((await columns(head1)).new).toMatchObject({ count: 3, amount: 700 });
    expect((await columns(head2)).new).toMatchObject({ count: 1, amount: 800 });
    expect((await columns(head2)).won).toMatchObject({ count: 0, amount: 0 });
    for (const c of [owner, accountant, h.admin]) expect((await columns(c)).new).toMatchObject({ count: 4, amount: 1500 });
    expect((await columns(head1, `&ownerId=${m2.user!.id}`)).new).toMatchObject({ count: 1, amount: 400 });
    expect((await production.get(`/api/deals/board?pipelineId=${p.id}`)).status).toBe(404);

    // Equal to the SQL truth for every role and column.
    const db = h.server.ctx.db;
    const truth = async (ownerIds: string[] | null) => {
      let q = db
        .selectFrom('deals')
        .select((eb) => ['stage_id', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount').as('s')])
        .where('pipeline_id', '=', p.id);
      if (ownerIds) q = q.where('owner_id', 'in', ownerIds);
      return Object.fromEntries((await q.groupBy('stage_id').execute()).map((r) => [r.stage_id, [Number(r.n), Number(r.s)]]));
    };
    const check = async (c: TestClient, ownerIds: string[] | null) => {
      const t = await truth(ownerIds);
      const res = await c.get(`/api/deals/board?pipelineId=${p.id}&limitPerStage=500`);
      for (const s of res.body.stages) {
        expect([s.count, s.amount]).toEqual(t[s.stageId] ?? [0, 0]);
        expect(s.deals).toHaveLength(s.count);
        expect(s.deals.reduce((a: number, x: any) => a + x.amount, 0)).toBe(s.amount);
      }
    };
    await check(m1, [m1.user!.id]);
    await check(head1, [m1.user!.id, m2.user!.id, head1.user!.id]);
    await check(owner, null);

    // Date filters are days in the company time zone.
    const empty = await columns(owner, '&to=2000-01-01');
    expect(empty.new).toMatchObject({ count: 0, amount: 0 });
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: h.server.ctx.config.tz });
    expect((await columns(owner, `&from=${today}&to=${today}`)).new.count).toBe(4);
    // Default pipeline when none is given.
    const def = await m1.get('/api/deals/board');
    expect(def.body.stages.map((s: any) => s.code)).toEqual([
      'new',
      'qualification',
      'proposal',
      'agreed',
      'invoiced',
      'paid',
      'production',
      'delivered',
      'feedback',
      'won',
      'lost',
    ]);
  });

  it('list filters and sort with a cursor', async () => {
    const c = await client(m1, 'ООО «Сортировка»');
    for (const [title, amount] of [
      ['Б сделка', 300],
      ['А сделка', 100],
      ['В сделка', 200],
    ] as const) {
      await deal(m1, { clientId: c.id, title, amount, source: 'call' });
    }
    const walk = async (sort: string) => {
      const out: any[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await m1.get(`/api/deals?clientId=${c.id}&sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        out.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      return out;
    };
    expect((await walk('amount')).map((d) => d.amount)).toEqual([100, 200, 300]);
    expect((await walk('-amount')).map((d) => d.amount)).toEqual([300, 200, 100]);
    expect((await walk('title')).map((d) => d.title)).toEqual(['А сделка', 'Б сделка', 'В сделка']);
    expect((await walk('-createdAt')).map((d) => d.title)).toEqual(['В сделка', 'А сделка', 'Б сделка']);
    expect((await m1.get(`/api/deals?clientId=${c.id}&source=call&status=open&stageCode=new`)).body.items).toHaveLength(3);
    expect((await m1.get(`/api/deals?clientId=${c.id}&status=won`)).body.items).toHaveLength(0);
    expect((await m1.get('/api/deals?sort=bogus')).body.error.fields.sort).toBeTruthy();
    expect((await m1.get('/api/deals?from=2025-13-01')).body.error.fields.from).toBe('Нет такой даты');
    expect((await m1.get('/api/deals/board?to=2025-02-30')).status).toBe(400);
  });

  it('system moves by code: no scope check, history by nobody, hooks inside the transaction, live event', async () => {
    const d = await deal(m1, { clientId: c1.id, title: 'Автоматика' });
    const deals = h.server.ctx.services.deals;
    const seen: any[] = [];
    const hook = async (trx: any, e: any) => {
      // The hook sees the moved deal through the same transaction.
      const row = await trx.selectFrom('deals').select('stage_id').where('id', '=', e.deal.id).executeTakeFirst();
      seen.push({ code: e.stage.code, prev: e.previousStageId, actor: e.actorId, rowStage: row.stage_id, stageId: e.stage.id });
    };
    const offHook = h.server.ctx.domain.on('deal.stage_entered', hook);
    const events: any[] = [];
    const off = h.server.ctx.events.onAny((e) => events.push(e));
    try {
      const r = await deals.moveByCode(h.server.ctx.db, d.id, 'paid', null);
      expect(r.moved).toBe(true);
      expect(r.deal.stageCode).toBe('paid');
      expect(seen).toEqual([{ code: 'paid', prev: d.stageId, actor: null, rowStage: r.deal.stageId, stageId: r.deal.stageId }]);
      const back = await deals.moveByCode(h.server.ctx.db, d.id, 'invoiced', null, { onlyForward: true });
      expect(back.moved).toBe(false);
      expect(back.deal.stageCode).toBe('paid');
      expect((await deals.moveByCode(h.server.ctx.db, d.id, 'no_such_code', null)).moved).toBe(false);
      // Inside a caller's transaction.
      await h.server.ctx.db.transaction().execute(async (trx) => {
        const x = await deals.moveByCode(trx, d.id, 'production', m1.user!.id);
        expect(x.moved).toBe(true);
      });
      const hist = (await m1.get(`/api/deals/${d.id}/history`)).body.items;
      expect(hist.map((e: any) => [e.stageCode, e.byUserId])).toEqual([
        ['new', m1.user!.id],
        ['paid', null],
        ['production', m1.user!.id],
      ]);
      // Live events travel through LISTEN/NOTIFY on PostgreSQL: wait until both moves have arrived.
      const ev = await vi.waitFor(
        () => {
          const got = events.filter((e) => e.type === 'deal.updated' && e.data.id === d.id);
          expect(got.length).toBeGreaterThanOrEqual(2);
          return got;
        },
        { timeout: 5000, interval: 20 },
      );
      for (const u of [m1.user!, head1.user!]) expect(await h.server.ctx.events.mayReceive(u, ev[0].audience)).toBe(true);
    } finally {
      offHook();
      off();
    }
    // A failing hook rolls the whole move back.
    const failing = async () => {
      throw new Error('hook failed');
    };
    const offFailing = h.server.ctx.domain.on('deal.stage_entered', failing);
    try {
      await expect(deals.moveByCode(h.server.ctx.db, d.id, 'delivered', null)).rejects.toThrow('hook failed');
    } finally {
      offFailing();
    }
    expect((await m1.get(`/api/deals/${d.id}`)).body.stageCode).toBe('production');
    expect((await historyRows(d.id)).length).toBe(3);
  });

  it('client merge moves deals; client reassignment moves only the open deals', async () => {
    const target = await client(m1, 'ООО «Слияние»');
    const source = await client(m1, 'ООО «Слияние» (дубль)');
    const a = await deal(m1, { clientId: source.id, title: 'Из дубля 1' });
    const b = await deal(m1, { clientId: source.id, title: 'Из дубля 2' });
    const merged = await head1.post(`/api/clients/${target.id}/merge`, { sourceId: source.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    for (const d of [a, b]) {
      const got = (await m1.get(`/api/deals/${d.id}`)).body;
      expect(got.clientId).toBe(target.id);
      expect(got.clientName).toBe('ООО «Слияние»');
    }

    await m1.post(`/api/deals/${b.id}/move`, { stageCode: 'won' });
    const re = await head1.post(`/api/clients/${target.id}/reassign`, { ownerId: m2.user!.id });
    expect(re.status, JSON.stringify(re.body)).toBe(200);
    const openDeal = (await m2.get(`/api/deals/${a.id}`)).body;
    expect(openDeal.ownerId).toBe(m2.user!.id);
    expect((await m1.get(`/api/deals/${a.id}`)).status).toBe(404);
    expect((await m1.get(`/api/deals/${b.id}`)).body.ownerId).toBe(m1.user!.id);
    const open = (await historyRows(a.id)).find((r) => r.left_at === null);
    expect(open!.owner_id).toBe(m2.user!.id);
    void dep1;
  });
});
