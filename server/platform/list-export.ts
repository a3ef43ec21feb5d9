/**
 * Streamed list exports: `GET /api/<list>?<filters>&format=xlsx|csv` answers every row the JSON list would show for
 * the same filters and caller, as a file. The list is walked with its own service call and keyset cursor, a page of
 * PAGE rows at a time, and each page is written to the reply before the next is read, so memory holds one page
 * (plus the zip and socket buffers), never the whole list. The first page is read before anything is sent: a bad
 * filter, a bad cursor or a missing right is still a JSON error.
 *
 * XLSX: exceljs's streaming WorkbookWriter (a header row, frozen and filtered; money in roubles with a ₽ number
 * format; dates as date cells «ДД.ММ.ГГГГ»; more than a sheet's 1,048,576 rows continue on the next sheet). CSV:
 * csv-stringify's stream in the Russian Excel dialect of platform/csv.ts (BOM, `;`, CRLF, decimal commas). Every
 * text cell goes through the formula-injection guard (safeCellText / textCell). The export is audited (`export`)
 * with its format, filters and row count, before the file is finished.
 */
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Ctx } from './context.js';
import type { Actor } from './permissions.js';
import type { Page } from './pagination.js';
import { CSV_CONTENT_TYPE, csvCellText, csvNumber, type CsvCell } from './csv.js';
import { contentDisposition, textCell, XLSX_CONTENT_TYPE } from './xlsx.js';
import { formatDateRu, formatDateTimeRu, localDate, toWallClock } from '../../common/dates.js';

export type ListCellType = 'text' | 'integer' | 'number' | 'money' | 'date' | 'datetime' | 'boolean';

export interface ListColumn<R> {
  header: string;
  type: ListCellType;
  /**
   * The value: kopecks for 'money'; 'YYYY-MM-DD' (a local day) or an ISO instant (shown on the company's calendar)
   * for 'date'; an ISO instant for 'datetime'; anything for 'text' (written as guarded text).
   */
  value: (row: R) => unknown;
  /** Width in characters (default from the header). */
  width?: number;
  /** Summed in a totals row at the end (XLSX only, as a SUM formula with its result). */
  total?: boolean;
}

export interface ListExportSpec<T, R = T> {
  format: 'xlsx' | 'csv';
  /** The audit entity (`client`, `deal`, …). */
  entity: string;
  /** The filters as the caller gave them (for the audit entry). */
  filters: Record<string, unknown>;
  /** File name without extension and date, e.g. «Клиенты» → «Клиенты 07.12.2026.xlsx». */
  title: string;
  /** ASCII fallback name, e.g. `clients` → `clients-2026-12-07.xlsx`. */
  asciiName: string;
  columns: ListColumn<R>[];
  /** One page of the list from `cursor` (undefined: the first), with the list's own query and scope. */
  page: (cursor: string | undefined, limit: number) => Promise<Page<T>>;
  /** Turns a page of items into export rows (resolving names); identity when omitted. */
  prepare?: (items: T[]) => Promise<R[]>;
  /** Label of an XLSX totals row (only with columns marked `total`). */
  totalsLabel?: (count: number) => string;
}

/** Rows read per page. */
export const EXPORT_PAGE = 500;
/** Data rows per sheet: 1,048,576 rows minus the header. */
export const XLSX_MAX_DATA_ROWS = 1_048_575;
const MONEY_FMT = '#,##0.00 "₽"';

const numFormats: Partial<Record<ListCellType, string>> = {
  integer: '#,##0',
  number: '#,##0.###',
  money: MONEY_FMT,
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm',
};

/** 'YYYY-MM-DD' stays; an instant becomes its day on the company calendar. */
function dayOf(v: unknown, tz: string): string | null {
  if (v === null || v === undefined || v === '') return null;
  const s = v instanceof Date ? v.toISOString() : String(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  return Number.isNaN(Date.parse(s)) ? null : localDate(s, tz);
}

/** A cell for exceljs: numbers, Dates (UTC fields = the company's wall clock), guarded strings. */
export function xlsxValue(type: ListCellType, v: unknown, tz: string): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'money':
      return Math.round(Number(v)) / 100;
    case 'integer':
    case 'number':
      return Number(v);
    case 'date': {
      const d = dayOf(v, tz);
      return d ? new Date(`${d}T00:00:00Z`) : null;
    }
    case 'datetime':
      return Number.isNaN(Date.parse(String(v))) ? null : toWallClock(String(v), tz);
    case 'boolean':
      return v ? 'да' : 'нет';
    default:
      return textCell(v);
  }
}

