/**
 * The company time zone's UTC offsets as a table the triggers can join (`report_tz`): one row per offset change
 * from 2000 to 2040, computed by `tzTransitions` in `common/dates.ts` (the one module of zone arithmetic), plus a
 * first row covering everything before. Filled at startup when the configured zone differs from the one the rollups were built in
 * (then the rollups are rebuilt: their days depend on the zone).
 */
import { sql } from 'kysely';
import { tzTransitions } from '../../../common/dates.js';
import type { Executor } from '../../platform/db/connect.js';

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
