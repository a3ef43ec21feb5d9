import { sql } from 'kysely';
import { connect } from '../server/platform/db/connect.js';
import { derivedTables, rebuildStatements } from '../server/modules/reports/rollup-schema.js';
const dialect = process.argv[2] as any;
const url = dialect === 'sqlite' ? 'sqlite:///tmp/rw/db/voronka.db' : 'postgres://postgres@127.0.0.1:5432/rw_prof';
const database = connect(url);
await database.db.transaction().execute(async (trx) => {
  await sql`update report_state set paused = 1`.execute(trx);
  for (const t of derivedTables) await sql.raw(`delete from ${t}`).execute(trx);
  for (const s of rebuildStatements(dialect, 'Europe/Moscow')) { const t0 = performance.now(); await sql.raw(s).execute(trx); console.log((performance.now() - t0).toFixed(0).padStart(7), s.slice(0, 100)); }
  await sql`update report_state set paused = 0`.execute(trx);
});
await database.close();
