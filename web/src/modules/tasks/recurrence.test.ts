import { describe, expect, it } from 'vitest';
import { EMPTY_RECURRENCE, describeRecurrence, fromRrule, pluralRu, toRrule, weekdayOfDate, type RecurrenceState } from './recurrence';
import { defaultDueValue, fromPickerValue, overdueText, toPickerValue } from './time';

const state = (patch: Partial<RecurrenceState>): RecurrenceState => ({ ...EMPTY_RECURRENCE, ...patch });

describe('toRrule', () => {
  it('«Не повторять» is null', () => {
    expect(toRrule(EMPTY_RECURRENCE)).toBeNull();
  });
  it('daily, with interval', () => {
    expect(toRrule(state({ freq: 'daily' }))).toBe('FREQ=DAILY');
    expect(toRrule(state({ freq: 'daily', interval: 2 }))).toBe('FREQ=DAILY;INTERVAL=2');
  });
  it('weekly on chosen days, Monday first, no duplicates', () => {
    expect(toRrule(state({ freq: 'weekly', weekdays: ['FR'] }))).toBe('FREQ=WEEKLY;BYDAY=FR');
    expect(toRrule(state({ freq: 'weekly', weekdays: ['FR', 'MO', 'FR'] }))).toBe('FREQ=WEEKLY;BYDAY=MO,FR');
    expect(toRrule(state({ freq: 'weekly', weekdays: [] }))).toBe('FREQ=WEEKLY');
  });
  it('monthly on a day, the last day, or the due date day', () => {
    expect(toRrule(state({ freq: 'monthly', monthDay: 5 }))).toBe('FREQ=MONTHLY;BYMONTHDAY=5');
    expect(toRrule(state({ freq: 'monthly', monthDay: -1, interval: 3 }))).toBe('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1');
    expect(toRrule(state({ freq: 'monthly', monthDay: 0 }))).toBe('FREQ=MONTHLY');
    expect(toRrule(state({ freq: 'monthly', monthDay: 45 }))).toBe('FREQ=MONTHLY;BYMONTHDAY=31');
  });
  it('ends after N times or on a date', () => {
    expect(toRrule(state({ freq: 'daily', end: 'count', count: 10 }))).toBe('FREQ=DAILY;COUNT=10');
    expect(toRrule(state({ freq: 'weekly', weekdays: ['FR'], end: 'until', until: '2026-12-31' }))).toBe(
      'FREQ=WEEKLY;BYDAY=FR;UNTIL=20261231T235959Z',
    );
    // «до даты» without a date: never ends
    expect(toRrule(state({ freq: 'daily', end: 'until', until: null }))).toBe('FREQ=DAILY');
  });
  it('a custom rule is kept as it is (normalised)', () => {
    expect(toRrule(state({ freq: 'custom', raw: 'rrule:freq=monthly;byday=1mo' }))).toBe('FREQ=MONTHLY;BYDAY=1MO');
  });
});

