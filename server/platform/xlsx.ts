/**
 * A small XLSX export helper (exceljs) shared by registers and reports: a header row, real numbers and dates
 * (never text), Russian number formats (money in roubles with two decimals — Excel shows "1 234,56" under
 * a Russian locale; dates ДД.ММ.ГГГГ), an optional totals row with SUM formulas (their results stored too),
 * frozen header and auto-filter.
 *
 * Formula injection: text is always written as a plain string cell (never a formula), and text that would start a
 * formula (`=`, `+`, `-`, `@`, tab, CR, …) is prefixed with `'` as in CSV (platform/csv.ts `safeCellText`): the
 * cell shows the quote, but a re-save as CSV (which writes the bare text) can no longer turn it into a formula.
 * Numbers, money and dates stay numeric cells. Use `textCell` for any text written to a sheet by hand.
 */
import ExcelJS from 'exceljs';
import { safeCellText } from './csv.js';

export type XlsxCellType = 'text' | 'integer' | 'number' | 'money' | 'date' | 'datetime' | 'percent' | 'boolean';

export interface XlsxColumn<T> {
  header: string;
  type: XlsxCellType;
  /** The cell value: kopecks for 'money' (written as roubles), 'YYYY-MM-DD' or Date for dates, percent for 'percent'. */
  value: (row: T) => unknown;
  /** Width in characters (default from the header). */
  width?: number;
  /** Sum this column in the totals row. */
  total?: boolean;
}

export interface XlsxSheet<T> {
  name: string;
  columns: XlsxColumn<T>[];
  rows: Iterable<T>;
  /** Label of the totals row (in the first column); omitted → no totals row. */
  totalsLabel?: string;
  /** Lines above the table (title, filters). */
  title?: string[];
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const formats: Partial<Record<XlsxCellType, string>> = {
  integer: '#,##0',
  number: '#,##0.###',
  money: '#,##0.00',
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm',
  percent: '0.##"%"',
};

/** 'YYYY-MM-DD' → a Date at UTC midnight (exceljs stores dates as UTC serials, so the day is kept). */
function toDate(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v;
  const s = String(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return new Date(`${s}T00:00:00Z`);
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A text cell as every sheet writes it: a plain string, guarded against formula injection. */
export function textCell(v: unknown): string {
  return safeCellText(String(v));
}

function cellValue(type: XlsxCellType, v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'money':
      return Number(v) / 100;
    case 'integer':
    case 'number':
    case 'percent':
      return Number(v);
    case 'date':
    case 'datetime':
      return toDate(v);
    case 'boolean':
      return v ? 'да' : 'нет';
    default:
      return textCell(v);
  }
}

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

export function addSheet<T>(wb: ExcelJS.Workbook, sheet: XlsxSheet<T>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(sheet.name.slice(0, 31).replace(/[\\/*?:[\]]/g, ' '));
  const titleRows = sheet.title?.length ?? 0;
  for (const line of sheet.title ?? []) {
    const r = ws.addRow([textCell(line)]);
    r.font = { bold: r.number === 1, size: r.number === 1 ? 13 : 11 };
  }
  const header = ws.addRow(sheet.columns.map((c) => textCell(c.header)));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEFF3' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  sheet.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? Math.max(10, Math.min(40, c.header.length + 2));
    const fmt = formats[c.type];
    if (fmt) col.numFmt = fmt;
  });
  const sums = sheet.columns.map(() => 0);
  let count = 0;
  for (const row of sheet.rows) {
    const values = sheet.columns.map((c, i) => {
      const v = cellValue(c.type, c.value(row));
      if (c.total && typeof v === 'number') sums[i] += c.type === 'money' ? Math.round(v * 100) : v;
      return v;
    });
    ws.addRow(values);
    count++;
  }
  const first = titleRows + 2;
  const last = titleRows + 1 + count;
  if (sheet.totalsLabel !== undefined) {
    const totals = ws.addRow(
      sheet.columns.map((c, i) => {
        if (i === 0) return textCell(sheet.totalsLabel!);
        if (!c.total) return null;
        const letter = columnLetter(i + 1);
        const result = c.type === 'money' ? sums[i] / 100 : sums[i];
        return count > 0 ? { formula: `SUM(${letter}${first}:${letter}${last})`, result } : 0;
      }),
    );
    totals.font = { bold: true };
    totals.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
  }
  ws.views = [{ state: 'frozen', ySplit: titleRows + 1 }];
  if (sheet.columns.length) {
    ws.autoFilter = { from: { row: titleRows + 1, column: 1 }, to: { row: titleRows + 1, column: sheet.columns.length } };
  }
  return ws;
}

/** One workbook with the given sheets, as a Buffer. */
export async function buildXlsx(sheets: XlsxSheet<any>[], opts: { creator?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = opts.creator ?? 'Воронка';
  wb.created = new Date();
  for (const s of sheets) addSheet(wb, s);
  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

/** `attachment; filename="…"; filename*=UTF-8''…` for a Russian file name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string, asciiFallback?: string): string {
  const fallback = (asciiFallback ?? filename).replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
