import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness.js';

describeEachDialect('loss reasons', (h) => {
  it('are seeded with the five default reasons, in order', async () => {
    const m = await h.user('manager');
    const res = await m.get('/api/loss-reasons');
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: any) => r.name)).toEqual([
      'Дорого',
      'Выбрали конкурента',
      'Нет бюджета',
      'Не актуально',
      'Не дозвонились',
    ]);
    expect(res.body.items.every((r: any) => r.archived === false && typeof r.id === 'string')).toBe(true);
    expect(res.body.items.map((r: any) => r.position)).toEqual([1, 2, 3, 4, 5]);
  });

  it('only an admin adds or changes them; names are unique', async () => {
    const m = await h.user('manager');
    const head = await h.user('head');
    expect((await m.post('/api/loss-reasons', { name: 'Ушли в другой город' })).status).toBe(403);
    expect((await head.post('/api/loss-reasons', { name: 'Ушли в другой город' })).status).toBe(403);
    const created = await h.admin.post('/api/loss-reasons', { name: '  Ушли в другой город ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Ушли в другой город', archived: false, position: 6 });
    const dup = await h.admin.post('/api/loss-reasons', { name: 'Дорого' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.fields.name).toBe('Такая причина уже есть');
    expect((await h.admin.post('/api/loss-reasons', { name: '' })).status).toBe(400);

    expect((await m.patch(`/api/loss-reasons/${created.body.id}`, { archived: true })).status).toBe(403);
    const renamed = await h.admin.patch(`/api/loss-reasons/${created.body.id}`, { name: 'Переехали' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Переехали');
    expect((await h.admin.patch('/api/loss-reasons/nope', { name: 'X' })).status).toBe(404);
  });

  it('an archived reason stays listed but cannot be chosen for a new refusal; get() serves other modules', async () => {
    const m = await h.user('manager');
    const created = await h.admin.post('/api/loss-reasons', { name: 'Временная причина' });
    const archived = await h.admin.patch(`/api/loss-reasons/${created.body.id}`, { archived: true });
    expect(archived.body.archived).toBe(true);
    expect((await m.get('/api/loss-reasons')).body.items.find((r: any) => r.id === created.body.id).archived).toBe(true);
    const client = await m.post('/api/clients', { kind: 'company', name: 'Для архивной причины' });
    const res = await m.post(`/api/clients/${client.body.id}/refusal`, { reasonId: created.body.id });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.reasonId).toMatch(/архиве/);

    const svc = h.server.ctx.services.lossReasons;
    expect(await svc.get(created.body.id)).toEqual({
      id: created.body.id,
      name: 'Временная причина',
      archived: true,
      position: expect.any(Number),
    });
    expect(await svc.get('missing')).toBeNull();
  });
});
