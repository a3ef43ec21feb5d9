import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';
import { localDate } from '../../../common/dates.js';
import { testCompany } from './fixtures.js';

describeEachDialect('invoice numbering under concurrency', (h) => {
  let m1: TestClient;
  let accountant: TestClient;
  const deals: string[] = [];

  beforeAll(async () => {
    expect((await h.admin.put('/api/settings/company', testCompany({ invoicePrefix: 'В-' }))).status).toBe(200);
    m1 = await h.user('manager');
    accountant = await h.user('accountant');
    const client = (await m1.post('/api/clients', { kind: 'company', name: 'ООО «Гонка»' })).body;
    for (let i = 0; i < 40; i++) {
      const d = await m1.post('/api/deals', {
        clientId: client.id,
        title: `Сделка ${i + 1}`,
        items: [{ name: 'Товар', quantity: 1, price: 10000 + i, vatRate: 22 }],
      });
      deals.push(d.body.id);
    }
  });

  it('40 invoices issued at once get the numbers 1..40 exactly: no gaps, no duplicates', async () => {
    const results = await Promise.all(deals.map((id, i) => (i % 2 ? m1 : accountant).post(`/api/deals/${id}/invoices`)));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(201);
    const seqs = results.map((r) => r.body.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.body.number)).size).toBe(40);
    expect(results.every((r) => r.body.number === `В-${r.body.seq}`)).toBe(true);
    const year = Number(localDate(new Date(), 'Europe/Moscow').slice(0, 4));
    const counter = await h.server.ctx.db.selectFrom('invoice_counters').selectAll().where('year', '=', year).executeTakeFirstOrThrow();
    expect(Number(counter.n)).toBe(40);
    // Every deal moved once, each invoice to its own deal.
    const byDeal = new Map(results.map((r) => [r.body.dealId, r.body.seq]));
    expect(byDeal.size).toBe(40);
  });

  it('a refused issue does not use up a number: the next invoice is 41', async () => {
    const empty = (await m1.post('/api/deals', { clientId: (await m1.get(`/api/deals/${deals[0]}`)).body.clientId, title: 'Пустая' })).body;
    expect((await m1.post(`/api/deals/${empty.id}/invoices`)).status).toBe(422);
    const next = await m1.post(`/api/deals/${deals[0]}/invoices`);
    expect(next.status).toBe(201);
    expect(next.body.seq).toBe(41);
  });

  it('the unique index (year, seq) refuses a duplicate number outright', async () => {
    const row = await h.server.ctx.db.selectFrom('invoices').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    await expect(
      h.server.ctx.db
        .insertInto('invoices')
        .values({ ...row, id: `${row.id}-dup`, version: 1 })
        .execute(),
    ).rejects.toThrow(/unique|UNIQUE/);
  });
});
