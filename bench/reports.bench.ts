/**
 * Reports over a big database, SQLite and PostgreSQL:
 * 1. Load VORONKA_BENCH_REPORTS_DEALS deals (default 100 000; the figure is 1 000 000) and a fifth as many
 *    clients with the demo loader (triggers paused), add invoices + payments for every deal that reached «Оплачен»,
 *    leads for about half of the deals (a third converted, with campaigns) and reviews, then rebuild the rollups.
 * 2. Each standard report for the last 12 months, service-level as the owner (and a few as a head): median of
 *    VORONKA_BENCH_RUNS (5) runs from the rollups against the median of VORONKA_BENCH_NAIVE_RUNS (3) runs of the
 *    same report straight from the raw rows (naive.ts), and the ratio.
 * 3. An XLSX export of a ~10 000-row report (sales by day × manager), with the process's peak RSS.
 * 4. The cost of the triggers on writes: the demo loader's rate into an empty database with the triggers live vs
 *    paused (VORONKA_BENCH_TRIGGER_DEALS deals, default 20 000).
 * VORONKA_BENCH_REPORTS_DB=sqlite|postgres limits the dialects. Figures only, never asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { loadConfig, type Config } from '../server/config.js';
import { createServer, type Server } from '../server/app.js';
import { connect, type Database, type Dialect } from '../server/platform/db/connect.js';
import { loadDemo, prepareDemo } from '../server/modules/demo/demo.js';
import type { Actor } from '../server/platform/permissions.js';
import type { ReportsService, RunOpts } from '../server/modules/reports/reports.service.js';
import { naiveDay } from '../server/modules/reports/naive.js';
import { localDate } from '../common/dates.js';
import { fmt, median, tempDataDir, pgAdmin, PG_ADMIN_URL } from './support.js';

const DEALS = Number(process.env.VORONKA_BENCH_REPORTS_DEALS ?? 100_000);
const RUNS = Number(process.env.VORONKA_BENCH_RUNS ?? 5);
const NAIVE_RUNS = Number(process.env.VORONKA_BENCH_NAIVE_RUNS ?? 3);
const TRIGGER_DEALS = Number(process.env.VORONKA_BENCH_TRIGGER_DEALS ?? 20_000);
const DIALECTS = (process.env.VORONKA_BENCH_REPORTS_DB ?? 'sqlite,postgres').split(',') as Dialect[];

interface Db {
  url: string;
  drop(): Promise<void>;
}

async function freshDb(dialect: Dialect, tag: string): Promise<Db> {
  if (dialect === 'sqlite') {
    const dir = tempDataDir();
    return { url: `sqlite://${path.join(dir, 'voronka.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `voronka_bench_reports_${tag}_${process.pid}`;
  await pgAdmin(`drop database if exists ${name}`);
  await pgAdmin(`create database ${name}`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => pgAdmin(`drop database if exists ${name} with (force)`) };
}

function config(dataDir: string): Config {
  return { ...loadConfig({ VORONKA_DATA_DIR: dataDir }, { readDotenv: false }), logLevel: 'warn', secret: 'bench' };
}

async function start(database: Database): Promise<Server> {
  return createServer(config(tempDataDir()), { database, runJobs: false, logger: pino({ level: 'warn' }) });
}

/** Loads the demo (triggers paused or live); returns the server on a fresh connection, the roster and the load time. */
export async function load(dialect: Dialect, url: string, deals: number, opts: { paused: boolean }) {
  let database = connect(url);
  let server = await start(database);
  if (opts.paused) await server.ctx.services.reports.pause();
  const plan = await prepareDemo(server.ctx, { clients: Math.max(1, Math.round(deals / 5)), deals, seed: 42, users: 12 });
  // prepareDemo pauses the triggers itself (its finishDemo rebuilds); the "live" measurement resumes them.
  if (!opts.paused) await sql`update report_state set paused = 0 where id = 1`.execute(server.ctx.db);
  await server.close();
  if (dialect === 'sqlite') await database.close();
  // On SQLite the loader opens the file alone (as `voronka demo` does): it only needs the URL of the closed connection.
  const t0 = performance.now();
  const summary = await loadDemo(database, plan, { exclusive: dialect === 'sqlite' });
  const loadMs = performance.now() - t0;
  if (dialect === 'sqlite') database = connect(url);
  server = await start(database);
  return { database, server, plan, summary, loadMs };
}

