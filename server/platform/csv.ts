/**
 * CSV files for Russian Excel (UTF-8 with BOM, `;`, CRLF, decimal commas) and the one guard against formula
 * injection that every export uses (CSV here, XLSX in xlsx.ts).
 *
 * Formula injection: a text cell beginning with `=`, `+`, `-`, `@` (or their full-width forms), a tab, CR or LF
 * is run as a formula by Excel / LibreOffice when the file is opened (`=HYPERLINK(...)` in a client's name typed
 * into a web form). Such text gets a leading single quote `'`, which spreadsheets show as text and never evaluate.
 * Numbers (negative money included) are written as numbers, never prefixed: only cells the export declares as
 * text are guarded, so the decision never depends on what a value looks like.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Text as a spreadsheet must store it: prefixed with `'` when it would otherwise start a formula. */
export function safeCellText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell the caller has already formatted as a number (e.g. `-1234,50`): written as is. */
export class CsvNumber {
  constructor(readonly text: string) {}
}
export const csvNumber = (text: string) => new CsvNumber(text);

/** text (guarded), a number (decimal comma), a preformatted number, or empty. */
export type CsvCell = string | number | CsvNumber | null | undefined;

const NUMERIC = /^-?\d+(?:[.,]\d+)?$/;

/** One cell as CSV text: numbers with a decimal comma, text through safeCellText (streamed exports use it per row). */
export function csvCellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell).replace('.', ',') : '';
  // A "number" that is not one is text, and guarded as text.
  if (cell instanceof CsvNumber) return NUMERIC.test(cell.text) ? cell.text : safeCellText(cell.text);
  return safeCellText(cell);
}

/** The records as a CSV file for Russian Excel; every text cell goes through safeCellText. */
export function buildCsv(records: CsvCell[][]): Buffer {
  const rows = records.map((r) => r.map(csvCellText));
  return Buffer.from(stringify(rows, { delimiter: ';', bom: true, record_delimiter: 'windows' }), 'utf8');
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
