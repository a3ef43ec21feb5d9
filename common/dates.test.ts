import { describe, expect, it } from 'vitest';
import {
  addDaysInZone,
  addDaysToDate,
  DEFAULT_TZ,
  formatDateLongRu,
  formatDateRu,
  formatDateTimeRu,
  isValidTimeZone,
  localDate,
  monthNameGenitive,
  toInstant,
  zonedDateTime,
  zonedDayStart,
  zonedMidnight,
} from './dates.js';

const iso = (d: Date): string => d.toISOString();

describe('formatting', () => {
  it('formatDateRu', () => {
    expect(formatDateRu('2026-11-26')).toBe('26.11.2026');
    expect(formatDateRu('2026-01-05')).toBe('05.01.2026');
    // An instant late in the UTC evening is already the next day in Moscow.
    expect(formatDateRu(new Date('2026-11-26T21:30:00Z'))).toBe('27.11.2026');
    expect(formatDateRu('2026-11-26T21:30:00Z')).toBe('27.11.2026');
    expect(formatDateRu('2026-11-26T21:30:00Z', 'UTC')).toBe('26.11.2026');
    expect(formatDateRu('2026-11-26T23:30:00+03:00', 'Asia/Vladivostok')).toBe('27.11.2026');
  });

  it('formatDateRu never shifts a bare date, whatever the zone', () => {
    expect(formatDateRu('2026-11-26', 'America/Los_Angeles')).toBe('26.11.2026');
    expect(formatDateRu('2026-11-26', 'Pacific/Kiritimati')).toBe('26.11.2026');
  });

  it('formatDateTimeRu', () => {
    expect(formatDateTimeRu('2026-11-26T11:05:00Z')).toBe('26.11.2026 14:05');
    expect(formatDateTimeRu(new Date('2026-11-26T11:05:59Z'))).toBe('26.11.2026 14:05');
    expect(formatDateTimeRu('2026-11-26T11:05:00Z', 'Asia/Yekaterinburg')).toBe('26.11.2026 16:05');
    expect(formatDateTimeRu('2026-11-26T21:00:00Z')).toBe('27.11.2026 00:00');
    expect(formatDateTimeRu('2026-11-26T14:05')).toBe('26.11.2026 14:05'); // wall time in tz
  });

  it('monthNameGenitive', () => {
    expect(Array.from({ length: 12 }, (_, i) => monthNameGenitive(i + 1))).toEqual([
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
    ]);
    expect(() => monthNameGenitive(0)).toThrow(RangeError);
    expect(() => monthNameGenitive(13)).toThrow(RangeError);
    expect(() => monthNameGenitive(1.5)).toThrow(RangeError);
  });

  it('formatDateLongRu', () => {
    expect(formatDateLongRu('2026-11-26')).toBe('26 ноября 2026 г.');
    expect(formatDateLongRu('2026-03-01')).toBe('1 марта 2026 г.');
    expect(formatDateLongRu(new Date('2026-12-31T22:00:00Z'))).toBe('1 января 2027 г.');
  });

  it('agrees with Intl ru-RU', () => {
    const d = new Date('2026-07-04T09:07:00Z');
    const intl = new Intl.DateTimeFormat('ru-RU', { timeZone: DEFAULT_TZ, day: '2-digit', month: '2-digit', year: 'numeric' });
    expect(formatDateRu(d)).toBe(intl.format(d));
    const long = new Intl.DateTimeFormat('ru-RU', { timeZone: DEFAULT_TZ, day: 'numeric', month: 'long', year: 'numeric' });
    expect(formatDateLongRu(d).replace(/\s/g, ' ')).toBe(long.format(d).replace(/\s/g, ' '));
  });

  it('refuses bad input', () => {
    expect(() => formatDateRu('2026-02-30')).toThrow(RangeError);
    expect(() => formatDateRu('26.11.2026')).toThrow(RangeError);
    expect(() => formatDateRu('вчера')).toThrow(RangeError);
    expect(() => formatDateRu(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatDateTimeRu('2026-11-26T25:00')).toThrow(RangeError);
    expect(() => formatDateRu('2026-11-26', 'Mars/Olympus')).not.toThrow(); // bare dates need no zone
    expect(() => formatDateRu(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zones', () => {
  it('localDate', () => {
    expect(localDate(new Date('2026-11-26T20:59:59Z'))).toBe('2026-11-26');
    expect(localDate(new Date('2026-11-26T21:00:00Z'))).toBe('2026-11-27');
    expect(localDate(new Date('2026-11-26T21:00:00Z'), 'Europe/Kaliningrad')).toBe('2026-11-26');
    expect(localDate('2026-11-26')).toBe('2026-11-26');
  });

  it('zonedMidnight', () => {
    expect(iso(zonedMidnight('2026-11-26', 'Europe/Moscow'))).toBe('2026-11-25T21:00:00.000Z');
    expect(iso(zonedMidnight('2026-11-26'))).toBe('2026-11-25T21:00:00.000Z');
    expect(iso(zonedMidnight('2026-11-26', 'UTC'))).toBe('2026-11-26T00:00:00.000Z');
    expect(iso(zonedMidnight('2026-11-26', 'Asia/Kamchatka'))).toBe('2026-11-25T12:00:00.000Z');
    expect(iso(zonedMidnight('2026-07-01', 'America/New_York'))).toBe('2026-07-01T04:00:00.000Z');
    expect(iso(zonedMidnight('2026-01-01', 'America/New_York'))).toBe('2026-01-01T05:00:00.000Z');
    expect(iso(zonedMidnight('2026-01-01', 'Asia/Kolkata'))).toBe('2025-12-31T18:30:00.000Z');
  });

  it('zonedMidnight across historic Moscow DST and a DST jump over midnight', () => {
    // Moscow kept summer time until 2011: +04:00 in July 2010, +03:00 in January.
    expect(iso(zonedMidnight('2010-07-01', 'Europe/Moscow'))).toBe('2010-06-30T20:00:00.000Z');
    expect(iso(zonedMidnight('2010-01-01', 'Europe/Moscow'))).toBe('2009-12-31T21:00:00.000Z');
    // São Paulo, 4 Nov 2018: clocks jumped from 00:00 to 01:00, so the day began at 01:00 (-02:00).
    expect(iso(zonedMidnight('2018-11-04', 'America/Sao_Paulo'))).toBe('2018-11-04T03:00:00.000Z');
    expect(localDate(zonedMidnight('2018-11-04', 'America/Sao_Paulo'), 'America/Sao_Paulo')).toBe('2018-11-04');
    // São Paulo, 17 Feb 2019: 00:00 back to 23:00 on the 16th; the 17th starts once, at 00:00 -03:00.
    expect(iso(zonedMidnight('2019-02-17', 'America/Sao_Paulo'))).toBe('2019-02-17T03:00:00.000Z');
  });

  it('zonedDateTime resolves DST gaps forward and overlaps to the earlier instant', () => {
    expect(iso(zonedDateTime('2026-11-26', '14:05', 'Europe/Moscow'))).toBe('2026-11-26T11:05:00.000Z');
    expect(iso(zonedDateTime('2026-11-26', '14:05:30'))).toBe('2026-11-26T11:05:30.000Z');
    // New York, 8 Mar 2026: 02:30 does not exist → 03:30 EDT.
    expect(iso(zonedDateTime('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // New York, 1 Nov 2026: 01:30 happens twice → the first (EDT).
    expect(iso(zonedDateTime('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(() => zonedDateTime('2026-11-26', '24:00')).toThrow(RangeError);
    expect(() => zonedDateTime('2026-11-26', '9:00')).toThrow(RangeError);
  });

  it('zonedDayStart', () => {
    expect(iso(zonedDayStart(new Date('2026-11-26T22:15:00Z')))).toBe('2026-11-26T21:00:00.000Z');
    expect(iso(zonedDayStart(new Date('2026-11-26T20:15:00Z')))).toBe('2026-11-25T21:00:00.000Z');
  });

  it('addDaysToDate', () => {
    expect(addDaysToDate('2026-11-26', 15)).toBe('2026-12-11');
    expect(addDaysToDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToDate('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDaysToDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDaysToDate('2026-11-26', 0)).toBe('2026-11-26');
  });

  it('addDaysInZone keeps the wall-clock time', () => {
    // Moscow has no DST now: 15 days = 15 × 24 h.
    expect(iso(addDaysInZone(new Date('2026-11-26T11:05:00.123Z'), 15))).toBe('2026-12-11T11:05:00.123Z');
    // New York crosses the March DST change: 09:00 stays 09:00, so only 23 h are added on that day.
    expect(iso(addDaysInZone(new Date('2026-03-01T14:00:00Z'), 15, 'America/New_York'))).toBe('2026-03-16T13:00:00.000Z');
    expect(iso(addDaysInZone(new Date('2026-03-16T13:00:00Z'), -15, 'America/New_York'))).toBe('2026-03-01T14:00:00.000Z');
    // Late evening in Moscow: the local date, not the UTC one, moves.
    expect(localDate(addDaysInZone(new Date('2026-11-26T22:30:00Z'), 1))).toBe('2026-11-28');
  });

  it('toInstant', () => {
    expect(iso(toInstant('2026-11-26T14:05:00+03:00'))).toBe('2026-11-26T11:05:00.000Z');
    expect(iso(toInstant('2026-11-26T14:05'))).toBe('2026-11-26T11:05:00.000Z');
    expect(iso(toInstant('2026-11-26 14:05:07.5', 'UTC'))).toBe('2026-11-26T14:05:07.500Z');
    expect(iso(toInstant('2026-11-26'))).toBe('2026-11-25T21:00:00.000Z');
  });

  it('isValidTimeZone', () => {
    expect(isValidTimeZone('Europe/Moscow')).toBe(true);
    expect(isValidTimeZone('Asia/Novosibirsk')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
