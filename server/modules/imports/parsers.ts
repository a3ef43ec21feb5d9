/**
 * Reading an import file as rows of text cells, streamed (a 100,000-row file is never held whole in memory):
 * - CSV through csv-parse, in UTF-8 (a BOM is dropped) or windows-1251 (iconv-lite), chosen by whether the first
 *   megabyte is valid UTF-8; the delimiter (`;`, `,` or a tab) is the one the header line uses most, outside quotes.
 * - XLSX through exceljs's streaming WorkbookReader, first worksheet only; numbers, dates, rich text, hyperlinks and
 *   formula results become text.
 * Anything else (an old .xls, a PDF, an image, a ZIP that is not a workbook) → 415 naming the formats.
 * Header guesses (`guessField`) and value parsers for money, VAT and the client kind live here too.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.js';
import { parseMoney } from '../../../common/money.js';
import type { ImportEntity, ImportField } from '../../../common/api/imports.js';

export interface FileFormat {
  format: 'csv' | 'xlsx';
  /** CSV only. */
  encoding: 'utf-8' | 'windows-1251' | null;
  delimiter: ';' | ',' | '\t' | null;
}

export interface SheetRow {
  /** The row's number as a spreadsheet shows it (the header is row 1 in a file without blank lines above it). */
  rowNo: number;
  cells: string[];
}

export const unsupportedFormat = () =>
  new AppError('unsupported_media_type', {
    message: 'Файл должен быть в формате XLSX (Excel) или CSV (UTF-8 или windows-1251, разделитель «;» или «,»)',
    messageEn: 'The file must be XLSX (Excel) or CSV (UTF-8 or windows-1251, separated by «;» or «,»)',
  });

const SAMPLE = 1024 * 1024;

async function readBytes(file: string, bytes: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Valid UTF-8, allowing a multi-byte character cut at the end of the sample. */
function isUtf8(buf: Buffer, truncated: boolean): boolean {
  let end = buf.length;
  if (truncated) {
    // Drop a trailing incomplete sequence (at most 3 bytes).
    let i = end - 1;
    let back = 0;
    while (i >= 0 && back < 3 && (buf[i] & 0xc0) === 0x80) {
      i--;
      back++;
    }
    if (i >= 0 && buf[i] >= 0xc0) end = i;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** `;`, `,` or tab: the one the first line holds most often outside quotes (`,` when none). */
export function detectDelimiter(firstLine: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.keys(counts) as (keyof typeof counts)[]).sort((a, b) => counts[b] - counts[a])[0];
  return counts[best] > 0 ? best : ',';
}

/** What the file is (by its content, not its name): XLSX (a ZIP), CSV text, or 415. */
export async function detectFormat(file: string): Promise<FileFormat> {
  const size = (await fs.promises.stat(file)).size;
  if (size === 0) throw new AppError('validation_failed', { fields: { file: 'Файл пустой' } });
  const head = await readBytes(file, SAMPLE);
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return { format: 'xlsx', encoding: null, delimiter: null };
  // Text: no NUL and no control characters other than tab, CR, LF (an .xls, PDF or image has plenty).
  let controls = 0;
  for (const b of head) {
    if (b === 0) throw unsupportedFormat();
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) controls++;
  }
  if (controls > 0) throw unsupportedFormat();
  const utf8 = isUtf8(head, size > head.length);
  const text = utf8 ? head.toString('utf8').replace(/^\uFEFF/, '') : iconv.decode(head, 'win1251');
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return { format: 'csv', encoding: utf8 ? 'utf-8' : 'windows-1251', delimiter: detectDelimiter(firstLine) };
}

const clean = (s: string) => s.split('\u0000').join('').trim();

/** A cell value of exceljs as text. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return clean(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(15))) : '';
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return clean((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return '';
  }
  return clean(String(v));
}

/**
 * Every non-empty row of the file (the header first), streamed. `signal` stops reading early (the preview).
 * Malformed CSV (an unclosed quote) → 400 naming the line.
 */
export async function* readRows(file: string, fmt: FileFormat): AsyncGenerator<SheetRow> {
  if (fmt.format === 'xlsx') {
    yield* readXlsx(file);
    return;
  }
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoded = fmt.encoding === 'windows-1251' ? input.pipe(iconv.decodeStream('win1251')) : input;
  const parser = parse({
    delimiter: fmt.delimiter ?? ',',
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: 1024 * 1024,
  });
  decoded.pipe(parser);
  input.on('error', (err) => parser.destroy(err));
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n++;
      const cells = record.map((c) => clean(String(c ?? '')));
      if (cells.every((c) => c === '')) continue;
      yield { rowNo: n, cells };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const line = (err as { lines?: number }).lines;
    throw new AppError('validation_failed', {
      message: `Не удалось прочитать CSV${line ? ` (строка ${line})` : ''}: проверьте кавычки и разделители`,
      messageEn: `Could not read the CSV${line ? ` (line ${line})` : ''}: check quotes and separators`,
      fields: { file: `Ошибка в CSV${line ? ` в строке ${line}` : ''}` },
    });
  } finally {
    input.destroy();
    parser.destroy();
  }
}

async function* readXlsx(file: string): AsyncGenerator<SheetRow> {
  const input = fs.createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values : [];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        while (cells.length && cells[cells.length - 1] === '') cells.pop();
        if (cells.length === 0) continue;
        yield { rowNo: row.number, cells };
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unsupportedFormat();
  } finally {
    input.destroy();
  }
  if (sheets === 0) throw unsupportedFormat();
}

