/**
 * Recurring tasks: the friendly editor's state ⇄ an RRULE string (RFC 5545, without DTSTART — the series
 * starts at the task's due time, see docs/API.md «Задачи»), and a human sentence for either.
 * Pure functions: no React, no i18n instance (the language is a parameter).
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type RecurrenceFreq = 'none' | 'daily' | 'weekly' | 'monthly' | 'custom';
export type RecurrenceEnd = 'never' | 'count' | 'until';

export interface RecurrenceState {
  freq: RecurrenceFreq;
  /** «каждые N» дней / недель / месяцев, ≥ 1. */
  interval: number;
  /** Days of a weekly rule, Monday first. */
  weekdays: Weekday[];
  /** Day of month of a monthly rule: 1…31, -1 = the last day, 0 = the day of the due date (no BYMONTHDAY). */
  monthDay: number;
  end: RecurrenceEnd;
  /** Number of occurrences when `end = 'count'`. */
  count: number;
  /** Last day 'YYYY-MM-DD' when `end = 'until'`. */
  until: string | null;
  /** A rule the editor cannot show (BYSETPOS, YEARLY, HOURLY, …): kept as it is when `freq = 'custom'`. */
  raw: string | null;
}

export const EMPTY_RECURRENCE: RecurrenceState = {
  freq: 'none',
  interval: 1,
  weekdays: [],
  monthDay: 1,
  end: 'never',
  count: 10,
  until: null,
  raw: null,
};

/** Monday-first weekday of a 'YYYY-MM-DD' date. */
export function weekdayOfDate(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(dow + 6) % 7];
}

function sortDays(days: readonly Weekday[]): Weekday[] {
  return [...new Set(days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}

const clampInt = (value: number, min: number, max: number, fallback: number) =>
  Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;

/** The editor's state → RRULE (`FREQ=WEEKLY;BYDAY=FR`), or null for «Не повторять». */
export function toRrule(state: RecurrenceState): string | null {
  if (state.freq === 'none') return null;
  if (state.freq === 'custom') return state.raw?.trim() ? normalizeRaw(state.raw) : null;
  const parts = [`FREQ=${state.freq.toUpperCase()}`];
  const interval = clampInt(state.interval, 1, 1000, 1);
  if (interval > 1) parts.push(`INTERVAL=${interval}`);
  if (state.freq === 'weekly' && state.weekdays.length > 0) parts.push(`BYDAY=${sortDays(state.weekdays).join(',')}`);
  // monthDay 0: no BYMONTHDAY, the day of the due date
  if (state.freq === 'monthly' && state.monthDay !== 0) {
    const day = state.monthDay === -1 ? -1 : clampInt(state.monthDay, 1, 31, 1);
    parts.push(`BYMONTHDAY=${day}`);
  }
  if (state.end === 'count') parts.push(`COUNT=${clampInt(state.count, 1, 10000, 1)}`);
  if (state.end === 'until' && state.until && /^\d{4}-\d{2}-\d{2}$/.test(state.until)) {
    parts.push(`UNTIL=${state.until.replaceAll('-', '')}T235959Z`);
  }
  return parts.join(';');
}

function normalizeRaw(rule: string): string {
  const s = rule.trim().toUpperCase();
  return s.startsWith('RRULE:') ? s.slice(6) : s;
}

/** Splits `FREQ=WEEKLY;BYDAY=FR` into a map; null when a part is not `KEY=VALUE` or a key repeats. */
function parts(rule: string): Map<string, string> | null {
  const map = new Map<string, string>();
  for (const part of normalizeRaw(rule).split(';').filter(Boolean)) {
    const m = /^([A-Z]+)=([^=;]+)$/.exec(part);
    if (!m || map.has(m[1])) return null;
    map.set(m[1], m[2]);
  }
  return map.has('FREQ') ? map : null;
}

const SUPPORTED_KEYS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'WKST']);

/**
 * An RRULE → the editor's state. Rules the editor cannot show become `freq: 'custom'` with `raw` kept,
 * so saving the form does not change them. `null`/empty → «Не повторять».
 */
