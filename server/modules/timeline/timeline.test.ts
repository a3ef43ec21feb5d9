import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';

describeEachDialect('client timeline', (h) => {
  let m1: TestClient;
  let m2: TestClient;
  let clientId: string;

  beforeAll(async () => {
    m1 = await h.user('manager');
    m2 = await h.user('manager');
    const res = await m1.post('/api/clients', { kind: 'company', name: 'Лента' });
    clientId = res.body.id;
  });

  it('comments go on the timeline, newest first, with the author name', async () => {
    const empty = await m1.post(`/api/clients/${clientId}/comments`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.text).toBe('Обязательное поле');
    const first = await m1.post(`/api/clients/${clientId}/comments`, { text: 'Позвонил, просит КП' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      kind: 'comment',
      text: 'Позвонил, просит КП',
      authorId: m1.user!.id,
      authorName: m1.user!.name,
      dealId: null,
      data: null,
    });
    await m1.post(`/api/clients/${clientId}/comments`, { text: 'Отправил КП' });
    const tl = await m1.get(`/api/clients/${clientId}/timeline`);
    expect(tl.status).toBe(200);
    expect(tl.body.items.map((e: any) => e.text)).toEqual(['Отправил КП', 'Позвонил, просит КП']);
    expect(tl.body.items[1]).toEqual(first.body);
    expect(tl.body.nextCursor).toBeNull();
  });

  it('other modules add entries through the service, in their transaction, with deal, data and time', async () => {
    const svc = h.server.ctx.services.timeline;
    const at = '2020-01-02T03:04:05.000Z';
    const id = await h.server.ctx.db.transaction().execute((trx) =>
      svc.add(trx, {
        clientId,
        dealId: 'deal-1',
        kind: 'stage_changed',
        authorId: null,
        text: 'Этап: Счёт выставлен',
        data: { from: 'agreed', to: 'invoiced' },
        at,
      }),
    );
    const tl = await m1.get(`/api/clients/${clientId}/timeline?limit=500`);
    const entry = tl.body.items.find((e: any) => e.id === id);
    expect(entry).toEqual({
      id,
      kind: 'stage_changed',
      at,
      authorId: null,
      authorName: null,
      text: 'Этап: Счёт выставлен',
      data: { from: 'agreed', to: 'invoiced' },
      dealId: 'deal-1',
    });
    // The oldest entry is last.
    expect(tl.body.items[tl.body.items.length - 1].id).toBe(id);

    // A rolled-back transaction leaves nothing.
    await expect(
      h.server.ctx.db.transaction().execute(async (trx) => {
        await svc.add(trx, { clientId, kind: 'call', authorId: m1.user!.id, text: 'откат' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const after = await m1.get(`/api/clients/${clientId}/timeline?limit=500`);
    expect(after.body.items.map((e: any) => e.text)).not.toContain('откат');
  });

  it('pages by cursor without gaps or repeats, even for entries at the same instant', async () => {
    const c = await m1.post('/api/clients', { kind: 'person', name: 'Много записей' });
    const at = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        await h.server.ctx.services.timeline.add(h.server.ctx.db, {
          clientId: c.body.id,
          kind: 'call',
          authorId: m1.user!.id,
          text: `звонок ${i}`,
          at,
        }),
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await m1.get(`/api/clients/${c.body.id}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: any) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    // Same instant: ordered by id, descending; every entry exactly once.
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it('is read through the client scope', async () => {
    expect((await m2.get(`/api/clients/${clientId}/timeline`)).status).toBe(404);
    expect((await m2.post(`/api/clients/${clientId}/comments`, { text: 'чужой' })).status).toBe(404);
    await expect(
      h.server.ctx.services.timeline.list({ ...m2.user!, departmentId: null } as any, clientId, { limit: 10 }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await h.admin.get(`/api/clients/${clientId}/timeline`)).body.items.length).toBeGreaterThan(0);
    expect((await m1.get('/api/clients/no-such-client/timeline')).status).toBe(404);
  });
});
