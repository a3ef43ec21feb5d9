import { describe, expect, it } from 'vitest';
import '../../i18n';
import './i18n';
import { formatDuration, formatRubles, isSystemCode } from './format';
import { splitItemErrors, toItemInputs, totals, validateItems, type DraftItem } from './items';

const NB = '\u00A0';
const line = (patch: Partial<DraftItem>): DraftItem => ({
  key: 'k',
  productId: null,
  name: 'Окно',
  quantity: 1,
  price: 100,
  vatRate: 22,
  ...patch,
});

describe('deals formatting', () => {
  it('durations in Russian, two largest units', () => {
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe('3 дн 4 ч');
    expect(formatDuration(4 * 3600 + 12 * 60)).toBe('4 ч 12 мин');
    expect(formatDuration(2 * 86_400)).toBe('2 дн');
    expect(formatDuration(12 * 60)).toBe('12 мин');
    expect(formatDuration(20)).toBe('меньше минуты');
  });

  it('column sums in whole rubles', () => {
    expect(formatRubles(123_456_789)).toBe(`1${NB}234${NB}568${NB}₽`);
    expect(formatRubles(0)).toBe(`0${NB}₽`);
  });

  it('tells system stage codes from generated ones', () => {
    expect(isSystemCode('qualification')).toBe(true);
    expect(isSystemCode('s_1a2b3c4d')).toBe(false);
  });
});

describe('deal line items', () => {
  it('totals with VAT included, as the server counts them', () => {
    const sum = totals([line({ quantity: 3, price: 1_234_500, vatRate: 22 }), line({ quantity: 1, price: 1_500_050, vatRate: null })]);
    expect(sum).toEqual({ total: 5_203_550, vat: 667_844, hasVat: true });
    expect(totals([line({ quantity: 1.5, price: 333 })]).total).toBe(500); // 499.5 → 500, half away from zero
  });

  it('validates lines and maps the server errors', () => {
    expect(validateItems([line({ name: ' ', quantity: 0, price: null })])).toEqual({
      '0.name': 'Укажите товар или услугу',
      '0.quantity': 'Больше нуля, до 3 знаков после запятой',
      '0.price': 'Цена в рублях, например 1 234,56',
    });
    expect(validateItems([line({ quantity: 1.2345 })])).toHaveProperty('0.quantity');
    expect(splitItemErrors({ 'items.1.price': 'x', clientId: 'y' })).toEqual({ items: { '1.price': 'x' }, other: { clientId: 'y' } });
    expect(toItemInputs([line({ productId: 'p1', name: ' Окно ', quantity: '2' })])).toEqual([
      { productId: 'p1', name: 'Окно', quantity: 2, price: 100, vatRate: 22 },
    ]);
  });
});
