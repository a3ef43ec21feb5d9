import crypto from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';
import { dataUrl, png, testCompany, testFacsimile, testLogo } from '../invoices/fixtures.js';

describeEachDialect('company settings', (h) => {
  let manager: TestClient;
  let accountant: TestClient;
  let owner: TestClient;
  let production: TestClient;

  beforeAll(async () => {
    manager = await h.user('manager');
    accountant = await h.user('accountant');
    owner = await h.user('owner');
    production = await h.user('production');
  });

  it('before anything is saved: defaults (НДС 22 %, 5 days, version 0), readable by every role', async () => {
    for (const c of [manager, accountant, production, h.admin]) {
      const res = await c.get('/api/settings/company');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: '',
        inn: '',
        taxMode: 'vat22',
        defaultVatRate: 22,
        paymentTermDays: 5,
        invoicePrefix: '',
        logo: null,
        facsimile: null,
        version: 0,
      });
    }
    expect((await h.anon.get('/api/settings/company')).status).toBe(401);
  });

  it('only an admin may change them (403 for the others, nothing written)', async () => {
    for (const c of [manager, accountant, owner, production]) {
      const res = await c.put('/api/settings/company', testCompany());
      expect(res.status, c.user!.role).toBe(403);
    }
    expect((await h.admin.get('/api/settings/company')).body.version).toBe(0);
  });

  it('checks requisites with their checksums: 400 naming every bad field, nothing saved', async () => {
    const res = await h.admin.put('/api/settings/company', {
      ...testCompany(),
      inn: '7707083894',
      kpp: '77360100',
      ogrn: '1027700132196',
      account: '40702810000000000000',
      corrAccount: '30101810400000000226',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['account', 'corrAccount', 'inn', 'kpp', 'ogrn']);
    expect(res.body.error.fields.inn).toMatch(/контрольн/i);

    const bik = await h.admin.put('/api/settings/company', { ...testCompany(), bik: '123' });
    expect(bik.status).toBe(400);
    expect(bik.body.error.fields.bik).toBeTruthy();

    const term = await h.admin.put('/api/settings/company', { ...testCompany(), paymentTermDays: -1, taxMode: 'osno' });
    expect(term.status).toBe(400);
    expect(Object.keys(term.body.error.fields).sort()).toEqual(['paymentTermDays', 'taxMode']);
    expect((await h.admin.get('/api/settings/company')).body.version).toBe(0);
  });

  it('saves the requisites; the tax mode derives the default VAT rate; a stale version is 409', async () => {
    const res = await h.admin.put('/api/settings/company', { ...testCompany({ invoicePrefix: 'СЧ-', paymentTermDays: 10 }), version: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      name: 'ООО «Воронка-Тест»',
      inn: '7707083893',
      kpp: '773601001',
      invoicePrefix: 'СЧ-',
      paymentTermDays: 10,
      defaultVatRate: 22,
      version: 1,
    });
    expect((await manager.get('/api/settings/company')).body.bik).toBe('044525225');

    const usn = await h.admin.put('/api/settings/company', { ...testCompany({ taxMode: 'usn' }), version: 1 });
    expect(usn.status).toBe(200);
    expect(usn.body).toMatchObject({ taxMode: 'usn', defaultVatRate: null, version: 2 });
    const vat10 = await h.admin.put('/api/settings/company', { ...testCompany({ taxMode: 'vat10' }) });
    expect(vat10.body).toMatchObject({ taxMode: 'vat10', defaultVatRate: 10, version: 3 });

    const stale = await h.admin.put('/api/settings/company', { ...testCompany({ name: 'Другое' }), version: 1 });
    expect(stale.status).toBe(409);
    expect((await h.admin.get('/api/settings/company')).body.name).toBe('ООО «Воронка-Тест»');

    // An entrepreneur: 12-digit ИНН, ОГРНИП, and no КПП.
    const ip = await h.admin.put('/api/settings/company', { ...testCompany(), inn: '500100732259', kpp: '773601001' });
    expect(ip.status).toBe(400);
    expect(ip.body.error.fields.kpp).toMatch(/предпринимател/);
  });

  it('logo and facsimile: PNG/JPEG data URLs up to 500 KB; others are 400 naming the field; null removes', async () => {
    const base = testCompany();
    const ok = await h.admin.put('/api/settings/company', { ...base, logo: testLogo(), facsimile: testFacsimile() });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.logo).toBe(testLogo());
    expect(ok.body.facsimile).toBe(testFacsimile());

    // Omitted: kept.
    const kept = await h.admin.put('/api/settings/company', { ...base, director: 'Сидоров С. С.' });
    expect(kept.body.logo).toBe(testLogo());

    const gif = await h.admin.put('/api/settings/company', { ...base, logo: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' });
    expect(gif.status).toBe(400);
    expect(gif.body.error.fields.logo).toMatch(/PNG или JPEG/);

    const fake = await h.admin.put('/api/settings/company', { ...base, facsimile: dataUrl(Buffer.from('not a png at all, really')) });
    expect(fake.status).toBe(400);
    expect(fake.body.error.fields.facsimile).toMatch(/PNG/);

    // ~600 KB of noise: too large, though under the body limit.
    const bytes = crypto.randomBytes(400 * 400 * 3);
    const noise = png(400, 400, (x, y) => {
      const o = (y * 400 + x) * 3;
      return [bytes[o], bytes[o + 1], bytes[o + 2], 255];
    });
    expect(noise.length).toBeGreaterThan(500 * 1024);
    const big = await h.admin.put('/api/settings/company', { ...base, logo: dataUrl(noise) });
    expect(big.status).toBe(400);
    expect(big.body.error.fields.logo).toMatch(/500 КБ/);

    const removed = await h.admin.put('/api/settings/company', { ...base, logo: null });
    expect(removed.status).toBe(200);
    expect(removed.body.logo).toBeNull();
    expect(removed.body.facsimile).toBe(testFacsimile());

    const audit = await h.server.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'user_id'])
      .where('action', '=', 'settings.company.update')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(4);
    expect(audit.every((a) => a.user_id === h.admin.user!.id)).toBe(true);
  });
});
