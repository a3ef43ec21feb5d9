/**
 * Dates in the company time zone (VORONKA_TZ, Europe/Moscow by default), with Intl only.
 * Vocabulary: an *instant* is a Date (or an ISO string with offset); a *local date* is 'YYYY-MM-DD'
 * on the calendar of a zone. A bare 'YYYY-MM-DD' is a calendar date and is never shifted by a zone.
 */

export const DEFAULT_TZ = 'Europe/Moscow';

export type DateInput = Date | string;

const DAY_MS = 86_400_000;

const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: creating Intl.DateTimeFormat is far slower than using it. */
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
function partsIn(ms: number, tz: string): Parts {
  const p: Record<string, number> = {};
  for (const { type, value } of formatterFor(tz).formatToParts(ms)) {
    if (type !== 'literal') p[type] = Number(value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** Wall-clock fields read as if they were UTC: lets us compare and shift them with plain arithmetic. */
function wallMs(p: Parts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

const msOfSecond = (ms: number): number => ((ms % 1000) + 1000) % 1000;

/** Zone offset (local − UTC) at an instant, in ms. */
function offsetAt(ms: number, tz: string): number {
  return wallMs(partsIn(ms, tz)) - (ms - msOfSecond(ms));
}

/** Zone offset (local − UTC) at an instant, in minutes (Moscow today: 180). */
export function offsetMinutes(instant: DateInput | number, tz: string = DEFAULT_TZ): number {
  const ms = typeof instant === 'number' ? instant : toInstant(instant, tz).getTime();
  return Math.round(offsetAt(ms, tz) / 60000);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
}

/** Instant of a wall-clock time in a zone; a time skipped by a DST jump moves forward, a repeated one takes the earlier. */
function fromWall(wall: number, tz: string): Date {
  // The offset is one of those in force a day before or after: try both.
  const before = wall - offsetAt(wall - DAY_MS, tz);
  const after = wall - offsetAt(wall + DAY_MS, tz);
  const exact = [before, after].filter((t) => t + offsetAt(t, tz) === wall);
  return new Date(exact.length > 0 ? Math.min(...exact) : before);
}

/**
 * Instant of a value: a Date as is; an ISO string with offset as is; a string without offset
 * ('2026-11-26T14:05', what <input type="datetime-local"> gives) as wall-clock time in tz;
 * a bare 'YYYY-MM-DD' as local midnight in tz.
 */
export function toInstant(value: DateInput, tz: string = DEFAULT_TZ): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('Invalid Date');
    return value;
  }
  if (DATE_RE.test(value)) return zonedMidnight(value, tz);
  const local = LOCAL_DATETIME_RE.exec(value);
  if (local) {
    const { year, month, day } = parseDate(`${local[1]}-${local[2]}-${local[3]}`);
    const [hour, minute, second] = [Number(local[4]), Number(local[5]), Number(local[6] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) throw new RangeError(`Not a time: ${value}`);
    const ms = Number((local[7] ?? '').padEnd(3, '0'));
    return fromWall(Date.UTC(year, month - 1, day, hour, minute, second, ms), tz);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a date: ${value}`);
  return d;
}

/** Calendar fields of a value: a bare date as written, anything else on the calendar of tz. */
function calendarOf(value: DateInput, tz: string): Parts {
  if (typeof value === 'string' && DATE_RE.test(value)) return { ...parseDate(value), hour: 0, minute: 0, second: 0 };
  return partsIn(toInstant(value, tz).getTime(), tz);
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** 'YYYY-MM-DD' of an instant on the calendar of tz. */
export function localDate(instant: DateInput, tz: string = DEFAULT_TZ): string {
  const p = calendarOf(instant, tz);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant a local date begins in tz (00:00, or the first moment after a DST jump over midnight). */
export function zonedMidnight(date: string, tz: string = DEFAULT_TZ): Date {
  const { year, month, day } = parseDate(date);
  return fromWall(Date.UTC(year, month - 1, day), tz);
}

/** The instant a wall-clock time 'HH:MM[:SS]' on a local date happens in tz. */
export function zonedDateTime(date: string, time: string, tz: string = DEFAULT_TZ): Date {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) throw new RangeError(`Not a time (HH:MM): ${time}`);
  return toInstant(`${date}T${time}`, tz);
}

/** Start of the local day the instant falls on. */
export function zonedDayStart(instant: DateInput, tz: string = DEFAULT_TZ): Date {
  return zonedMidnight(localDate(instant, tz), tz);
}

/** Calendar arithmetic on 'YYYY-MM-DD', no zone involved. */
export function addDaysToDate(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * The same wall-clock time `days` calendar days later in tz: a task "due 15 days after delivery"
 * keeps its hour across a DST change, which adding 15 × 24 h would not.
 */
export function addDaysInZone(instant: DateInput, days: number, tz: string = DEFAULT_TZ): Date {
  const t = toInstant(instant, tz).getTime();
  const p = partsIn(t, tz);
  const wall = Date.UTC(p.year, p.month - 1, p.day + days, p.hour, p.minute, p.second, msOfSecond(t));
  return fromWall(wall, tz);
}

/**
 * The wall-clock time of an instant in tz, held in a Date's UTC fields (milliseconds kept): for code that computes
 * on "floating" local times, such as the rrule package for recurring tasks.
 */
export function toWallClock(instant: DateInput, tz: string = DEFAULT_TZ): Date {
  const t = toInstant(instant, tz).getTime();
  return new Date(wallMs(partsIn(t, tz)) + msOfSecond(t));
}

/**
 * The instant of a wall-clock time held in a Date's UTC fields (the inverse of toWallClock): a time skipped by a DST
 * jump moves forward, a repeated one takes the earlier.
 */
export function fromWallClock(wall: Date, tz: string = DEFAULT_TZ): Date {
  if (Number.isNaN(wall.getTime())) throw new RangeError('Invalid Date');
  return fromWall(wall.getTime(), tz);
}

/** An offset of a zone and the instant from which it is in force. */
export interface OffsetChange {
  /** ISO instant. */
  since: string;
  offsetMin: number;
}

/** The span tzTransitions covers: 2000-01-01 … 2041-01-01 UTC. */
export const TZ_FROM = Date.UTC(2000, 0, 1);
export const TZ_TO = Date.UTC(2041, 0, 1);

const transitionsCache = new Map<string, OffsetChange[]>();

/**
 * Every offset change of `tz` between 2000 and 2040, found to the second, after a first row (since 1900) with the
 * offset in force on 2000-01-01. The reports keep it as a table their triggers join (`report_tz`).
 */
export function tzTransitions(tz: string = DEFAULT_TZ): OffsetChange[] {
  let rows = transitionsCache.get(tz);
  if (!rows) {
    rows = computeTransitions(tz, TZ_FROM, TZ_TO);
    transitionsCache.set(tz, rows);
  }
  return rows;
}

function computeTransitions(tz: string, from: number, to: number): OffsetChange[] {
  const rows: OffsetChange[] = [{ since: new Date(Date.UTC(1900, 0, 1)).toISOString(), offsetMin: offsetMinutes(from, tz) }];
  let prevT = from;
  let prev = rows[0].offsetMin;
  for (let t = from + DAY_MS; t <= to; t += DAY_MS) {
    const off = offsetMinutes(t, tz);
    if (off !== prev) {
      // The change happened in (prevT, t]: find its second.
      let lo = prevT;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetMinutes(mid, tz) === prev) lo = mid;
        else hi = mid;
      }
      rows.push({ since: new Date(hi).toISOString(), offsetMin: off });
      prev = off;
    }
    prevT = t;
  }
  return rows;
}

/** The zone's offset in minutes if it is the same throughout [fromMs, toMs], else null. */
export function fixedOffset(tz: string, fromMs: number, toMs: number): number | null {
  const rows = tzTransitions(tz);
  const inForce = (ms: number) => {
    let off = rows[0].offsetMin;
    for (const r of rows) if (Date.parse(r.since) <= ms) off = r.offsetMin;
    return off;
  };
  const first = inForce(fromMs);
  const changes = rows.filter((r) => Date.parse(r.since) > fromMs && Date.parse(r.since) <= toMs);
  return changes.length === 0 || changes.every((r) => r.offsetMin === first) ? first : null;
}

export function monthNameGenitive(month: number): string {
  const name = MONTHS_GENITIVE[month - 1];
  if (!Number.isInteger(month) || !name) throw new RangeError(`Month must be 1..12: ${month}`);
  return name;
}

/** "26.11.2026". */
export function formatDateRu(value: DateInput, tz: string = DEFAULT_TZ): string {
  const p = calendarOf(value, tz);
  return `${pad(p.day)}.${pad(p.month)}.${pad(p.year, 4)}`;
}

/** "26.11.2026 14:05" in tz. */
export function formatDateTimeRu(value: DateInput, tz: string = DEFAULT_TZ): string {
  const p = partsIn(toInstant(value, tz).getTime(), tz);
  return `${pad(p.day)}.${pad(p.month)}.${pad(p.year, 4)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "26 ноября 2026 г." as in «Счёт на оплату № 12 от 26 ноября 2026 г.». */
export function formatDateLongRu(value: DateInput, tz: string = DEFAULT_TZ): string {
  const p = calendarOf(value, tz);
  return `${p.day} ${monthNameGenitive(p.month)} ${p.year} г.`;
}
