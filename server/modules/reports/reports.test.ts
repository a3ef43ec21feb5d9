/**
 * Reports and plans through HTTP: the real write paths (services) update the rollups in their own transaction,
 * the company time zone decides days and months, scope per role, 400s for bad input, exports (XLSX, CSV, PDF)
 * with their audit rows, plans and plan/fact.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';
import { localDate, tzTransitions } from '../../../common/dates.js';
import { newId } from '../../platform/ids.js';
import { testCompany } from '../invoices/fixtures.js';
import { sqlx } from '../../platform/db/rollup-schema.js';
import { writeZone } from './tz.js';
import type { Actor } from '../../platform/permissions.js';

const actorOf = (c: TestClient): Actor => ({
  id: c.user!.id,
  email: c.user!.email,
  name: c.user!.name,
  role: c.user!.role,
  departmentId: c.user!.departmentId,
});

describeEachDialect('reports', (h) => {
  let north: { id: string; head: TestClient };
  let south: { id: string; head: TestClient };
  let m1: TestClient;
  let m2: TestClient;
  let m3: TestClient;
  let owner: TestClient;
  let accountant: TestClient;
  let production: TestClient;
  const today = () => localDate(new Date(), h.server.ctx.config.tz);

  /** A deal straight in SQL (the triggers fire), created at `at`. */
  async function sqlDeal(ownerId: string | null, at: string, opts: { amount?: number; region?: string; source?: string } = {}) {
    const db = h.server.ctx.db;
    const clientId = newId();
    await db
      .insertInto('clients')
      .values({
        id: clientId,
        kind: 'company',
        name: 'ООО «Граница»',
        phones: '[]',
        emails: '[]',
        tags: '[]',
        region: opts.region ?? null,
        owner_id: ownerId,
        status: 'active',
        negative_feedback: 0,
        search_text: '',
        created_at: at,
        updated_at: at,
      })
      .execute();
    const pipeline = await db.selectFrom('pipelines').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow();
    const stage = await db
      .selectFrom('stages')
      .select(['id', 'code'])
      .where('pipeline_id', '=', pipeline.id)
      .where('code', '=', 'new')
      .executeTakeFirstOrThrow();
    const id = newId();
    await db
      .insertInto('deals')
      .values({
        id,
        client_id: clientId,
        title: 'Сделка',
        title_norm: 'сделка',
        amount: opts.amount ?? 100_00,
        pipeline_id: pipeline.id,
        stage_id: stage.id,
        status: 'open',
        owner_id: ownerId,
        source: opts.source ?? null,
        loss_reason_id: null,
        loss_comment: null,
        closed_at: null,
        stage_entered_at: at,
        created_by: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db
      .insertInto('deal_stage_history')
      .values({
        id: newId(),
        deal_id: id,
        pipeline_id: pipeline.id,
        stage_id: stage.id,
        stage_code: stage.code,
        entered_at: at,
        left_at: null,
        owner_id: ownerId,
        by_user_id: null,
      })
      .execute();
    return id;
  }

  beforeAll(async () => {
    north = await h.department('Север');
    south = await h.department('Юг');
    m1 = await h.user('manager', { departmentId: north.id, name: 'Андреев Антон' });
    m2 = await h.user('manager', { departmentId: north.id, name: 'Борисова Вера' });
    m3 = await h.user('manager', { departmentId: south.id, name: 'Власов Глеб' });
    owner = await h.user('owner');
    accountant = await h.user('accountant');
    production = await h.user('production');
  });

  describe('time zone', () => {
    it('a deal created at 22:30 UTC on 30 November is a December deal in Moscow', async () => {
      await sqlDeal(m1.user!.id, '2026-11-30T22:30:00.000Z', { region: 'Тверь' });
      await sqlDeal(m1.user!.id, '2026-11-30T20:59:59.999Z', { region: 'Тверь' });
      const res = await owner.get('/api/reports/sales?measure=deals&groupBy=month&from=2026-11-01&to=2026-12-31&ownerId=' + m1.user!.id);
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([
        { month: '2026-11', monthLabel: 'Ноябрь 2026', value: 1 },
        { month: '2026-12', monthLabel: 'Декабрь 2026', value: 1 },
      ]);
      const days = await owner.get('/api/reports/sales?measure=deals&groupBy=day,region&from=2026-11-30&to=2026-12-01');
      expect(days.body.rows.map((r: any) => [r.day, r.region, r.value])).toEqual([
        ['2026-11-30', 'Тверь', 1],
        ['2026-12-01', 'Тверь', 1],
      ]);
      expect(days.body.total).toBe(2);
    });

    it("the offsets table gives each instant the same local day as the application's localDate, DST zones included", async () => {
      const x = sqlx(h.dialect);
      for (const tz of ['America/New_York', 'Europe/Berlin', 'Asia/Kamchatka', 'Europe/Moscow']) {
        expect(tzTransitions(tz).length).toBeGreaterThan(0);
        const instants: string[] = [];
        // Around every transition of 2024–2027, and at random.
        for (const r of tzTransitions(tz).filter((t) => t.since >= '2024' && t.since < '2028')) {
          for (const dt of [-3_600_001, -1, 0, 1, 3_600_000, 7_200_000]) instants.push(new Date(Date.parse(r.since) + dt).toISOString());
        }
        for (let i = 0; i < 40; i++)
          instants.push(new Date(Date.UTC(2024, 0, 1) + i * 37.3 * 3_600_000 * 24 + i * 1_234_567).toISOString());
        await h.server.ctx.db
          .transaction()
          .execute(async (trx) => {
            await writeZone(trx, tz);
            for (const at of instants) {
              const ts = h.dialect === 'postgres' ? 'cast(v.t as timestamptz)' : 'v.t';
              const row = await sql<{ d: string }>`select ${sql.raw(x.localDay(ts))} as d from (select cast(${at} as text) as t) v`.execute(
                trx,
              );
              expect(String(row.rows[0].d), `${tz} ${at}`).toBe(localDate(at, tz));
            }
            throw new Error('rollback');
          })
          .catch((e) => {
            if (e.message !== 'rollback') throw e;
          });
      }
    });
  });

  describe('the real write paths keep the rollups in their transaction', () => {
    it('client, deal with items, moves, loss, invoice and payment, tasks and a converted lead show at once', async () => {
      await h.admin.put('/api/settings/company', testCompany());
      const product = await h.admin.post('/api/products', { name: 'Окно ПВХ', price: 12_345_67, vatRate: 22 });
      expect(product.status).toBe(201);
      const client = await m1.post('/api/clients', { kind: 'company', name: 'ООО «Ромашка»', region: 'Казань', source: 'выставка' });
      expect(client.status).toBe(201);
      const deal = await m1.post('/api/deals', {
        clientId: client.body.id,
        title: 'Окна',
        source: 'выставка',
        items: [{ productId: product.body.id, quantity: 2 }],
      });
      expect(deal.status).toBe(201);
      expect(deal.body.amount).toBe(24_691_34);
      for (const code of ['qualification', 'proposal', 'agreed', 'invoiced'])
        expect((await m1.post(`/api/deals/${deal.body.id}/move`, { stageCode: code })).status).toBe(200);
      const invoice = await m1.post(`/api/deals/${deal.body.id}/invoices`);
      expect(invoice.status).toBe(201);
      const pay = await h.admin.post(`/api/invoices/${invoice.body.id}/payments`, { amount: 10_000_00, paidAt: today() });
      expect(pay.status).toBe(201);
      const lost = await m1.post('/api/deals', { clientId: client.body.id, title: 'Двери', amount: 5_000_00 });
      const reasons = await m1.get('/api/loss-reasons');
      const reason = reasons.body.items[0];
      expect((await m1.post(`/api/deals/${lost.body.id}/lose`, { reasonId: reason.id, comment: 'Дорого для них' })).status).toBe(200);
      const task = await m1.post('/api/tasks', { title: 'Позвонить', type: 'call', dueAt: new Date(Date.now() + 3_600_000).toISOString() });
      expect((await m1.post(`/api/tasks/${task.body.id}/complete`, {})).status).toBe(200);
      const lead = await m1.post('/api/leads', { name: 'Пётр', phone: '+7 912 000-11-22', source: 'выставка', assigneeId: m1.user!.id });
      expect(lead.status).toBe(201);
      const conv = await m1.post(`/api/leads/${lead.body.id}/convert`, {});
      expect(conv.status).toBe(200);

      const q = `from=${today()}&to=${today()}`;
      const revenue = await m1.get(`/api/reports/sales?measure=revenue&groupBy=region&${q}`);
      expect(revenue.body.rows).toEqual([{ region: 'Казань', regionLabel: 'Казань', value: 10_000_00 }]);
      const byProduct = await m1.get(`/api/reports/sales?measure=pipeline_amount&groupBy=product&${q}`);
      expect(byProduct.body.rows[0]).toMatchObject({ product: product.body.id, productLabel: 'Окно ПВХ', value: 24_691_34 });
      const funnel = await m1.get(`/api/reports/funnel?${q}`);
      const counts = Object.fromEntries(funnel.body.stages.map((s: any) => [s.code, s.count]));
      expect(counts).toMatchObject({ new: 3, qualification: 1, proposal: 1, agreed: 1, invoiced: 1 });
      expect(funnel.body.lost).toEqual({
        count: 1,
        amount: 5_000_00,
        byReason: [{ reasonId: reason.id, name: reason.name, count: 1, amount: 5_000_00 }],
      });
      const loss = await m1.get(`/api/reports/loss-reasons?${q}`);
      expect(loss.body.total).toEqual({ count: 1, amount: 5_000_00 });
      const activity = await m1.get(`/api/reports/activity?${q}`);
      expect(activity.body.rows).toHaveLength(1);
      expect(activity.body.rows[0]).toMatchObject({ userId: m1.user!.id, dealsCreated: 3, revenue: 10_000_00 });
      expect(activity.body.rows[0].calls).toBeGreaterThanOrEqual(1);
      const sources = await m1.get(`/api/reports/sources?${q}`);
      expect(sources.body.rows.find((r: any) => r.source === 'выставка')).toMatchObject({
        leads: 1,
        converted: 1,
        deals: 2,
        revenue: 10_000_00,
      });
      // The same answers from the raw rows.
      const reports = h.server.ctx.services.reports;
      const a = actorOf(m1);
      for (const fn of [
        (o: any) => reports.funnel(a, { from: today(), to: today(), format: 'json' }, o),
        (o: any) => reports.activity(a, { from: today(), to: today(), format: 'json' }, o),
        (o: any) => reports.sources(a, { from: today(), to: today(), format: 'json' }, o),
        (o: any) => reports.clientBase(a, { from: today(), to: today(), format: 'json' }, o),
      ]) {
        const now = new Date();
        expect(await fn({ engine: 'rollup', now })).toEqual(await fn({ engine: 'naive', now }));
      }
    });
  });

  describe('client base', () => {
    it('ABC/XYZ is cached until a payment changes, then recomputed (equal to the raw rows again)', async () => {
      const reports = h.server.ctx.services.reports;
      const a = actorOf(owner);
      const q = { from: '2025-01-01', to: today(), format: 'json' as const };
      const first = await reports.clientBase(a, q);
      expect(await reports.clientBase(a, q)).toEqual(first);
      // A new payment of an invoice straight in SQL: the triggers bump the version.
      const inv = await h.server.ctx.db.selectFrom('invoices').select(['id', 'client_id']).executeTakeFirstOrThrow();
      await h.server.ctx.db
        .insertInto('payments')
        .values({
          id: newId(),
          invoice_id: inv.id,
          client_id: inv.client_id,
          amount: 777_00,
          credit: 0,
          paid_at: '2025-03-10',
          created_at: new Date().toISOString(),
        })
        .execute();
      const now = new Date();
      const second = await reports.clientBase(a, q, { now });
      expect(second.abc.reduce((s, c) => s + c.revenue, 0)).toBe(first.abc.reduce((s, c) => s + c.revenue, 0) + 777_00);
      expect(second).toEqual(await reports.clientBase(a, q, { engine: 'naive', now }));
    });
  });

  describe('scope', () => {
    beforeAll(async () => {
      for (const [c, n] of [
        [m1, 2],
        [m2, 3],
        [m3, 4],
        [north.head, 1],
      ] as const) {
        for (let i = 0; i < n; i++) await sqlDeal(c.user!.id, '2025-06-15T10:00:00.000Z', { amount: 1_000_00 });
      }
      await sqlDeal(null, '2025-06-15T10:00:00.000Z', { amount: 1_000_00 });
    });
    const url = '/api/reports/sales?measure=deals&groupBy=manager&from=2025-06-01&to=2025-06-30';
    const counts = (body: any) => Object.fromEntries(body.rows.map((r: any) => [r.managerLabel, r.value]));

    it('owner and admin see everybody, deals without an owner too', async () => {
      for (const c of [owner, h.admin]) {
        const res = await c.get(url);
        expect(res.status).toBe(200);
        expect(counts(res.body)).toEqual({
          'Андреев Антон': 2,
          'Борисова Вера': 3,
          'Власов Глеб': 4,
          [north.head.user!.name]: 1,
          'Без ответственного': 1,
        });
        expect(res.body.total).toBe(11);
      }
    });

    it('a head sees his department, a manager himself; totals include nothing else', async () => {
      const head = await north.head.get(url);
      expect(counts(head.body)).toEqual({ 'Андреев Антон': 2, 'Борисова Вера': 3, [north.head.user!.name]: 1 });
      expect(head.body.total).toBe(6);
      const mine = await m1.get(url);
      expect(counts(mine.body)).toEqual({ 'Андреев Антон': 2 });
      expect(mine.body.total).toBe(2);
      const byDept = await north.head.get('/api/reports/sales?measure=pipeline_amount&groupBy=department&from=2025-06-01&to=2025-06-30');
      expect(byDept.body.rows).toEqual([{ department: north.id, departmentLabel: 'Север', value: 6_000_00 }]);
    });

    it('filters narrow the scope and never widen it', async () => {
      const other = await m1.get(`${url}&ownerId=${m2.user!.id}`);
      expect(other.status).toBe(200);
      expect(other.body.rows).toEqual([]);
      expect(other.body.total).toBe(0);
      const southByHead = await north.head.get(`${url}&departmentId=${south.id}`);
      expect(southByHead.body.rows).toEqual([]);
      const m2ByHead = await north.head.get(`${url}&ownerId=${m2.user!.id}`);
      expect(counts(m2ByHead.body)).toEqual({ 'Борисова Вера': 3 });
      const southByOwner = await owner.get(`${url}&departmentId=${south.id}`);
      expect(counts(southByOwner.body)).toEqual({ 'Власов Глеб': 4 });
      const funnel = await m1.get(`/api/reports/funnel?from=2025-06-01&to=2025-06-30&ownerId=${m3.user!.id}`);
      expect(funnel.body.stages.every((s: any) => s.count === 0)).toBe(true);
    });

    it('accountant and production have no reports (404) and no plans', async () => {
      for (const c of [accountant, production]) {
        for (const path of [
          '/api/reports/sales?measure=deals',
          '/api/reports/funnel',
          '/api/reports/client-base',
          '/api/reports/plan-fact',
          '/api/plans',
          '/api/reports/activity?format=xlsx',
        ]) {
          expect((await c.get(path)).status, `${c.user!.role} ${path}`).toBe(404);
        }
      }
    });
  });

  describe('bad input', () => {
    it('an unknown measure or dimension is a 400 listing the valid names', async () => {
      const m = await owner.get('/api/reports/sales?measure=profit');
      expect(m.status).toBe(400);
      expect(m.body.error.code).toBe('validation_failed');
      expect(m.body.error.fields.measure).toContain('revenue, deals, won');
      const d = await owner.get('/api/reports/sales?measure=deals&groupBy=month,colour');
      expect(d.status).toBe(400);
      expect(d.body.error.fields.groupBy).toContain('«colour»');
      expect(d.body.error.fields.groupBy).toContain('day, week, month, quarter, year, manager');
      const c = await owner.get('/api/reports/correlation?x=deals&y=weather');
      expect(c.status).toBe(400);
      expect(c.body.error.fields.y).toContain('first_response_minutes');
    });

    it('a combination that makes no sense is a 400 in Russian', async () => {
      const res = await owner.get('/api/reports/sales?measure=revenue&groupBy=product');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('Показатель «Выручка (оплаты)» нельзя разбить по измерению «Товар»');
      expect(res.body.error.fields.groupBy).toContain('Допустимые:');
      expect((await owner.get('/api/reports/sales?measure=tasks_done&groupBy=region')).status).toBe(400);
      expect((await owner.get('/api/reports/sales?measure=deals&groupBy=month,year')).status).toBe(400);
      expect((await owner.get('/api/reports/sales?measure=deals&groupBy=month,manager,region')).status).toBe(400);
      expect((await owner.get('/api/reports/sales?measure=deals&groupBy=month,month')).status).toBe(400);
    });

    it('from after to, a period over 5 years, impossible dates and unknown pipelines are 400', async () => {
      const order = await owner.get('/api/reports/funnel?from=2026-02-01&to=2026-01-31');
      expect(order.status).toBe(400);
      expect(order.body.error.fields.from).toBeTruthy();
      const long = await owner.get('/api/reports/sales?measure=deals&from=2020-01-01&to=2025-01-01');
      expect(long.status).toBe(400);
      expect(long.body.error.fields.to).toContain('5 лет');
      expect((await owner.get('/api/reports/sales?measure=deals&from=2020-01-02&to=2025-01-01')).status).toBe(200);
      expect((await owner.get('/api/reports/sales?measure=deals&from=2026-02-30')).status).toBe(400);
      expect((await owner.get('/api/reports/funnel?pipelineId=nope')).status).toBe(400);
      expect((await owner.get('/api/reports/plan-fact?period=2026-13')).status).toBe(400);
      expect((await owner.get('/api/reports/sales?measure=deals&format=docx')).status).toBe(400);
    });
  });

  describe('exports', () => {
    const auditRows = () =>
      h.server.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'export')
        .where('entity', '=', 'report')
        .orderBy('at')
        .orderBy('id')
        .execute();

    it('XLSX: a header, real numbers and dates, money in roubles with a ₽ format, a totals row; audited', async () => {
      const before = (await auditRows()).length;
      const res = await north.head.get(
        '/api/reports/sales?measure=pipeline_amount&groupBy=manager&from=2025-06-01&to=2025-06-30&format=xlsx',
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.raw.rawPayload as any);
      const ws = wb.worksheets[0];
      const title = String(ws.getCell(1, 1).value);
      expect(title).toContain('Сумма новых сделок');
      // title, period, generated-at, basis, then the header
      const headerRow = [1, 2, 3, 4, 5, 6].find((r) => ws.getCell(r, 1).value === 'Менеджер')!;
      expect(headerRow).toBeGreaterThan(1);
      expect(ws.getCell(headerRow, 2).value).toBe('Сумма новых сделок');
      const rows: [unknown, unknown][] = [];
      for (let r = headerRow + 1; r <= ws.rowCount; r++) rows.push([ws.getCell(r, 1).value, ws.getCell(r, 2).value]);
      const totals = rows.pop()!;
      expect(rows).toEqual([
        ['Борисова Вера', 3000],
        ['Андреев Антон', 2000],
        [north.head.user!.name, 1000],
      ]);
      expect(totals[0]).toBe('Итого');
      expect((totals[1] as any).result).toBe(6000);
      expect(ws.getCell(headerRow + 1, 2).numFmt).toBe('#,##0.00 "₽"');
      const audit = await auditRows();
      expect(audit.length).toBe(before + 1);
      const last = audit[audit.length - 1];
      expect(last.user_id).toBe(north.head.user!.id);
      expect(JSON.parse(last.data!)).toMatchObject({
        report: 'sales',
        format: 'xlsx',
        params: { measure: 'pipeline_amount', groupBy: ['manager'], from: '2025-06-01' },
      });
    });

    it('CSV for Russian Excel: BOM, semicolons, decimal commas, a totals line', async () => {
      const res = await owner.get('/api/reports/sales?measure=pipeline_amount&groupBy=department&from=2025-06-01&to=2025-06-30&format=csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const buf = res.raw.rawPayload;
      expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = buf.toString('utf8').slice(1).trim().split('\r\n');
      expect(lines[0]).toBe('Отдел;Сумма новых сделок');
      expect(lines).toContain('Юг;4000,00');
      expect(lines[lines.length - 1]).toBe('Итого;11000,00');
    });

    it('PDF: a printable A4 document, for every report', async () => {
      for (const path of [
        'sales?measure=deals&groupBy=month',
        'funnel',
        'activity',
        'client-base',
        'loss-reasons',
        'sources',
        'reviews',
        'correlation?x=deals&y=revenue',
        'plan-fact',
      ]) {
        const res = await owner.get(`/api/reports/${path}${path.includes('?') ? '&' : '?'}format=pdf`);
        expect(res.status, path).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(res.raw.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      }
      const audit = await auditRows();
      expect(audit.slice(-9).map((a) => JSON.parse(a.data!).report)).toEqual([
        'sales',
        'funnel',
        'activity',
        'client-base',
        'loss-reasons',
        'sources',
        'reviews',
        'correlation',
        'plan-fact',
      ]);
    });

    it('every report exports to XLSX that opens', async () => {
      for (const path of [
        'funnel',
        'activity',
        'client-base',
        'loss-reasons',
        'sources',
        'reviews',
        'correlation?x=deals&y=revenue',
        'plan-fact',
      ]) {
        const res = await owner.get(`/api/reports/${path}${path.includes('?') ? '&' : '?'}format=xlsx`);
        expect(res.status, path).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.raw.rawPayload as any);
        expect(wb.worksheets.length, path).toBeGreaterThan(0);
      }
    });
  });

  describe('plans and plan/fact', () => {
    it('a head plans his department, the owner anybody who sells; managers and other departments are refused', async () => {
      const ok = await north.head.put('/api/plans', { userId: m1.user!.id, period: '2026-03', metric: 'revenue', target: 500_000_00 });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        userId: m1.user!.id,
        userName: 'Андреев Антон',
        period: '2026-03',
        metric: 'revenue',
        target: 500_000_00,
        version: 1,
      });
      const again = await north.head.put('/api/plans', { userId: m1.user!.id, period: '2026-03', metric: 'revenue', target: 600_000_00 });
      expect(again.body).toMatchObject({ id: ok.body.id, target: 600_000_00, version: 2 });
      expect((await north.head.put('/api/plans', { userId: m3.user!.id, period: '2026-03', metric: 'calls', target: 10 })).status).toBe(
        403,
      );
      expect((await m1.put('/api/plans', { userId: m1.user!.id, period: '2026-03', metric: 'calls', target: 10 })).status).toBe(403);
      expect((await owner.put('/api/plans', { userId: m3.user!.id, period: '2026-03', metric: 'calls', target: 80 })).status).toBe(200);
      expect((await owner.put('/api/plans', { userId: accountant.user!.id, period: '2026-03', metric: 'calls', target: 1 })).status).toBe(
        400,
      );
      const bad = await owner.put('/api/plans', { userId: m1.user!.id, period: '2026-3', metric: 'visits', target: -1 });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.error.fields).sort()).toEqual(['metric', 'period', 'target']);
    });

    it('plans are read within the scope', async () => {
      const head = await north.head.get('/api/plans?period=2026-03');
      expect(head.body.items.map((p: any) => p.userId)).toEqual([m1.user!.id]);
      const mine = await m3.get('/api/plans?period=2026-03');
      expect(mine.body.items.map((p: any) => [p.metric, p.target])).toEqual([['calls', 80]]);
      expect((await owner.get('/api/plans?period=2026-03')).body.items).toHaveLength(2);
      const del = await m1.delete(`/api/plans/${mine.body.items[0].id}`);
      expect(del.status).toBe(404);
    });

    it('plan/fact: fact, percent and a linear forecast by elapsed days in the company time zone', async () => {
      const reports = h.server.ctx.services.reports;
      // Calls done by m2 in March 2026: 3 (one of them at 23:30 Moscow time on the 31st).
      for (const at of ['2026-03-02T09:00:00.000Z', '2026-03-09T09:00:00.000Z', '2026-03-31T20:30:00.000Z', '2026-03-31T21:30:00.000Z']) {
        await h.server.ctx.db
          .insertInto('tasks')
          .values({
            id: newId(),
            title: 'Звонок',
            type: 'call',
            due_at: at,
            assignee_id: m2.user!.id,
            status: 'done',
            done_at: at,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      expect((await north.head.put('/api/plans', { userId: m2.user!.id, period: '2026-03', metric: 'calls', target: 10 })).status).toBe(
        200,
      );
      const head = actorOf(north.head);
      const mid = await reports.planFact(head, { period: '2026-03' }, { now: new Date('2026-03-10T12:00:00.000Z') });
      const row = mid.rows.find((r) => r.userId === m2.user!.id)!;
      expect(mid).toMatchObject({ period: '2026-03', elapsedDays: 10, days: 31 });
      // The fact is the month's (the call at 00:30 on 1 April, Moscow time, is April's); the forecast extends it
      // by elapsed days: 3 × 31 / 10 = 9.3 → 9.
      expect(row).toMatchObject({ metric: 'calls', target: 10, fact: 3, percent: 30 });
      expect(row.forecast).toBe(Math.round((3 * 31) / 10));
      const after = await reports.planFact(head, { period: '2026-03' }, { now: new Date('2026-04-05T12:00:00.000Z') });
      expect(after.rows.find((r) => r.userId === m2.user!.id)).toMatchObject({ fact: 3, forecast: 3 });
      const before = await reports.planFact(head, { period: '2026-03' }, { now: new Date('2026-02-05T12:00:00.000Z') });
      expect(before.elapsedDays).toBe(0);
      const http = await north.head.get('/api/reports/plan-fact?period=2026-03');
      expect(http.status).toBe(200);
      expect(http.body.rows.map((r: any) => [r.name, r.metric])).toEqual([
        ['Андреев Антон', 'revenue'],
        ['Борисова Вера', 'calls'],
      ]);
      expect((await m1.get('/api/reports/plan-fact?period=2026-03')).body.rows.map((r: any) => r.userId)).toEqual([m1.user!.id]);
    });
  });

  describe('correlation', () => {
    it('Pearson r, R² and the least-squares line over managers', async () => {
      const res = await owner.get('/api/reports/correlation?x=deals&y=pipeline_amount&by=manager&from=2025-06-01&to=2025-06-30');
      expect(res.status).toBe(200);
      // Every June deal is 1 000 ₽: y = 100 000·x exactly.
      expect(res.body.r).toBeCloseTo(1, 6);
      expect(res.body.r2).toBeCloseTo(1, 6);
      expect(res.body.slope).toBe(100_000);
      expect(res.body.intercept).toBeCloseTo(0, 6);
      expect(res.body.points.length).toBeGreaterThanOrEqual(4);
    });
  });
});
