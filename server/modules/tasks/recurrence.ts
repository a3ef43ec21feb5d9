/**
 * Recurring tasks: RRULE (RFC 5545) strings checked strictly, and the next occurrence computed with the
 * `rrule` package in the company time zone.
 *
 * rrule works on "floating" times here: the series start is turned into its wall-clock time in the zone
 * (stored in a Date's UTC fields), the rule runs on wall clocks, and the result is turned back into an
 * instant in the zone. So "every Friday" stays 10:00 Moscow time, and a DST change keeps the local hour.
 * The zone arithmetic (toWallClock / fromWallClock) is common/dates.ts; only the RRULE handling is here.
 */
import * as rruleNs from 'rrule';
import { fromWallClock, toWallClock } from '../../../common/dates.js';
import { fieldError } from '../../platform/errors.js';

// rrule ships a UMD main and an ESM `module`: under Node the named exports sit on `default`.
const lib = ('RRule' in rruleNs ? rruleNs : (rruleNs as unknown as { default: typeof rruleNs }).default) as typeof rruleNs;
const { RRule } = lib;

const FREQS = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'];
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const YEAR_MS = 366 * 86_400_000;

const bad = (message: string) => fieldError('recurrence', message);

function intList(key: string, value: string, min: number, max: number, zeroAllowed = true): void {
  for (const part of value.split(',')) {
    if (!/^[+-]?\d{1,3}$/.test(part)) throw bad(`${key}: ожидается список целых чисел`);
    const n = Number(part);
    if (n < min || n > max || (!zeroAllowed && n === 0)) throw bad(`${key}: значения от ${min} до ${max}${zeroAllowed ? '' : ', кроме 0'}`);
  }
}

/** Days in each month of a leap year: the most any month can have. */
const MAX_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether some month of BYMONTH (any month without it) has one of the BYMONTHDAY days. Decided by arithmetic,
 * before rrule is asked: rrule looks for an impossible date (30 February) by walking the calendar, which cost
 * about a second of CPU per request.
 */
function monthDayPossible(monthDays: string, months: string | undefined): boolean {
  const inMonths = months ? months.split(',').map(Number) : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const days = monthDays.split(',').map(Number);
  return inMonths.some((m) => days.some((d) => Math.abs(d) <= MAX_MONTH_DAYS[m - 1]));
}

/**
 * Checks an RRULE and returns it normalised (upper case, no `RRULE:` prefix), or throws 400 naming `recurrence`.
 * Supported parts: FREQ (YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY), INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY,
 * BYMONTH, BYSETPOS, BYHOUR, BYMINUTE, WKST.
 */
export function normalizeRecurrence(input: string): string {
  let s = input.trim().toUpperCase();
  if (s.startsWith('RRULE:')) s = s.slice(6);
  if (!s) throw bad('Пустое правило повторения');
  if (/[\r\n]/.test(s) || s.includes('DTSTART')) throw bad('Укажите только RRULE, без DTSTART: начало серии — срок задачи');
  const seen = new Map<string, string>();
  for (const part of s.split(';').filter(Boolean)) {
    const m = /^([A-Z]+)=([^=;]+)$/.exec(part);
    if (!m) throw bad(`Не распознана часть правила «${part}»`);
    const [, key, value] = m;
    if (seen.has(key)) throw bad(`${key} указан дважды`);
    seen.set(key, value);
    switch (key) {
      case 'FREQ':
        if (!FREQS.includes(value)) throw bad(`FREQ: одно из ${FREQS.join(', ')}`);
        break;
      case 'INTERVAL':
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw bad('INTERVAL: целое число от 1 до 1000');
        break;
      case 'COUNT':
        if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 10000) throw bad('COUNT: целое число от 1 до 10000');
        break;
      case 'UNTIL': {
        const u = /^(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(value);
        const d = u ? new Date(Date.UTC(+u[1], +u[2] - 1, +u[3], +(u[5] ?? 0), +(u[6] ?? 0), +(u[7] ?? 0))) : null;
        if (!u || !d || d.getUTCMonth() !== +u[2] - 1 || d.getUTCDate() !== +u[3])
          throw bad('UNTIL: дата вида 20261231 или 20261231T235959Z');
        break;
      }
      case 'BYDAY':
        for (const day of value.split(',')) {
          const d = new RegExp(`^([+-]?\\d{1,2})?${WEEKDAY}$`).exec(day);
          if (!d || (d[1] !== undefined && (Math.abs(Number(d[1])) < 1 || Math.abs(Number(d[1])) > 53))) {
            throw bad('BYDAY: дни недели MO, TU, WE, TH, FR, SA, SU (например BYDAY=MO,FR)');
          }
        }
        break;
      case 'BYMONTHDAY':
        intList(key, value, -31, 31, false);
        break;
      case 'BYMONTH':
        intList(key, value, 1, 12);
        break;
      case 'BYSETPOS':
        intList(key, value, -366, 366, false);
        break;
      case 'BYHOUR':
        intList(key, value, 0, 23);
        break;
      case 'BYMINUTE':
        intList(key, value, 0, 59);
        break;
      case 'WKST':
        if (!new RegExp(`^${WEEKDAY}$`).test(value)) throw bad('WKST: день недели MO…SU');
        break;
      default:
        throw bad(`Часть правила ${key} не поддерживается`);
    }
  }
  if (!seen.has('FREQ')) throw bad('Не указана частота FREQ (DAILY, WEEKLY, MONTHLY, YEARLY)');
  if (seen.has('COUNT') && seen.has('UNTIL')) throw bad('COUNT и UNTIL вместе указывать нельзя');
  if (seen.has('BYMONTHDAY') && !monthDayPossible(seen.get('BYMONTHDAY')!, seen.get('BYMONTH'))) {
    throw bad('Правило повторения не даёт ни одной даты: в этих месяцах нет таких чисел');
  }
  const normalized = [...seen].map(([k, v]) => `${k}=${v}`).join(';');
  let rule: InstanceType<typeof RRule>;
  try {
    const options = RRule.parseString(normalized);
    delete options.count;
    delete options.until;
    rule = new RRule({ ...options, dtstart: new Date(Date.UTC(2000, 0, 1)) });
  } catch (err) {
    throw bad(`Правило повторения не распознано: ${(err as Error).message}`);
  }
  // An impossible rule (e.g. 30 February) would make rrule search up to year 9999.
  const probe = rule.between(new Date(Date.UTC(2000, 0, 1)), new Date(Date.UTC(2008, 11, 31)), true, (_d, i) => i < 1);
  if (probe.length === 0) throw bad('Правило повторения не даёт ни одной даты');
  return normalized;
}

/**
 * The first occurrence of the series strictly after `after`, or null when the series is over (COUNT, UNTIL).
 * `seriesStart` is the DTSTART: the due time of the series' first task.
 */
export function nextOccurrence(rule: string, seriesStart: Date, after: Date, tz: string): Date | null {
  const options = RRule.parseString(rule);
  // UNTIL with Z is an instant; without it, a floating local time already.
  if (options.until && /UNTIL=[^;]*Z/.test(rule)) options.until = toWallClock(options.until, tz);
  const r = new RRule({ ...options, dtstart: toWallClock(seriesStart, tz), tzid: null });
  const from = toWallClock(after, tz);
  // Bounded search: a rule checked by normalizeRecurrence repeats at least every 9 years.
  const found = r.between(from, new Date(from.getTime() + 10 * YEAR_MS), false, (_d, i) => i < 1);
  return found.length > 0 ? fromWallClock(found[0], tz) : null;
}
