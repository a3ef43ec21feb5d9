import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import { generateValidInn } from '../../../common/requisites.js';
import { IMPORT_MAX_BYTES } from '../../../common/api/imports.js';
import { detectFormat, guessFields, parseImportMoney, readRows } from './parsers.js';

// ── helpers ──

function multipart(parts: { name: string; value: string | Buffer; fileName?: string }[]) {
  const boundary = `----voronka${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = p.fileName
      ? `form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: application/octet-stream`
      : `form-data; name="${p.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(client: TestClient, url: string, file: Buffer, fileName: string, fields: Record<string, string>) {
  const m = multipart([...Object.entries(fields).map(([name, value]) => ({ name, value })), { name: 'file', value: file, fileName }]);
  return client.post(url, m.body, m.headers);
}

async function drain(h: Harness) {
  for (let i = 0; i < 1000 && (await h.server.ctx.jobs.runDue()) > 0; i++);
}

/** Content of the tables an import of clients touches (version, timestamps and FTS row ids left out: undo bumps them). */
async function checksum(h: Harness): Promise<string> {
  const db = h.server.ctx.db;
  const clients = await db
    .selectFrom('clients')
    .select([
      'id',
      'kind',
      'name',
      'inn',
      'kpp',
      'ogrn',
      'phones',
      'emails',
      'region',
      'address',
      'source',
      'owner_id',
      'status',
      'search_text',
    ])
    .orderBy('id')
    .execute();
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'client_id', 'name', 'position', 'phones', 'emails', 'search_text'])
    .orderBy('id')
    .execute();
  const keys = await db.selectFrom('client_keys').selectAll().orderBy('client_id').orderBy('kind').orderBy('value').execute();
  const fts = h.dialect === 'sqlite' ? (await sql<{ n: number }>`select count(*) as n from clients_fts`.execute(db)).rows[0].n : 0;
  return crypto.createHash('sha256').update(JSON.stringify({ clients, contacts, keys, fts })).digest('hex');
}

const HEADER = ['Название', 'ИНН', 'КПП', 'Телефон', 'E-mail', 'Регион', 'Адрес', 'Контактное лицо', 'Должность'];

interface Sample {
  rows: string[][];
  badRows: { row: number; field: string }[];
  dupRows: number[];
}

/** 1,000 data rows: 850 new clients, 50 bad ones (25 wrong ИНН checksums, 25 bad phones), 100 duplicates by ИНН. */
function sampleRows(existingInns: string[], seed: number): Sample {
  let state = seed;
  const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const used = new Set(existingInns);
  const freshInn = () => {
    for (;;) {
      const inn = generateValidInn(rand, 'company');
      if (!used.has(inn)) {
        used.add(inn);
        return inn;
      }
    }
  };
  const rows: string[][] = [];
  const badRows: Sample['badRows'] = [];
  const dupRows: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const rowNo = i + 2;
    const phone = `+7 9${String(seed % 10)}${String(1_000_000 + i).padStart(8, '0')}`.replace(
      /(\d{3})(\d{3})(\d{2})(\d{2})$/,
      ' $1 $2-$3-$4',
    );
    let inn = freshInn();
    let tel = phone;
    if (i % 40 === 7) {
      // Bad ИНН checksum: last digit changed.
      inn = inn.slice(0, 9) + String((Number(inn[9]) + 1) % 10);
      badRows.push({ row: rowNo, field: 'inn' });
    } else if (i % 40 === 27) {
      tel = '12-34';
      badRows.push({ row: rowNo, field: 'phone' });
    } else if (i % 10 === 4) {
      inn = existingInns[dupRows.length];
      tel = '';
      dupRows.push(rowNo);
    }
    rows.push([
      `ООО «Импорт ${seed}-${i}»`,
      inn,
      '',
      tel,
      i % 3 === 0 ? `office${seed}-${i}@example.ru` : '',
      i % 2 ? 'Москва' : 'Новосибирская область',
      `г. Город, ул. Новая, д. ${i}`,
      i % 4 === 0 ? `Иванов Иван ${i}` : '',
      i % 4 === 0 ? 'Директор' : '',
    ]);
  }
  return { rows, badRows, dupRows };
}

