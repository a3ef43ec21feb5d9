/**
 * Money is an integer number of kopecks everywhere (DESIGN §4). Arithmetic that divides goes through
 * bigint so that no float ever touches an amount; rounding is half away from zero, as accountants do.
 */
import { z } from 'zod';

/**
 * Thousands separator: U+00A0 NO-BREAK SPACE, which is what Intl.NumberFormat('ru-RU') prints
 * (Node 20, ICU 78 / CLDR 48) and what every PDF font has. The same character goes before "₽".
 */
export const MONEY_GROUP_SEPARATOR = '\u00A0';

const MINUS_SIGNS = /^[-\u2212]/;

function assertKopecks(kopecks: number): void {
  if (!Number.isSafeInteger(kopecks)) throw new RangeError(`Amount must be an integer number of kopecks: ${kopecks}`);
}

/** "1 234 567,89": groups of three, comma before kopecks, always two kopeck digits. */
export function formatMoneyPlain(kopecks: number): string {
  assertKopecks(kopecks);
  const abs = Math.abs(kopecks);
  const rubles = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, MONEY_GROUP_SEPARATOR);
  const kop = String(abs % 100).padStart(2, '0');
  return `${kopecks < 0 ? '-' : ''}${rubles},${kop}`;
}

/** "1 234 567,89 ₽". */
export function formatMoney(kopecks: number): string {
  return `${formatMoneyPlain(kopecks)}${MONEY_GROUP_SEPARATOR}₽`;
}

/**
 * Kopecks from what a person types: "1 234,5" → 123450, "1234.56" → 123456, "100 ₽" → 10000.
 * Spaces of any kind are ignored; one comma or dot separates at most two kopeck digits.
 * Anything else (3 decimals, "1,234.56", letters, empty) → null.
 */
export function parseMoney(input: string): number | null {
  let s = input.replace(/\s/g, '').replace(/(₽|руб\.?|р\.)$/i, '');
  const negative = MINUS_SIGNS.test(s);
  if (negative) s = s.slice(1);
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const value = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const n = Number(value);
  return negative && n !== 0 ? -n : n;
}

/** numerator / denominator rounded half away from zero; denominator > 0. */
function divRound(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  const r = numerator % denominator;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < denominator) return q;
  return numerator < 0n ? q - 1n : q + 1n;
}

/** Exact fixed-point value of a decimal number with at most `places` decimals, or null. */
function toScaled(value: number, places: number): bigint | null {
  if (!Number.isFinite(value)) return null;
  // String() gives the shortest decimal that round-trips, so 1.005 stays "1.005" rather than 1.00499….
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (!m || (m[3] ?? '').length > places) return null;
  const scaled = BigInt(m[2]) * 10n ** BigInt(places) + BigInt((m[3] ?? '').padEnd(places, '0'));
  return m[1] ? -scaled : scaled;
}

function toSafeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError('Amount is too large');
  return n;
}

/**
 * VAT included in a gross line total, as on Russian invoices («в том числе НДС»):
 * round(lineTotal × rate / (100 + rate)). rate is in percent (22, 10, 0; up to 2 decimals); null = без НДС.
 */
export function vatFromGross(lineTotal: number, rate: number | null): number {
  if (rate === null) return 0;
  assertKopecks(lineTotal);
  const hundredths = toScaled(rate, 2);
  if (hundredths === null || hundredths < 0n) throw new RangeError(`Bad VAT rate: ${rate}`);
  return toSafeNumber(divRound(BigInt(lineTotal) * hundredths, 10000n + hundredths));
}

/** quantity × price in kopecks, rounded to the kopeck; quantity may have up to 3 decimals (1.5 кг, 0.125 т). */
export function lineTotal(quantity: number, price: number): number {
  assertKopecks(price);
  const milli = toScaled(quantity, 3);
  if (milli === null) throw new RangeError(`Quantity must have at most 3 decimals: ${quantity}`);
  return toSafeNumber(divRound(milli * BigInt(price), 1000n));
}

/** An amount in kopecks as the API accepts it: a non-negative safe integer. */
export const kopecksSchema = z.number().int().nonnegative();

/** A line quantity: positive, at most 3 decimals, bounded so that quantity × price stays exact. */
export const quantitySchema = z
  .number()
  .positive()
  .max(1_000_000_000)
  .refine((q) => toScaled(q, 3) !== null, { message: 'Не более трёх знаков после запятой' });
