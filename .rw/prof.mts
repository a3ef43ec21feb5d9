import pino from 'pino';
import { connect } from '../server/platform/db/connect.js';
import { createServer } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { reportCases, time } from '../bench/reports.bench.js';
import { localDate } from '../common/dates.js';
const dialect = process.argv[2];
const only = process.argv[3];
const url = dialect === 'sqlite' ? 'sqlite:///tmp/rw/db/voronka.db' : 'postgres://postgres@127.0.0.1:5432/rw_prof';
const database = connect(url);
const server = await createServer({ ...loadConfig({ VORONKA_DATA_DIR: '/tmp/rw/data' }, { readDotenv: false }), logLevel: 'warn', secret: 'x' }, { database, runJobs: false, logger: pino({ level: 'warn' }) });
const db = server.ctx.db;
const o = await db.selectFrom('users').selectAll().where('role', '=', 'owner').executeTakeFirstOrThrow();
const h = await db.selectFrom('users').selectAll().where('role', '=', 'head').executeTakeFirstOrThrow();
const owner = { id: o.id, email: o.email, name: o.name, role: 'owner' as const, departmentId: null };
const head = { id: h.id, email: h.email, name: h.name, role: 'head' as const, departmentId: h.department_id };
const now = new Date(); const to = localDate(now, 'Europe/Moscow'); const [y, m] = to.split('-').map(Number);
const from = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
for (const [name, fn] of reportCases(server.ctx.services.reports, owner, head, from, to, to.slice(0, 7))) {
  if (only && !name.includes(only)) continue;
  await fn({ engine: 'rollup', now });
  const r = await time(() => fn({ engine: 'rollup', now }), 5);
  const n = process.env.NAIVE ? await time(() => fn({ engine: 'naive', now }), 1) : NaN;
  console.log(name.padEnd(40), r.toFixed(1).padStart(8), n.toFixed(0).padStart(8));
}
await server.close(); await database.close();