function csv1251(rows: string[][]): Buffer {
  const q = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const text = [HEADER, ...rows].map((r) => r.map(q).join(';')).join('\r\n') + '\r\n';
  return iconv.encode(text, 'win1251');
}

async function xlsx(rows: string[][], header = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Клиенты');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ── pure parsing (no database) ──

describe('import parsing', () => {
  it('money in Russian and plain formats → kopecks', () => {
    expect(parseImportMoney('1 234 567,89')).toBe(123456789);
    expect(parseImportMoney('1234.5')).toBe(123450);
    expect(parseImportMoney('1 234 ₽')).toBe(123400);
    expect(parseImportMoney('1\u00a0234,00 руб.')).toBe(123400);
    expect(parseImportMoney('12 р.')).toBe(1200);
    expect(parseImportMoney('1,234.56')).toBeNull();
    expect(parseImportMoney('много')).toBeNull();
  });

  it('guesses fields from Russian and English headers', () => {
    expect(
      guessFields('clients', ['Наименование', 'INN', 'КПП', 'Phone', 'Почта', 'Ответственный', 'Контактное лицо', 'Должность', 'Что-то']),
    ).toEqual(['name', 'inn', 'kpp', 'phone', 'email', 'owner', 'contactName', 'contactPosition', null]);
    expect(guessFields('deals', ['Название сделки', 'Клиент', 'Сумма', 'Этап', 'Owner'])).toEqual([
      'title',
      'client',
      'amount',
      'stage',
      'owner',
    ]);
    expect(guessFields('products', ['Артикул', 'Наименование', 'Цена', 'Ед.', 'НДС'])).toEqual(['sku', 'name', 'price', 'unit', 'vatRate']);
  });

  it('detects UTF-8 with a BOM, windows-1251, and the delimiter; refuses what is not XLSX/CSV', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-import-'));
    const put = (name: string, data: Buffer) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, data);
      return f;
    };
    const bom = put(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Название,ИНН\n"ООО «Альфа», филиал",7707083893\n')]),
    );
    expect(await detectFormat(bom)).toEqual({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    const rows = [];
    for await (const r of readRows(bom, await detectFormat(bom))) rows.push(r);
    expect(rows).toEqual([
      { rowNo: 1, cells: ['Название', 'ИНН'] },
      { rowNo: 2, cells: ['ООО «Альфа», филиал', '7707083893'] },
    ]);
    const cp = put('cp.csv', iconv.encode('Название;Телефон\nИП Ёлкин;8 916 123-45-67\n', 'win1251'));
    const f = await detectFormat(cp);
    expect(f).toEqual({ format: 'csv', encoding: 'windows-1251', delimiter: ';' });
    const got = [];
    for await (const r of readRows(cp, f)) got.push(r.cells);
    expect(got[1]).toEqual(['ИП Ёлкин', '8 916 123-45-67']);
    const tab = put('tab.csv', Buffer.from('Name\tPhone\nA\t1\n'));
    expect((await detectFormat(tab)).delimiter).toBe('\t');
    await expect(detectFormat(put('x.pdf', Buffer.from('%PDF-1.4\n\u0000\u0001binary')))).rejects.toMatchObject({
      code: 'unsupported_media_type',
    });
    await expect(detectFormat(put('x.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])))).rejects.toMatchObject({
      code: 'unsupported_media_type',
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('streams a 100,000-row CSV without holding it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-import-'));
    const file = path.join(dir, 'big.csv');
    const out = fs.createWriteStream(file);
    out.write('Название;ИНН;Телефон;Адрес\n');
    for (let i = 0; i < 100_000; i++)
      out.write(`ООО «Строка ${i}»;7707083893;+7 916 ${String(i).padStart(7, '0')};г. Москва, ул. Длинная, д. ${i}\n`);
    await new Promise<void>((r) => out.end(r));
    const size = fs.statSync(file).size;
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let peak = before;
    for await (const r of readRows(file, await detectFormat(file))) {
      n++;
      if (n % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      void r;
    }
    expect(n).toBe(100_001);
    // Loose: growth well below the file's decoded size (the bench measures it properly).
    expect(peak - before).toBeLessThan(Math.max(size * 2, 64 * 1024 * 1024));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

// ── through HTTP, both databases ──

describeEachDialect('imports', (h) => {
  const existingInns: string[] = [];
  let base: string;

  beforeAll(async () => {
    let state = 99;
    const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 100; i++) {
      const inn = generateValidInn(rand, 'company');
      if (existingInns.includes(inn)) continue;
      const res = await h.admin.post('/api/clients', { kind: 'company', name: `Существующий ${i}`, inn, region: 'Тверь' });
      expect(res.status).toBe(201);
      existingInns.push(inn);
    }
    expect(existingInns).toHaveLength(100);
    base = await checksum(h);
  });

  const run = async (file: Buffer, fileName: string, dedupe: string, mapping?: unknown) => {
    const res = await upload(h.admin, '/api/imports', file, fileName, {
      entity: 'clients',
      dedupe,
      ...(mapping ? { mapping: JSON.stringify(mapping) } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await drain(h);
    const imp = await h.admin.get(`/api/imports/${res.body.id}`);
    expect(imp.status).toBe(200);
    return imp.body;
  };

  const expectBad = (imp: any, sample: Sample) => {
    expect(imp.errorCount).toBe(50);
    expect(imp.errors.map((e: any) => ({ row: e.row, field: e.field }))).toEqual(sample.badRows);
    for (const e of imp.errors) expect(e.message).toBeTruthy();
  };

  it('a batch that fails for a reason other than its rows stops the import as «failed» after its last try; undo still works', async () => {
    const before = await checksum(h);
    const rows = Array.from({ length: 250 }, (_, i) => [`Партия ${i}`, '', '', '', '', 'Тула', '', '', '']);
    const res = await upload(h.admin, '/api/imports', csv1251(rows), 'broken.csv', { entity: 'clients', dedupe: 'skip' });
    expect(res.status).toBe(202);
    const db = h.server.ctx.db;
    // A staged row that cannot be read: its batch (the second one) throws before any row's savepoint.
    const last = await db
      .selectFrom('import_rows')
      .select(db.fn.max('row_no').as('n'))
      .where('import_id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('import_rows')
      .set({ cells: '{' })
      .where('import_id', '=', res.body.id)
      .where('row_no', '=', Number(last.n))
      .execute();
    let imp = (await h.admin.get(`/api/imports/${res.body.id}`)).body;
    for (let attempt = 0; attempt < 5 && imp.status !== 'failed'; attempt++) {
      await drain(h);
      await db
        .updateTable('jobs')
        .set({ run_at: new Date(0).toISOString() })
        .where('status', '=', 'pending')
        .execute(); // skip the backoff
      imp = (await h.admin.get(`/api/imports/${res.body.id}`)).body;
    }
    expect(imp).toMatchObject({ status: 'failed', processed: 200, created: 200 });
    expect(imp.failure).toMatch(/^Импорт остановлен после 200 строк: /);
    const job = await db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('type', '=', 'imports.batch')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'failed', attempts: 3 });
    const undone = await h.admin.post(`/api/imports/${res.body.id}/undo`, {});
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(await checksum(h)).toBe(before);
  });

  it('skip: a windows-1251 «;» CSV of 1,000 rows → 850 created, 100 skipped, 50 errors; undo restores the checksums', async () => {
    const sample = sampleRows(existingInns, 1);
    const file = csv1251(sample.rows);
    const preview = await upload(h.admin, '/api/imports/preview', file, 'клиенты.csv', { entity: 'clients' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ format: 'csv', encoding: 'windows-1251', delimiter: ';' });
    expect(preview.body.columns.map((c: any) => c.guess)).toEqual([
      'name',
      'inn',
      'kpp',
      'phone',
      'email',
      'region',
      'address',
      'contactName',
      'contactPosition',
    ]);
    expect(preview.body.rows).toHaveLength(10);
    expect(preview.body.rows[0][0]).toBe('ООО «Импорт 1-0»');

    const imp = await run(file, 'клиенты.csv', 'skip');
    expect(imp).toMatchObject({ status: 'done', total: 1000, processed: 1000, created: 850, updated: 0, skipped: 100 });
    expectBad(imp, sample);
    // Contacts came with their clients.
    const withContact = await h.server.ctx.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(withContact.n)).toBe(
      sample.rows.filter((r, i) => r[7] && !sample.badRows.some((b) => b.row === i + 2) && !sample.dupRows.includes(i + 2)).length,
    );
    expect(await checksum(h)).not.toBe(base);

    const report = await h.admin.get(`/api/imports/${imp.id}/report`);
    expect(report.status).toBe(200);
    expect(String(report.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.raw.rawPayload as never);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(1001);
    const outcomes = new Map<string, number>();
    ws.eachRow((row, n) => {
      if (n > 1) outcomes.set(String(row.getCell(2).value), (outcomes.get(String(row.getCell(2).value)) ?? 0) + 1);
    });
    expect(Object.fromEntries(outcomes)).toEqual({ Создана: 850, Пропущена: 100, Ошибка: 50 });

    const undo = await h.admin.post(`/api/imports/${imp.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body.status).toBe('undone');
    expect(await checksum(h)).toBe(base);
    expect((await h.admin.post(`/api/imports/${imp.id}/undo`)).status).toBe(409);
  });

  it('update: the same rows as XLSX → 850 created, 100 updated, 50 errors; undo restores the previous values', async () => {
    const sample = sampleRows(existingInns, 2);
    const imp = await run(await xlsx(sample.rows), 'клиенты.xlsx', 'update', {
      name: 'Название',
      inn: 1,
      phone: 'Телефон',
      email: 4,
      region: 5,
      address: 'Адрес',
      contactName: 7,
      contactPosition: 8,
    });
    expect(imp).toMatchObject({ status: 'done', total: 1000, created: 850, updated: 100, skipped: 0 });
    expectBad(imp, sample);
    const dup = (await h.admin.get(`/api/clients?q=${existingInns[0]}`)).body.items[0];
    expect(dup.address).toMatch(/ул\. Новая/);
    expect(await checksum(h)).not.toBe(base);
    const undo = await h.admin.post(`/api/imports/${imp.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(await checksum(h)).toBe(base);
    expect((await h.admin.get(`/api/clients/${dup.id}`)).body.address).toBeNull();
  });

  it('create: duplicates are created anyway → 950 created, 50 errors; undo', async () => {
    const sample = sampleRows(existingInns, 3);
    const imp = await run(csv1251(sample.rows), 'клиенты.csv', 'create');
    expect(imp).toMatchObject({ status: 'done', created: 950, updated: 0, skipped: 0 });
    expectBad(imp, sample);
    expect((await h.admin.post(`/api/imports/${imp.id}/undo`)).status).toBe(200);
    expect(await checksum(h)).toBe(base);
  });

  it('undo refuses (409) when a record was changed after the import, and changes nothing', async () => {
    const sample = sampleRows(existingInns, 4);
    const imp = await run(csv1251(sample.rows.slice(0, 20)), 'мало.csv', 'update');
    expect(imp.created + imp.updated).toBeGreaterThan(0);
    const list = (await h.admin.get(`/api/clients?q=${encodeURIComponent('Импорт 4-0»')}`)).body.items;
    const created = list.find((c: any) => c.name === 'ООО «Импорт 4-0»');
    expect(created).toBeTruthy();
    expect((await h.admin.patch(`/api/clients/${created.id}`, { region: 'Казань', version: created.version })).status).toBe(200);
    const before = await checksum(h);
    const undo = await h.admin.post(`/api/imports/${imp.id}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.error.message).toMatch(/строка 2/);
    expect(await checksum(h)).toBe(before);
    // Put the edit back so that the import can be undone (the table returns to its base).
    const now = (await h.admin.get(`/api/clients/${created.id}`)).body;
    await h.admin.patch(`/api/clients/${created.id}`, { region: 'Новосибирская область', version: now.version });
    const fresh = (await h.admin.get(`/api/clients/${created.id}`)).body;
    await h.server.ctx.db.updateTable('import_rows').set({ version_after: fresh.version }).where('record_id', '=', created.id).execute();
    expect((await h.admin.post(`/api/imports/${imp.id}/undo`)).status).toBe(200);
    expect(await checksum(h)).toBe(base);
  });

  it('products and deals: money in Russian formats, stage by name, client by ИНН; dedupe by SKU and client + title', async () => {
    const prodFile = await xlsx(
      [
        ['ОК-1', 'Окно ПВХ', '12 345,67', 'шт', '20%'],
        ['ОК-2', 'Дверь', '1 000 ₽', 'шт', 'без НДС'],
        ['ОК-3', 'Плохая цена', 'дорого', 'шт', '20'],
      ],
      ['Артикул', 'Наименование', 'Цена', 'Ед.', 'НДС'],
    );
    const res = await upload(h.admin, '/api/imports', prodFile, 'товары.xlsx', { entity: 'products', dedupe: 'skip' });
    expect(res.status).toBe(202);
    await drain(h);
    const p = (await h.admin.get(`/api/imports/${res.body.id}`)).body;
    expect(p).toMatchObject({ created: 2, errorCount: 1, errors: [{ row: 4, field: 'price' }] });
    const items = (await h.admin.get('/api/products?q=Окно')).body.items;
    expect(items[0]).toMatchObject({ price: 1234567, vatRate: 20 });

    const dealsFile = Buffer.from(
      [
        'Название сделки;Клиент;Сумма;Этап',
        `Окна на дачу;${existingInns[0]};1 234 567,89;Квалификация`,
        `Окна на дачу;${existingInns[0]};5;Квалификация`,
        'Двери;Нет такого;100;',
        `Ремонт;Существующий 1;100;Нет этапа`,
      ].join('\n'),
    );
    const d = await upload(h.admin, '/api/imports', dealsFile, 'сделки.csv', { entity: 'deals', dedupe: 'skip' });
    expect(d.status, JSON.stringify(d.body)).toBe(202);
    await drain(h);
    const dr = (await h.admin.get(`/api/imports/${d.body.id}`)).body;
    expect(dr, JSON.stringify(dr.errors)).toMatchObject({ created: 1, skipped: 1, errorCount: 2 });
    expect(dr.errors.map((e: any) => [e.row, e.field])).toEqual([
      [4, 'client'],
      [5, 'stage'],
    ]);
    const deal = (await h.admin.get('/api/deals?q=Окна на дачу')).body.items[0];
    expect(deal).toMatchObject({ amount: 123456789, stageCode: 'qualification' });
    expect((await h.admin.post(`/api/imports/${d.body.id}/undo`)).status).toBe(200);
    expect((await h.admin.get('/api/deals?q=Окна на дачу')).body.items).toHaveLength(0);
    expect((await h.admin.post(`/api/imports/${res.body.id}/undo`)).status).toBe(200);
    expect((await h.admin.get('/api/products?q=Окно')).body.items).toHaveLength(0);
  });

  it('bad input: 415 for what is not XLSX/CSV, 413 over the limit, 400 for an unknown column; 403 for a manager; audited', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const r415 = await upload(h.admin, '/api/imports', png, 'logo.png', { entity: 'clients' });
    expect(r415.status).toBe(415);
    expect(r415.body.error.message).toMatch(/XLSX/);
    expect(r415.body.error.message).toMatch(/CSV/);
    const notBook = await upload(h.admin, '/api/imports/preview', Buffer.from('PK\u0003\u0004garbage that is no zip'), 'x.xlsx', {
      entity: 'clients',
    });
    expect(notBook.status).toBe(415);
    const json = await h.admin.post('/api/imports', { entity: 'clients' });
    expect(json.status).toBe(415);

    const big = Buffer.alloc(IMPORT_MAX_BYTES + 1024, 'a');
    const r413 = await upload(h.admin, '/api/imports', big, 'big.csv', { entity: 'clients' });
    expect(r413.status).toBe(413);

    const file = csv1251(sampleRows(existingInns, 5).rows.slice(0, 3));
    const r400 = await upload(h.admin, '/api/imports', file, 'a.csv', {
      entity: 'clients',
      mapping: JSON.stringify({ name: 'Название', inn: 'Нет такого' }),
    });
    expect(r400.status).toBe(400);
    expect(r400.body.error.fields).toEqual({ 'mapping.inn': expect.stringMatching(/Нет столбца «Нет такого»/) });
    const r400b = await upload(h.admin, '/api/imports', file, 'a.csv', { entity: 'clients', mapping: JSON.stringify({ name: 42 }) });
    expect(r400b.status).toBe(400);
    expect(Object.keys(r400b.body.error.fields)).toEqual(['mapping.name']);
    const badEntity = await upload(h.admin, '/api/imports', file, 'a.csv', { entity: 'cats' });
    expect(badEntity.status).toBe(400);
    expect(Object.keys(badEntity.body.error.fields)).toEqual(['entity']);

    const manager = await h.user('manager');
    expect((await upload(manager, '/api/imports', file, 'a.csv', { entity: 'clients' })).status).toBe(403);
    expect((await upload(manager, '/api/imports/preview', file, 'a.csv', { entity: 'clients' })).status).toBe(403);
    expect((await manager.get('/api/imports')).status).toBe(403);

    // A head imports within his department's scope and sees only his own imports.
    const dept = await h.department();
    const ok = await upload(dept.head, '/api/imports', file, 'a.csv', { entity: 'clients', dedupe: 'skip' });
    expect(ok.status).toBe(202);
    await drain(h);
    const mine = (await dept.head.get('/api/imports')).body.items;
    expect(mine.map((i: any) => i.id)).toEqual([ok.body.id]);
    expect((await h.admin.get('/api/imports')).body.items.map((i: any) => i.id)).toContain(ok.body.id);
    const headImport = (await dept.head.get(`/api/imports/${mine[0].id}`)).body;
    expect(headImport.created, JSON.stringify(headImport)).toBe(3);
    // «Дополнить» a client outside his department: that row is refused on the key that matched, nothing changes.
    const outside = csv1251([['ООО «Чужой»', existingInns[5], '', '', '', 'Казань', '', '', '']]);
    const up = await upload(dept.head, '/api/imports', outside, 'b.csv', { entity: 'clients', dedupe: 'update' });
    expect(up.status).toBe(202);
    await drain(h);
    const upImp = (await dept.head.get(`/api/imports/${up.body.id}`)).body;
    expect(upImp).toMatchObject({
      updated: 0,
      errorCount: 1,
      errors: [{ row: 2, field: 'inn', message: expect.stringMatching(/вне ваших прав/) }],
    });
    const other = (await h.admin.get('/api/imports')).body.items.find((i: any) => i.userId !== dept.head.user!.id);
    expect((await dept.head.get(`/api/imports/${other.id}`)).status).toBe(404);
    expect((await dept.head.get(`/api/imports/${other.id}/report`)).status).toBe(404);

    const audit = (await h.admin.get('/api/audit?action=import&limit=500')).body.items;
    expect(audit.some((a: any) => a.entityId === ok.body.id && a.userId === dept.head.user!.id)).toBe(true);
    expect((await h.admin.get('/api/audit?action=import_undo')).body.items.length).toBeGreaterThan(0);
  });
});
