import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import { addDaysInZone, localDate } from '../../../common/dates.js';

const TZ = 'Europe/Moscow';

async function drainJobs(h: Harness) {
  for (let i = 0; i < 200 && (await h.server.ctx.jobs.runDue()) > 0; i++);
}

describeEachDialect('reviews', (h) => {
  let head1: TestClient;
  let head2: TestClient;
  let m1: TestClient;
  let m1b: TestClient;
  let m2: TestClient;
  let owner: TestClient;
  let accountant: TestClient;
  let worker: TestClient;
  let c1: any; // m1's client
  let c2: any; // m2's client (other department)

  const client = async (m: TestClient, name: string) => {
    const res = await m.post('/api/clients', { kind: 'company', name });
    expect(res.status).toBe(201);
    return res.body;
  };
  const deal = async (m: TestClient, clientId: string, title: string, stageCode?: string) => {
    const res = await m.post('/api/deals', { clientId, title });
    expect(res.status).toBe(201);
    if (stageCode) expect((await m.post(`/api/deals/${res.body.id}/move`, { stageCode })).status).toBe(200);
    return res.body;
  };
  const review = async (m: TestClient, body: Record<string, unknown>) => {
    const res = await m.post('/api/reviews', { text: 'Всё хорошо', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    const d1 = await h.department('Отдел Север');
    const d2 = await h.department('Отдел Юг');
    head1 = d1.head;
    head2 = d2.head;
    m1 = await h.user('manager', { departmentId: d1.id });
    m1b = await h.user('manager', { departmentId: d1.id });
    m2 = await h.user('manager', { departmentId: d2.id });
    owner = await h.user('owner');
    accountant = await h.user('accountant');
    worker = await h.user('production');
    c1 = await client(m1, 'ООО «Северный ветер»');
    c2 = await client(m2, 'ООО «Южный берег»');
  });

  it('a review on a delivered deal: sentiment from the rating, timeline entry, deal moves to «Отзыв получен»', async () => {
    const d = await deal(m1, c1.id, 'Окна в цех', 'delivered');
    const r = await review(m1, { clientId: c1.id, dealId: d.id, rating: 5, text: 'Окна отличные, монтаж аккуратный', source: 'call' });
    expect(r).toMatchObject({
      clientId: c1.id,
      clientName: 'ООО «Северный ветер»',
      dealId: d.id,
      dealTitle: 'Окна в цех',
      rating: 5,
      sentiment: 'positive',
      text: 'Окна отличные, монтаж аккуратный',
      source: 'call',
      authorId: m1.user!.id,
    });
    expect((await m1.get(`/api/deals/${d.id}`)).body.stageCode).toBe('feedback');
    const timeline = (await m1.get(`/api/clients/${c1.id}/timeline?limit=100`)).body.items as any[];
    const entry = timeline.find((e) => e.kind === 'review');
    expect(entry).toMatchObject({
      authorId: m1.user!.id,
      dealId: d.id,
      data: { reviewId: r.id, rating: 5, sentiment: 'positive', source: 'call' },
    });
    expect(entry.text).toContain('Окна отличные');
    expect((await m1.get(`/api/clients/${c1.id}`)).body.negativeFeedback).toBe(false);

    // A deal in another stage stays where it is.
    const d2 = await deal(m1, c1.id, 'Двери', 'proposal');
    const r3 = await review(m1, { clientId: c1.id, dealId: d2.id, rating: 3 });
    expect(r3.sentiment).toBe('neutral');
    expect((await m1.get(`/api/deals/${d2.id}`)).body.stageCode).toBe('proposal');
    expect((await m1.get(`/api/reviews/${r.id}`)).body.id).toBe(r.id);
  });

  it('a negative review marks the card, gives the head a control task and a live notification', async () => {
    const d = await deal(m1, c1.id, 'Ворота', 'delivered');
    const before = Date.now();
    const r = await review(m1, {
      clientId: c1.id,
      dealId: d.id,
      rating: 2,
      text: 'Ворота скрипят, монтажники опоздали',
      source: 'messenger',
    });
    expect(r.sentiment).toBe('negative');
    expect((await m1.get(`/api/clients/${c1.id}`)).body.negativeFeedback).toBe(true);
    expect((await m1.get(`/api/deals/${d.id}`)).body.stageCode).toBe('feedback');

    await drainJobs(h);
    const tasks = (await head1.get(`/api/tasks?assigneeId=${head1.user!.id}&type=control&limit=100`)).body.items as any[];
    const control = tasks.filter((t) => t.title === 'Разобрать отрицательный отзыв: ООО «Северный ветер»');
    expect(control).toHaveLength(1);
    expect(control[0]).toMatchObject({
      type: 'control',
      authorId: null,
      clientId: c1.id,
      dealId: d.id,
      source: 'negative_review_control',
      status: 'open',
    });
    expect(control[0].description).toContain('Ворота скрипят');
    const due = new Date(control[0].dueAt).getTime();
    expect(due).toBeGreaterThanOrEqual(addDaysInZone(new Date(before), 1, TZ).getTime());
    expect(due).toBeLessThanOrEqual(addDaysInZone(new Date(), 1, TZ).getTime());

    const notes = (await head1.get('/api/notifications?limit=100')).body.items as any[];
    const note = notes.find((n) => n.kind === 'automation' && n.title === 'Отрицательный отзыв: ООО «Северный ветер»');
    expect(note).toBeTruthy();
    expect(note.text).toContain('Оценка 2 из 5');
    expect(note.link).toBe(`/deals/${d.id}`);
    // The head of another department gets nothing.
    expect(((await head2.get('/api/notifications?limit=100')).body.items as any[]).filter((n) => n.kind === 'automation')).toHaveLength(0);

    // An explicit sentiment wins over the rating; without a deal the task links the client only.
    const r2 = await review(m1, { clientId: c1.id, rating: 4, sentiment: 'negative', text: 'В целом хорошо, но счёт пришёл с ошибкой' });
    expect(r2.sentiment).toBe('negative');
    await drainJobs(h);
    const all = ((await head1.get(`/api/tasks?assigneeId=${head1.user!.id}&type=control&limit=100`)).body.items as any[]).filter(
      (t) => t.source === 'negative_review_control',
    );
    expect(all).toHaveLength(2);
    expect(all.find((t) => t.dealId === null)).toMatchObject({ clientId: c1.id });
  });

  it('validates input', async () => {
    const bad = async (body: Record<string, unknown>, field: string, status = 400) => {
      const res = await m1.post('/api/reviews', body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status === 400) expect(Object.keys(res.body.error.fields)).toContain(field);
    };
    await bad({ clientId: c1.id, rating: 6, text: 'x' }, 'rating');
    await bad({ clientId: c1.id, rating: 0, text: 'x' }, 'rating');
    await bad({ clientId: c1.id, rating: 4.5, text: 'x' }, 'rating');
    await bad({ clientId: c1.id, rating: 'пять', text: 'x' }, 'rating');
    await bad({ clientId: c1.id, rating: 5, text: '   ' }, 'text');
    await bad({ clientId: c1.id, rating: 5, text: 'x', source: 'pigeon' }, 'source');
    await bad({ clientId: c1.id, rating: 5, text: 'x', sentiment: 'angry' }, 'sentiment');
    await bad({ clientId: c2.id, rating: 5, text: 'x' }, 'clientId');
    await bad({ clientId: 'nope', rating: 5, text: 'x' }, 'clientId');
    const otherClient = await client(m1, 'ИП Другой');
    const d = await deal(m1, otherClient.id, 'Чужая сделка');
    await bad({ clientId: c1.id, dealId: d.id, rating: 5, text: 'x' }, 'dealId');
    const dm2 = await deal(m2, c2.id, 'Сделка юга');
    await bad({ clientId: c1.id, dealId: dm2.id, rating: 5, text: 'x' }, 'dealId');
  });

  it('access by client scope; filters; summary', async () => {
    const south = await review(m2, { clientId: c2.id, rating: 1, text: 'Ужасно', source: 'site' });
    await drainJobs(h);
    const ids = async (c: TestClient, q = '') => {
      const res = await c.get(`/api/reviews?limit=500${q}`);
      return res.status === 200 ? (res.body.items as any[]).map((x) => x.id) : res.status;
    };
    const m1Ids = (await ids(m1)) as string[];
    expect(m1Ids).toHaveLength(4);
    expect(m1Ids).not.toContain(south.id);
    expect(await ids(m1b)).toEqual([]);
    expect(await ids(head1)).toEqual(m1Ids);
    expect(await ids(head2)).toEqual([south.id]);
    expect(await ids(owner)).toEqual(expect.arrayContaining([...m1Ids, south.id]));
    expect(await ids(accountant)).toBe(404);
    expect(await ids(worker)).toBe(404);
    expect((await m1.get(`/api/reviews/${south.id}`)).status).toBe(404);
    expect((await head1.get(`/api/reviews/${south.id}`)).status).toBe(404);
    expect((await owner.get(`/api/reviews/${south.id}`)).status).toBe(200);
    expect((await accountant.post('/api/reviews', { clientId: c1.id, rating: 5, text: 'x' })).status).toBe(403);
    expect((await worker.post('/api/reviews', { clientId: c1.id, rating: 5, text: 'x' })).status).toBe(403);
    expect((await m1b.post('/api/reviews', { clientId: c1.id, rating: 5, text: 'x' })).status).toBe(400);

    // Filters.
    const negatives = (await m1.get('/api/reviews?sentiment=negative&limit=500')).body.items as any[];
    expect(negatives.length).toBe(2);
    expect(negatives.every((r) => r.sentiment === 'negative' && r.clientId === c1.id)).toBe(true);
    expect(((await owner.get('/api/reviews?source=site')).body.items as any[]).map((r) => r.id)).toEqual([south.id]);
    expect(((await owner.get(`/api/reviews?clientId=${c2.id}`)).body.items as any[]).map((r) => r.id)).toEqual([south.id]);
    const today = localDate(new Date(), TZ);
    expect(await ids(owner, `&from=${today}&to=${today}`)).toEqual(expect.arrayContaining([south.id]));
    expect(await ids(owner, '&to=2000-01-01')).toEqual([]);
    expect((await owner.get('/api/reviews?from=2026-13-01')).status).toBe(400);
    // Newest first, paged with a cursor.
    const p1 = await owner.get('/api/reviews?limit=2');
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.items[0].id).toBe(south.id);
    const p2 = await owner.get(`/api/reviews?limit=500&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items.map((r: any) => r.id)).not.toContain(p1.body.items[0].id);
    expect(p1.body.items.length + p2.body.items.length).toBe(((await ids(owner)) as string[]).length);

    // Summary within scope: m1's reviews are 5, 3, 2, 4(negative), plus any from other tests of this file.
    const mine = (await m1.get('/api/reviews?limit=500')).body.items as any[];
    const s = (await m1.get('/api/reviews/summary')).body;
    expect(s.count).toBe(mine.length);
    expect(s.bySentiment).toEqual({
      positive: mine.filter((r) => r.sentiment === 'positive').length,
      neutral: mine.filter((r) => r.sentiment === 'neutral').length,
      negative: mine.filter((r) => r.sentiment === 'negative').length,
    });
    expect(s.avgRating).toBe(Math.round((mine.reduce((a, r) => a + r.rating, 0) / mine.length) * 100) / 100);
    expect(s.negativeShare).toBe(Math.round((2 / mine.length) * 10000) / 10000);
    const south2 = (await head2.get('/api/reviews/summary')).body;
    expect(south2).toEqual({ count: 1, avgRating: 1, bySentiment: { positive: 0, neutral: 0, negative: 1 }, negativeShare: 1 });
    expect((await m1b.get('/api/reviews/summary')).body).toEqual({
      count: 0,
      avgRating: null,
      bySentiment: { positive: 0, neutral: 0, negative: 0 },
      negativeShare: 0,
    });
    expect((await owner.get('/api/reviews/summary?to=2000-01-01')).body.count).toBe(0);
    expect((await accountant.get('/api/reviews/summary')).status).toBe(404);
  });

  it('reviews follow their client through a merge', async () => {
    const a = await client(m1, 'ООО «Дубль А»');
    const b = await client(m1, 'ООО «Дубль Б»');
    const r = await review(m1, { clientId: b.id, rating: 5 });
    const merged = await head1.post(`/api/clients/${a.id}/merge`, { sourceId: b.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect((await m1.get(`/api/reviews/${r.id}`)).body.clientId).toBe(a.id);
  });
});
