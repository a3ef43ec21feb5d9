import { z } from 'zod';
import { AppError } from './errors.js';

/** `limit` (1–500, default 50) and `cursor`, as every list takes (DESIGN §4). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2000).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque: the sort key and id of the last item, base64url JSON. */
export function encodeCursor(key: string | number, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/**
 * What a list sorts by, so what its cursor's key must be: `string` (a name, a normalised title), `timestamp`
 * (an ISO instant as the database returns it) or `integer` (kopecks).
 */
export type CursorKeyKind = 'string' | 'timestamp' | 'integer';
type KeyOf<K extends CursorKeyKind> = K extends 'integer' ? number : string;

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

function keyMatches(kind: CursorKeyKind, key: unknown): boolean {
  if (kind === 'integer') return typeof key === 'number' && Number.isSafeInteger(key);
  if (typeof key !== 'string' || key.length > 1000 || key.includes('\u0000')) return false;
  if (kind === 'timestamp') return key.length <= 40 && TIMESTAMP_RE.test(key) && !Number.isNaN(Date.parse(key));
  return true;
}

/** The one cursor error: 400 naming the `cursor` field (a cursor only ever comes from a previous page). */
export function badCursor(): AppError {
  return new AppError('validation_failed', {
    fields: { cursor: 'Некорректный курсор: возьмите nextCursor из предыдущей страницы или начните список сначала' },
  });
}

/**
 * Decodes a cursor made by `encodeCursor`, checking that its key has the type the list sorts by (every list calls
 * this, so a forged key never reaches SQL). No cursor → null (the first page); a malformed one → 400 `cursor`.
 */
export function decodeCursor<K extends CursorKeyKind>(cursor: string | undefined, kind: K): { key: KeyOf<K>; id: string } | null {
  if (cursor === undefined || cursor === '') return null;
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(cursor)) throw badCursor();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw badCursor();
  const [key, id] = parsed as [unknown, unknown];
  if (typeof id !== 'string' || id.length < 1 || id.length > 64 || id.includes('\u0000') || !keyMatches(kind, key)) throw badCursor();
  return { key: key as KeyOf<K>, id };
}

/** Given limit+1 fetched rows, returns the page and the cursor for the next one. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, cursorOf: (r: R) => string): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(map),
    nextCursor: hasMore ? cursorOf(pageRows[pageRows.length - 1]) : null,
  };
}