describe('fromRrule', () => {
  it('empty → none', () => {
    expect(fromRrule(null).freq).toBe('none');
    expect(fromRrule('  ').freq).toBe('none');
  });
  it('parses the editor’s own rules', () => {
    expect(fromRrule('FREQ=WEEKLY;BYDAY=FR')).toMatchObject({ freq: 'weekly', weekdays: ['FR'], interval: 1, end: 'never' });
    expect(fromRrule('RRULE:freq=weekly;byday=fr,mo;interval=2')).toMatchObject({ freq: 'weekly', weekdays: ['MO', 'FR'], interval: 2 });
    expect(fromRrule('FREQ=MONTHLY;BYMONTHDAY=5;COUNT=6')).toMatchObject({ freq: 'monthly', monthDay: 5, end: 'count', count: 6 });
    expect(fromRrule('FREQ=MONTHLY')).toMatchObject({ freq: 'monthly', monthDay: 0 });
    expect(fromRrule('FREQ=DAILY;INTERVAL=2;UNTIL=20261231T235959Z')).toMatchObject({
      freq: 'daily',
      interval: 2,
      end: 'until',
      until: '2026-12-31',
    });
    expect(fromRrule('FREQ=DAILY;UNTIL=20261231')).toMatchObject({ end: 'until', until: '2026-12-31' });
  });
  it('daily on weekdays is weekly on those days', () => {
    expect(fromRrule('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR')).toMatchObject({ freq: 'weekly', weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'] });
  });
  it('what the editor cannot show stays custom', () => {
    for (const rule of [
      'FREQ=MONTHLY;BYDAY=1MO',
      'FREQ=YEARLY',
      'FREQ=HOURLY',
      'FREQ=MONTHLY;BYMONTHDAY=1,15',
      'FREQ=WEEKLY;BYSETPOS=1',
      'BYDAY=FR',
      'garbage',
    ]) {
      const parsed = fromRrule(rule);
      expect(parsed.freq, rule).toBe('custom');
      expect(parsed.raw).toBe(rule.toUpperCase());
    }
  });
  it('round-trips', () => {
    for (const rule of [
      'FREQ=DAILY',
      'FREQ=DAILY;INTERVAL=3;COUNT=5',
      'FREQ=WEEKLY;BYDAY=FR',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;UNTIL=20270101T235959Z',
      'FREQ=MONTHLY;BYMONTHDAY=-1',
      'FREQ=MONTHLY;BYMONTHDAY=5;COUNT=12',
    ]) {
      expect(toRrule(fromRrule(rule))).toBe(rule);
    }
  });
});

describe('describeRecurrence', () => {
  it('says it in Russian', () => {
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=FR')).toBe('Каждую неделю по пятницам');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,FR')).toBe('Каждую неделю по понедельникам и пятницам');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,WE,FR')).toBe('Каждую неделю по понедельникам, средам и пятницам');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR')).toBe('Каждую неделю по будням');
    expect(describeRecurrence('FREQ=WEEKLY;INTERVAL=2;BYDAY=SU')).toBe('Каждые 2 недели по воскресеньям');
    expect(describeRecurrence('FREQ=DAILY')).toBe('Каждый день');
    expect(describeRecurrence('FREQ=DAILY;INTERVAL=2')).toBe('Каждые 2 дня');
    expect(describeRecurrence('FREQ=DAILY;INTERVAL=5')).toBe('Каждые 5 дней');
    expect(describeRecurrence('FREQ=DAILY;INTERVAL=21')).toBe('Каждый 21 день');
    expect(describeRecurrence('FREQ=WEEKLY;INTERVAL=21')).toBe('Каждую 21 неделю');
    expect(describeRecurrence('FREQ=MONTHLY;BYMONTHDAY=5')).toBe('Каждый месяц, 5-го числа');
    expect(describeRecurrence('FREQ=MONTHLY;BYMONTHDAY=-1;INTERVAL=3')).toBe('Каждые 3 месяца, в последний день');
    expect(describeRecurrence('FREQ=DAILY;COUNT=10')).toBe('Каждый день, 10 раз');
    expect(describeRecurrence('FREQ=DAILY;COUNT=3')).toBe('Каждый день, 3 раза');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=FR;UNTIL=20261231T235959Z')).toBe('Каждую неделю по пятницам, до 31.12.2026');
    expect(describeRecurrence('FREQ=YEARLY')).toBe('По правилу FREQ=YEARLY');
    expect(describeRecurrence(null)).toBe('');
  });
  it('has a short form for lists', () => {
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=FR', { short: true })).toBe('каждую пятницу');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO', { short: true })).toBe('каждый понедельник');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=SU', { short: true })).toBe('каждое воскресенье');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,FR', { short: true })).toBe('каждую неделю по понедельникам и пятницам');
    expect(describeRecurrence('FREQ=DAILY', { short: true })).toBe('каждый день');
  });
  it('and in English', () => {
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=MO,FR', { lang: 'en' })).toBe('Every week on Mondays and Fridays');
    expect(describeRecurrence('FREQ=DAILY;INTERVAL=2;COUNT=1', { lang: 'en' })).toBe('Every 2 days, 1 time');
    expect(describeRecurrence('FREQ=MONTHLY;BYMONTHDAY=5', { lang: 'en' })).toBe('Every month, on day 5');
  });
});

describe('helpers', () => {
  it('pluralRu', () => {
    expect([1, 2, 5, 11, 12, 21, 22, 25, 111].map((n) => pluralRu(n, 'раз', 'раза', 'раз*'))).toEqual([
      'раз',
      'раза',
      'раз*',
      'раз*',
      'раз*',
      'раз',
      'раза',
      'раз*',
      'раз*',
    ]);
  });
  it('weekdayOfDate', () => {
    expect(weekdayOfDate('2026-11-27')).toBe('FR');
    expect(weekdayOfDate('2026-11-29')).toBe('SU');
    expect(weekdayOfDate('2026-11-30')).toBe('MO');
  });
  it('picker values are Moscow wall clock whatever the browser zone', () => {
    expect(toPickerValue('2026-11-27T13:00:00.000Z')).toBe('2026-11-27 16:00:00');
    expect(fromPickerValue('2026-11-27 16:00:00')).toBe('2026-11-27T13:00:00.000Z');
    expect(fromPickerValue(toPickerValue('2026-01-01T21:30:00.000Z'))).toBe('2026-01-01T21:30:00.000Z');
  });
  it('default due time', () => {
    expect(defaultDueValue(new Date('2026-11-27T07:20:00Z'))).toBe('2026-11-27 11:00:00'); // 10:20 Moscow
    expect(defaultDueValue(new Date('2026-11-27T16:00:00Z'))).toBe('2026-11-28 10:00:00'); // 19:00 Moscow
    expect(defaultDueValue(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01 10:00:00');
  });
  it('overdue text', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    expect(overdueText('2026-11-26T11:00:00Z', now)).toBe('просрочено на 2 дн');
    expect(overdueText('2026-11-28T09:00:00Z', now)).toBe('просрочено на 3 ч');
    expect(overdueText('2026-11-28T11:45:00Z', now)).toBe('просрочено на 15 мин');
    expect(overdueText('2026-11-28T12:30:00Z', now)).toBe('');
    expect(overdueText('2026-11-26T11:00:00Z', now, 'en')).toBe('2 d overdue');
  });
});