/** A cell for CSV: numbers with a decimal comma, dates ДД.ММ.ГГГГ, text guarded by csvCellText. */
export function csvValue(type: ListCellType, v: unknown, tz: string): CsvCell {
  if (v === null || v === undefined || v === '') return '';
  switch (type) {
    case 'money':
      return csvNumber((Math.round(Number(v)) / 100).toFixed(2).replace('.', ','));
    case 'integer':
    case 'number':
      return Number(v);
    case 'date': {
      const d = dayOf(v, tz);
      return d ? formatDateRu(d, 'UTC') : '';
    }
    case 'datetime':
      return Number.isNaN(Date.parse(String(v))) ? '' : formatDateTimeRu(String(v), tz);
    case 'boolean':
      return v ? 'да' : 'нет';
    default:
      return String(v);
  }
}

/** Waits while the reply's buffer is full (or until the download is gone). */
export async function drain(out: Writable) {
  // (Streams of the readable-stream package, as in the zip library, keep the flag only in their state object.)
  const state = (out as unknown as { _writableState?: { needDrain?: boolean } })._writableState;
  if (!(out.writableNeedDrain ?? state?.needDrain) || out.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    out.on('drain', done).on('close', done).on('error', done);
  });
}

/**
 * A streaming XLSX workbook of tables (one or more sheets each): a header row per sheet (frozen, with a filter),
 * number formats per column, and a table over `maxRows` data rows continued on «<name> (2)», … Used by list exports
 * and by `voronka export`.
 */
export class XlsxStreamWriter {
  private wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private names = new Set<string>();
  private order: string[] = [];

  constructor(
    readonly out: Writable,
    private maxRows = XLSX_MAX_DATA_ROWS,
  ) {
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    this.wb.creator = 'Воронка';
    this.wb.created = new Date();
  }

