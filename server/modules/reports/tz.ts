/**
 * The company time zone's UTC offsets as a table the triggers can join (`report_tz`): one row per offset change
 * from 2000 to 2040, computed with Intl (the same tz data as `common/dates.ts`), plus a first row covering
 * everything before. Filled at startup when the configured zone differs from the one the rollups were built in
 * (then the rollups are rebuilt: their days depend on the zone).
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset (local − UTC) of the zone at an instant, in minutes. */
export function offsetMinutes(ms: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const { type, value } of formatter(tz).formatToParts(ms)) if (type !== 'literal') p[type] = Number(value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((wall - whole) / 60000);
}

export interface TzRow {
  since: string;
  offsetMin: number;
}

const DAY = 86_400_000;
export const TZ_FROM = Date.UTC(2000, 0, 1);
export const TZ_TO = Date.UTC(2041, 0, 1);

const cache = new Map<string, TzRow[]>();

/** Offset changes of `tz` between 2000 and 2040 (to the second), the first row starting at 1900. */
export function tzTransitions(tz: string): TzRow[] {
  let rows = cache.get(tz);
  if (!rows) {
    rows = computeTransitions(tz, TZ_FROM, TZ_TO);
    cache.set(tz, rows);
  }
  return rows;
}

function computeTransitions(tz: string, from: number, to: number): TzRow[] {
  const rows: TzRow[] = [{ since: new Date(Date.UTC(1900, 0, 1)).toISOString(), offsetMin: offsetMinutes(from, tz) }];
  let prevT = from;
  let prev = rows[0].offsetMin;
  for (let t = from + DAY; t <= to; t += DAY) {
    const off = offsetMinutes(t, tz);
    if (off !== prev) {
      // The change happened in (prevT, t]: find its second.
      let lo = prevT;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetMinutes(mid, tz) === prev) lo = mid;
        else hi = mid;
      }
      rows.push({ since: new Date(hi).toISOString(), offsetMin: off });
      prev = off;
    }
    prevT = t;
  }
  return rows;
}

/** Is the zone's offset the same throughout [fromMs, toMs]? (The naive queries then use a fixed shift.) */
export function fixedOffset(tz: string, fromMs: number, toMs: number): number | null {
  const rows = tzTransitions(tz);
  const inForce = (ms: number) => {
    let off = rows[0].offsetMin;
    for (const r of rows) if (Date.parse(r.since) <= ms) off = r.offsetMin;
    return off;
  };
  const first = inForce(fromMs);
  const changes = rows.filter((r) => Date.parse(r.since) > fromMs && Date.parse(r.since) <= toMs);
  return changes.length === 0 || changes.every((r) => r.offsetMin === first) ? first : null;
}

/** The zone the rollups are built in (null: never built). */
export async function rollupZone(exec: Executor): Promise<string | null> {
  const r = await sql<{ tz: string | null }>`select tz from report_state where id = 1`.execute(exec);
  return r.rows[0]?.tz ?? null;
}

/** Writes the zone's offsets into report_tz and records the zone in report_state (caller's transaction). */
export async function writeZone(exec: Executor, tz: string): Promise<void> {
  await sql`delete from report_tz`.execute(exec);
  const rows = tzTransitions(tz);
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200);
    await sql`insert into report_tz (since, offset_min) values ${sql.join(part.map((r) => sql`(${r.since}, ${r.offsetMin})`))}`.execute(
      exec,
    );
  }
  await sql`update report_state set tz = ${tz} where id = 1`.execute(exec);
}
