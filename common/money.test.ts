import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatMoneyPlain,
  kopecksSchema,
  lineTotal,
  MONEY_GROUP_SEPARATOR,
  parseMoney,
  quantitySchema,
  vatFromGross,
} from './money.js';

/** Every kind of space becomes a plain one, so expectations stay readable. */
const plain = (s: string): string => s.replace(/[\u00A0\u202F]/g, ' ');

describe('formatMoney', () => {
  it('formats kopecks as roubles', () => {
    expect(plain(formatMoney(123456789))).toBe('1 234 567,89 ₽');
    expect(plain(formatMoney(0))).toBe('0,00 ₽');
    expect(plain(formatMoney(5))).toBe('0,05 ₽');
    expect(plain(formatMoney(100))).toBe('1,00 ₽');
    expect(plain(formatMoney(100000))).toBe('1 000,00 ₽');
    expect(plain(formatMoney(-123456))).toBe('-1 234,56 ₽');
    expect(plain(formatMoney(Number.MAX_SAFE_INTEGER))).toBe('90 071 992 547 409,91 ₽');
  });

  it('uses U+00A0 as the separator, as Intl ru-RU does', () => {
    expect(formatMoney(123456789)).toBe('1\u00A0234\u00A0567,89\u00A0₽');
    expect(MONEY_GROUP_SEPARATOR).toBe('\u00A0');
    const intl = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' });
    for (const k of [0, 7, 99, 100, 123456, 123456789, -98765, 100000000000]) {
      expect(plain(formatMoney(k))).toBe(plain(intl.format(k / 100)));
    }
  });

  it('formatMoneyPlain has no currency sign', () => {
    expect(plain(formatMoneyPlain(123456789))).toBe('1 234 567,89');
    expect(plain(formatMoneyPlain(99999))).toBe('999,99');
  });

  it('refuses non-integer amounts', () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseMoney', () => {
  it.each([
    ['1 234,5', 123450],
    ['1234.56', 123456],
    ['1234,56', 123456],
    ['1234', 123400],
    ['0,01', 1],
    ['0', 0],
    ['  12 345 678,90  ', 1234567890],
    ['1\u00A0234\u00A0567,89\u00A0₽', 123456789],
    ['1\u202F234,00', 123400],
    ['100 ₽', 10000],
    ['100 руб.', 10000],
    ['-15,5', -1550],
    ['−15,5', -1550],
    ['-0', 0],
    ['007', 700],
  ])('%j → %d', (input, expected) => {
    expect(parseMoney(input)).toBe(expected);
  });

  it.each(['', ' ', '1,234', '1.234', '12,345.67', '1.234,56', '12,', ',5', 'abc', '12a', '1e3', '+5', '--5', '99999999999999999999'])(
    'refuses %j',
    (input) => expect(parseMoney(input)).toBeNull(),
  );

  it('round-trips formatMoney', () => {
    for (const k of [0, 1, 99, 123456789, -4200]) expect(parseMoney(formatMoney(k))).toBe(k);
  });
});

describe('vatFromGross', () => {
  it('extracts VAT included in the price', () => {
    expect(vatFromGross(12200, 22)).toBe(2200); // 122 ₽ incl. 22 % → 22 ₽
    expect(vatFromGross(11000, 10)).toBe(1000);
    expect(vatFromGross(12000, 20)).toBe(2000);
    expect(vatFromGross(10000, 22)).toBe(1803); // 1803.27…
    expect(vatFromGross(100, 22)).toBe(18); // 18.03
    expect(vatFromGross(123456789, 22)).toBe(22262700); // 22262699.66…
  });

  it('is 0 without VAT or at 0 %', () => {
    expect(vatFromGross(10000, null)).toBe(0);
    expect(vatFromGross(10000, 0)).toBe(0);
    expect(vatFromGross(0, 22)).toBe(0);
  });

  it('rounds exact halves away from zero', () => {
    // 61 × 22 / 122 = 11 exactly; 1 × 20 / 120 = 0.1666…; 3 × 20 / 120 = 0.5 → 1.
    expect(vatFromGross(61, 22)).toBe(11);
    expect(vatFromGross(1, 20)).toBe(0);
    expect(vatFromGross(3, 20)).toBe(1);
    expect(vatFromGross(-3, 20)).toBe(-1);
    expect(vatFromGross(9, 20)).toBe(2); // 1.5 → 2
    expect(vatFromGross(-9, 20)).toBe(-2);
  });

  it('has no float drift on large amounts', () => {
    const big = 9_007_199_254_740_991; // MAX_SAFE_INTEGER
    expect(vatFromGross(big, 20)).toBe(1_501_199_875_790_165); // exact: 1501199875790165.1666…
  });

  it('accepts fractional rates and refuses bad ones', () => {
    expect(vatFromGross(10500, 5)).toBe(500);
    expect(vatFromGross(10750, 7.5)).toBe(750);
    expect(() => vatFromGross(100, -1)).toThrow(RangeError);
    expect(() => vatFromGross(100, Number.NaN)).toThrow(RangeError);
    expect(() => vatFromGross(100, 1 / 3)).toThrow(RangeError);
    expect(() => vatFromGross(1.5, 22)).toThrow(RangeError);
  });
});

describe('lineTotal', () => {
  it('multiplies quantity by price', () => {
    expect(lineTotal(3, 12345)).toBe(37035);
    expect(lineTotal(1, 0)).toBe(0);
    expect(lineTotal(0.5, 12345)).toBe(6173); // 6172.5 → 6173
    expect(lineTotal(1.005, 10000)).toBe(10050); // 1.005 stays 1.005, not 1.00499…
    expect(lineTotal(0.001, 499)).toBe(0); // 0.499
    expect(lineTotal(0.001, 500)).toBe(1); // 0.5 → 1
    expect(lineTotal(2.125, 333)).toBe(708); // 707.625
    expect(lineTotal(-1.5, 333)).toBe(-500); // -499.5 → -500
    expect(lineTotal(0.1, 30)).toBe(3); // float 0.1 × 30 = 3.0000000000000004
  });

  it('refuses more than 3 decimals and non-integer prices', () => {
    expect(() => lineTotal(1.0001, 100)).toThrow(RangeError);
    expect(() => lineTotal(1e-7, 100)).toThrow(RangeError);
    expect(() => lineTotal(Number.POSITIVE_INFINITY, 100)).toThrow(RangeError);
    expect(() => lineTotal(1, 10.5)).toThrow(RangeError);
  });

  it('refuses results beyond safe integers', () => {
    expect(() => lineTotal(1_000_000, Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
  });
});

describe('schemas', () => {
  it('kopecksSchema takes non-negative integers', () => {
    expect(kopecksSchema.safeParse(0).success).toBe(true);
    expect(kopecksSchema.safeParse(123456).success).toBe(true);
    expect(kopecksSchema.safeParse(-1).success).toBe(false);
    expect(kopecksSchema.safeParse(1.5).success).toBe(false);
    expect(kopecksSchema.safeParse('100').success).toBe(false);
  });

  it('quantitySchema takes positive numbers with up to 3 decimals', () => {
    expect(quantitySchema.safeParse(1).success).toBe(true);
    expect(quantitySchema.safeParse(0.125).success).toBe(true);
    expect(quantitySchema.safeParse(0).success).toBe(false);
    expect(quantitySchema.safeParse(1.0001).error?.issues[0].message).toBe('Не более трёх знаков после запятой');
    expect(quantitySchema.safeParse(2e9).success).toBe(false);
  });
});
