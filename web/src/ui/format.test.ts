import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney, formatNumber, initials } from './format';

/** Intl uses (narrow) no-break spaces as the thousands separator in ru-RU. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('format', () => {
  it('dates in the Russian style', () => {
    expect(formatDate('2026-11-26')).toBe('26.11.2026');
    expect(formatDateTime(new Date(2026, 10, 26, 14, 5))).toBe('26.11.2026 14:05');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
  });

  it('money from kopecks', () => {
    expect(plain(formatMoney(123450))).toBe('1 234,50 ₽');
    expect(plain(formatMoney(0))).toBe('0,00 ₽');
    expect(formatMoney(undefined)).toBe('—');
    expect(plain(formatNumber(1234567))).toBe('1 234 567');
  });

  it('initials', () => {
    expect(initials('Анна Смирнова')).toBe('АС');
    expect(initials('  пётр  ')).toBe('П');
  });
});