/** The header row and up to `limit` data rows (the preview), stopping the stream early. */
export async function readHead(file: string, fmt: FileFormat, limit: number): Promise<{ header: string[]; rows: SheetRow[] }> {
  let header: string[] | null = null;
  const rows: SheetRow[] = [];
  for await (const row of readRows(file, fmt)) {
    if (!header) header = row.cells;
    else rows.push(row);
    if (rows.length >= limit) break;
  }
  if (!header) throw new AppError('validation_failed', { fields: { file: 'В файле нет ни одной строки' } });
  return { header, rows };
}

// ── header guesses ──

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^a-zа-я0-9%]+/g, ' ')
    .trim();

type Guess = [ImportField, RegExp];
/** Most specific first: the first column a pattern matches takes the field. */
const guesses: Record<ImportEntity, Guess[]> = {
  clients: [
    ['contactPhone', /^(телефон|тел|моб\w*) контакт|^contact phone/],
    ['contactEmail', /^(e ?mail|email|почта|эл почта) контакт|^contact e ?mail/],
    ['contactPosition', /^(должность|position|job title|title)$/],
    ['contactName', /^(контакт|контактное лицо|фио|контакт фио|contact|contact name|contact person)$/],
    ['inn', /^(инн|inn)(?: |$)/],
    ['kpp', /^(кпп|kpp)(?: |$)/],
    ['ogrn', /^(огрн|огрнип|ogrn)(?: |$)/],
    ['kind', /^(тип|тип клиента|вид|kind|type)$/],
    ['phone', /^(телефон|тел|phone|моб\w*|mobile)(?: |$)/],
    ['email', /^(e ?mail|email|почта|эл почта|электронная почта|mail)(?: |$)/],
    ['region', /^(регион|область|region|город|city)(?: |$)/],
    ['address', /^(адрес|юр адрес|юридический адрес|address)(?: |$)/],
    ['owner', /^(ответственный|менеджер|owner|manager|responsible)(?: |$)/],
    ['source', /^(источник|source|канал)(?: |$)/],
    ['name', /^(название|наименование|компания|организация|клиент|name|company|client|фирма)(?: |$)/],
  ],
  deals: [
    ['title', /^(название сделки|сделка|наименование сделки|deal|deal name|title)(?: |$)/],
    ['client', /^(клиент|компания|организация|контрагент|инн|client|company|inn)(?: |$)/],
    ['amount', /^(сумма|бюджет|amount|sum|стоимость)(?: |$)/],
    ['stage', /^(этап|стадия|stage|статус)(?: |$)/],
    ['owner', /^(ответственный|менеджер|owner|manager)(?: |$)/],
    ['source', /^(источник|source|канал)(?: |$)/],
  ],
  products: [
    ['sku', /^(артикул|sku|код|code|article)(?: |$)/],
    ['price', /^(цена|price|стоимость|розничная цена)(?: |$)/],
    ['unit', /^(ед|единица|ед изм|unit|uom)(?: |$)/],
    ['vatRate', /^(ндс|ставка ндс|vat|vat rate)(?: |$)/],
    ['name', /^(название|наименование|товар|услуга|номенклатура|name|product)(?: |$)/],
  ],
};

/** The field each column most likely holds (null: none), each field given to one column at most. */
export function guessFields(entity: ImportEntity, header: string[]): (ImportField | null)[] {
  const taken = new Set<ImportField>();
  const out: (ImportField | null)[] = header.map(() => null);
  header.forEach((h, i) => {
    const n = norm(h);
    if (!n) return;
    for (const [field, re] of guesses[entity]) {
      if (taken.has(field)) continue;
      if (re.test(n)) {
        out[i] = field;
        taken.add(field);
        return;
      }
    }
  });
  return out;
}

// ── values ──

/**
 * Kopecks from Russian and plain formats: "1 234 567,89", "1234.5", "1 234 ₽", "1 234 руб.", "1234,00 р." (common/money
 * parseMoney); null when it is not an amount.
 */
export function parseImportMoney(text: string): number | null {
  const s = text.replace(/[\u00A0\u202F]/g, ' ').trim();
  if (!s) return null;
  return parseMoney(s.replace(/\s*(руб(лей|ля|\.)?|р\.?|rub|₽)\s*$/i, ''));
}

/** VAT in percent from "20", "20%", "НДС 20%", "0"; "без НДС" / "нет" / empty → null; undefined: not a rate. */
export function parseVatRate(text: string): number | null | undefined {
  const s = norm(text);
  if (!s || /^(без ндс|без|нет|no vat|none|no)$/.test(s)) return null;
  const m = /^(?:ндс )?(\d{1,2}(?:[.,]\d+)?) ?%?$/.exec(s);
  if (!m) return undefined;
  return Number(m[1].replace(',', '.'));
}

/** company / person from a «Тип» cell («юр», «ИП», «физ», «company»…), else undefined. */
export function parseKind(text: string): 'company' | 'person' | undefined {
  const s = norm(text);
  if (!s) return undefined;
  if (/^(юр|ооо|ао|пао|зао|организация|компания|company|legal|b2b)/.test(s)) return 'company';
  if (/^(физ|ип|частн|person|individual|private|b2c)/.test(s)) return 'person';
  return undefined;
}
