import { formatMoney as money } from '../../../../common/money';
import { formatDateRu } from '../../../../common/dates';
import type { MeasureUnit } from '../../../../common/api/reports';

/** Russian formats of the reports: «1 234 567,89 ₽», «45,2 %», «26.11.2026», «1 234». */

const NBSP = '\u00A0';
const DASH = '—';

const integer = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('ru-RU', { notation: 'compact', maximumFractionDigits: 1 });

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Kopecks → «1 234 567,89 ₽». */
export function fmtMoney(kopecks: number | null | undefined): string {
  return finite(kopecks) ? money(Math.round(kopecks)) : DASH;
}

/** Kopecks → «1,2 млн ₽» (chart axes, small cards). */
export function fmtMoneyShort(kopecks: number | null | undefined): string {
  if (!finite(kopecks)) return DASH;
  const rub = kopecks / 100;
  return `${Math.abs(rub) < 10_000 ? integer.format(rub) : compact.format(rub)}${NBSP}₽`;
}

/** 1234567 → «1 234 567». */
export function fmtInt(value: number | null | undefined): string {
  return finite(value) ? integer.format(value) : DASH;
}

/** 12.345 → «12,35». */
export function fmtNumber(value: number | null | undefined, digits: 1 | 2 = 2): string {
  if (!finite(value)) return DASH;
  return (digits === 1 ? oneDecimal : twoDecimals).format(value);
}

/** A value already in percent: 45.24 → «45,2 %». */
export function fmtPercent(value: number | null | undefined): string {
  return finite(value) ? `${oneDecimal.format(value)}${NBSP}%` : DASH;
}

/** A share 0..1 → «45,2 %». */
export function fmtShare(value: number | null | undefined): string {
  return finite(value) ? fmtPercent(value * 100) : DASH;
}

/** '2026-11-26' → «26.11.2026». */
export function fmtDate(value: string | null | undefined): string {
  if (!value) return DASH;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value.slice(8, 10)}.${value.slice(5, 7)}.${value.slice(0, 4)}`;
  return formatDateRu(value);
}

/** Minutes → «12,5 мин». */
export function fmtMinutes(value: number | null | undefined): string {
  return finite(value) ? `${oneDecimal.format(value)}${NBSP}мин` : DASH;
}

/** A measure's value by its unit. */
export function fmtByUnit(unit: MeasureUnit, value: number | null | undefined): string {
  switch (unit) {
    case 'money':
      return fmtMoney(value);
    case 'percent':
      return fmtPercent(value);
    case 'minutes':
      return fmtMinutes(value);
    default:
      return fmtInt(value);
  }
}

/** A measure's value for chart axes (short). */
export function fmtByUnitShort(unit: MeasureUnit, value: number | null | undefined): string {
  switch (unit) {
    case 'money':
      return fmtMoneyShort(value);
    case 'percent':
      return fmtPercent(value);
    case 'minutes':
      return fmtMinutes(value);
    default:
      return finite(value) && Math.abs(value) >= 10_000 ? compact.format(value) : fmtInt(value);
  }
}

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '2026-11' → «Ноябрь 2026». */
export function fmtMonth(period: string, lang = 'ru'): string {
  const m = Number(period.slice(5, 7));
  const name = (lang === 'en' ? MONTHS_EN : MONTHS)[m - 1] ?? period;
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${period.slice(0, 4)}`;
}
