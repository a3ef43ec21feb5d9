import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';
import { addDaysToDate, localDate } from '../../../common/dates.js';
import { pdfText, testCompany } from './fixtures.js';

const nb = (s: string) => s.replace(/\u00a0/g, ' ');

describeEachDialect('invoices', (h) => {
  let head1: TestClient;
  let head2: TestClient;
  let m1: TestClient;
  let m2: TestClient;
  let m3: TestClient;
  let accountant: TestClient;
  let owner: TestClient;
  let production: TestClient;
  let c1: any; // m1's client, with an e-mail and requisites
  let c3: any; // m3's client (other department)
  let kg: any; // a product sold in kg
  const today = () => localDate(new Date(), 'Europe/Moscow');

  const deal = async (as: TestClient, clientId: string, items: unknown[], title = 'Сделка') => {
    const res = await as.post('/api/deals', { clientId, title, items });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const issue = async (as: TestClient, dealId: string) => {
    const res = await as.post(`/api/deals/${dealId}/invoices`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const timeline = async (clientId: string) => (await h.admin.get(`/api/clients/${clientId}/timeline?limit=500`)).body.items as any[];
  const oneLine = (price = 100000) => [{ name: 'Услуга', quantity: 1, price, vatRate: 22 }];

  beforeAll(async () => {
    const d1 = await h.department('Отдел Москва');
    const d2 = await h.department('Отдел Казань');
    head1 = d1.head;
    head2 = d2.head;
    m1 = await h.user('manager', { departmentId: d1.id, name: 'Иван Первый' });
    m2 = await h.user('manager', { departmentId: d1.id, name: 'Пётр Второй' });
    m3 = await h.user('manager', { departmentId: d2.id, name: 'Семён Третий' });
    accountant = await h.user('accountant', { name: 'Анна Бухгалтер' });
    owner = await h.user('owner');
    production = await h.user('production');
    c1 = (
      await m1.post('/api/clients', {
        kind: 'company',
        name: 'Ромашка',
        legalName: 'ООО «Ромашка»',
        inn: '7736207543',
        kpp: '773601001',
        address: 'г. Москва, ул. Льва Толстого, д. 16',
        emails: ['buh@romashka.ru'],
      })
    ).body;
    c3 = (await m3.post('/api/clients', { kind: 'company', name: 'АО «Казань-Строй»' })).body;
    kg = (await h.admin.post('/api/products', { sku: 'KR-1', name: 'Крепёж', price: 999, unit: 'кг', vatRate: 10 })).body;
  });

  it('refuses to issue before the company requisites are filled: 422 saying what to fill', async () => {
    const d = await deal(m1, c1.id, oneLine());
    const res = await m1.post(`/api/deals/${d.id}/invoices`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/реквизиты компании/);
    expect(res.body.error.message).toMatch(/ИНН/);
    expect(res.body.error.message).toMatch(/БИК/);
    expect(res.body.error.fields).toMatchObject({
      'company.inn': expect.any(String),
      'company.bik': expect.any(String),
      'company.account': expect.any(String),
    });
    const put = await h.admin.put('/api/settings/company', testCompany({ paymentTermDays: 7 }));
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  });

  it('422 for a deal without items or with a zero amount; nothing is numbered', async () => {
    const empty = (await m1.post('/api/deals', { clientId: c1.id, title: 'Пустая', amount: 500000 })).body;
    const res = await m1.post(`/api/deals/${empty.id}/invoices`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/нет позиций/);
    const zero = await deal(m1, c1.id, [{ name: 'Бесплатно', quantity: 1, price: 0 }]);
    expect((await m1.post(`/api/deals/${zero.id}/invoices`)).status).toBe(422);
    expect((await m1.post('/api/deals/nope/invoices')).status).toBe(404);
    expect(await h.server.ctx.db.selectFrom('invoices').select('id').execute()).toHaveLength(0);
  });

  it('issues from the deal items with VAT included and §4 rounding; numbering starts at 1; the deal moves to «Счёт выставлен»', async () => {
    const d = await deal(
      m1,
      c1.id,
      [
        { name: 'Окно ПВХ', quantity: 3, price: 123456, vatRate: 22 },
        { name: 'Подоконник', quantity: 3, price: 123456, vatRate: 22 },
        { name: 'Откос', quantity: 3, price: 123456, vatRate: 22 },
        { productId: kg.id, quantity: 1.5 },
        { name: 'Доставка', quantity: 1, price: 50000, vatRate: null },
      ],
      'Окна в офис',
    );
    const inv = await issue(m1, d.id);
    // 3 × 1 234,56 = 3 703,68 per line; VAT 22 % inside: round(370368 × 22 / 122) = 66788.
    // 1.5 × 9,99 = 14,985 → 14,99; VAT 10 %: round(1499 × 10 / 110) = 136. Delivery without VAT: 0.
    expect(inv.items).toEqual([
      { name: 'Окно ПВХ', quantity: 3, unit: 'шт', price: 123456, vatRate: 22, total: 370368, vat: 66788 },
      { name: 'Подоконник', quantity: 3, unit: 'шт', price: 123456, vatRate: 22, total: 370368, vat: 66788 },
      { name: 'Откос', quantity: 3, unit: 'шт', price: 123456, vatRate: 22, total: 370368, vat: 66788 },
      { name: 'Крепёж', quantity: 1.5, unit: 'кг', price: 999, vatRate: 10, total: 1499, vat: 136 },
      { name: 'Доставка', quantity: 1, unit: 'шт', price: 50000, vatRate: null, total: 50000, vat: 0 },
    ]);
    expect(inv).toMatchObject({
      number: '1',
      seq: 1,
      year: Number(today().slice(0, 4)),
      date: today(),
      dueDate: addDaysToDate(today(), 7),
      dealId: d.id,
      dealTitle: 'Окна в офис',
      clientId: c1.id,
      clientName: 'ООО «Ромашка»',
      ownerId: m1.user!.id,
      total: 1162603,
      vatAmount: 200500,
      subtotal: 1162603 - 200500,
      paidAmount: 0,
      status: 'issued',
      overdue: false,
      sentAt: null,
      paidAt: null,
      cancelledAt: null,
      taxMode: 'vat22',
      version: 1,
    });
    expect(inv.buyer).toEqual({
      name: 'ООО «Ромашка»',
      inn: '7736207543',
      kpp: '773601001',
      address: 'г. Москва, ул. Льва Толстого, д. 16',
    });
    expect(inv.seller).toMatchObject({ name: 'ООО «Воронка-Тест»', inn: '7707083893', bik: '044525225', director: 'Иванов Иван Иванович' });
    expect((await m1.get(`/api/deals/${d.id}`)).body.stageCode).toBe('invoiced');
    const entry = (await timeline(c1.id)).find((e) => e.kind === 'invoice' && e.data?.invoiceId === inv.id);
    expect(nb(entry.text)).toMatch(/Выставлен счёт № 1 от .* на сумму 11 626,03/);
    expect(entry.authorId).toBe(m1.user!.id);
    expect((await m1.get(`/api/invoices/${inv.id}`)).body).toMatchObject({ id: inv.id, total: 1162603, items: inv.items });
  });

  it('the PDF: application/pdf, RFC 5987 file name, the standard layout with the number, totals and the amount in words', async () => {
    const list = await m1.get('/api/invoices?limit=500');
    const inv = list.body.items.find((i: any) => i.seq === 1);
    const res = await m1.get(`/api/invoices/${inv.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const [y, m, d] = inv.date.split('-');
    const name = `Счёт №1 от ${d}.${m}.${y}.pdf`;
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="invoice-${y}-1-${d}.${m}.${y}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    const pdf = res.raw.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text, 'pdftotext (poppler-utils) is needed for this test').not.toBeNull();
    const t = nb(text!).replace(/[ ]+/g, ' ');
    expect(t).toContain('Счёт на оплату № 1 от');
    expect(t).toContain('Банк получателя');
    expect(t).toContain('БИК 044525225');
    expect(t).toContain('Получатель');
    expect(t).toMatch(/Поставщик/);
    expect(t).toContain('ИНН 7707083893');
    expect(t).toMatch(/Покупатель/);
    expect(t).toContain('ООО «Ромашка», ИНН 7736207543, КПП 773601001');
    expect(t).toContain('Товары (работы, услуги)');
    expect(t).toContain('Итого: 11 626,03');
    expect(t).toContain('В том числе НДС (22%): 2 003,64');
    expect(t).toContain('В том числе НДС (10%): 1,36');
    expect(t).toContain('Всего к оплате: 11 626,03');
    expect(t).toContain('Всего наименований 5, на сумму 11 626,03 руб.');
    expect(t).toContain('Одиннадцать тысяч шестьсот двадцать шесть рублей 03 копейки');
    expect(t).toContain(`Оплатить не позднее ${inv.dueDate.split('-').reverse().join('.')}`);
    expect(t).toContain('Руководитель');
    expect(t).toContain('Бухгалтер');
    expect(t).toContain('Петрова Анна Сергеевна');
    expect(t).toContain('1,5');
  });

  it('with the «Без НДС» tax mode (УСН) every line is without VAT and the PDF says «Без налога (НДС)»', async () => {
    await h.admin.put('/api/settings/company', testCompany({ taxMode: 'usn', paymentTermDays: 7 }));
    try {
      const d = await deal(m1, c1.id, [
        { name: 'Окно', quantity: 2, price: 150000, vatRate: 22 },
        { productId: kg.id, quantity: 2 },
      ]);
      const inv = await issue(m1, d.id);
      expect(inv.taxMode).toBe('usn');
      expect(inv.items.map((i: any) => [i.vatRate, i.vat])).toEqual([
        [null, 0],
        [null, 0],
      ]);
      expect(inv).toMatchObject({ total: 301998, vatAmount: 0, subtotal: 301998 });
      const t = nb(pdfText((await m1.get(`/api/invoices/${inv.id}/pdf`)).raw.rawPayload)!);
      expect(t).toContain('Без налога (НДС)');
      expect(t).not.toContain('В том числе НДС');
    } finally {
      await h.admin.put('/api/settings/company', testCompany({ paymentTermDays: 7 }));
    }
  });

  it('access: accountant all; head his department; manager his deals (issue, read); production none; others 404', async () => {
    const d1 = await deal(m1, c1.id, oneLine(200000), 'Для прав');
    const inv = await issue(m1, d1.id);
    for (const c of [m1, head1, accountant, owner, h.admin])
      expect((await c.get(`/api/invoices/${inv.id}`)).status, c.user!.role).toBe(200);
    for (const c of [m2, m3, head2, production]) expect((await c.get(`/api/invoices/${inv.id}`)).status, c.user!.role).toBe(404);
    for (const c of [m2, production]) expect((await c.get(`/api/invoices/${inv.id}/pdf`)).status).toBe(404);
    expect((await production.get('/api/invoices')).status).toBe(404);
    expect((await production.post(`/api/deals/${d1.id}/invoices`)).status).toBe(404);
    // Lists and sums keep to the scope.
    const mine = (await m1.get('/api/invoices?limit=500')).body.items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i: any) => i.ownerId === m1.user!.id)).toBe(true);
    expect((await m2.get('/api/invoices')).body.items).toEqual([]);
    expect((await m2.get('/api/invoices/summary')).body).toEqual({
      count: 0,
      total: 0,
      paid: 0,
      outstanding: 0,
      overdueCount: 0,
      overdueAmount: 0,
    });
    expect((await head2.get('/api/invoices')).body.items).toEqual([]);
    const headList = (await head1.get('/api/invoices?limit=500')).body.items;
    expect(headList.map((i: any) => i.id)).toContain(inv.id);
    // A manager cannot invoice someone else's deal; the accountant can invoice any deal.
    const d3 = await deal(m3, c3.id, oneLine(), 'Казань');
    expect((await m1.post(`/api/deals/${d3.id}/invoices`)).status).toBe(404);
    const byAccountant = await issue(accountant, d3.id);
    expect(byAccountant.ownerId).toBe(m3.user!.id);
    expect((await m3.get(`/api/invoices/${byAccountant.id}`)).status).toBe(200);
    // A manager may not cancel or re-issue (403); others out of scope get 404.
    expect((await m1.post(`/api/invoices/${inv.id}/cancel`, {})).status).toBe(403);
    expect((await m1.post(`/api/invoices/${inv.id}/reissue`, {})).status).toBe(403);
    expect((await m2.post(`/api/invoices/${inv.id}/cancel`, {})).status).toBe(404);
    expect((await m2.post(`/api/invoices/${inv.id}/payments`, { amount: 100, paidAt: today() })).status).toBe(404);
    // The deal's manager records payments.
    const paid = await m1.post(`/api/invoices/${inv.id}/payments`, { amount: 50000, paidAt: today() });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ status: 'partially_paid', paidAmount: 50000 });
  });

  it('payments: partial, then full → paid and the deal to «Оплачен»; bad amounts 400; a paid invoice takes no more', async () => {
    const d = await deal(m1, c1.id, oneLine(1000000), 'Оплата');
    const inv = await issue(m1, d.id);
    for (const bad of [{ amount: 0 }, { amount: -5 }, { amount: 'сто' }, { amount: 10.5 }, {}]) {
      const res = await accountant.post(`/api/invoices/${inv.id}/payments`, { paidAt: today(), ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.fields.amount).toBeTruthy();
    }
    const noDate = await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 100 });
    expect(noDate.status).toBe(400);
    expect(noDate.body.error.fields.paidAt).toBeTruthy();
    const future = await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 100, paidAt: addDaysToDate(today(), 2) });
    expect(future.status).toBe(400);
    expect(future.body.error.fields.paidAt).toMatch(/будущем/);

    // An ISO instant is taken on the company calendar: 22:30 UTC is the next day in Moscow.
    const p1 = await accountant.post(`/api/invoices/${inv.id}/payments`, {
      amount: 400000,
      paidAt: '2025-03-01T22:30:00Z',
      reference: 'п/п 15',
    });
    expect(p1.status).toBe(201);
    expect(p1.body).toMatchObject({ status: 'partially_paid', paidAmount: 400000, paidAt: null });
    expect((await m1.get(`/api/deals/${d.id}`)).body.stageCode).toBe('invoiced');

    const p2 = await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 600000, paidAt: today(), reference: 'п/п 16' });
    expect(p2.status).toBe(201);
    expect(p2.body).toMatchObject({ status: 'paid', paidAmount: 1000000, paidAt: today() });
    expect((await m1.get(`/api/deals/${d.id}`)).body.stageCode).toBe('paid');

    const payments = (await m1.get(`/api/invoices/${inv.id}/payments`)).body.items;
    expect(payments.map((p: any) => [p.amount, p.credit, p.paidAt, p.reference, p.createdByName])).toEqual([
      [400000, 0, '2025-03-02', 'п/п 15', 'Анна Бухгалтер'],
      [600000, 0, today(), 'п/п 16', 'Анна Бухгалтер'],
    ]);
    const more = await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 1, paidAt: today(), confirmCredit: true });
    expect(more.status).toBe(422);
    const kinds = (await timeline(c1.id)).filter((e) => e.kind === 'payment' && e.data?.invoiceId === inv.id);
    expect(kinds).toHaveLength(2);
    expect(nb(kinds[0].text)).toMatch(/Оплата 6 000,00 ₽ по счёту № \d+ .* оплачен полностью/);
    // The deal owner hears about it.
    const notes = (await m1.get('/api/notifications?limit=100')).body.items;
    expect(notes.some((n: any) => n.kind === 'invoice_paid' && n.title.includes(inv.number))).toBe(true);
  });

  it('overpayment: 422 `overpayment` naming the excess; confirmed — the surplus becomes the client credit', async () => {
    const d = await deal(m1, c1.id, oneLine(100000), 'Переплата');
    const inv = await issue(m1, d.id);
    await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 30000, paidAt: today() });
    const over = await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 100000, paidAt: today() });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('overpayment');
    expect(nb(over.body.error.message)).toContain('на 300,00 ₽');
    expect(nb(over.body.error.message)).toContain('остаток 700,00 ₽');
    expect(over.body.error.fields.amount).toBeTruthy();
    expect((await accountant.get(`/api/invoices/${inv.id}`)).body.paidAmount).toBe(30000);

    const ok = await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 100000, paidAt: today(), confirmCredit: true });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'paid', paidAmount: 100000 });
    const payments = (await accountant.get(`/api/invoices/${inv.id}/payments`)).body.items;
    expect(payments[1]).toMatchObject({ amount: 70000, credit: 30000, received: 100000 });
    const credit = (await m1.get(`/api/clients/${c1.id}/credit`)).body;
    expect(credit.balance).toBe(30000);
    expect(credit.items).toEqual([expect.objectContaining({ invoiceId: inv.id, amount: 30000, paymentId: payments[1].id })]);
    expect((await m3.get(`/api/clients/${c1.id}/credit`)).status).toBe(404);

    // Deleting a payment: admin or accountant only; audited; the status is recomputed and the credit goes too.
    expect((await m1.delete(`/api/payments/${payments[1].id}`)).status).toBe(403);
    expect((await m3.delete(`/api/payments/${payments[1].id}`)).status).toBe(404);
    const del = await accountant.delete(`/api/payments/${payments[1].id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ status: 'partially_paid', paidAmount: 30000, paidAt: null });
    expect((await m1.get(`/api/clients/${c1.id}/credit`)).body.balance).toBe(0);
    const audit = await h.server.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'payment.delete').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: accountant.user!.id, entity_id: payments[1].id });
    expect((await accountant.delete(`/api/payments/${payments[1].id}`)).status).toBe(404);
  });

  it('cancel (not with payments), re-issue with a new number and the current items; stale version → 409', async () => {
    const d = await deal(m1, c1.id, oneLine(100000), 'Перевыставление');
    const inv = await issue(m1, d.id);
    expect((await accountant.post(`/api/invoices/${inv.id}/cancel`, { version: inv.version + 5 })).status).toBe(409);

    await m1.patch(`/api/deals/${d.id}`, { items: [{ name: 'Услуга', quantity: 2, price: 100000, vatRate: 22 }] });
    const re = await accountant.post(`/api/invoices/${inv.id}/reissue`, { reason: 'Изменилось количество' });
    expect(re.status, JSON.stringify(re.body)).toBe(201);
    expect(re.body.seq).toBeGreaterThan(inv.seq);
    expect(re.body).toMatchObject({ status: 'issued', total: 200000, reissueOfId: inv.id, dealId: d.id });
    const old = (await accountant.get(`/api/invoices/${inv.id}`)).body;
    expect(old).toMatchObject({ status: 'cancelled', replacedById: re.body.id });
    expect(old.cancelledAt).toBeTruthy();
    expect((await accountant.post(`/api/invoices/${inv.id}/cancel`, {})).status).toBe(422);
    expect((await accountant.post(`/api/invoices/${inv.id}/reissue`, {})).status).toBe(422);
    expect((await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 100, paidAt: today() })).status).toBe(422);

    await accountant.post(`/api/invoices/${re.body.id}/payments`, { amount: 100, paidAt: today() });
    const refused = await accountant.post(`/api/invoices/${re.body.id}/cancel`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/оплаты/);

    const other = await issue(m1, d.id);
    const cancelled = await head1.post(`/api/invoices/${other.id}/cancel`, { reason: 'Ошибка', version: other.version });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const texts = (await timeline(c1.id)).filter((e) => e.data?.action === 'cancelled').map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        `Счёт № ${other.number} аннулирован: Ошибка`,
        `Счёт № ${inv.number} аннулирован: Изменилось количество (перевыставлен)`,
      ]),
    );
  });

  it('send without SMTP: 422 smtp_not_configured telling to set VORONKA_SMTP_URL; no e-mail → 422 naming email', async () => {
    const d = await deal(m3, c3.id, oneLine(), 'Без почты');
    const inv = await issue(m3, d.id);
    const noEmail = await m3.post(`/api/invoices/${inv.id}/send`, {});
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.error.fields.email).toBeTruthy();
    const res = await m3.post(`/api/invoices/${inv.id}/send`, { email: 'client@example.ru' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('smtp_not_configured');
    expect(res.body.error.message).toContain('VORONKA_SMTP_URL');
    const en = await m3.post(`/api/invoices/${inv.id}/send`, { email: 'client@example.ru' }, { 'accept-language': 'en' });
    expect(en.body.error.message).toContain('VORONKA_SMTP_URL');
    expect((await m3.post(`/api/invoices/${inv.id}/send`, { email: 'not-an-email' })).status).toBe(400);
    expect((await m3.get(`/api/invoices/${inv.id}`)).body.status).toBe('issued');
  });

  it('filters, summary and the XLSX register (numeric cells, totals, audited export)', async () => {
    const all = (await accountant.get('/api/invoices?limit=500')).body.items as any[];
    expect(all.length).toBeGreaterThanOrEqual(8);
    const byStatus = (await accountant.get('/api/invoices?status=cancelled')).body.items;
    expect(byStatus.length).toBeGreaterThan(0);
    expect(byStatus.every((i: any) => i.status === 'cancelled')).toBe(true);
    const ofClient = (await accountant.get(`/api/invoices?clientId=${c3.id}`)).body.items;
    expect(ofClient.every((i: any) => i.clientId === c3.id)).toBe(true);
    expect((await accountant.get('/api/invoices?q=ромаш')).body.items.every((i: any) => i.clientId === c1.id)).toBe(true);
    expect((await accountant.get(`/api/invoices?from=${addDaysToDate(today(), 1)}`)).body.items).toEqual([]);
    expect((await accountant.get(`/api/invoices?from=${today()}&to=${today()}&limit=500`)).body.items).toHaveLength(all.length);
    expect((await accountant.get('/api/invoices?status=nope')).status).toBe(400);
    expect((await accountant.get('/api/invoices?from=2026-02-30')).status).toBe(400);

    // Paging.
    const page1 = (await accountant.get('/api/invoices?limit=3')).body;
    const page2 = (await accountant.get(`/api/invoices?limit=3&cursor=${page1.nextCursor}`)).body;
    expect(page1.items).toHaveLength(3);
    expect(page2.items[0].id).not.toBe(page1.items[2].id);
    expect([...page1.items, ...page2.items].map((i: any) => i.id)).toEqual(all.slice(0, 3 + page2.items.length).map((i: any) => i.id));

    const live = all.filter((i) => i.status !== 'cancelled');
    const sum = (await accountant.get('/api/invoices/summary')).body;
    expect(sum).toMatchObject({
      count: live.length,
      total: live.reduce((s, i) => s + i.total, 0),
      paid: live.reduce((s, i) => s + i.paidAmount, 0),
      outstanding: live.reduce((s, i) => s + i.total - i.paidAmount, 0),
      overdueCount: 0,
      overdueAmount: 0,
    });
    const m1Sum = (await m1.get('/api/invoices/summary')).body;
    expect(m1Sum.count).toBe(live.filter((i) => i.ownerId === m1.user!.id).length);

    const res = await accountant.get('/api/invoices?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('Реестр счетов')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as any);
    const ws = wb.worksheets[0];
    const header = ws.getRow(1).values as any[];
    expect(header.slice(1, 8)).toEqual(['№ счёта', 'Дата', 'Оплатить до', 'Покупатель', 'ИНН', 'Сделка', 'Сумма, ₽']);
    const dataRows: any[][] = [];
    for (let r = 2; r <= ws.rowCount; r++) dataRows.push(ws.getRow(r).values as any[]);
    const totals = dataRows.pop()!;
    expect(dataRows).toHaveLength(all.length);
    for (const row of dataRows) {
      expect(typeof row[7]).toBe('number');
      expect(typeof row[9]).toBe('number');
      expect(row[2]).toBeInstanceOf(Date);
    }
    const first = dataRows.find((r) => r[1] === '1')!;
    expect(first[7]).toBe(11626.03);
    expect(first[8]).toBe(2005);
    expect(first[5]).toBe('7736207543');
    expect(totals[1]).toBe(`Итого (${all.length})`);
    expect(totals[7].formula).toBe(`SUM(G2:G${1 + all.length})`);
    expect(Math.round(totals[7].result * 100)).toBe(all.reduce((s, i) => s + i.total, 0));
    expect(ws.getRow(2).getCell(7).numFmt).toBe('#,##0.00 "₽"');
    const audit = await h.server.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'export')
      .where('entity', '=', 'invoice')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].data!)).toMatchObject({ format: 'xlsx', count: all.length });

    // A manager's export holds only his invoices.
    const mine = await m3.get('/api/invoices?format=xlsx');
    const wb3 = new ExcelJS.Workbook();
    await wb3.xlsx.load(mine.raw.rawPayload as any);
    expect(wb3.worksheets[0].rowCount - 2).toBe(all.filter((i) => i.ownerId === m3.user!.id).length);
  });

  it('payment control: a past-due invoice creates ONE control task for the deal owner, however often the job runs', async () => {
    const debtor = (await m2.post('/api/clients', { kind: 'company', name: 'Должник' })).body;
    const d = await deal(m2, debtor.id, oneLine(300000), 'Просрочка');
    const inv = await issue(m2, d.id);
    const paidInv = await issue(m2, d.id);
    await accountant.post(`/api/invoices/${paidInv.id}/payments`, { amount: 300000, paidAt: today() });
    // Both were due three days ago.
    const past = addDaysToDate(today(), -3);
    await h.server.ctx.db.updateTable('invoices').set({ due_date: past }).where('id', 'in', [inv.id, paidInv.id]).execute();

    expect((await accountant.get(`/api/invoices/${inv.id}`)).body.overdue).toBe(true);
    const overdueList = (await accountant.get('/api/invoices?overdue=true')).body.items;
    expect(overdueList.map((i: any) => i.id)).toEqual([inv.id]);
    expect((await accountant.get('/api/invoices/summary?overdue=true')).body).toMatchObject({
      overdueCount: 1,
      overdueAmount: 300000,
      count: 1,
    });

    const jobs = h.server.ctx.jobs;
    for (let i = 0; i < 3; i++) {
      await jobs.enqueue(h.server.ctx.db, 'invoices.check_overdue', {});
      while ((await jobs.runDue()) > 0);
    }
    const tasks = await h.server.ctx.db.selectFrom('tasks').selectAll().where('deal_id', '=', d.id).where('type', '=', 'control').execute();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ assignee_id: m2.user!.id, dedupe_key: `invoice-overdue:${inv.id}`, status: 'open', author_id: null });
    expect(tasks[0].title).toContain(`№ ${inv.number}`);
    const row = await h.server.ctx.db.selectFrom('invoices').select(['overdue_at']).where('id', '=', inv.id).executeTakeFirstOrThrow();
    expect(row.overdue_at).toBeTruthy();
    expect(
      (await h.server.ctx.db.selectFrom('invoices').select(['overdue_at']).where('id', '=', paidInv.id).executeTakeFirstOrThrow())
        .overdue_at,
    ).toBeNull();
    const notes = (await m2.get('/api/notifications?limit=100')).body.items.filter((n: any) => n.kind === 'invoice_overdue');
    expect(notes).toHaveLength(1);
    // The task shows in the manager's list.
    const mineTasks = (await m2.get(`/api/tasks?dealId=${d.id}`)).body.items;
    expect(mineTasks.map((t: any) => t.id)).toContain(tasks[0].id);
    // The overdue list is the accountant's; a manager sees only his own overdue invoices.
    expect((await m1.get('/api/invoices?overdue=true')).body.items).toEqual([]);
  });

  it('a client merge moves the invoices, payments and credit to the surviving client', async () => {
    const other = (await m1.post('/api/clients', { kind: 'company', name: 'Ромашка (дубль)' })).body;
    const d = await deal(m1, other.id, oneLine(10000), 'Дубль');
    const inv = await issue(m1, d.id);
    await accountant.post(`/api/invoices/${inv.id}/payments`, { amount: 15000, paidAt: today(), confirmCredit: true });
    const merged = await head1.post(`/api/clients/${c1.id}/merge`, { sourceId: other.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const after = (await accountant.get(`/api/invoices/${inv.id}`)).body;
    expect(after.clientId).toBe(c1.id);
    expect(
      (await accountant.get(`/api/clients/${c1.id}/credit`)).body.items.some((c: any) => c.invoiceId === inv.id && c.amount === 5000),
    ).toBe(true);
  });
});

describe('invoice file name', () => {
  it('is encoded per RFC 5987 with an ASCII fallback', async () => {
    const { contentDisposition } = await import('../../platform/xlsx.js');
    expect(contentDisposition('inline', 'Счёт №1 от 26.11.2026.pdf', 'invoice-1.pdf')).toBe(
      `inline; filename="invoice-1.pdf"; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20%E2%84%961%20%D0%BE%D1%82%2026.11.2026.pdf`,
    );
  });
});
