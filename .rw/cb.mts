import pino from 'pino';
import { sql } from 'kysely';
import { connect } from '../server/platform/db/connect.js';
import { createServer } from '../server/app.js';
import { loadConfig } from '../server/config.js';
const dialect = process.argv[2];
const url = dialect === 'sqlite' ? 'sqlite:///tmp/rw/db/voronka.db' : 'postgres://postgres@127.0.0.1:5432/rw_prof';
const database = connect(url);
const server = await createServer({ ...loadConfig({ VORONKA_DATA_DIR: '/tmp/rw/data' }, { readDotenv: false }), logLevel: 'warn', secret: 'x' }, { database, runJobs: false, logger: pino({ level: 'warn' }) });
const db = server.ctx.db;
const o = await db.selectFrom('users').selectAll().where('role', '=', 'owner').executeTakeFirstOrThrow();
const owner = { id: o.id, email: o.email, name: o.name, role: 'owner' as const, departmentId: null };
const orig = (server.ctx.db as any).executeQuery.bind(server.ctx.db);
const exec = server.ctx.db.getExecutor();
const origExec = exec.executeQuery.bind(exec);
(exec as any).executeQuery = async (q: any, ...rest: any[]) => { const t = performance.now(); const r = await origExec(q, ...rest); console.log((performance.now() - t).toFixed(1).padStart(7), q.sql.replace(/\s+/g, ' ').slice(0, 110)); return r; };
for (let i = 0; i < 2; i++) { console.log('---'); await server.ctx.services.reports.clientBase(owner, { from: '2025-12-01', to: '2026-11-29', format: 'json' }); }
void orig; void sql;
await server.close(); await database.close();
