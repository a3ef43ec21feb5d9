/**
 * Report periods: presets (этот месяц, прошлый месяц, квартал, год) and a custom range, as `YYYY-MM-DD` dates in the
 * browser's calendar (the server reads them in the company time zone). Pure functions, unit-tested.
 */

export const PRESETS = ['month', 'prev', 'quarter', 'year', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export function isPreset(value: unknown): value is Preset {
  return typeof value === 'string' && (PRESETS as readonly string[]).includes(value);
}

export interface Range {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local date as `YYYY-MM-DD`. */
export function isoDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The last day of a `YYYY-MM` month. */
export function monthEnd(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return `${period}-${pad(new Date(y, m, 0).getDate())}`;
}

/** `YYYY-MM` of a local date. */
export function monthOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
}

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** The dates of a preset; «этот …» periods end today, so charts have no empty future. */
export function presetRange(preset: Exclude<Preset, 'custom'>, today: Date = new Date()): Range {
  const y = today.getFullYear();
  const m = today.getMonth();
  const to = isoDate(today);
  switch (preset) {
    case 'month':
      return { from: `${y}-${pad(m + 1)}-01`, to };
    case 'prev': {
      const prev = new Date(y, m - 1, 1);
      const period = monthOf(prev);
      return { from: `${period}-01`, to: monthEnd(period) };
    }
    case 'quarter':
      return { from: `${y}-${pad(Math.floor(m / 3) * 3 + 1)}-01`, to };
    case 'year':
      return { from: `${y}-01-01`, to };
  }
}

/** The range of a preset, or of a custom from/to (falling back to this month when incomplete or reversed). */
export function resolveRange(preset: Preset, from: string | null, to: string | null, today: Date = new Date()): Range {
  if (preset !== 'custom') return presetRange(preset, today);
  if (isIsoDate(from) && isIsoDate(to) && from <= to) return { from, to };
  if (isIsoDate(from) && !to) return { from, to: from > isoDate(today) ? from : isoDate(today) };
  return presetRange('month', today);
}

/** Days elapsed in a `YYYY-MM` month as of today (0 before it, all after it) and its length. */
export function monthProgress(period: string, today: Date = new Date()): { elapsed: number; days: number } {
  const days = Number(monthEnd(period).slice(8, 10));
  const current = monthOf(today);
  if (current < period) return { elapsed: 0, days };
  if (current > period) return { elapsed: days, days };
  return { elapsed: today.getDate(), days };
}
