import pino from 'pino';
import { connect } from '../server/platform/db/connect.js';
import { createServer } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { time } from '../bench/reports.bench.js';
const dialect = process.argv[2];
const url = dialect === 'sqlite' ? 'sqlite:///tmp/rw/db/voronka.db' : 'postgres://postgres@127.0.0.1:5432/rw_prof';
const database = connect(url);
const server = await createServer({ ...loadConfig({ VORONKA_DATA_DIR: '/tmp/rw/data' }, { readDotenv: false }), logLevel: 'warn', secret: 'x' }, { database, runJobs: false, logger: pino({ level: 'warn' }) });
const o = await server.ctx.db.selectFrom('users').selectAll().where('role', '=', 'owner').executeTakeFirstOrThrow();
const owner = { id: o.id, email: o.email, name: o.name, role: 'owner' as const, departmentId: null };
const r = server.ctx.services.reports; const now = new Date();
for (const [from, to] of [['2025-12-01', '2026-11-29'], ['2025-12-01', '2026-10-31'], ['2026-11-01', '2026-11-29']]) {
  for (const gb of [['region', 'source'], ['manager', 'region']] as any) {
    const ms = await time(() => r.sales(owner, { measure: 'deals', groupBy: gb, from, to }, { now }), 5);
    console.log(from, to, gb.join('×'), ms.toFixed(1));
  }
}
await server.close(); await database.close();
