import dayjs from 'dayjs';

/**
 * UI-only formatting helpers (Russian conventions). Pure helpers shared with the server
 * (money in words, phones, requisites) belong to common/.
 */

const DASH = '—';

type DateLike = string | number | Date | null | undefined;

function parse(value: DateLike) {
  if (value === null || value === undefined || value === '') return null;
  const date = dayjs(value);
  return date.isValid() ? date : null;
}

/** 26.11.2026 */
export function formatDate(value: DateLike): string {
  return parse(value)?.format('DD.MM.YYYY') ?? DASH;
}

/** 26.11.2026 14:05 */
export function formatDateTime(value: DateLike): string {
  return parse(value)?.format('DD.MM.YYYY HH:mm') ?? DASH;
}

/** 14:05 */
export function formatTime(value: DateLike): string {
  return parse(value)?.format('HH:mm') ?? DASH;
}

/** 14:05 for today, 26.11.2026 14:05 for other days (lists of recent events). */
export function formatRecent(value: DateLike, now: Date = new Date()): string {
  const date = parse(value);
  if (!date) return DASH;
  return date.isSame(now, 'day') ? date.format('HH:mm') : date.format('DD.MM.YYYY HH:mm');
}

/** «26 ноября 2026» in the current dayjs locale. */
export function formatLongDate(value: DateLike): string {
  return parse(value)?.format('D MMMM YYYY') ?? DASH;
}

const rubles = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB', minimumFractionDigits: 2 });
const integers = new Intl.NumberFormat('ru-RU');

/** Integer kopecks → «1 234,50 ₽» (DESIGN §4: money is integer kopecks). */
export function formatMoney(kopecks: number | null | undefined): string {
  if (kopecks === null || kopecks === undefined || !Number.isFinite(kopecks)) return DASH;
  return rubles.format(kopecks / 100);
}

/** 1234567 → «1 234 567». */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return integers.format(value);
}

/** Initials for avatars: «Иван Петров» → «ИП». */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}
