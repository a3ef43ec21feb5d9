import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness.js';

const regulation = [
  ['new', 'Новый', 'open'],
  ['qualification', 'Квалификация', 'open'],
  ['proposal', 'КП отправлено', 'open'],
  ['agreed', 'Согласие', 'open'],
  ['invoiced', 'Счёт выставлен', 'open'],
  ['paid', 'Оплачен', 'open'],
  ['production', 'Производство', 'open'],
  ['delivered', 'Сдано клиенту', 'open'],
  ['feedback', 'Отзыв получен', 'open'],
  ['won', 'Успешно', 'won'],
  ['lost', 'Отказ', 'lost'],
];

describeEachDialect('pipelines and stages', (h) => {
  const codes = (p: any) => p.stages.map((s: any) => s.code);

  it('the default pipeline is the regulation, readable by every role', async () => {
    for (const role of ['manager', 'production', 'accountant'] as const) {
      const c = await h.user(role);
      const res = await c.get('/api/pipelines');
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body)).toBe(true);
      const def = res.body.filter((p: any) => p.isDefault);
      expect(def).toHaveLength(1);
      expect(def[0].archived).toBe(false);
      expect(def[0].stages.map((s: any) => [s.code, s.name, s.kind])).toEqual(regulation);
      expect(def[0].stages.map((s: any) => s.position)).toEqual(regulation.map((_, i) => i));
      expect(def[0].stages.every((s: any) => s.archived === false)).toBe(true);
    }
  });

  it('only the admin creates pipelines and stages', async () => {
    for (const role of ['owner', 'head', 'manager', 'accountant'] as const) {
      const c = await h.user(role);
      expect((await c.post('/api/pipelines', { name: 'Чужая' })).status).toBe(403);
    }
    const def = (await h.admin.get('/api/pipelines')).body[0];
    const owner = await h.user('owner');
    expect((await owner.post(`/api/pipelines/${def.id}/stages`, { name: 'Замер' })).status).toBe(403);
    expect((await owner.patch(`/api/stages/${def.stages[0].id}`, { name: 'Входящий' })).status).toBe(403);
    expect((await owner.patch(`/api/pipelines/${def.id}`, { name: 'X' })).status).toBe(403);
    // Nothing changed.
    const again = (await h.admin.get('/api/pipelines')).body;
    expect(again.map((p: any) => p.name)).not.toContain('Чужая');
    expect(again[0].stages[0].name).toBe('Новый');
  });

  it('a new pipeline gets new/won/lost; an added open stage goes before the closing ones', async () => {
    const res = await h.admin.post('/api/pipelines', { name: 'Тендеры' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Тендеры', isDefault: false, archived: false });
    expect(codes(res.body)).toEqual(['new', 'won', 'lost']);
    expect(res.body.stages.map((s: any) => s.kind)).toEqual(['open', 'won', 'lost']);

    const added = await h.admin.post(`/api/pipelines/${res.body.id}/stages`, { name: 'Замер' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'Замер', kind: 'open', position: 1, pipelineId: res.body.id });
    expect(added.body.code).toMatch(/^s_[0-9a-f]{8}$/);
    const second = await h.admin.post(`/api/pipelines/${res.body.id}/stages`, { name: 'Заявка подана' });
    const p = (await h.admin.get(`/api/pipelines/${res.body.id}`)).body;
    expect(p.stages.map((s: any) => s.name)).toEqual(['Новый', 'Замер', 'Заявка подана', 'Успешно', 'Отказ']);
    expect(p.stages.map((s: any) => s.position)).toEqual([0, 1, 2, 3, 4]);
    expect(second.body.code).not.toBe(added.body.code);

    const bad = await h.admin.post(`/api/pipelines/${res.body.id}/stages`, { name: '  ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.name).toBe('Обязательное поле');
    expect((await h.admin.post('/api/pipelines/nope/stages', { name: 'X' })).status).toBe(404);
  });

  it('rename keeps the code; reorder renumbers; an open stage cannot go after the closing ones', async () => {
    const p = (await h.admin.post('/api/pipelines', { name: 'Опт' })).body;
    const a = (await h.admin.post(`/api/pipelines/${p.id}/stages`, { name: 'А' })).body;
    const b = (await h.admin.post(`/api/pipelines/${p.id}/stages`, { name: 'Б' })).body;
    const newStage = p.stages[0];

    const renamed = await h.admin.patch(`/api/stages/${newStage.id}`, { name: 'Входящие' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Входящие', code: 'new' });

    const moved = await h.admin.patch(`/api/stages/${b.id}`, { position: 0 });
    expect(moved.status).toBe(200);
    expect(moved.body.position).toBe(0);
    let now = (await h.admin.get(`/api/pipelines/${p.id}`)).body;
    expect(now.stages.map((s: any) => s.name)).toEqual(['Б', 'Входящие', 'А', 'Успешно', 'Отказ']);
    expect(now.stages.map((s: any) => s.position)).toEqual([0, 1, 2, 3, 4]);

    const after = await h.admin.patch(`/api/stages/${a.id}`, { position: 4 });
    expect(after.status).toBe(422);
    expect(after.body.error.fields.position).toBeTruthy();
    const wonFirst = await h.admin.patch(`/api/stages/${now.stages[3].id}`, { position: 0 });
    expect(wonFirst.status).toBe(422);
    now = (await h.admin.get(`/api/pipelines/${p.id}`)).body;
    expect(now.stages.map((s: any) => s.name)).toEqual(['Б', 'Входящие', 'А', 'Успешно', 'Отказ']);

    // won and lost may swap among themselves.
    const lostUp = await h.admin.patch(`/api/stages/${now.stages[4].id}`, { position: 3 });
    expect(lostUp.status).toBe(200);
    now = (await h.admin.get(`/api/pipelines/${p.id}`)).body;
    expect(codes(now).slice(3)).toEqual(['lost', 'won']);

    const neg = await h.admin.patch(`/api/stages/${a.id}`, { position: -1 });
    expect(neg.status).toBe(400);
    expect(neg.body.error.fields.position).toBeTruthy();
  });

  it('archive rules: not won/lost, not a stage with deals, not the last open stage; stale version 409', async () => {
    const p = (await h.admin.post('/api/pipelines', { name: 'Сервис' })).body;
    const extra = (await h.admin.post(`/api/pipelines/${p.id}/stages`, { name: 'Диагностика' })).body;
    const [newStage, , won, lost] = (await h.admin.get(`/api/pipelines/${p.id}`)).body.stages;

    for (const s of [won, lost]) {
      const res = await h.admin.patch(`/api/stages/${s.id}`, { archived: true });
      expect(res.status).toBe(422);
      expect(res.body.error.fields.archived).toBeTruthy();
    }

    const client = (await h.admin.post('/api/clients', { kind: 'company', name: 'ООО «Ромашка»' })).body;
    const deal = await h.admin.post('/api/deals', { clientId: client.id, title: 'Ремонт', stageId: extra.id });
    expect(deal.status).toBe(201);
    const busy = await h.admin.patch(`/api/stages/${extra.id}`, { archived: true });
    expect(busy.status).toBe(422);
    expect(busy.body.error.message).toMatch(/1 сделок/);
    // A rule's own message has its English text too (it does not fall back to Russian).
    const busyEn = await h.admin.patch(`/api/stages/${extra.id}`, { archived: true }, { 'accept-language': 'en' });
    expect(busyEn.body.error.message).toBe('The stage has 1 deals: move them before archiving it');
    expect((await h.admin.get(`/api/pipelines/${p.id}`)).body.stages[1].archived).toBe(false);

    // Moved away, the stage is empty and may go to the archive.
    expect((await h.admin.post(`/api/deals/${deal.body.id}/move`, { stageId: newStage.id })).status).toBe(200);
    const ok = await h.admin.patch(`/api/stages/${extra.id}`, { archived: true, version: extra.version });
    expect(ok.status).toBe(200);
    expect(ok.body.archived).toBe(true);
    expect(ok.body.code).toBe(extra.code);

    // A new deal cannot start in an archived stage.
    const inArchived = await h.admin.post('/api/deals', { clientId: client.id, title: 'X', stageId: extra.id });
    expect(inArchived.status).toBe(422);

    // The last open stage stays (it holds the deal, and it would be the last one anyway).
    await h.admin.post(`/api/deals/${deal.body.id}/move`, { stageCode: 'won' });
    const last = await h.admin.patch(`/api/stages/${newStage.id}`, { archived: true });
    expect(last.status).toBe(422);
    expect(last.body.error.message).toMatch(/хотя бы один открытый этап/);

    const stale = await h.admin.patch(`/api/stages/${extra.id}`, { name: 'Диагностика 2', version: extra.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect((await h.admin.patch(`/api/stages/${extra.id}`, { archived: false })).body.archived).toBe(false);
  });

  it('pipeline archive and default rules', async () => {
    const before = (await h.admin.get('/api/pipelines')).body;
    const def = before.find((p: any) => p.isDefault);
    expect((await h.admin.patch(`/api/pipelines/${def.id}`, { archived: true })).status).toBe(422);
    expect((await h.admin.patch(`/api/pipelines/${def.id}`, { isDefault: false })).status).toBe(422);

    const p = (await h.admin.post('/api/pipelines', { name: 'Дилеры' })).body;
    const client = (await h.admin.post('/api/clients', { kind: 'company', name: 'ООО «Дилер»' })).body;
    const deal = (await h.admin.post('/api/deals', { clientId: client.id, title: 'Поставка', pipelineId: p.id })).body;
    expect(deal.pipelineId).toBe(p.id);
    expect(deal.stageCode).toBe('new');
    const busy = await h.admin.patch(`/api/pipelines/${p.id}`, { archived: true });
    expect(busy.status).toBe(422);
    expect(busy.body.error.fields.archived).toBeTruthy();
    await h.admin.post(`/api/deals/${deal.id}/move`, { stageCode: 'won' });
    const archived = await h.admin.patch(`/api/pipelines/${p.id}`, { archived: true, name: 'Дилеры (старое)' });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ archived: true, name: 'Дилеры (старое)' });
    expect((await h.admin.post('/api/deals', { clientId: client.id, title: 'X', pipelineId: p.id })).status).toBe(422);
    expect((await h.admin.patch(`/api/pipelines/${p.id}`, { isDefault: true })).status).toBe(422);

    // Switching the default moves the flag; the old default can then be archived.
    const next = (await h.admin.post('/api/pipelines', { name: 'Новая основная' })).body;
    const sw = await h.admin.patch(`/api/pipelines/${next.id}`, { isDefault: true, version: next.version });
    expect(sw.status).toBe(200);
    const after = (await h.admin.get('/api/pipelines')).body;
    expect(after.filter((x: any) => x.isDefault).map((x: any) => x.id)).toEqual([next.id]);
    expect(after[0].id).toBe(next.id);
    // A deal without pipelineId now starts in the new default.
    const d2 = (await h.admin.post('/api/deals', { clientId: client.id, title: 'По умолчанию' })).body;
    expect(d2.pipelineId).toBe(next.id);
    // Stale pipeline version.
    expect((await h.admin.patch(`/api/pipelines/${next.id}`, { name: 'Y', version: next.version })).status).toBe(409);
    // Restore the regulation as default for any later test.
    expect((await h.admin.patch(`/api/pipelines/${def.id}`, { isDefault: true })).status).toBe(200);
  });
});
