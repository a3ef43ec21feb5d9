/**
 * Task times in the company time zone (Europe/Moscow, DESIGN: every date on screen is the company's
 * wall clock, whatever the browser's zone). Mantine date pickers work with wall-clock strings
 * 'YYYY-MM-DD HH:mm:ss'; these helpers turn them into instants and back.
 */
import { DEFAULT_TZ, localDate, toInstant, toWallClock } from '../../../../common/dates';

export const COMPANY_TZ = DEFAULT_TZ;

const pad = (n: number) => String(n).padStart(2, '0');

/** The company's wall clock at an instant, read from common/dates (the one module with zone arithmetic). */
function wallParts(instant: Date | string, tz: string) {
  const w = toWallClock(instant, tz);
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
  };
}

/** An instant → the picker's wall-clock value in the company zone: '2026-11-27 16:00:00'. */
export function toPickerValue(instant: Date | string, tz: string = COMPANY_TZ): string {
  const p = wallParts(instant, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:00`;
}

/** The picker's wall-clock value (company zone) → ISO instant for the API ('2026-11-27T13:00:00.000Z'). */
export function fromPickerValue(value: string, tz: string = COMPANY_TZ): string {
  return toInstant(value.trim(), tz).toISOString();
}

/** 'YYYY-MM-DD' of a picker value. */
export function pickerDate(value: string | null | undefined): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value ?? '');
  return m ? m[1] : null;
}

/** Today's 'YYYY-MM-DD' in the company zone. */
export function companyToday(now: Date = new Date(), tz: string = COMPANY_TZ): string {
  return localDate(now, tz);
}

/**
 * A sensible default due time for a new task: today at the next full hour if before 18:00, else
 * tomorrow 10:00 (company zone), as a picker value.
 */
export function defaultDueValue(now: Date = new Date(), tz: string = COMPANY_TZ): string {
  const p = wallParts(now, tz);
  if (p.hour < 18) return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour + 1)}:00:00`;
  const tomorrow = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return `${tomorrow.getUTCFullYear()}-${pad(tomorrow.getUTCMonth() + 1)}-${pad(tomorrow.getUTCDate())} 10:00:00`;
}

export type Lang = 'ru' | 'en';

/**
 * How late an open task is: «просрочено на 2 дн», «просрочено на 3 ч», «просрочено на 15 мин».
 * Empty when it is not late.
 */
export function overdueText(dueAt: string, now: Date = new Date(), lang: Lang = 'ru'): string {
  const ms = now.getTime() - new Date(dueAt).getTime();
  if (!(ms > 0)) return '';
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (lang === 'en') {
    if (days >= 1) return `${days} d overdue`;
    if (hours >= 1) return `${hours} h overdue`;
    return `${Math.max(1, minutes)} min overdue`;
  }
  if (days >= 1) return `просрочено на ${days} дн`;
  if (hours >= 1) return `просрочено на ${hours} ч`;
  return `просрочено на ${Math.max(1, minutes)} мин`;
}

/** Reminder choices of the form (minutes before the due time). */
export const REMIND_OPTIONS = [15, 60, 1440] as const;