/** Invoices and payments for deals that reached «Оплачен», leads and reviews — set-based, triggers paused. */
export async function addMoneyLeadsReviews(server: Server, dialect: Dialect) {
  const db = server.ctx.db;
  const tz = server.ctx.config.tz;
  const day = naiveDay(dialect, tz, '2000-01-01', '2040-12-31');
  const paidDay = day('h.entered_at');
  // Characters of the demo's UUIDv7 ids that vary from deal to deal (its run counter): 25, 23, 22, 21.
  const hex = (n: number) => `substr(d.id, ${n}, 1)`;
  const code = dialect === 'postgres' ? 'ascii' : 'unicode';
  const t0 = performance.now();
  await sql
    .raw(
      `insert into invoices (id, deal_id, client_id, year, seq, number, date, due_date, status, tax_mode, seller, buyer, client_name, deal_title,
         search_text, subtotal, vat_amount, total, paid_amount, paid_at, created_at, updated_at)
       select 'inv-' || d.id, d.id, d.client_id, 1999, row_number() over (order by d.id), 'Б-' || d.id, ${paidDay}, ${paidDay}, 'paid', 'vat22', '{}', '{}',
         'Клиент', d.title, d.id, d.amount, 0, d.amount, d.amount, ${paidDay}, h.entered_at, h.entered_at
       from deals d join deal_stage_history h on h.deal_id = d.id and h.stage_code = 'paid'`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into payments (id, invoice_id, client_id, amount, credit, paid_at, reference, created_by, created_at)
       select 'pay-' || i.deal_id, i.id, i.client_id, i.total, 0, i.date, null, null, i.created_at from invoices i where i.year = 1999`,
    )
    .execute(db);
  const campaign = `case when ${hex(23)} in ('0','1','2','3') then 'brand' when ${hex(23)} in ('4','5','6') then 'весна-2026' when ${hex(23)} in ('7','8') then 'ретаргетинг' else null end`;
  const resp =
    dialect === 'postgres'
      ? `d.created_at + (${code}(${hex(22)}) % 47) * interval '7 minutes'`
      : `strftime('%Y-%m-%dT%H:%M:%fZ', d.created_at, '+' || ((${code}(${hex(22)}) % 47) * 7) || ' minutes')`;
  const before = dialect === 'postgres' ? `d.created_at - interval '2 hours'` : `strftime('%Y-%m-%dT%H:%M:%fZ', d.created_at, '-2 hours')`;
  await sql
    .raw(
      `insert into leads (id, status, channel, name, region, source, utm_source, utm_campaign, fields, assignee_id, first_response_at, first_response_by,
         client_id, deal_id, search_text, created_at, updated_at)
       select 'lead-' || d.id, case when ${hex(25)} in ('0','1','2','3','4') then 'converted' when ${hex(25)} = '5' then 'junk' else 'in_work' end, 'form',
         'Заявка', c.region, d.source, 'yandex', ${campaign}, '{}', d.owner_id,
         case when ${hex(21)} in ('0','1') then null else ${resp} end, d.owner_id, d.client_id,
         case when ${hex(25)} in ('0','1','2','3','4') then d.id else null end, '', ${before}, ${before}
       from deals d join clients c on c.id = d.client_id where ${hex(25)} in ('0','1','2','3','4','5','6','7')`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into reviews (id, client_id, deal_id, rating, sentiment, text, source, author_id, created_at)
       select 'rev-' || d.id, d.client_id, d.id, 1 + (${code}(${hex(21)}) % 5),
         case when 1 + (${code}(${hex(21)}) % 5) <= 2 then 'negative' when 1 + (${code}(${hex(21)}) % 5) = 3 then 'neutral' else 'positive' end,
         'Отзыв', 'call', null, d.closed_at
       from deals d where d.status = 'won' and ${hex(25)} in ('a','b','c')`,
    )
    .execute(db);
  if (dialect === 'postgres') for (const t of ['invoices', 'payments', 'leads', 'reviews']) await sql.raw(`analyze ${t}`).execute(db);
  else await sql`analyze`.execute(db);
  return performance.now() - t0;
}

async function count(server: Server, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(server.ctx.db);
  return Number(r.rows[0].n);
}

