/**
 * Report files: a report is first turned into a view (title, filter lines, tables of typed columns with a totals
 * row), then written as XLSX (server/platform/xlsx.ts: real numbers and dates, header, totals, money as
 * `#,##0.00 "₽"` which Excel shows as «1 234,56 ₽» in Russian), CSV (UTF-8 with BOM, `;` and decimal commas,
 * as Russian Excel opens it) or PDF (pdfmake, Roboto, a printable A4 table).
 */
import ExcelJS from 'exceljs';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { addSheet, textCell, XLSX_CONTENT_TYPE, type XlsxCellType } from '../../platform/xlsx.js';
import { buildCsv, CSV_CONTENT_TYPE, csvNumber, type CsvCell } from '../../platform/csv.js';
import { renderPdf } from '../../platform/pdf.js';
import type { ReportFormat } from '../../../common/api/reports.js';

export interface ViewColumn {
  key: string;
  header: string;
  type: XlsxCellType;
  width?: number;
  /** Summed by Excel in the totals row (the view's own total is written for the others). */
  sum?: boolean;
}

export interface ViewTable {
  name: string;
  columns: ViewColumn[];
  rows: Record<string, unknown>[];
  totals?: Record<string, unknown>;
}

export interface ReportView {
  title: string;
  lines: string[];
  tables: ViewTable[];
  /** File name without extension. */
  filename: string;
}

export interface ReportFile {
  buffer: Buffer;
  contentType: string;
  filename: string;
  rows: number;
}

const MONEY_FMT = '#,##0.00 "₽"';
export const PDF_MAX_ROWS = 2000;

const ruNumber = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });
const ruMoney = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function ruDate(v: unknown): string {
  const s = String(v ?? '');
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : s;
}

/** A cell as text for CSV and PDF. */
function text(type: XlsxCellType, v: unknown, forCsv: boolean): string {
  if (v === null || v === undefined || v === '') return '';
  switch (type) {
    case 'money':
      return forCsv ? (Number(v) / 100).toFixed(2).replace('.', ',') : `${ruMoney.format(Number(v) / 100)} ₽`;
    case 'integer':
    case 'number':
    case 'percent':
      return forCsv ? String(v).replace('.', ',') : ruNumber.format(Number(v)) + (type === 'percent' ? ' %' : '');
    case 'date':
    case 'datetime':
      return ruDate(v);
    default:
      return String(v);
  }
}

async function toXlsx(view: ReportView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Воронка';
  wb.created = new Date();
  for (const t of view.tables) {
    const ws = addSheet(wb, {
      name: t.name,
      title: [view.title, ...view.lines],
      columns: t.columns.map((col) => ({
        header: col.header,
        type: col.type,
        width: col.width,
        total: !!col.sum,
        value: (r: Record<string, unknown>) => r[col.key],
      })),
      rows: t.rows,
      totalsLabel: t.totals ? String(t.totals[t.columns[0].key] ?? 'Итого') : undefined,
    });
    const headerRow = 1 + view.lines.length + 1;
    const totalsRow = t.totals ? headerRow + t.rows.length + 1 : null;
    t.columns.forEach((col, i) => {
      // The view's own total where a sum would be wrong (ratios, distinct counts).
      if (totalsRow && i > 0 && !col.sum && t.totals && t.totals[col.key] !== undefined && t.totals[col.key] !== null) {
        const v = t.totals[col.key];
        ws.getCell(totalsRow, i + 1).value = col.type === 'money' ? Number(v) / 100 : typeof v === 'number' ? v : textCell(v);
      }
      if (col.type === 'money') {
        for (let r = headerRow + 1; r <= (totalsRow ?? headerRow + t.rows.length); r++) ws.getCell(r, i + 1).numFmt = MONEY_FMT;
      }
    });
  }
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Numeric columns are numbers in CSV; every other cell is text, guarded against formulas by buildCsv. */
function csvCell(type: XlsxCellType, v: unknown): CsvCell {
  const s = text(type, v, true);
  return type === 'money' || type === 'integer' || type === 'number' || type === 'percent' ? csvNumber(s) : s;
}

function toCsv(view: ReportView): Buffer {
  const records: CsvCell[][] = [];
  view.tables.forEach((t, ti) => {
    if (ti > 0) records.push([], [t.name]);
    records.push(t.columns.map((col) => col.header));
    for (const r of t.rows) records.push(t.columns.map((col) => csvCell(col.type, r[col.key])));
    if (t.totals) records.push(t.columns.map((col) => csvCell(col.type, t.totals![col.key])));
  });
  return buildCsv(records);
}

async function toPdf(view: ReportView): Promise<Buffer> {
  const wide = Math.max(...view.tables.map((t) => t.columns.length)) > 6;
  const content: Content[] = [{ text: view.title, style: 'title' }, ...view.lines.map((l) => ({ text: l, style: 'line' }) as Content)];
  for (const t of view.tables) {
    if (view.tables.length > 1) content.push({ text: t.name, style: 'section' });
    const numeric = (col: ViewColumn) => col.type !== 'text' && col.type !== 'date' && col.type !== 'datetime' && col.type !== 'boolean';
    const rows = t.rows.slice(0, PDF_MAX_ROWS);
    const body: TableCell[][] = [
      t.columns.map((col) => ({ text: col.header, bold: true, fillColor: '#edeff3', alignment: numeric(col) ? 'right' : 'left' })),
      ...rows.map((r) =>
        t.columns.map((col) => ({ text: text(col.type, r[col.key], false), alignment: numeric(col) ? 'right' : 'left' }) as TableCell),
      ),
    ];
    if (t.totals)
      body.push(
        t.columns.map((col) => ({
          text: text(col.type, t.totals![col.key], false),
          bold: true,
          alignment: numeric(col) ? 'right' : 'left',
        })),
      );
    content.push({
      table: { headerRows: 1, widths: t.columns.map((_, i) => (i === 0 ? '*' : 'auto')), body },
      layout: 'lightHorizontalLines',
      fontSize: 8,
      margin: [0, 4, 0, 8],
    });
    if (t.rows.length > rows.length)
      content.push({ text: `Показаны первые ${PDF_MAX_ROWS} строк из ${t.rows.length}; полный отчёт — в XLSX или CSV.`, style: 'line' });
  }
  const doc: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: wide ? 'landscape' : 'portrait',
    pageMargins: [28, 28, 28, 36],
    content,
    styles: {
      title: { fontSize: 14, bold: true, margin: [0, 0, 0, 4] },
      line: { fontSize: 9, color: '#555555' },
      section: { fontSize: 11, bold: true, margin: [0, 8, 0, 2] },
    },
    defaultStyle: { fontSize: 9 },
    footer: (page, pages) => ({
      text: `Воронка · ${view.title} · стр. ${page} из ${pages}`,
      alignment: 'center',
      fontSize: 7,
      color: '#888888',
      margin: [0, 8, 0, 0],
    }),
  };
  return renderPdf(doc);
}

export async function renderReport(view: ReportView, format: Exclude<ReportFormat, 'json'>): Promise<ReportFile> {
  const rows = view.tables.reduce((s, t) => s + t.rows.length, 0);
  switch (format) {
    case 'xlsx':
      return { buffer: await toXlsx(view), contentType: XLSX_CONTENT_TYPE, filename: `${view.filename}.xlsx`, rows };
    case 'csv':
      return { buffer: toCsv(view), contentType: CSV_CONTENT_TYPE, filename: `${view.filename}.csv`, rows };
    case 'pdf':
      return { buffer: await toPdf(view), contentType: 'application/pdf', filename: `${view.filename}.pdf`, rows };
  }
}
