/**
 * Recomputes every report mirror and rollup from the raw rows, set-based, in one transaction (after a bulk load,
 * a change of the company time zone, or `voronka reports rebuild`). On PostgreSQL the source tables are locked in
 * SHARE mode for the duration, so no write slips between the snapshot and the rollups; SQLite has one writer.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { dialectOf } from '../../platform/db/types.js';
import { derivedTables, rebuildStatements } from '../../platform/db/rollup-schema.js';
import { tzTransitions } from '../../../common/dates.js';
import { rollupZone, writeZone } from './tz.js';

const SOURCES = ['clients', 'deals', 'deal_items', 'deal_stage_history', 'invoices', 'payments', 'leads', 'tasks', 'reviews'];

export interface RebuildResult {
  ms: number;
  rows: Record<string, number>;
}

/** Rebuilds in `exec`'s transaction, or in a new one. `tz` also rewrites the zone table first. */
export async function rebuildRollups(exec: Executor, opts: { tz?: string } = {}): Promise<RebuildResult> {
  const run = async (trx: Tx | Executor) => {
    const started = performance.now();
    const pg = dialectOf(trx) === 'postgres';
    if (pg) await sql.raw(`lock table ${SOURCES.join(', ')} in share mode`).execute(trx);
    if (opts.tz) await writeZone(trx, opts.tz);
    const tz = opts.tz ?? (await rollupZone(trx));
    if (!tz) throw new Error('report_state.tz is not set: rebuild with { tz }');
    await sql`update report_state set paused = 1 where id = 1`.execute(trx);
    if (pg) await sql.raw(`truncate ${derivedTables.join(', ')}`).execute(trx);
    else for (const t of derivedTables) await sql.raw(`delete from ${t}`).execute(trx);
    for (const s of rebuildStatements(pg ? 'postgres' : 'sqlite', tzTransitions(tz))) await sql.raw(s).execute(trx);
    await sql`update report_state set paused = 0, built_at = ${new Date().toISOString()}, cb_version = cb_version + 1 where id = 1`.execute(
      trx,
    );
    const rows: Record<string, number> = {};
    for (const t of derivedTables) {
      const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(trx);
      rows[t] = Number(r.rows[0].n);
    }
    if (pg) for (const t of derivedTables) await sql.raw(`analyze ${t}`).execute(trx);
    return { ms: performance.now() - started, rows };
  };
  if (exec.isTransaction) return run(exec);
  return exec.transaction().execute(run);
}

/**
 * Stops the triggers (committed: every connection sees it) before a bulk load of raw rows; the load must end with
 * rebuildRollups, which resumes them. While paused the reports do not follow the data.
 */
export async function pauseRollups(exec: Executor): Promise<void> {
  await sql`update report_state set paused = 1 where id = 1`.execute(exec);
}
