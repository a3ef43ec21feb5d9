import type { Lead } from '../../../../common/api/leads';

/** What the «Срок реакции» column shows for a lead at `now`. */
export type SlaState =
  | { kind: 'left'; minutes: number; urgent: boolean }
  | { kind: 'overdue'; minutes: number }
  | { kind: 'answered'; minutes: number }
  | { kind: 'none' };

const MINUTE = 60_000;

/**
 * A new lead counts down to `slaDueAt` (urgent — orange — in the last third of its SLA or the last 5 minutes),
 * then counts up as overdue. A lead somebody reacted to shows its first-response time.
 */
export function slaState(lead: Pick<Lead, 'status' | 'slaDueAt' | 'createdAt' | 'firstResponseMinutes'>, now: number): SlaState {
  if (lead.status === 'new' && lead.slaDueAt) {
    const due = Date.parse(lead.slaDueAt);
    if (Number.isFinite(due)) {
      const left = due - now;
      if (left > 0) {
        const total = due - Date.parse(lead.createdAt);
        const urgent = left <= 5 * MINUTE || (Number.isFinite(total) && total > 0 && left <= total / 3);
        // never more than the SLA itself (a browser clock a little behind the server's)
        const minutes = Math.ceil(left / MINUTE);
        return { kind: 'left', minutes: total > 0 ? Math.min(minutes, Math.ceil(total / MINUTE)) : minutes, urgent };
      }
      return { kind: 'overdue', minutes: Math.max(1, Math.floor(-left / MINUTE)) };
    }
  }
  if (lead.firstResponseMinutes !== null && lead.firstResponseMinutes !== undefined) {
    return { kind: 'answered', minutes: lead.firstResponseMinutes };
  }
  return { kind: 'none' };
}

export interface DurationParts {
  key: 'min' | 'hour' | 'hourMin' | 'day' | 'dayHour';
  d: number;
  h: number;
  m: number;
}

/** 12 → «12 мин», 80 → «1 ч 20 мин», 1500 → «1 д 1 ч» (i18n keys `leads.duration.*`). Fractions: «3,5 мин». */
export function durationParts(minutes: number): DurationParts {
  if (minutes < 60) return { key: 'min', d: 0, h: 0, m: minutes };
  const total = Math.round(minutes);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  if (d > 0) return { key: h > 0 ? 'dayHour' : 'day', d, h, m };
  return { key: m > 0 ? 'hourMin' : 'hour', d, h, m };
}

/** Minutes as the Russian UI writes them: integers as is, fractions with a comma and one decimal. */
export function formatMinutesNumber(m: number): string {
  return Number.isInteger(m) ? String(m) : m.toFixed(1).replace('.', ',');
}