export function fromRrule(rule: string | null | undefined): RecurrenceState {
  if (!rule || !rule.trim()) return { ...EMPTY_RECURRENCE };
  const custom: RecurrenceState = { ...EMPTY_RECURRENCE, freq: 'custom', raw: normalizeRaw(rule) };
  const map = parts(rule);
  if (!map) return custom;
  for (const key of map.keys()) if (!SUPPORTED_KEYS.has(key)) return custom;

  const state: RecurrenceState = { ...EMPTY_RECURRENCE };
  const interval = map.get('INTERVAL');
  if (interval !== undefined) {
    if (!/^\d{1,4}$/.test(interval) || Number(interval) < 1) return custom;
    state.interval = Number(interval);
  }
  const count = map.get('COUNT');
  const until = map.get('UNTIL');
  if (count !== undefined && until !== undefined) return custom;
  if (count !== undefined) {
    if (!/^\d{1,5}$/.test(count) || Number(count) < 1) return custom;
    state.end = 'count';
    state.count = Number(count);
  }
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(until);
    if (!m) return custom;
    state.end = 'until';
    state.until = `${m[1]}-${m[2]}-${m[3]}`;
  }

  const byDay = map.get('BYDAY');
  const days = byDay?.split(',') ?? [];
  if (days.some((day) => !(WEEKDAYS as readonly string[]).includes(day))) return custom; // 1MO, -1FR …
  const byMonthDay = map.get('BYMONTHDAY');

  switch (map.get('FREQ')) {
    case 'DAILY':
      if (byMonthDay !== undefined) return custom;
      if (days.length > 0) {
        // «FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR» is the same as weekly on those days
        if (state.interval !== 1) return custom;
        return { ...state, freq: 'weekly', weekdays: sortDays(days as Weekday[]) };
      }
      return { ...state, freq: 'daily' };
    case 'WEEKLY':
      if (byMonthDay !== undefined) return custom;
      return { ...state, freq: 'weekly', weekdays: sortDays(days as Weekday[]) };
    case 'MONTHLY': {
      if (days.length > 0) return custom;
      if (byMonthDay === undefined) return { ...state, freq: 'monthly', monthDay: 0 };
      if (!/^-?\d{1,2}$/.test(byMonthDay)) return custom;
      const day = Number(byMonthDay);
      if (day !== -1 && (day < 1 || day > 31)) return custom;
      return { ...state, freq: 'monthly', monthDay: day };
    }
    default:
      return custom;
  }
}

// ── sentences ──

export type Lang = 'ru' | 'en';

