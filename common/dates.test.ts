import { describe, expect, it } from 'vitest';
import {
  addDaysInZone,
  addDaysToDate,
  DEFAULT_TZ,
  fixedOffset,
  formatDateLongRu,
  formatDateRu,
  formatDateTimeRu,
  fromWallClock,
  isValidTimeZone,
  localDate,
  monthNameGenitive,
  offsetMinutes,
  toInstant,
  toWallClock,
  TZ_FROM,
  TZ_TO,
  tzTransitions,
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

describe('offsets and wall clocks (reports, recurring tasks)', () => {
  it('offsetMinutes', () => {
    expect(offsetMinutes(new Date('2026-11-26T11:05:00Z'))).toBe(180);
    expect(offsetMinutes('2010-07-01T00:00:00Z', 'Europe/Moscow')).toBe(240);
    expect(offsetMinutes(Date.UTC(2013, 0, 1), 'Europe/Moscow')).toBe(240); // «permanent summer time» 2011–2014
    expect(offsetMinutes(Date.UTC(2026, 6, 1), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toBe(330);
    expect(offsetMinutes(Date.UTC(2026, 0, 1), 'UTC')).toBe(0);
  });

  it('toWallClock / fromWallClock: the wall-clock time in UTC fields and back, milliseconds kept', () => {
    expect(iso(toWallClock(new Date('2026-11-26T11:05:07.123Z')))).toBe('2026-11-26T14:05:07.123Z');
    expect(iso(toWallClock('2026-11-26T21:30:00Z', 'Europe/Moscow'))).toBe('2026-11-27T00:30:00.000Z');
    expect(iso(toWallClock(new Date('2026-07-01T12:00:00.999Z'), 'America/New_York'))).toBe('2026-07-01T08:00:00.999Z');
    expect(iso(fromWallClock(new Date('2026-11-26T14:05:07.123Z')))).toBe('2026-11-26T11:05:07.123Z');
    // New York: 02:30 on 8 Mar 2026 does not exist → 03:30 EDT; 01:30 on 1 Nov happens twice → the first (EDT).
    expect(iso(fromWallClock(new Date('2026-03-08T02:30:00Z'), 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(fromWallClock(new Date('2026-11-01T01:30:00Z'), 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(() => fromWallClock(new Date('nope'))).toThrow(RangeError);
    // Moscow, 31 Oct 2010: 02:30 happened at 22:30Z (summer time) and again at 23:30Z; back to the first.
    expect(iso(fromWallClock(toWallClock('2010-10-30T23:30:00Z', 'Europe/Moscow'), 'Europe/Moscow'))).toBe('2010-10-30T22:30:00.000Z');
    // A round trip gives the instant back, except in the second pass of a repeated hour (then the first pass).
    for (let t = Date.UTC(2009, 0, 1, 0, 0, 0, 7); t < Date.UTC(2016, 0, 1); t += 5 * 3_600_000 + 1234) {
      const back = fromWallClock(toWallClock(new Date(t), 'Europe/Moscow'), 'Europe/Moscow').getTime();
      if (back !== t) {
        expect(t - back).toBe(3_600_000);
        expect(offsetMinutes(back, 'Europe/Moscow') - offsetMinutes(t, 'Europe/Moscow')).toBe(60);
      }
    }
  });

  it('tzTransitions: every offset change 2000–2040 to the second, after a row for everything before', () => {
    const moscow = tzTransitions('Europe/Moscow');
    expect(moscow[0]).toEqual({ since: '1900-01-01T00:00:00.000Z', offsetMin: 180 });
    // Summer time every year until 2010, then +04:00 from 27 Mar 2011, then +03:00 from 26 Oct 2014.
    expect(moscow).toContainEqual({ since: '2000-03-25T23:00:00.000Z', offsetMin: 240 });
    expect(moscow).toContainEqual({ since: '2000-10-28T23:00:00.000Z', offsetMin: 180 });
    expect(moscow.slice(-2)).toEqual([
      { since: '2011-03-26T23:00:00.000Z', offsetMin: 240 },
      { since: '2014-10-25T22:00:00.000Z', offsetMin: 180 },
    ]);
    expect(moscow).toHaveLength(1 + 2 * 11 + 2);
    expect(tzTransitions('UTC')).toEqual([{ since: '1900-01-01T00:00:00.000Z', offsetMin: 0 }]);
    expect(tzTransitions('Europe/Moscow')).toBe(moscow); // cached
    // The offset in force by the table is the zone's offset at any instant of the span.
    for (const tz of ['Europe/Moscow', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Novosibirsk']) {
      const rows = tzTransitions(tz);
      for (let t = TZ_FROM; t < TZ_TO; t += 7 * 86_400_000 + 3_599_000) {
        const inForce = rows.filter((r) => Date.parse(r.since) <= t).at(-1)!;
        expect(inForce.offsetMin, `${tz} ${new Date(t).toISOString()}`).toBe(offsetMinutes(t, tz));
      }
    }
  });

  it('fixedOffset: the offset when it does not change over a period, else null', () => {
    expect(fixedOffset('Europe/Moscow', Date.UTC(2020, 0, 1), Date.UTC(2026, 0, 1))).toBe(180);
    expect(fixedOffset('Europe/Moscow', Date.UTC(2014, 0, 1), Date.UTC(2015, 0, 1))).toBeNull();
    expect(fixedOffset('Europe/Moscow', Date.UTC(2012, 0, 1), Date.UTC(2013, 0, 1))).toBe(240);
    expect(fixedOffset('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1))).toBe(-300);
    expect(fixedOffset('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2026, 6, 1))).toBeNull();
  });
});
