import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';

const BIK = '044525225';
const ACCOUNT = '40702810427578038951'; // keyed against BIK 044525225
const CORR = '30101810400000000225';

let seq = 0;
/** A valid 10-digit ИНН that no other test uses. */
function freshInn(): string {
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const body = `77${String(1000000 + ++seq * 7919).slice(-7)}`;
  let s = 0;
  for (let i = 0; i < 9; i++) s += Number(body[i]) * w[i];
  return body + String((s % 11) % 10);
}
let phoneSeq = 0;
const freshPhone = () => `+7916${String(1000000 + ++phoneSeq * 1237).slice(-7)}`;

describeEachDialect('clients', (h) => {
  let depA: { id: string; head: TestClient };
  let depB: { id: string; head: TestClient };
  let m1: TestClient; // department A
  let m2: TestClient; // department A
  let m3: TestClient; // department B
  let owner: TestClient;
  let accountant: TestClient;
  let production: TestClient;

  beforeAll(async () => {
    depA = await h.department('Отдел А');
    depB = await h.department('Отдел Б');
    m1 = await h.user('manager', { departmentId: depA.id });
    m2 = await h.user('manager', { departmentId: depA.id });
    m3 = await h.user('manager', { departmentId: depB.id });
    owner = await h.user('owner');
    accountant = await h.user('accountant');
    production = await h.user('production');
  });

  const create = async (c: TestClient, body: Record<string, unknown>) => {
    const res = await c.post('/api/clients', { kind: 'company', ...body });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  // ── create, requisites, phones ──

  it('creates a company with requisites; phones become E.164, e-mails lower-case', async () => {
    const res = await m1.post('/api/clients', {
      kind: 'company',
      name: 'ООО «Ромашка»',
      legalName: 'Общество с ограниченной ответственностью «Ромашка»',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      bik: BIK,
      account: ACCOUNT,
      corrAccount: CORR,
      bankName: 'ПАО Сбербанк',
      phones: ['8 (912) 345-67-89', '+7 495 123-45-67'],
      emails: ['Info@Romashka.RU'],
      region: 'Москва',
      source: 'Сайт',
      tags: ['опт'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'company',
      name: 'ООО «Ромашка»',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      bik: BIK,
      account: ACCOUNT,
      corrAccount: CORR,
      phones: ['+79123456789', '+74951234567'],
      emails: ['info@romashka.ru'],
      region: 'Москва',
      tags: ['опт'],
      ownerId: m1.user!.id,
      status: 'active',
      refusalReasonId: null,
      negativeFeedback: false,
      version: 1,
    });
    const got = await m1.get(`/api/clients/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('a person with a 12-digit ИНН is valid', async () => {
    const res = await m1.post('/api/clients', { kind: 'person', name: 'Алёна Иванова', inn: '500100732259' });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('person');
  });

  it('bad checksums are 400 naming each field', async () => {
    const inn = await m1.post('/api/clients', { kind: 'company', name: 'X', inn: '7707083894' });
    expect(inn.status).toBe(400);
    expect(inn.body.error.code).toBe('validation_failed');
    expect(inn.body.error.fields.inn).toBe('Неверная контрольная сумма ИНН');

    const several = await m1.post('/api/clients', { kind: 'company', name: 'X', kpp: '77360100', ogrn: '1027700132196', bik: '123456789' });
    expect(several.status).toBe(400);
    expect(several.body.error.fields.kpp).toMatch(/КПП/);
    expect(several.body.error.fields.ogrn).toBe('Неверная контрольная сумма ОГРН');
    expect(several.body.error.fields.bik).toMatch(/БИК/);

    const account = await m1.post('/api/clients', { kind: 'company', name: 'X', bik: BIK, account: '40702810427578038952' });
    expect(account.status).toBe(400);
    expect(account.body.error.fields.account).toMatch(/контрольный ключ/);

    const noBik = await m1.post('/api/clients', { kind: 'company', name: 'X', account: ACCOUNT });
    expect(noBik.status).toBe(400);
    expect(noBik.body.error.fields.bik).toMatch(/БИК/);

    const corr = await m1.post('/api/clients', { kind: 'company', name: 'X', bik: BIK, corrAccount: '30101810400000000226' });
    expect(corr.status).toBe(400);
    expect(corr.body.error.fields.corrAccount).toBeTruthy();
    // Nothing was written.
    expect((await m1.get('/api/clients?q=X&limit=500')).body.items.filter((c: any) => c.name === 'X')).toHaveLength(0);
  });

  it('an unparseable phone is 400 naming phones.N; a bad e-mail names emails.N', async () => {
    const res = await m1.post('/api/clients', { kind: 'company', name: 'Y', phones: ['+7 912 345-67-80', '12345'] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields['phones.1']).toBe('Неверный номер телефона');
    const e = await m1.post('/api/clients', { kind: 'company', name: 'Y', emails: ['not-mail'] });
    expect(e.status).toBe(400);
    expect(e.body.error.fields['emails.0']).toBe('Некорректный e-mail');
    const kind = await m1.post('/api/clients', { kind: 'company', name: '   ' });
    expect(kind.status).toBe(400);
    expect(kind.body.error.fields.name).toBe('Обязательное поле');
  });

  it('empty strings from a form mean "not set"', async () => {
    const res = await m1.post('/api/clients', { kind: 'company', name: 'Пустые поля', inn: '', kpp: ' ', region: '' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ inn: null, kpp: null, region: null });
  });

  // ── duplicates ──

  it('duplicates by ИНН, phone (any format) and e-mail (any case) are 409 with existingId and field', async () => {
    const inn = freshInn();
    const phone = freshPhone();
    const first = await create(m1, { name: 'ООО «Дубль»', inn, phones: [phone], emails: ['sales@dubl.ru'] });

    const byInn = await m1.post('/api/clients', { kind: 'company', name: 'Другое', inn });
    expect(byInn.status).toBe(409);
    expect(byInn.body.error.code).toBe('duplicate_client');
    expect(byInn.body.error.message).toBe('Клиент с таким ИНН уже есть: ООО «Дубль»');
    expect(byInn.body.error.details).toMatchObject({ existingId: first.id, field: 'inn' });
    expect(byInn.body.error.fields.inn).toBeTruthy();

    const national = phone.replace('+7', '8 (').replace(/^(8 \(\d{3})/, '$1) ');
    const byPhone = await m1.post('/api/clients', { kind: 'company', name: 'Другое', phones: ['+7 999 000-00-00', national] });
    expect(byPhone.status).toBe(409);
    expect(byPhone.body.error.message).toBe('Клиент с таким телефоном уже есть: ООО «Дубль»');
    expect(byPhone.body.error.details).toMatchObject({ existingId: first.id, field: 'phone' });
    expect(byPhone.body.error.fields['phones.1']).toBeTruthy();

    const byEmail = await m1.post('/api/clients', { kind: 'company', name: 'Другое', emails: ['SALES@Dubl.ru'] });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.error.message).toBe('Клиент с таким e-mail уже есть: ООО «Дубль»');
    expect(byEmail.body.error.details).toMatchObject({ existingId: first.id, field: 'email' });
  });

  it('a contact phone of another client counts as a duplicate', async () => {
    const c = await create(m1, { name: 'С контактом' });
    const phone = freshPhone();
    expect((await m1.post(`/api/clients/${c.id}/contacts`, { name: 'Пётр', phones: [phone] })).status).toBe(201);
    const dup = await m1.post('/api/clients', { kind: 'person', name: 'Пётр', phones: [phone] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.existingId).toBe(c.id);
  });

  it('the check sees every client, but tells a manager only whose it is; force works for head/owner/admin only', async () => {
    const inn = freshInn();
    const other = await create(m3, { name: 'Чужой клиент', inn, region: 'Казань', phones: [freshPhone()] });
    const res = await m1.post('/api/clients', { kind: 'company', name: 'Мой', inn });
    expect(res.status).toBe(409);
    // Issue 9: neither the name nor the id of a client the manager may not open — only its owner, so he can ask.
    expect(res.body.error.details).toEqual({ field: 'inn', ownerId: m3.user!.id, ownerName: m3.user!.name });
    expect(JSON.stringify(res.body)).not.toContain('Казань');
    expect(JSON.stringify(res.body)).not.toContain('Чужой клиент');
    expect(JSON.stringify(res.body)).not.toContain(other.id);
    // Still not readable.
    expect((await m1.get(`/api/clients/${other.id}`)).status).toBe(404);

    const forcedByManager = await m1.post('/api/clients', { kind: 'company', name: 'Мой', inn, force: true });
    expect(forcedByManager.status).toBe(409);
    const forcedByHead = await depA.head.post('/api/clients', { kind: 'company', name: 'Мой', inn, force: true });
    expect(forcedByHead.status).toBe(201);
    const forcedByOwner = await owner.post('/api/clients', { kind: 'company', name: 'Ещё', inn, force: true });
    expect(forcedByOwner.status).toBe(201);
    // A force-created duplicate stays editable (only new keys are checked).
    const patched = await depA.head.patch(`/api/clients/${forcedByHead.body.id}`, { name: 'Мой (дубль)', version: 1 });
    expect(patched.status).toBe(200);
  });

  it('PATCH adding a phone of another client is 409 too', async () => {
    const phone = freshPhone();
    await create(m1, { name: 'Первый', phones: [phone] });
    const second = await create(m1, { name: 'Второй' });
    const res = await m1.patch(`/api/clients/${second.id}`, { phones: ['+7 999 000-00-01', phone], version: second.version });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate_client');
    expect(Object.keys(res.body.error.fields)).toEqual(['phones.1']);
  });

  // ── update ──

  it('PATCH needs the version; a stale one is 409 and changes nothing', async () => {
    const c = await create(m1, { name: 'Версия' });
    const noVersion = await m1.patch(`/api/clients/${c.id}`, { name: 'Без версии' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.fields.version).toBeTruthy();
    const ok = await m1.patch(`/api/clients/${c.id}`, { name: 'Версия 2', phones: ['8 912 000 11 22'], version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Версия 2', phones: ['+79120001122'], version: 2 });
    const stale = await m1.patch(`/api/clients/${c.id}`, { name: 'Старая', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect((await m1.get(`/api/clients/${c.id}`)).body.name).toBe('Версия 2');
    const badInn = await m1.patch(`/api/clients/${c.id}`, { inn: '7707083894', version: 2 });
    expect(badInn.status).toBe(400);
    expect(badInn.body.error.fields.inn).toBeTruthy();
    const badAccount = await m1.patch(`/api/clients/${c.id}`, { bik: BIK, account: '40702810427578038950', version: 2 });
    expect(badAccount.status).toBe(400);
    expect(badAccount.body.error.fields.account).toBeTruthy();
  });

  it('a manager cannot hand a client to someone else; a head can, within his department', async () => {
    const c = await create(m1, { name: 'Передача через PATCH' });
    expect((await m1.patch(`/api/clients/${c.id}`, { ownerId: m2.user!.id, version: 1 })).status).toBe(403);
    expect((await m1.post('/api/clients', { kind: 'company', name: 'Z', ownerId: m2.user!.id })).status).toBe(400);
    const outside = await depA.head.patch(`/api/clients/${c.id}`, { ownerId: m3.user!.id, version: 1 });
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields.ownerId).toBeTruthy();
    const inside = await depA.head.patch(`/api/clients/${c.id}`, { ownerId: m2.user!.id, version: 1 });
    expect(inside.status).toBe(200);
    expect(inside.body.ownerId).toBe(m2.user!.id);
    expect((await m1.get(`/api/clients/${c.id}`)).status).toBe(404);
    expect((await m2.get(`/api/clients/${c.id}`)).status).toBe(200);
  });

  // ── refusal ──

  it('refusal needs a reason (422); an unknown one is 400; then status refused and a timeline entry', async () => {
    const c = await create(m1, { name: 'Отказник' });
    const noReason = await m1.post(`/api/clients/${c.id}/refusal`, { comment: 'Дорого им' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.code).toBe('business_rule');
    expect(noReason.body.error.fields.reasonId).toBeTruthy();
    expect(noReason.body.error.message).toMatch(/причину отказа/);
    const unknown = await m1.post(`/api/clients/${c.id}/refusal`, { reasonId: 'no-such-reason' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.reasonId).toBeTruthy();
    expect((await m1.get(`/api/clients/${c.id}`)).body.status).toBe('active');

    const reasons = (await m1.get('/api/loss-reasons')).body.items;
    const expensive = reasons.find((r: any) => r.name === 'Дорого');
    const refused = await m1.post(`/api/clients/${c.id}/refusal`, { reasonId: expensive.id, comment: 'Нашли дешевле у конкурента' });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'refused',
      refusalReasonId: expensive.id,
      refusalComment: 'Нашли дешевле у конкурента',
      version: 2,
    });

    const refusedList = await m1.get('/api/clients?status=refused&limit=500');
    expect(refusedList.body.items.map((x: any) => x.id)).toContain(c.id);
    expect((await m1.get('/api/clients?status=active&limit=500')).body.items.map((x: any) => x.id)).not.toContain(c.id);

    const tl = await m1.get(`/api/clients/${c.id}/timeline`);
    expect(tl.body.items[0]).toMatchObject({
      kind: 'refusal',
      authorId: m1.user!.id,
      authorName: m1.user!.name,
      text: 'Нашли дешевле у конкурента',
      data: { reasonId: expensive.id, reasonName: 'Дорого' },
      dealId: null,
    });

    const back = await m1.post(`/api/clients/${c.id}/reactivate`, {});
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'active', refusalReasonId: null, refusalComment: null });
    const tl2 = await m1.get(`/api/clients/${c.id}/timeline`);
    expect(tl2.body.items.map((e: any) => e.kind)).toEqual(['reactivated', 'refusal']);
  });

  it('refusal with a stale version is 409', async () => {
    const c = await create(m1, { name: 'Отказ с версией' });
    const reason = (await m1.get('/api/loss-reasons')).body.items[0];
    await m1.patch(`/api/clients/${c.id}`, { name: 'Отказ с версией 2', version: 1 });
    const res = await m1.post(`/api/clients/${c.id}/refusal`, { reasonId: reason.id, version: 1 });
    expect(res.status).toBe(409);
    expect((await m1.get(`/api/clients/${c.id}`)).body.status).toBe('active');
  });

  // ── contacts ──

  it('contacts: add, list, change (phones normalised), delete; another manager gets 404', async () => {
    const c = await create(m1, { name: 'Контактная' });
    const add = await m1.post(`/api/clients/${c.id}/contacts`, {
      name: 'Иван Сидоров',
      position: 'Закупщик',
      phones: ['8-912-111-22-33'],
      emails: ['Ivan@Firma.RU'],
    });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({
      clientId: c.id,
      name: 'Иван Сидоров',
      position: 'Закупщик',
      phones: ['+79121112233'],
      emails: ['ivan@firma.ru'],
      version: 1,
    });
    const bad = await m1.post(`/api/clients/${c.id}/contacts`, { name: 'Ошибка', phones: ['abc'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields['phones.0']).toBeTruthy();
    const list = await m1.get(`/api/clients/${c.id}/contacts`);
    expect(list.body.items.map((x: any) => x.name)).toEqual(['Иван Сидоров']);
    const patch = await m1.patch(`/api/contacts/${add.body.id}`, { position: 'Директор', version: 1 });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ position: 'Директор', version: 2 });
    expect((await m1.patch(`/api/contacts/${add.body.id}`, { position: 'X', version: 1 })).status).toBe(409);
    expect((await m3.get(`/api/clients/${c.id}/contacts`)).status).toBe(404);
    expect((await m3.patch(`/api/contacts/${add.body.id}`, { position: 'X' })).status).toBe(404);
    expect((await m3.delete(`/api/contacts/${add.body.id}`)).status).toBe(404);
    expect((await m1.delete(`/api/contacts/${add.body.id}`)).status).toBe(204);
    expect((await m1.get(`/api/clients/${c.id}/contacts`)).body.items).toHaveLength(0);
    // Its phone is free again and no longer searchable.
    expect((await m1.get('/api/search?q=89121112233')).body.contacts).toHaveLength(0);
    expect((await m1.post('/api/clients', { kind: 'person', name: 'Новый', phones: ['+79121112233'] })).status).toBe(201);
  });

  // ── search ──

  it('search by name prefix, Cyrillic case-insensitive, ё = е', async () => {
    const a = await create(m2, { name: 'ООО Ромашка-Юг', phones: ['+7 (923) 456-78-90'], emails: ['office@romashka-yug.ru'] });
    const contactClient = await create(m2, { name: 'Берёзка' });
    const contact = await m2.post(`/api/clients/${contactClient.id}/contacts`, {
      name: 'Алена Смирнова',
      phones: ['+7 925 000-11-22'],
      emails: ['alena@berezka.ru'],
    });

    const byPrefix = await m2.get(`/api/search?q=${encodeURIComponent('ром')}`);
    expect(byPrefix.status).toBe(200);
    expect(byPrefix.body.clients.map((c: any) => c.id)).toContain(a.id);
    expect(byPrefix.body.deals).toEqual([]);
    expect((await m2.get(`/api/search?q=${encodeURIComponent('РОМАШКА юг')}`)).body.clients.map((c: any) => c.id)).toEqual([a.id]);
    expect((await m2.get(`/api/search?q=${encodeURIComponent('берез')}`)).body.clients.map((c: any) => c.id)).toEqual([contactClient.id]);

    const alena = await m2.get(`/api/search?q=${encodeURIComponent('алёна')}`);
    expect(alena.body.contacts).toEqual([
      {
        id: contact.body.id,
        name: 'Алена Смирнова',
        position: null,
        clientId: contactClient.id,
        clientName: 'Берёзка',
        phones: ['+79250001122'],
        emails: ['alena@berezka.ru'],
      },
    ]);
    // The list's q uses the same search.
    expect((await m2.get(`/api/clients?q=${encodeURIComponent('Ромаш')}`)).body.items.map((c: any) => c.id)).toEqual([a.id]);
  });

  it('search by phone digits typed in any format, by ИНН and by e-mail', async () => {
    const a = await create(m2, { name: 'Телефонная', phones: ['+79234567891'], emails: ['Zakaz@Telefon-Shop.ru'], inn: freshInn() });
    const ids = async (q: string) => (await m2.get(`/api/search?q=${encodeURIComponent(q)}`)).body.clients.map((c: any) => c.id);
    for (const q of ['8 (923) 456-78-91', '9234567891', '+79234567891', '+7 923', '79234567', '8923456']) {
      expect(await ids(q), q).toContain(a.id);
    }
    expect(await ids('8 (923) 456-78-90')).not.toContain(a.id);
    expect(await ids(a.inn)).toEqual([a.id]);
    expect(await ids(a.inn.slice(0, 6))).toContain(a.id);
    expect(await ids('zakaz@telefon-shop.ru')).toEqual([a.id]);
    expect(await ids('ZAKAZ@tele')).toEqual([a.id]);
    expect(await ids('telefon-shop')).toEqual([a.id]);
    // Contacts by phone too.
    const c = await m2.post(`/api/clients/${a.id}/contacts`, { name: 'Ольга', phones: ['+7 931 222-33-44'] });
    const hits = (await m2.get(`/api/search?q=${encodeURIComponent('8 931 222 33 44')}`)).body;
    expect(hits.contacts.map((x: any) => x.id)).toEqual([c.body.id]);
    // …and the contact's phone finds its client as well.
    expect(hits.clients.map((x: any) => x.id)).toEqual([a.id]);
  });

  it('search updates with edits and ignores junk', async () => {
    const a = await create(m2, { name: 'Старое Имя' });
    await m2.patch(`/api/clients/${a.id}`, { name: 'Новое Название', version: 1 });
    const ids = async (q: string) => (await m2.get(`/api/search?q=${encodeURIComponent(q)}`)).body.clients.map((c: any) => c.id);
    expect(await ids('старое')).not.toContain(a.id);
    expect(await ids('новое назв')).toContain(a.id);
    for (const junk of [
      '"',
      '*',
      "' OR 1=1 --",
      'NEAR(',
      ':*',
      '&|!',
      '   ',
      '½ ²',
      'ǅ İ',
      '日本',
      '👍',
      'a\u0301b',
      'AND OR NOT',
      'и',
      '+',
      '()',
      '８９１２',
    ]) {
      const res = await m2.get(`/api/search?q=${encodeURIComponent(junk)}`);
      expect(res.status, junk).toBe(200);
      const list = await m2.get(`/api/clients?q=${encodeURIComponent(junk)}`);
      expect(list.status, junk).toBe(200);
    }
  });

  // ── access ──

  it('access per role: lists, get, search, counts', async () => {
    const tag = `Доступ${Date.now()}`;
    const c1 = await create(m1, { name: `${tag} м1` });
    const c2 = await create(m2, { name: `${tag} м2` });
    const c3 = await create(m3, { name: `${tag} м3` });
    const all = [c1.id, c2.id, c3.id].sort();
    const listIds = async (c: TestClient, qs = '') =>
      (await c.get(`/api/clients?q=${encodeURIComponent(tag)}&limit=500${qs}`)).body.items.map((x: any) => x.id).sort();
    const searchIds = async (c: TestClient) =>
      (await c.get(`/api/search?q=${encodeURIComponent(tag)}&limit=50`)).body.clients.map((x: any) => x.id).sort();

    // manager: own only, whatever he asks for
    expect(await listIds(m1)).toEqual([c1.id]);
    expect(await listIds(m1, `&ownerId=${m2.user!.id}`)).toEqual([]);
    expect(await searchIds(m1)).toEqual([c1.id]);
    expect((await m1.get(`/api/clients/${c2.id}`)).status).toBe(404);
    expect((await m1.get(`/api/clients/${c2.id}/timeline`)).status).toBe(404);
    expect((await m1.patch(`/api/clients/${c2.id}`, { name: 'x', version: 1 })).status).toBe(404);
    expect((await m1.post(`/api/clients/${c2.id}/comments`, { text: 'x' })).status).toBe(404);
    const everything = await m1.get('/api/clients?limit=500');
    expect(everything.body.items.every((x: any) => x.ownerId === m1.user!.id)).toBe(true);
    const m1Counts = (await m1.get('/api/clients/counts')).body;
    expect(m1Counts.total).toBe(everything.body.items.length);
    expect((await m1.get(`/api/clients/counts?ownerId=${m2.user!.id}`)).body).toEqual({ total: 0, active: 0, refused: 0 });

    // head: his department
    expect(await listIds(depA.head)).toEqual([c1.id, c2.id].sort());
    expect(await searchIds(depA.head)).toEqual([c1.id, c2.id].sort());
    expect((await depA.head.get(`/api/clients/${c3.id}`)).status).toBe(404);
    expect(await listIds(depB.head)).toEqual([c3.id]);

    // owner, admin: all
    expect(await listIds(owner)).toEqual(all);
    expect(await listIds(h.admin)).toEqual(all);
    expect(await searchIds(owner)).toEqual(all);
    const ownerCounts = (await owner.get('/api/clients/counts')).body;
    expect(ownerCounts.total).toBeGreaterThan(m1Counts.total);

    // accountant: reads all, writes nothing
    expect(await listIds(accountant)).toEqual(all);
    expect((await accountant.get(`/api/clients/${c3.id}`)).status).toBe(200);
    expect((await accountant.post('/api/clients', { kind: 'company', name: 'Бух' })).status).toBe(403);
    expect((await accountant.patch(`/api/clients/${c3.id}`, { name: 'Бух', version: 1 })).status).toBe(403);
    expect((await accountant.post(`/api/clients/${c3.id}/comments`, { text: 'x' })).status).toBe(403);
    expect((await accountant.delete(`/api/clients/${c3.id}`)).status).toBe(403);

    // production: nothing
    expect((await production.get('/api/clients')).status).toBe(404);
    expect((await production.get(`/api/clients/${c1.id}`)).status).toBe(404);
    expect((await production.get(`/api/clients/${c1.id}/timeline`)).status).toBe(404);
    expect((await production.get('/api/clients/counts')).status).toBe(404);
    const prodSearch = await production.get(`/api/search?q=${encodeURIComponent(tag)}`);
    expect(prodSearch.status).toBe(200);
    expect(prodSearch.body.clients).toEqual([]);
    expect(prodSearch.body.contacts).toEqual([]);
    expect((await production.post('/api/clients', { kind: 'company', name: 'П' })).status).toBe(403);
  });

  it('contacts in search follow the client scope', async () => {
    const c = await create(m3, { name: 'Скрытая фирма' });
    await m3.post(`/api/clients/${c.id}/contacts`, { name: 'Евлампий Тайный', phones: ['+7 933 777-66-55'] });
    expect((await m3.get(`/api/search?q=${encodeURIComponent('евлампий')}`)).body.contacts).toHaveLength(1);
    expect((await m1.get(`/api/search?q=${encodeURIComponent('евлампий')}`)).body.contacts).toHaveLength(0);
    expect((await m1.get(`/api/search?q=${encodeURIComponent('89337776655')}`)).body.contacts).toHaveLength(0);
    expect((await depA.head.get(`/api/search?q=${encodeURIComponent('евлампий')}`)).body.contacts).toHaveLength(0);
    expect((await owner.get(`/api/search?q=${encodeURIComponent('евлампий')}`)).body.contacts).toHaveLength(1);
  });

  it('the list pages by cursor, newest first, filtered by region', async () => {
    const region = `Регион-${Date.now()}`;
    const made: { id: string; createdAt: string }[] = [];
    for (let i = 0; i < 5; i++) made.push(await create(m1, { name: `Страница ${i}`, region }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await m1.get(`/api/clients?region=${encodeURIComponent(region)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((x: any) => x.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    // Newest first; clients created in the same millisecond follow by id, descending.
    const expected = [...made].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    expect(seen).toEqual(expected.map((c) => c.id));
  });

  // ── merge, reassign, delete ──

  it('merge: the target keeps everything, gains contacts, timeline, phones and e-mails; the source is gone', async () => {
    const target = await create(m1, { name: 'Цель', phones: [freshPhone()], emails: ['target@merge.ru'] });
    const sourcePhone = freshPhone();
    const sourceInn = freshInn();
    const source = await create(m1, {
      name: 'Источник',
      inn: sourceInn,
      phones: [sourcePhone],
      emails: ['source@merge.ru'],
      region: 'Тверь',
    });
    await m1.post(`/api/clients/${source.id}/contacts`, { name: 'Контакт источника', phones: [freshPhone()] });
    await m1.post(`/api/clients/${target.id}/contacts`, { name: 'Контакт цели' });
    await m1.post(`/api/clients/${source.id}/comments`, { text: 'Комментарий источника' });
    await m1.post(`/api/clients/${target.id}/comments`, { text: 'Комментарий цели' });

    const moved: { fromId: string; toId: string }[] = [];
    const hook = async (trx: any, e: { fromId: string; toId: string }) => {
      // Runs inside the merge transaction: both clients are still there.
      const both = await trx.selectFrom('clients').select('id').where('id', 'in', [e.fromId, e.toId]).execute();
      expect(both).toHaveLength(2);
      moved.push(e);
    };
    const off = h.server.ctx.domain.on('client.merged', hook);
    try {
      expect((await m1.post(`/api/clients/${target.id}/merge`, { sourceId: source.id })).status).toBe(403);
      expect((await depA.head.post(`/api/clients/${target.id}/merge`, { sourceId: target.id })).status).toBe(400);
      const res = await depA.head.post(`/api/clients/${target.id}/merge`, { sourceId: source.id });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: target.id, name: 'Цель', inn: sourceInn, region: 'Тверь' });
      expect(res.body.phones).toEqual([target.phones[0], sourcePhone]);
      expect(res.body.emails).toEqual(['target@merge.ru', 'source@merge.ru']);
    } finally {
      off();
    }
    expect(moved).toEqual([{ fromId: source.id, toId: target.id }]);
    expect((await m1.get(`/api/clients/${source.id}`)).status).toBe(404);
    const contacts = (await m1.get(`/api/clients/${target.id}/contacts`)).body.items.map((c: any) => c.name);
    expect(contacts.sort()).toEqual(['Контакт источника', 'Контакт цели']);
    const tl = (await m1.get(`/api/clients/${target.id}/timeline`)).body.items;
    expect(tl[0]).toMatchObject({ kind: 'merged', authorId: depA.head.user!.id, data: { sourceId: source.id, sourceName: 'Источник' } });
    expect(tl.map((e: any) => e.text)).toEqual(expect.arrayContaining(['Комментарий источника', 'Комментарий цели']));
    // The source's keys now belong to the target; searching finds the target only.
    const dup = await m1.post('/api/clients', { kind: 'company', name: 'Снова', inn: sourceInn });
    expect(dup.body.error.details.existingId).toBe(target.id);
    expect((await m1.get(`/api/search?q=${encodeURIComponent('источник')}`)).body.clients).toEqual([]);
    expect((await m1.get(`/api/search?q=${encodeURIComponent('контакт источника')}`)).body.contacts.map((c: any) => c.clientId)).toEqual([
      target.id,
    ]);
    const audit = await h.server.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'client.merge')
      .where('entity_id', '=', target.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].data!)).toMatchObject({ sourceId: source.id });
  });

  it('a failing merge hook rolls everything back', async () => {
    const target = await create(m1, { name: 'Цель отката' });
    const source = await create(m1, { name: 'Источник отката' });
    await m1.post(`/api/clients/${source.id}/contacts`, { name: 'Остаётся' });
    const hook = async () => {
      throw new Error('boom');
    };
    const off = h.server.ctx.domain.on('client.merged', hook);
    try {
      const res = await owner.post(`/api/clients/${target.id}/merge`, { sourceId: source.id });
      expect(res.status).toBe(500);
    } finally {
      off();
    }
    expect((await m1.get(`/api/clients/${source.id}`)).status).toBe(200);
    expect((await m1.get(`/api/clients/${source.id}/contacts`)).body.items).toHaveLength(1);
    expect((await m1.get(`/api/clients/${target.id}/timeline`)).body.items).toHaveLength(0);
  });

  it('reassign one client: hooks run, timeline entry; managers may not', async () => {
    const c = await create(m1, { name: 'Переназначаемый' });
    const events: any[] = [];
    const hook = async (_trx: any, e: any) => {
      events.push(e);
    };
    const off = h.server.ctx.domain.on('client.reassigned', hook);
    try {
      expect((await m1.post(`/api/clients/${c.id}/reassign`, { ownerId: m2.user!.id })).status).toBe(403);
      expect((await depB.head.post(`/api/clients/${c.id}/reassign`, { ownerId: m3.user!.id })).status).toBe(404);
      expect((await depA.head.post(`/api/clients/${c.id}/reassign`, { ownerId: 'nobody' })).status).toBe(400);
      const res = await depA.head.post(`/api/clients/${c.id}/reassign`, { ownerId: m2.user!.id });
      expect(res.status).toBe(200);
      expect(res.body.ownerId).toBe(m2.user!.id);
    } finally {
      off();
    }
    expect(events).toEqual([{ clientId: c.id, fromOwnerId: m1.user!.id, toOwnerId: m2.user!.id, actorId: depA.head.user!.id }]);
    const tl = (await m2.get(`/api/clients/${c.id}/timeline`)).body.items;
    expect(tl[0]).toMatchObject({ kind: 'reassigned', data: { fromOwnerId: m1.user!.id, toOwnerId: m2.user!.id } });
    expect(tl[0].text).toContain(m2.user!.name);
  });

  it('«a manager leaves»: all his clients go to another, in scope of the actor', async () => {
    const leaver = await h.user('manager', { departmentId: depA.id });
    const a = await create(leaver, { name: 'Уходящий 1' });
    const b = await create(leaver, { name: 'Уходящий 2' });
    expect((await m1.post('/api/clients/reassign', { fromOwnerId: leaver.user!.id, toOwnerId: m1.user!.id })).status).toBe(403);
    // Head B does not reach department A's clients.
    const outside = await depB.head.post('/api/clients/reassign', { fromOwnerId: leaver.user!.id, toOwnerId: m3.user!.id });
    expect(outside.status).toBe(200);
    expect(outside.body).toEqual({ count: 0 });
    const res = await owner.post('/api/clients/reassign', { fromOwnerId: leaver.user!.id, toOwnerId: m1.user!.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 2 });
    for (const c of [a, b]) expect((await m1.get(`/api/clients/${c.id}`)).body.ownerId).toBe(m1.user!.id);
    expect((await leaver.get('/api/clients')).body.items).toEqual([]);
  });

  it('delete: head/owner/admin only, audited; the client and its timeline are gone', async () => {
    const c = await create(m1, { name: 'Удаляемый', inn: freshInn() });
    await m1.post(`/api/clients/${c.id}/comments`, { text: 'до удаления' });
    await m1.post(`/api/clients/${c.id}/contacts`, { name: 'Удаляемый контакт Зиновий' });
    expect((await m1.delete(`/api/clients/${c.id}`)).status).toBe(403);
    expect((await depB.head.delete(`/api/clients/${c.id}`)).status).toBe(404);
    expect((await depA.head.delete(`/api/clients/${c.id}`)).status).toBe(204);
    expect((await m1.get(`/api/clients/${c.id}`)).status).toBe(404);
    expect((await owner.get(`/api/search?q=${encodeURIComponent('зиновий')}`)).body.contacts).toEqual([]);
    const audit = await h.server.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'client.delete')
      .where('entity_id', '=', c.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].user_id).toBe(depA.head.user!.id);
    const left = await h.server.ctx.db.selectFrom('timeline_entries').select('id').where('client_id', '=', c.id).execute();
    expect(left).toHaveLength(0);
    // Its ИНН is free again.
    expect((await m1.post('/api/clients', { kind: 'company', name: 'Новый', inn: c.inn })).status).toBe(201);
  });

  it('markNegativeFeedback sets the flag and bumps the version', async () => {
    const c = await create(m1, { name: 'Недовольный' });
    await h.server.ctx.services.clients.markNegativeFeedback(h.server.ctx.db, c.id);
    const got = (await m1.get(`/api/clients/${c.id}`)).body;
    expect(got).toMatchObject({ negativeFeedback: true, version: 2 });
  });

  it('getForActor: 404 out of scope, 403 for a reader asking to write', async () => {
    const svc = h.server.ctx.services.clients;
    const c = await create(m1, { name: 'Для сервиса' });
    const actorOf = (t: TestClient) => ({ ...t.user!, departmentId: t.user!.departmentId }) as any;
    await expect(svc.getForActor(actorOf(m1), c.id, 'write')).resolves.toMatchObject({ id: c.id, ownerId: m1.user!.id });
    await expect(svc.getForActor(actorOf(m3), c.id, 'read')).rejects.toMatchObject({ code: 'not_found' });
    await expect(svc.getForActor(actorOf(accountant), c.id, 'read')).resolves.toMatchObject({ id: c.id });
    await expect(svc.getForActor(actorOf(accountant), c.id, 'write')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(svc.getForActor(actorOf(production), c.id, 'read')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describeEachDialect('clients with deals', (h) => {
  it('a client with deals cannot be deleted (422), merge moves the deals, search lists deals', async () => {
    const m = await h.user('manager');
    const head = await h.user('head');
    const a = (await m.post('/api/clients', { kind: 'company', name: 'ООО «Сделочная»' })).body;
    const b = (await m.post('/api/clients', { kind: 'company', name: 'Сделочная (дубль)' })).body;
    const deal = await m.post('/api/deals', { clientId: b.id, title: 'Поставка сделочных станков' });
    expect(deal.status).toBe(201);

    const del = await h.admin.delete(`/api/clients/${b.id}`);
    expect(del.status).toBe(422);
    expect(del.body.error.code).toBe('business_rule');
    expect((await m.get(`/api/clients/${b.id}`)).status).toBe(200);

    const hits = await m.get(`/api/search?q=${encodeURIComponent('сделочн')}`);
    expect(hits.body.clients.map((c: any) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(hits.body.deals.map((d: any) => d.id)).toEqual([deal.body.id]);
    expect((await head.get(`/api/search?q=${encodeURIComponent('сделочн')}`)).body.deals).toEqual([]);

    expect((await h.admin.post(`/api/clients/${a.id}/merge`, { sourceId: b.id })).status).toBe(200);
    expect((await m.get(`/api/deals/${deal.body.id}`)).body.clientId).toBe(a.id);
    expect((await m.get(`/api/clients/${b.id}`)).status).toBe(404);
  });
});
