import { z } from 'zod';

/** Ids are strings (DESIGN §4). */
export const idSchema = z.string().min(1).max(64);
export const idParams = z.object({ id: idSchema });
export const isoTimestamp = z.string();
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Дата в формате ГГГГ-ММ-ДД');

/** Years a date filter may name: far enough for any real record, near enough for date arithmetic to stay safe. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

export const YEAR_MESSAGE = `Год от ${MIN_YEAR} до ${MAX_YEAR}`;

/** A `YYYY-…` date or instant whose year is within MIN_YEAR..MAX_YEAR (a later one overflows date arithmetic). */
export function yearInBounds(s: string): boolean {
  const y = Number(s.slice(0, 4));
  return y >= MIN_YEAR && y <= MAX_YEAR;
}

/** A real calendar day `YYYY-MM-DD` (2025-13-01 and 2025-02-30 are refused) in MIN_YEAR..MAX_YEAR. */
export const calendarDateSchema = dateSchema.refine(yearInBounds, YEAR_MESSAGE).refine((s) => {
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}, 'Нет такой даты');

/**
 * The one date-range filter (`from`/`to`, inclusive local days in the company zone): both optional, each a bounded
 * calendar day, and `from` not after `to`. Lists and reports extend it: `dateRangeQuery.extend({...})`.
 */
export const dateRangeQuery = z
  .object({
    /** On or after this day (company time zone). */
    from: calendarDateSchema.optional(),
    /** On or before this day (company time zone). */
    to: calendarDateSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'Начало периода позже его конца' });
/** Integer kopecks. */
export const moneySchema = z.number().int('Сумма в копейках: целое число');
export const versionSchema = z.number().int().min(1);

export const listResponse = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }),
});

/** Trimmed non-empty string with a Russian message. */
export const requiredText = (max = 500) => z.string().trim().min(1, 'Обязательное поле').max(max, `Не более ${max} символов`);

/** How a list answers: the JSON page (default), or every matching row as a file (`xlsx`, `csv`). */
export const listFormats = ['json', 'xlsx', 'csv'] as const;
export type ListFormat = (typeof listFormats)[number];
export const listFormatSchema = z.enum(listFormats, { error: () => 'format: json, xlsx или csv' }).optional();