  private sheetName(base: string, part: number): string {
    const clean = base.replace(/[\\/*?:[\]]/g, ' ');
    const suffix = part > 1 ? ` (${part})` : '';
    let name = clean.slice(0, 31 - suffix.length) + suffix;
    for (let i = 2; this.names.has(name.toLowerCase()); i++) name = `${clean.slice(0, 26)}~${i}${suffix}`.slice(0, 31);
    this.names.add(name.toLowerCase());
    this.order.push(name);
    return name;
  }

  /** Starts a table; rows are then written with `add` (raw exceljs values) and the table ended with `end`. */
  table(name: string, columns: { header: string; type: ListCellType; width?: number }[]) {
    let ws: ExcelJS.Worksheet | null = null;
    let part = 0;
    let rowsInSheet = 0;
    const open = () => {
      part++;
      const sheet = this.wb.addWorksheet(this.sheetName(name, part), { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = columns.map((c) => ({
        width: c.width ?? Math.max(10, Math.min(40, c.header.length + 2)),
        style: numFormats[c.type] ? { numFmt: numFormats[c.type] } : {},
      }));
      const header = sheet.addRow(columns.map((c) => textCell(c.header)));
      header.font = { bold: true };
      header.commit();
      if (columns.length) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
      rowsInSheet = 0;
      ws = sheet;
      return sheet;
    };
    open();
    return {
      add: (values: ExcelJS.CellValue[]): ExcelJS.Row => {
        if (rowsInSheet >= this.maxRows) {
          ws!.commit();
          open();
        }
        rowsInSheet++;
        const row = ws!.addRow(values);
        row.commit();
        return row;
      },
      /**
       * Waits until the zip has taken what the sheet wrote: exceljs hands each 64 KB of a sheet to the zip stream
       * without looking at its backpressure, so a fast writer would pile compressed-later data up in memory.
       */
      settle: async () => {
        const pipes = ((ws as unknown as { _stream?: { pipes?: Writable[] } })._stream?.pipes ?? []) as Writable[];
        for (const p of pipes) await drain(p);
        await drain(this.out);
      },
      /** The last sheet of the table and how many data rows it holds (for a totals row). */
      current: () => ({ sheet: ws!, rows: rowsInSheet }),
      end: () => ws!.commit(),
    };
  }

  /** The sheets written so far, in order. */
  sheetNames(): string[] {
    return [...this.order];
  }

  async finish(): Promise<void> {
    await this.wb.commit();
  }
}

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * Answers the request with the whole filtered list as a streamed file. Errors before the first byte (bad cursor,
 * rights) are thrown as usual; an error after it cuts the download short (the client sees an incomplete file).
 */
export async function sendListExport<T, R = T>(
  ctx: Ctx,
  reply: FastifyReply,
  actor: Actor,
  spec: ListExportSpec<T, R>,
): Promise<FastifyReply> {
  const tz = ctx.config.tz;
  const first = await spec.page(undefined, EXPORT_PAGE);
  const prepare = spec.prepare ?? (async (items: T[]) => items as unknown as R[]);
  const today = localDate(new Date(), tz);
  const filename = `${spec.title} ${formatDateRu(today, 'UTC')}.${spec.format}`;
  const out = new PassThrough();

  async function* pages(): AsyncGenerator<R[]> {
    let page = first;
    for (;;) {
      yield await prepare(page.items);
      if (!page.nextCursor || out.destroyed) return;
      page = await spec.page(page.nextCursor, EXPORT_PAGE);
    }
  }

  const audit = (count: number) =>
    ctx.audit.write({
      userId: actor.id,
      action: 'export',
      entity: spec.entity,
      data: { format: spec.format, count, filters: spec.filters },
    });

  const writeXlsx = async () => {
    const book = new XlsxStreamWriter(out);
    const table = book.table(spec.title, spec.columns);
    let count = 0;
    const sums = spec.columns.map(() => 0);
    for await (const rows of pages()) {
      for (const r of rows) {
        const values = spec.columns.map((c, i) => {
          const v = xlsxValue(c.type, c.value(r), tz);
          if (c.total && typeof v === 'number') sums[i] += c.type === 'money' ? Math.round(v * 100) : v;
          return v;
        });
        table.add(values);
        count++;
      }
      await table.settle();
    }
    if (spec.totalsLabel && spec.columns.some((c) => c.total)) {
      const { rows } = table.current();
      const row = table.add(
        spec.columns.map((c, i) => {
          if (i === 0) return textCell(spec.totalsLabel!(count));
          if (!c.total) return null;
          const letter = columnLetter(i + 1);
          const result = c.type === 'money' ? sums[i] / 100 : sums[i];
          return rows > 0 ? { formula: `SUM(${letter}2:${letter}${rows + 1})`, result } : 0;
        }),
      );
      row.font = { bold: true };
    }
    table.end();
    await audit(count);
    await book.finish();
  };

  const writeCsv = async () => {
    const csv = stringify({ delimiter: ';', bom: true, record_delimiter: 'windows' });
    csv.pipe(out);
    csv.write(spec.columns.map((c) => csvCellText(c.header)));
    let count = 0;
    for await (const rows of pages()) {
      for (const r of rows) {
        csv.write(spec.columns.map((c) => csvCellText(csvValue(c.type, c.value(r), tz))));
        count++;
      }
      await drain(out);
    }
    await audit(count);
    csv.end();
  };

  // The producer runs while Fastify pipes `out` to the socket.
  (spec.format === 'xlsx' ? writeXlsx() : writeCsv()).catch((err: unknown) => {
    ctx.log.error({ err, entity: spec.entity, format: spec.format }, 'list export failed');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });

  return reply
    .type(spec.format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE)
    .header('content-disposition', contentDisposition('attachment', filename, `${spec.asciiName}-${today}.${spec.format}`))
    .header('cache-control', 'no-store')
    .send(out);
}

/**
 * The 200 response of a list that can also answer as a file: the JSON page, or XLSX / CSV (OpenAPI shows all three).
 */
export function listOrFileResponse<S extends z.ZodTypeAny>(json: S) {
  return {
    description: 'Страница списка (JSON) или, с format=xlsx|csv, все строки по фильтрам файлом',
    content: {
      'application/json': { schema: json },
      [XLSX_CONTENT_TYPE]: { schema: z.string().describe('Файл Excel (XLSX), все строки по фильтрам') },
      'text/csv': { schema: z.string().describe('CSV для русского Excel: UTF-8 с BOM, «;», CRLF, десятичная запятая') },
    },
  };
}