export async function time(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export function reportCases(reports: ReportsService, owner: Actor, head: Actor, from: string, to: string, period: string) {
  const q = { from, to, format: 'json' as const };
  const cases: [string, (o: RunOpts) => Promise<unknown>][] = [
    ['funnel', (o) => reports.funnel(owner, q, o)],
    ['sales revenue × month', (o) => reports.sales(owner, { measure: 'revenue', groupBy: ['month'], from, to }, o)],
    ['sales deals × month × manager', (o) => reports.sales(owner, { measure: 'deals', groupBy: ['month', 'manager'], from, to }, o)],
    [
      'sales won_amount × manager × region',
      (o) => reports.sales(owner, { measure: 'won_amount', groupBy: ['manager', 'region'], from, to }, o),
    ],
    ['sales deals × region × month', (o) => reports.sales(owner, { measure: 'deals', groupBy: ['region', 'month'], from, to }, o)],
    ['sales pipeline_amount × product', (o) => reports.sales(owner, { measure: 'pipeline_amount', groupBy: ['product'], from, to }, o)],
    ['sales conversion × source', (o) => reports.sales(owner, { measure: 'conversion', groupBy: ['source'], from, to }, o)],
    ['sales avg_check × department', (o) => reports.sales(owner, { measure: 'avg_check', groupBy: ['department'], from, to }, o)],
    ['sales deals × region × source (pair)', (o) => reports.sales(owner, { measure: 'deals', groupBy: ['region', 'source'], from, to }, o)],
    ['sales leads × campaign', (o) => reports.sales(owner, { measure: 'leads', groupBy: ['campaign'], from, to }, o)],
    ['sales first_response × month', (o) => reports.sales(owner, { measure: 'first_response_minutes', groupBy: ['month'], from, to }, o)],
    ['sales tasks_done × week', (o) => reports.sales(owner, { measure: 'tasks_done', groupBy: ['week'], from, to }, o)],
    ['sales tasks_overdue × manager', (o) => reports.sales(owner, { measure: 'tasks_overdue', groupBy: ['manager'], from, to }, o)],
    ['activity', (o) => reports.activity(owner, q, o)],
    ['loss-reasons', (o) => reports.lossReasons(owner, q, o)],
    ['sources', (o) => reports.sources(owner, q, o)],
    ['reviews', (o) => reports.reviews(owner, q, o)],
    ['client-base (ABC/XYZ recomputed)', (o) => reports.clientBase(owner, q, { ...o, cache: false })],
    ['client-base (ABC/XYZ cached)', (o) => reports.clientBase(owner, q, o)],
    ['correlation tasks_done ~ revenue', (o) => reports.correlation(owner, { ...q, x: 'tasks_done', y: 'revenue', by: 'manager' }, o)],
    ['plan-fact (this month)', (o) => reports.planFact(owner, { period }, o)],
    ['head: funnel (department)', (o) => reports.funnel(head, q, o)],
    ['head: sales revenue × manager', (o) => reports.sales(head, { measure: 'revenue', groupBy: ['manager'], from, to }, o)],
  ];
  return cases;
}

async function benchDialect(dialect: Dialect) {
  if (DEALS > 0) await benchReports(dialect);
  if (TRIGGER_DEALS > 0) await benchTriggers(dialect);
}

async function benchReports(dialect: Dialect) {
  console.log(`\n--- ${dialect}: ${fmt(DEALS)} deals, ${fmt(Math.round(DEALS / 5))} clients ---`);
  const db = await freshDb(dialect, 'main');
  try {
    const { server, database, plan, summary, loadMs } = await load(dialect, db.url, DEALS, { paused: true });
    try {
      console.log(`demo load (triggers paused): ${fmt(loadMs / 1000, 1)} s, ${fmt(summary.rows)} rows`);
      const extraMs = await addMoneyLeadsReviews(server, dialect);
      console.log(
        `invoices+payments, leads, reviews: ${fmt(extraMs / 1000, 1)} s — payments ${fmt(await count(server, 'payments'))}, leads ${fmt(await count(server, 'leads'))}, ` +
          `reviews ${fmt(await count(server, 'reviews'))}, tasks ${fmt(await count(server, 'tasks'))}, stage history ${fmt(await count(server, 'deal_stage_history'))}`,
      );
      const reports = server.ctx.services.reports;
      const rb = await reports.rebuild();
      console.log(`rebuildRollups: ${fmt(rb.ms / 1000, 1)} s`);
      console.log(
        '  ' +
          Object.entries(rb.rows)
            .map(([t, n]) => `${t} ${fmt(n)}`)
            .join(', '),
      );

      const tz = server.ctx.config.tz;
      const now = new Date();
      const to = localDate(now, tz);
      const [y, m] = to.split('-').map(Number);
      const from = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
      const owner: Actor = {
        id: plan.roster.owner.id,
        email: plan.roster.owner.email,
        name: plan.roster.owner.name,
        role: 'owner',
        departmentId: null,
      };
      const h = plan.roster.heads[0];
      const head: Actor = { id: h.id, email: h.email, name: h.name, role: 'head', departmentId: h.departmentId };
      // Plans for everybody who sells, this month.
      for (const s of plan.roster.sellers) {
        for (const metric of ['revenue', 'deals', 'calls'] as const) {
          await server.ctx.services.plans.put(owner, {
            userId: s.user.id,
            period: to.slice(0, 7),
            metric,
            target: metric === 'revenue' ? 5_000_000_00 : 50,
          });
        }
      }
      console.log(`period ${from} … ${to}; medians of ${RUNS} (rollups) and ${NAIVE_RUNS} (naive) runs, ms:`);
      console.log(`${'report'.padEnd(40)} ${'rollups'.padStart(9)} ${'naive'.padStart(9)} ${'×'.padStart(7)}`);
      const rows: [string, number, number][] = [];
      for (const [name, fn] of reportCases(reports, owner, head, from, to, to.slice(0, 7))) {
        await fn({ engine: 'rollup', now }); // warm
        const r = await time(() => fn({ engine: 'rollup', now }), RUNS);
        const n = await time(() => fn({ engine: 'naive', now }), NAIVE_RUNS);
        rows.push([name, r, n]);
        console.log(`${name.padEnd(40)} ${fmt(r, 1).padStart(9)} ${fmt(n, 0).padStart(9)} ${fmt(n / r, 0).padStart(7)}`);
      }
      const worst = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
      const minRatio = rows.reduce((a, b) => (b[2] / b[1] < a[2] / a[1] ? b : a));
      console.log(
        `slowest from rollups: ${worst[0]} ${fmt(worst[1], 1)} ms; lowest ratio: ${minRatio[0]} ×${fmt(minRatio[2] / minRatio[1], 1)}`,
      );

      // XLSX of a big report, and the memory it takes.
      const big = await reports.sales(owner, {
        measure: 'deals',
        groupBy: ['day', 'manager'],
        from: localDate(new Date(now.getTime() - 730 * 86_400_000), tz),
        to,
      });
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const t0 = performance.now();
      const file = await reports.exportFile(owner, 'sales', { measure: 'deals', groupBy: ['day', 'manager'] }, big, 'xlsx');
      const xlsxMs = performance.now() - t0;
      clearInterval(timer);
      console.log(
        `XLSX export: ${fmt(big.rows.length)} rows in ${fmt(xlsxMs, 0)} ms, ${fmt(file.buffer.length / 1024, 0)} KiB; peak RSS ${fmt(peak / 2 ** 20, 0)} MiB`,
      );
    } finally {
      await server.close();
      await database.close();
    }
  } finally {
    await db.drop();
  }
}

/** The triggers' cost on writes: the same load into empty databases, triggers live vs paused. */
async function benchTriggers(dialect: Dialect) {
  // The demo's PostgreSQL writer skips every trigger (session_replication_role = replica) unless told not to.
  process.env.VORONKA_DEMO_PG_TRIGGERS = '1';
  const rate: Record<string, number> = {};
  for (const paused of [true, false]) {
    const tdb = await freshDb(dialect, paused ? 'paused' : 'live');
    try {
      const { server, database, loadMs, summary } = await load(dialect, tdb.url, TRIGGER_DEALS, { paused });
      rate[paused ? 'paused' : 'live'] = summary.rows / (loadMs / 1000);
      if (!paused)
        console.log(
          `  rollup rows kept by the triggers during the live load: r_deal ${fmt(await count(server, 'r_deal'))}, r_funnel ${fmt(await count(server, 'r_funnel'))}`,
        );
      console.log(
        `demo load of ${fmt(TRIGGER_DEALS)} deals with triggers ${paused ? 'paused' : 'live  '}: ${fmt(loadMs / 1000, 1)} s (${fmt(summary.rows / (loadMs / 1000))} rows/s)`,
      );
      await server.close();
      await database.close();
    } finally {
      await tdb.drop();
    }
  }
  console.log(`write cost of the triggers on a bulk load: ×${fmt(rate.paused / rate.live, 1)} slower`);
}

export async function run(): Promise<void> {
  for (const d of DIALECTS) await benchDialect(d);
}
