import i18n from 'i18next';
import { formatMoney, formatMoneyPlain, MONEY_GROUP_SEPARATOR } from '../../../../common/money';
import type { DealStatus } from '../../../../common/api/deals';
import type { StageKind } from '../../../../common/api/pipelines';

export { formatMoney, formatMoneyPlain };

/** Whole rubles for column headers: 123456789 kopecks → «1 234 568 ₽». */
export function formatRubles(kopecks: number): string {
  const rubles = Math.round(kopecks / 100);
  return `${formatMoneyPlain(rubles * 100).slice(0, -3)}${MONEY_GROUP_SEPARATOR}₽`;
}

const quantityFormat = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 3 });
/** 1.5 → «1,5»; 1000 → «1 000». */
export function formatQuantity(value: number): string {
  return quantityFormat.format(value);
}

/** VAT rates offered in the UI (the server accepts 0, 5, 7, 10, 20, 22 and null = без НДС). */
export const VAT_CHOICES: (number | null)[] = [22, 10, 0, null, 20, 7, 5];

export function vatLabel(rate: number | null): string {
  return rate === null ? i18n.t('deals.vat.none') : `${rate}\u00A0%`;
}

/** Select data for a VAT rate: values are strings ('none' for без НДС). */
export function vatOptions() {
  return VAT_CHOICES.map((rate) => ({ value: rate === null ? 'none' : String(rate), label: vatLabel(rate) }));
}
export const vatToValue = (rate: number | null) => (rate === null ? 'none' : String(rate));
export const valueToVat = (value: string | null) => (value === null || value === 'none' ? null : Number(value));

/** Seconds → «3 дн 4 ч», «4 ч 12 мин», «12 мин», «меньше минуты» (two largest units). */
export function formatDuration(seconds: number): string {
  const t = i18n.t.bind(i18n);
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) return hours > 0 ? `${t('deals.dur.d', { n: days })} ${t('deals.dur.h', { n: hours })}` : t('deals.dur.d', { n: days });
  if (hours > 0)
    return minutes > 0 ? `${t('deals.dur.h', { n: hours })} ${t('deals.dur.m', { n: minutes })}` : t('deals.dur.h', { n: hours });
  if (minutes > 0) return t('deals.dur.m', { n: minutes });
  return t('deals.dur.lessThanMinute');
}

/** Days since the deal entered its stage: «сегодня», «1 дн», «12 дн». */
export function formatDaysInStage(enteredAt: string, now = Date.now()): string {
  const days = Math.floor((now - new Date(enteredAt).getTime()) / 86_400_000);
  if (!Number.isFinite(days) || days <= 0) return i18n.t('deals.card.today');
  return i18n.t('deals.dur.d', { n: days });
}

export function daysInStage(enteredAt: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - new Date(enteredAt).getTime()) / 86_400_000));
}

export const STATUS_COLOR: Record<DealStatus, string> = { open: 'blue', won: 'green', lost: 'red' };
export const KIND_COLOR: Record<StageKind, string> = { open: 'blue', won: 'green', lost: 'red' };

/** A system stage code (the regulation's, or new/won/lost) — not one generated for an added stage. */
export function isSystemCode(code: string): boolean {
  return !/^s_[0-9a-f]+$/.test(code);
}