/** Russian plural form: 1 день, 2 дня, 5 дней, 21 день. */
export function pluralRu(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

/** «по понедельникам» */
const RU_DATIVE_PLURAL: Record<Weekday, string> = {
  MO: 'понедельникам',
  TU: 'вторникам',
  WE: 'средам',
  TH: 'четвергам',
  FR: 'пятницам',
  SA: 'субботам',
  SU: 'воскресеньям',
};
/** «каждую пятницу» */
const RU_EVERY_DAY: Record<Weekday, string> = {
  MO: 'каждый понедельник',
  TU: 'каждый вторник',
  WE: 'каждую среду',
  TH: 'каждый четверг',
  FR: 'каждую пятницу',
  SA: 'каждую субботу',
  SU: 'каждое воскресенье',
};
export const WEEKDAY_SHORT_RU: Record<Weekday, string> = { MO: 'Пн', TU: 'Вт', WE: 'Ср', TH: 'Чт', FR: 'Пт', SA: 'Сб', SU: 'Вс' };
export const WEEKDAY_SHORT_EN: Record<Weekday, string> = { MO: 'Mo', TU: 'Tu', WE: 'We', TH: 'Th', FR: 'Fr', SA: 'Sa', SU: 'Su' };
const EN_DAYS: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

function joinList(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

const isWorkweek = (days: readonly Weekday[]) =>
  days.length === 5 && ['MO', 'TU', 'WE', 'TH', 'FR'].every((d) => days.includes(d as Weekday));

/** 'YYYY-MM-DD' → «31.12.2026». */
function untilText(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** «Каждые 2 недели» / «Каждую неделю» … */
function everyRu(n: number, unit: 'day' | 'week' | 'month'): string {
  if (n <= 1) return { day: 'Каждый день', week: 'Каждую неделю', month: 'Каждый месяц' }[unit];
  const forms = {
    day: ['день', 'дня', 'дней'],
    week: ['неделю', 'недели', 'недель'],
    month: ['месяц', 'месяца', 'месяцев'],
  }[unit];
  const word = pluralRu(n, forms[0], forms[1], forms[2]);
  const lead = pluralRu(n, unit === 'week' ? 'Каждую' : 'Каждый', 'Каждые', 'Каждые');
  return `${lead} ${n} ${word}`;
}

function everyEn(n: number, unit: 'day' | 'week' | 'month'): string {
  return n <= 1 ? `Every ${unit}` : `Every ${n} ${unit}s`;
}

function endText(state: RecurrenceState, lang: Lang): string {
  if (state.end === 'count') {
    return lang === 'ru'
      ? `, ${state.count} ${pluralRu(state.count, 'раз', 'раза', 'раз')}`
      : `, ${state.count} ${state.count === 1 ? 'time' : 'times'}`;
  }
  if (state.end === 'until' && state.until) return lang === 'ru' ? `, до ${untilText(state.until)}` : `, until ${untilText(state.until)}`;
  return '';
}

export interface DescribeOptions {
  lang?: Lang;
  /** Short form for lists: «каждую пятницу», lower case. */
  short?: boolean;
}

/**
 * A sentence for a rule or an editor state: «Каждую неделю по пятницам», «Каждые 2 дня, 10 раз»,
 * «Каждый месяц, 5-го числа, до 31.12.2026». Empty string for «Не повторять».
 */
export function describeRecurrence(input: RecurrenceState | string | null | undefined, options: DescribeOptions = {}): string {
  const lang = options.lang ?? 'ru';
  const state = typeof input === 'string' || input === null || input === undefined ? fromRrule(input) : input;
  const text = sentence(state, lang, options.short ?? false);
  if (!options.short || !text) return text;
  return text[0].toLowerCase() + text.slice(1);
}

function sentence(state: RecurrenceState, lang: Lang, short: boolean): string {
  const end = endText(state, lang);
  switch (state.freq) {
    case 'none':
      return '';
    case 'custom':
      return lang === 'ru' ? `По правилу ${state.raw ?? ''}`.trim() : `Custom rule ${state.raw ?? ''}`.trim();
    case 'daily':
      return (lang === 'ru' ? everyRu(state.interval, 'day') : everyEn(state.interval, 'day')) + end;
    case 'weekly': {
      const days = sortDays(state.weekdays);
      if (lang === 'en') {
        const base = everyEn(state.interval, 'week');
        if (days.length === 0) return base + end;
        if (isWorkweek(days)) return `${base} on weekdays${end}`;
        return `${base} on ${joinList(
          days.map((d) => `${EN_DAYS[d]}s`),
          'and',
        )}${end}`;
      }
      if (short && state.interval <= 1 && days.length === 1) {
        const text = RU_EVERY_DAY[days[0]];
        return text[0].toUpperCase() + text.slice(1) + end;
      }
      const base = everyRu(state.interval, 'week');
      if (days.length === 0) return base + end;
      if (isWorkweek(days)) return `${base} по будням${end}`;
      return `${base} по ${joinList(
        days.map((d) => RU_DATIVE_PLURAL[d]),
        'и',
      )}${end}`;
    }
    case 'monthly': {
      const base = lang === 'ru' ? everyRu(state.interval, 'month') : everyEn(state.interval, 'month');
      if (!state.monthDay) return base + end;
      if (state.monthDay === -1) return `${base}${lang === 'ru' ? ', в последний день' : ', on the last day'}${end}`;
      return `${base}${lang === 'ru' ? `, ${state.monthDay}-го числа` : `, on day ${state.monthDay}`}${end}`;
    }
  }
}
