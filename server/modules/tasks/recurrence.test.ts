import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { normalizeRecurrence } from './recurrence.js';

const refusal = (rule: string) => {
  try {
    normalizeRecurrence(rule);
  } catch (err) {
    if (err instanceof AppError) return err.fields?.recurrence;
    throw err;
  }
  return null;
};

describe('normalizeRecurrence', () => {
  it('refuses a month without such a day by arithmetic, before rrule walks the calendar for it', () => {
    const arithmetic = 'Правило повторения не даёт ни одной даты: в этих месяцах нет таких чисел';
    expect(refusal('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30')).toBe(arithmetic);
    expect(refusal('FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30;BYDAY=MO')).toBe(arithmetic);
    expect(refusal('FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31')).toBe(arithmetic);
    expect(refusal('FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=-30')).toBe(arithmetic);
  });

  it('keeps rules that have a date in some listed month', () => {
    expect(refusal('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29')).toBeNull();
    expect(refusal('FREQ=MONTHLY;BYMONTH=4,5;BYMONTHDAY=31')).toBeNull();
    expect(refusal('FREQ=MONTHLY;BYMONTHDAY=31')).toBeNull();
    expect(refusal('FREQ=MONTHLY;BYMONTHDAY=-1')).toBeNull();
    expect(normalizeRecurrence('rrule:freq=monthly;bymonthday=-1')).toBe('FREQ=MONTHLY;BYMONTHDAY=-1');
  });
});
