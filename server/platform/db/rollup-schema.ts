/**
 * The report rollups: tables, the database triggers that keep them in the same transaction as the data, and
 * the set-based statements that rebuild them from raw rows. One definition yields SQLite triggers and
 * PostgreSQL plpgsql trigger functions (see docs/ARCHITECTURE.md, «Отчёты»). Part of the schema (migration 008
 * creates it), so it lives under platform/db; the reports module reads and rebuilds the rollups.
 *
 * Layers:
 * 1. Mirrors, one row per source record with everything a report needs already resolved (no joins at query time):
 *    `report_deals` (a deal with its client's region, the campaign of the lead it came from, the local days it was
 *    created and closed on), `report_deal_stages` (deal × stage reached: stays, completed stays and their duration),
 *    `report_deal_products` (deal × product: lines and their total), `report_payments` (a payment with its deal's
 *    keys), `report_reviews` (a review with its client's owner).
 * 2. Rollups keyed by LOCAL day (company time zone) × owner × a few dimensions, with counts and sums: r_deal,
 *    r_close, r_funnel, r_product, r_product_close, r_revenue, r_client_month, r_client, r_lead, r_task, r_review.
 *
 * Every mirror and source row contributes to rollups through a "contribution" (rollup key and values as SQL over the
 * row); its triggers add the contribution on insert, subtract it on delete and, on an update that touches one of
 * its columns, subtract the old row's and add the new row's. Changes of a deal (owner, amount, stage, close,
 * reopen, client's region, campaign) flow into the mirrors, whose own triggers move the contributions.
 *
 * Local day in SQL: `report_tz` holds the offsets of the company zone (transitions 2000–2040 computed at startup by
 * `tzTransitions` of common/dates.ts, written by modules/reports/tz.ts); a timestamp's local day is its UTC time plus
 * the offset in force at that instant. The same table on both databases, so both agree with the application's own
 * `localDate()`.
 *
 * `report_state.paused = 1` makes every trigger a no-op (bulk loads; the rebuild sets it inside its own transaction).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './connect.js';

/** One offset change of the company zone (`report_tz` row): from `since` on, local = UTC + offsetMin. */
export interface ZoneOffset {
  since: string;
  offsetMin: number;
}

export type SqlDialect = Dialect;

/** Dialect-specific SQL snippets shared by the triggers, the rebuild, the rollup queries and the naive queries. */
export function sqlx(d: Dialect) {
  const pg = d === 'postgres';
  const offset = (ts: string) => `coalesce((select z.offset_min from report_tz z where z.since <= ${ts} order by z.since desc limit 1), 0)`;
  return {
    pg,
    offset,
    /** Local day ('YYYY-MM-DD' text on SQLite, date on PostgreSQL) of a timestamp, by report_tz. */
    localDay: (ts: string) =>
      pg ? `(((${ts}) at time zone 'UTC') + make_interval(mins => ${offset(ts)}))::date` : `date(${ts}, ${offset(ts)} || ' minutes')`,
    /** Whole milliseconds from b to a. */
    ms: (a: string, b: string) =>
      pg
        ? `round(extract(epoch from ((${a}) - (${b}))) * 1000)::bigint`
        : `cast(round((julianday(${a}) - julianday(${b})) * 86400000) as integer)`,
    month: (day: string) => (pg ? `to_char(${day}, 'YYYY-MM')` : `substr(${day}, 1, 7)`),
    /** The first day of a local day's month (the key of the monthly rollups). */
    monthStart: (day: string) => (pg ? `((${day}) - (extract(day from (${day}))::int - 1))` : `(substr(${day}, 1, 7) || '-01')`),
    distinct: (a: string, b: string) => (pg ? `(${a}) is distinct from (${b})` : `(${a}) is not (${b})`),
    /** The separator of a two-value key (source + campaign). */
    sep: pg ? 'chr(31)' : 'char(31)',
    dateType: pg ? 'date' : 'text',
    tsType: pg ? 'timestamptz' : 'text',
  };
}

/**
 * The local day with the zone's offsets written into the SQL as a CASE (for the set-based rebuild: no lookup per
 * row). The triggers use `sqlx().localDay`, which reads report_tz, so a change of zone needs no new triggers.
 */
export function inlineLocalDay(d: Dialect, rows: ZoneOffset[]): (ts: string) => string {
  const offset = (ts: string) =>
    rows.length === 1
      ? String(rows[0].offsetMin)
      : `(case ${[...rows]
          .slice(1)
          .reverse()
          .map((r) => `when ${ts} >= '${r.since}' then ${r.offsetMin}`)
          .join(' ')} else ${rows[0].offsetMin} end)`;
  return d === 'postgres'
    ? (ts) => `(((${ts}) at time zone 'UTC') + make_interval(mins => ${offset(ts)}))::date`
    : (ts) => `date(${ts}, ${offset(ts)} || ' minutes')`;
}

// ── tables ──

type ColType = 'text' | 'int' | 'bigint' | 'date' | 'ts';
interface TableDef {
  name: string;
  columns: [string, ColType, boolean?][]; // name, type, nullable
  pk: string[];
  indexes?: string[][];
  /** SQLite: clustered by the primary key (rollups are read by key ranges). */
  withoutRowid?: boolean;
}

const c = (name: string, type: ColType, nullable = false): [string, ColType, boolean] => [name, type, nullable];
const counts = (...names: string[]) => names.map((n) => c(n, 'bigint'));

export const reportTables: TableDef[] = [
  {
    name: 'report_state',
    columns: [c('id', 'int'), c('tz', 'text', true), c('paused', 'int'), c('built_at', 'text', true), c('cb_version', 'bigint')],
    pk: ['id'],
  },
  { name: 'report_tz', columns: [c('since', 'ts'), c('offset_min', 'int')], pk: ['since'] },
  {
    name: 'report_deals',
    columns: [
      c('deal_id', 'text'),
      c('client_id', 'text'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('stage_id', 'text'),
      c('status', 'text'),
      c('amount', 'bigint'),
      c('created_day', 'date'),
      c('closed_day', 'date', true),
      c('region', 'text'),
      c('source', 'text'),
      c('campaign', 'text'),
      c('loss_reason_id', 'text'),
    ],
    pk: ['deal_id'],
    indexes: [['client_id'], ['created_day'], ['closed_day']],
  },
  {
    name: 'report_deal_stages',
    columns: [
      c('deal_id', 'text'),
      c('stage_id', 'text'),
      c('pipeline_id', 'text'),
      c('stays', 'int'),
      c('done_stays', 'int'),
      c('dur_ms', 'bigint'),
      c('created_day', 'date'),
      c('owner_id', 'text'),
      c('amount', 'bigint'),
    ],
    pk: ['deal_id', 'stage_id'],
  },
  {
    name: 'report_deal_products',
    columns: [
      c('deal_id', 'text'),
      c('product_id', 'text'),
      c('items', 'int'),
      c('total', 'bigint'),
      c('created_day', 'date'),
      c('closed_day', 'date', true),
      c('status', 'text'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
    ],
    pk: ['deal_id', 'product_id'],
    indexes: [['created_day'], ['closed_day']],
  },
  {
    name: 'report_payments',
    columns: [
      c('payment_id', 'text'),
      c('deal_id', 'text'),
      c('client_id', 'text'),
      c('paid_day', 'date'),
      c('amount', 'bigint'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('region', 'text'),
      c('source', 'text'),
      c('campaign', 'text'),
      c('client_owner_id', 'text'),
    ],
    pk: ['payment_id'],
    indexes: [['deal_id'], ['client_id'], ['paid_day']],
  },
  {
    name: 'report_reviews',
    columns: [
      c('review_id', 'text'),
      c('client_id', 'text'),
      c('day', 'date'),
      c('owner_id', 'text'),
      c('sentiment', 'text'),
      c('rating', 'int'),
    ],
    pk: ['review_id'],
    indexes: [['client_id']],
  },
  // rollups
  {
    name: 'r_deal',
    columns: [
      c('dim', 'text'),
      c('day', 'date'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('val', 'text'),
      ...counts('n', 'amount', 'n_won', 'amount_won', 'n_lost', 'amount_lost'),
    ],
    pk: ['dim', 'day', 'owner_id', 'pipeline_id', 'val'],
    withoutRowid: true,
  },
  {
    name: 'r_close',
    columns: [
      c('dim', 'text'),
      c('day', 'date'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('val', 'text'),
      ...counts('n_won', 'amount_won', 'n_lost', 'amount_lost'),
    ],
    pk: ['dim', 'day', 'owner_id', 'pipeline_id', 'val'],
    withoutRowid: true,
  },
  {
    name: 'r_funnel',
    columns: [
      c('pipeline_id', 'text'),
      c('day', 'date'),
      c('owner_id', 'text'),
      c('stage_id', 'text'),
      ...counts('n', 'amount', 'n_done', 'dur_ms'),
    ],
    pk: ['pipeline_id', 'day', 'owner_id', 'stage_id'],
    withoutRowid: true,
  },
  {
    name: 'r_product',
    columns: [
      c('day', 'date'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('product_id', 'text'),
      ...counts('n', 'amount', 'n_won', 'amount_won'),
    ],
    pk: ['day', 'owner_id', 'pipeline_id', 'product_id'],
    withoutRowid: true,
  },
  {
    name: 'r_product_close',
    columns: [c('day', 'date'), c('owner_id', 'text'), c('pipeline_id', 'text'), c('product_id', 'text'), ...counts('n_won', 'amount_won')],
    pk: ['day', 'owner_id', 'pipeline_id', 'product_id'],
    withoutRowid: true,
  },
  {
    name: 'r_revenue',
    columns: [
      c('dim', 'text'),
      c('day', 'date'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('val', 'text'),
      ...counts('n', 'amount'),
    ],
    pk: ['dim', 'day', 'owner_id', 'pipeline_id', 'val'],
    withoutRowid: true,
  },
  {
    name: 'r_client_month',
    columns: [c('month', 'text'), c('owner_id', 'text'), c('client_id', 'text'), ...counts('amount')],
    pk: ['month', 'owner_id', 'client_id'],
    withoutRowid: true,
  },
  {
    name: 'r_client',
    columns: [c('client_id', 'text'), c('owner_id', 'text'), c('first_day', 'date'), c('last_day', 'date'), ...counts('n_days', 'amount')],
    pk: ['client_id'],
    indexes: [['owner_id', 'last_day'], ['amount']],
  },
  { name: 'r_client_count', columns: [c('owner_id', 'text'), ...counts('n')], pk: ['owner_id'] },
  {
    name: 'r_lead',
    columns: [c('dim', 'text'), c('day', 'date'), c('owner_id', 'text'), c('val', 'text'), ...counts('n', 'n_resp', 'resp_ms', 'n_conv')],
    pk: ['dim', 'day', 'owner_id', 'val'],
    withoutRowid: true,
  },
  {
    name: 'r_task',
    columns: [c('kind', 'text'), c('day', 'date'), c('owner_id', 'text'), c('type', 'text'), ...counts('n')],
    pk: ['kind', 'day', 'owner_id', 'type'],
    withoutRowid: true,
  },
  {
    name: 'r_review',
    columns: [c('day', 'date'), c('owner_id', 'text'), c('sentiment', 'text'), ...counts('n', 'rating_sum')],
    pk: ['day', 'owner_id', 'sentiment'],
    withoutRowid: true,
  },
  // Wide monthly rollups: the three marketing dimensions at once (pairs of them, by month).
  {
    name: 'r_deal_w',
    columns: [
      c('day', 'date'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('region', 'text'),
      c('source', 'text'),
      c('campaign', 'text'),
      ...counts('n', 'amount', 'n_won', 'amount_won', 'n_lost', 'amount_lost'),
    ],
    pk: ['day', 'owner_id', 'pipeline_id', 'region', 'source', 'campaign'],
    withoutRowid: true,
  },
  {
    name: 'r_close_w',
    columns: [
      c('day', 'date'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('region', 'text'),
      c('source', 'text'),
      c('campaign', 'text'),
      ...counts('n_won', 'amount_won', 'n_lost', 'amount_lost'),
    ],
    pk: ['day', 'owner_id', 'pipeline_id', 'region', 'source', 'campaign'],
    withoutRowid: true,
  },
  {
    name: 'r_revenue_w',
    columns: [
      c('day', 'date'),
      c('owner_id', 'text'),
      c('pipeline_id', 'text'),
      c('region', 'text'),
      c('source', 'text'),
      c('campaign', 'text'),
      ...counts('n', 'amount'),
    ],
    pk: ['day', 'owner_id', 'pipeline_id', 'region', 'source', 'campaign'],
    withoutRowid: true,
  },
  {
    name: 'r_lead_w',
    columns: [
      c('day', 'date'),
      c('owner_id', 'text'),
      c('region', 'text'),
      c('source', 'text'),
      c('campaign', 'text'),
      ...counts('n', 'n_resp', 'resp_ms', 'n_conv'),
    ],
    pk: ['day', 'owner_id', 'region', 'source', 'campaign'],
    withoutRowid: true,
  },
];

/** Daily rollups that also have a monthly twin `<name>_m` (same keys, `day` = the first day of the month). */
export const MONTHLY_ROLLUPS = ['r_deal', 'r_close', 'r_funnel', 'r_product', 'r_product_close', 'r_revenue', 'r_lead', 'r_task'];
for (const name of MONTHLY_ROLLUPS) {
  const t = reportTables.find((x) => x.name === name)!;
  reportTables.push({ ...t, name: `${name}_m`, indexes: undefined });
}

/** Mirror and rollup tables, emptied by a rebuild (report_state and report_tz stay). */
export const derivedTables = reportTables.map((t) => t.name).filter((n) => n !== 'report_state' && n !== 'report_tz');
/** The rollups proper (compared after a rebuild in tests). */
export const rollupTables = derivedTables.filter((n) => n.startsWith('r_'));

function createTableSql(d: Dialect, t: TableDef): string {
  const x = sqlx(d);
  const type = (ct: ColType) => ({ text: 'text', int: 'integer', bigint: 'bigint', date: x.dateType, ts: x.tsType })[ct];
  const cols = t.columns.map(([name, ct, nullable]) => `${name} ${type(ct)}${nullable ? '' : ' not null'}`);
  return `create table ${t.name} (${cols.join(', ')}, primary key (${t.pk.join(', ')}))${t.withoutRowid && d === 'sqlite' ? ' without rowid' : ''}`;
}

// ── contributions ──

interface Rollup {
  table: string;
  keys: string[];
  values: string[];
}

/** A row's part in a rollup: key and values as SQL over the row `R`, added when `when` holds. */
interface Contribution {
  rollup: Rollup;
  key: string[];
  value: string[];
  when?: string;
  /** Columns of the row whose change moves the contribution. */
  deps: string[];
}

/** SQL for the local day of a timestamp: the offsets-table lookup in triggers, an inline CASE in the rebuild. */
type DayFn = (ts: string) => string;

const rollup = (name: string): Rollup => {
  const t = reportTables.find((x) => x.name === name)!;
  const keys = t.pk;
  return { table: name, keys, values: t.columns.map((col) => col[0]).filter((n) => !keys.includes(n)) };
};

const WON = `case when R.status = 'won' then 1 else 0 end`;
const LOST = `case when R.status = 'lost' then 1 else 0 end`;

/** The dimensions a deal-level rollup (r_deal, r_close, r_revenue) is split by: '' = none, 'sc' = source + campaign. */
function dealDims(d: Dialect, names: string[]): { dim: string; val: string; cols: string[] }[] {
  const x = sqlx(d);
  const all: Record<string, { val: string; cols: string[] }> = {
    '': { val: `''`, cols: [] },
    region: { val: 'R.region', cols: ['region'] },
    source: { val: 'R.source', cols: ['source'] },
    campaign: { val: 'R.campaign', cols: ['campaign'] },
    stage: { val: 'R.stage_id', cols: ['stage_id'] },
    loss_reason: { val: 'R.loss_reason_id', cols: ['loss_reason_id'] },
    sc: { val: `R.source || ${x.sep} || R.campaign`, cols: ['source', 'campaign'] },
  };
  return names.map((dim) => ({ dim, ...all[dim] }));
}

export const R_DEAL_DIMS = ['', 'region', 'source', 'campaign', 'stage', 'loss_reason', 'sc'];
export const R_CLOSE_DIMS = ['', 'region', 'source', 'campaign', 'loss_reason', 'sc'];
export const R_REVENUE_DIMS = ['', 'region', 'source', 'campaign', 'sc'];
export const R_LEAD_DIMS = ['', 'region', 'source', 'campaign', 'sc'];

/** The monthly twin of a daily contribution: `<table>_m`, with the day key moved to the first day of its month. */
function monthly(d: Dialect, ct: Contribution): Contribution {
  const i = ct.rollup.keys.indexOf('day');
  return { ...ct, rollup: rollup(`${ct.rollup.table}_m`), key: ct.key.map((k, j) => (j === i ? sqlx(d).monthStart(k) : k)) };
}

/** Daily contributions plus their monthly twins. */
const withMonthly = (d: Dialect, cts: Contribution[]) => [
  ...cts,
  ...cts.filter((ct) => MONTHLY_ROLLUPS.includes(ct.rollup.table)).map((ct) => monthly(d, ct)),
];

function dealContributions(d: Dialect): Contribution[] {
  const x = sqlx(d);
  const out: Contribution[] = [];
  const created = ['1', 'R.amount', WON, `${WON} * R.amount`, LOST, `${LOST} * R.amount`];
  const closed = [WON, `${WON} * R.amount`, LOST, `${LOST} * R.amount`];
  const closedWhen = `R.closed_day is not null and R.status in ('won', 'lost')`;
  for (const dd of dealDims(d, R_DEAL_DIMS)) {
    out.push({
      rollup: rollup('r_deal'),
      key: [`'${dd.dim}'`, 'R.created_day', 'R.owner_id', 'R.pipeline_id', dd.val],
      value: created,
      deps: ['created_day', 'owner_id', 'pipeline_id', 'amount', 'status', ...dd.cols],
    });
  }
  for (const dd of dealDims(d, R_CLOSE_DIMS)) {
    out.push({
      rollup: rollup('r_close'),
      key: [`'${dd.dim}'`, 'R.closed_day', 'R.owner_id', 'R.pipeline_id', dd.val],
      value: closed,
      when: closedWhen,
      deps: ['closed_day', 'owner_id', 'pipeline_id', 'amount', 'status', ...dd.cols],
    });
  }
  const wide = ['R.owner_id', 'R.pipeline_id', 'R.region', 'R.source', 'R.campaign'];
  const wideDeps = ['owner_id', 'pipeline_id', 'amount', 'status', 'region', 'source', 'campaign'];
  out.push(
    { rollup: rollup('r_deal_w'), key: [x.monthStart('R.created_day'), ...wide], value: created, deps: ['created_day', ...wideDeps] },
    {
      rollup: rollup('r_close_w'),
      key: [x.monthStart('R.closed_day'), ...wide],
      value: closed,
      when: closedWhen,
      deps: ['closed_day', ...wideDeps],
    },
  );
  return withMonthly(d, out);
}

function stageContributions(d: Dialect): Contribution[] {
  return withMonthly(d, [
    {
      rollup: rollup('r_funnel'),
      key: ['R.pipeline_id', 'R.created_day', 'R.owner_id', 'R.stage_id'],
      value: ['1', 'R.amount', 'R.done_stays', 'R.dur_ms'],
      deps: ['pipeline_id', 'created_day', 'owner_id', 'stage_id', 'amount', 'done_stays', 'dur_ms'],
    },
  ]);
}

function productContributions(d: Dialect): Contribution[] {
  return withMonthly(d, [
    {
      rollup: rollup('r_product'),
      key: ['R.created_day', 'R.owner_id', 'R.pipeline_id', 'R.product_id'],
      value: ['1', 'R.total', WON, `${WON} * R.total`],
      deps: ['created_day', 'owner_id', 'pipeline_id', 'product_id', 'total', 'status'],
    },
    {
      rollup: rollup('r_product_close'),
      key: ['R.closed_day', 'R.owner_id', 'R.pipeline_id', 'R.product_id'],
      value: ['1', 'R.total'],
      when: `R.status = 'won' and R.closed_day is not null`,
      deps: ['closed_day', 'owner_id', 'pipeline_id', 'product_id', 'total', 'status'],
    },
  ]);
}

function paymentContributions(d: Dialect): Contribution[] {
  const x = sqlx(d);
  const out: Contribution[] = dealDims(d, R_REVENUE_DIMS).map((dd) => ({
    rollup: rollup('r_revenue'),
    key: [`'${dd.dim}'`, 'R.paid_day', 'R.owner_id', 'R.pipeline_id', dd.val],
    value: ['1', 'R.amount'],
    deps: ['paid_day', 'owner_id', 'pipeline_id', 'amount', ...dd.cols],
  }));
  out.push(
    {
      rollup: rollup('r_revenue_w'),
      key: [x.monthStart('R.paid_day'), 'R.owner_id', 'R.pipeline_id', 'R.region', 'R.source', 'R.campaign'],
      value: ['1', 'R.amount'],
      deps: ['paid_day', 'owner_id', 'pipeline_id', 'amount', 'region', 'source', 'campaign'],
    },
    {
      rollup: rollup('r_client_month'),
      key: [x.month('R.paid_day'), 'R.client_owner_id', 'R.client_id'],
      value: ['R.amount'],
      deps: ['paid_day', 'client_owner_id', 'client_id', 'amount'],
    },
  );
  return withMonthly(d, out);
}

/** Clients per owner (the client base's «no purchases» without counting the clients table). */
const clientCountContributions: Contribution[] = [
  { rollup: rollup('r_client_count'), key: [`coalesce(R.owner_id, '')`], value: ['1'], deps: ['owner_id'] },
];

const reviewContributions: Contribution[] = [
  {
    rollup: rollup('r_review'),
    key: ['R.day', 'R.owner_id', 'R.sentiment'],
    value: ['1', 'R.rating'],
    deps: ['day', 'owner_id', 'sentiment', 'rating'],
  },
];

function leadContributions(d: Dialect, day: DayFn): Contribution[] {
  const x = sqlx(d);
  const vals: Record<string, { val: string; cols: string[] }> = {
    '': { val: `''`, cols: [] },
    region: { val: `coalesce(R.region, '')`, cols: ['region'] },
    source: { val: `coalesce(R.source, '')`, cols: ['source'] },
    campaign: { val: `coalesce(R.utm_campaign, '')`, cols: ['utm_campaign'] },
    sc: { val: `coalesce(R.source, '') || ${x.sep} || coalesce(R.utm_campaign, '')`, cols: ['source', 'utm_campaign'] },
  };
  const value = [
    '1',
    `case when R.first_response_at is null then 0 else 1 end`,
    `case when R.first_response_at is null then 0 else ${x.ms('R.first_response_at', 'R.created_at')} end`,
    `case when R.status = 'converted' then 1 else 0 end`,
  ];
  const deps = ['created_at', 'assignee_id', 'first_response_at', 'status'];
  const out: Contribution[] = R_LEAD_DIMS.map((dim) => ({
    rollup: rollup('r_lead'),
    key: [`'${dim}'`, day('R.created_at'), `coalesce(R.assignee_id, '')`, vals[dim].val],
    value,
    deps: [...deps, ...vals[dim].cols],
  }));
  out.push({
    rollup: rollup('r_lead_w'),
    key: [x.monthStart(day('R.created_at')), `coalesce(R.assignee_id, '')`, vals.region.val, vals.source.val, vals.campaign.val],
    value,
    deps: [...deps, 'region', 'source', 'utm_campaign'],
  });
  return withMonthly(d, out);
}

function taskContributions(d: Dialect, day: DayFn): Contribution[] {
  return withMonthly(d, [
    {
      rollup: rollup('r_task'),
      key: [`'done'`, day('R.done_at'), `coalesce(R.assignee_id, '')`, 'R.type'],
      value: ['1'],
      when: `R.status = 'done' and R.done_at is not null`,
      deps: ['status', 'done_at', 'assignee_id', 'type'],
    },
    {
      rollup: rollup('r_task'),
      key: [`'open'`, day('R.due_at'), `coalesce(R.assignee_id, '')`, 'R.type'],
      value: ['1'],
      when: `R.status = 'open'`,
      deps: ['status', 'due_at', 'assignee_id', 'type'],
    },
    {
      rollup: rollup('r_task'),
      key: [`'late'`, day('R.due_at'), `coalesce(R.assignee_id, '')`, 'R.type'],
      value: ['1'],
      when: `R.status = 'done' and R.done_at > R.due_at`,
      deps: ['status', 'done_at', 'due_at', 'assignee_id', 'type'],
    },
  ]);
}

const onRow = (expr: string, row: string) => expr.replace(/\bR\./g, `${row}.`);

/** INSERT … ON CONFLICT DO UPDATE adding `sign` × the contribution of row NEW or OLD. */
function upsert(ct: Contribution, row: 'NEW' | 'OLD', sign: 1 | -1, guard?: string): string {
  const { table, keys, values } = ct.rollup;
  const keyExprs = ct.key.map((e) => onRow(e, row));
  const valExprs = ct.value.map((e) => (sign === 1 ? onRow(e, row) : `-(${onRow(e, row)})`));
  const cond = [ct.when ? onRow(ct.when, row) : null, guard ?? null].filter(Boolean).join(' and ') || '1 = 1';
  return (
    `insert into ${table} (${[...keys, ...values].join(', ')}) select ${[...keyExprs, ...valExprs].join(', ')} where ${cond} ` +
    `on conflict (${keys.join(', ')}) do update set ${values.map((v) => `${v} = ${table}.${v} + excluded.${v}`).join(', ')}`
  );
}

/**
 * The same contribution summed over every row of a table (rebuild). A plain INSERT: within a table, contributions
 * differ in their dim or kind key, so no two ever produce the same key.
 */
function rebuildContribution(ct: Contribution, source: string): string {
  const { table, keys, values } = ct.rollup;
  const inner = [...ct.key.map((e, i) => `${e} as k${i}`), ...ct.value.map((e, i) => `${e} as v${i}`)].join(', ');
  const outer = [...ct.key.map((_, i) => `k${i}`), ...ct.value.map((_, i) => `sum(v${i})`)].join(', ');
  return (
    `insert into ${table} (${[...keys, ...values].join(', ')}) select ${outer} from (select ${inner} from ${source} R where ${ct.when ?? '1 = 1'}) s ` +
    `group by ${ct.key.map((_, i) => `k${i}`).join(', ')}`
  );
}

// ── triggers ──

interface TriggerDef {
  name: string;
  table: string;
  event: 'insert' | 'update' | 'delete';
  /** Condition over OLD/NEW (no subqueries: PostgreSQL's WHEN refuses them). */
  when?: string;
  body: string[];
}

const changed = (d: Dialect, cols: string[]) =>
  `(${[...new Set(cols)].map((col) => sqlx(d).distinct(`OLD.${col}`, `NEW.${col}`)).join(' or ')})`;

/** Insert/update/delete triggers that keep a table's contributions in their rollups, plus extra statements. */
function contributionTriggers(
  d: Dialect,
  prefix: string,
  table: string,
  cts: Contribution[],
  extra: { insert?: string[]; update?: string[]; updateDeps?: string[]; delete?: string[] } = {},
): TriggerDef[] {
  const update: string[] = [];
  for (const ct of cts) {
    const guard = changed(d, ct.deps);
    update.push(upsert(ct, 'OLD', -1, guard), upsert(ct, 'NEW', 1, guard));
  }
  return [
    { name: `${prefix}_ins`, table, event: 'insert', body: [...cts.map((ct) => upsert(ct, 'NEW', 1)), ...(extra.insert ?? [])] },
    {
      name: `${prefix}_upd`,
      table,
      event: 'update',
      when: changed(d, [...cts.flatMap((ct) => ct.deps), ...(extra.updateDeps ?? [])]),
      body: [...update, ...(extra.update ?? [])],
    },
    { name: `${prefix}_del`, table, event: 'delete', body: [...cts.map((ct) => upsert(ct, 'OLD', -1)), ...(extra.delete ?? [])] },
  ];
}

/** The campaign of a deal: utm_campaign of the earliest lead converted into it. */
const campaignOf = (dealRef: string) =>
  `coalesce((select l.utm_campaign from leads l where l.deal_id = ${dealRef} order by l.created_at, l.id limit 1), '')`;

const DEAL_FACT_COLS = [
  'client_id',
  'owner_id',
  'pipeline_id',
  'stage_id',
  'status',
  'amount',
  'created_at',
  'closed_at',
  'source',
  'loss_reason_id',
];

function dealFactValues(row: string, day: DayFn): string {
  return [
    `${row}.id`,
    `${row}.client_id`,
    `coalesce(${row}.owner_id, '')`,
    `${row}.pipeline_id`,
    `${row}.stage_id`,
    `${row}.status`,
    `${row}.amount`,
    day(`${row}.created_at`),
    `case when ${row}.status in ('won', 'lost') then ${day(`${row}.closed_at`)} end`,
  ].join(', ');
}

const FACT_INSERT_COLS =
  'deal_id, client_id, owner_id, pipeline_id, stage_id, status, amount, created_day, closed_day, region, source, campaign, loss_reason_id';

function paymentMirrorInsert(row: string): string {
  return (
    `insert into report_payments (payment_id, deal_id, client_id, paid_day, amount, owner_id, pipeline_id, region, source, campaign, client_owner_id) ` +
    `select ${row}.id, i.deal_id, ${row}.client_id, ${row}.paid_at, ${row}.amount, coalesce(f.owner_id, ''), coalesce(f.pipeline_id, ''), ` +
    `coalesce(f.region, ''), coalesce(f.source, ''), coalesce(f.campaign, ''), coalesce((select cl.owner_id from clients cl where cl.id = ${row}.client_id), '') ` +
    `from invoices i left join report_deals f on f.deal_id = i.deal_id where i.id = ${row}.invoice_id`
  );
}

function reviewMirrorInsert(d: Dialect, row: string): string {
  return (
    `insert into report_reviews (review_id, client_id, day, owner_id, sentiment, rating) ` +
    `select ${row}.id, ${row}.client_id, ${sqlx(d).localDay(`${row}.created_at`)}, coalesce((select cl.owner_id from clients cl where cl.id = ${row}.client_id), ''), ` +
    `${row}.sentiment, ${row}.rating where 1 = 1`
  );
}

function stageBridgeAdd(d: Dialect, row: string): string {
  const x = sqlx(d);
  return (
    `insert into report_deal_stages (deal_id, stage_id, pipeline_id, stays, done_stays, dur_ms, created_day, owner_id, amount) ` +
    `select ${row}.deal_id, ${row}.stage_id, ${row}.pipeline_id, 1, case when ${row}.left_at is null then 0 else 1 end, ` +
    `coalesce(${x.ms(`${row}.left_at`, `${row}.entered_at`)}, 0), f.created_day, f.owner_id, f.amount from report_deals f where f.deal_id = ${row}.deal_id ` +
    `on conflict (deal_id, stage_id) do update set stays = report_deal_stages.stays + excluded.stays, ` +
    `done_stays = report_deal_stages.done_stays + excluded.done_stays, dur_ms = report_deal_stages.dur_ms + excluded.dur_ms`
  );
}

function stageBridgeSubtract(d: Dialect, row: string): string[] {
  const x = sqlx(d);
  return [
    `update report_deal_stages set stays = stays - 1, done_stays = done_stays - (case when ${row}.left_at is null then 0 else 1 end), ` +
      `dur_ms = dur_ms - coalesce(${x.ms(`${row}.left_at`, `${row}.entered_at`)}, 0) where deal_id = ${row}.deal_id and stage_id = ${row}.stage_id`,
  ];
}
const stageBridgeCleanup = (row: string) =>
  `delete from report_deal_stages where deal_id = ${row}.deal_id and stage_id = ${row}.stage_id and stays <= 0`;

function productBridgeAdd(row: string): string {
  return (
    `insert into report_deal_products (deal_id, product_id, items, total, created_day, closed_day, status, owner_id, pipeline_id) ` +
    `select ${row}.deal_id, coalesce(${row}.product_id, ''), 1, ${row}.total, f.created_day, f.closed_day, f.status, f.owner_id, f.pipeline_id ` +
    `from report_deals f where f.deal_id = ${row}.deal_id ` +
    `on conflict (deal_id, product_id) do update set items = report_deal_products.items + excluded.items, total = report_deal_products.total + excluded.total`
  );
}
const productBridgeSubtract = (row: string) =>
  `update report_deal_products set items = items - 1, total = total - ${row}.total where deal_id = ${row}.deal_id and product_id = coalesce(${row}.product_id, '')`;
const productBridgeCleanup = (row: string) =>
  `delete from report_deal_products where deal_id = ${row}.deal_id and product_id = coalesce(${row}.product_id, '') and items <= 0`;

/** The client base's monthly revenue changed: cached ABC/XYZ results of that version are stale. */
const CB_BUMP = `update report_state set cb_version = cb_version + 1 where id = 1`;

function clientRecompute(clientRef: string, guard = '1 = 1'): string[] {
  return [
    `delete from r_client where client_id = ${clientRef} and ${guard}`,
    `insert into r_client (client_id, owner_id, first_day, last_day, n_days, amount) select ${clientRef}, max(p.client_owner_id), min(p.paid_day), max(p.paid_day), ` +
      `count(distinct p.paid_day), sum(p.amount) from report_payments p where p.client_id = ${clientRef} and ${guard} having count(*) > 0`,
  ];
}

export function reportTriggers(d: Dialect): TriggerDef[] {
  const x = sqlx(d);
  const factSet = [
    `client_id = NEW.client_id`,
    `owner_id = coalesce(NEW.owner_id, '')`,
    `pipeline_id = NEW.pipeline_id`,
    `stage_id = NEW.stage_id`,
    `status = NEW.status`,
    `amount = NEW.amount`,
    `created_day = ${x.localDay('NEW.created_at')}`,
    `closed_day = case when NEW.status in ('won', 'lost') then ${x.localDay('NEW.closed_at')} end`,
    `region = coalesce((select cl.region from clients cl where cl.id = NEW.client_id), '')`,
    `source = coalesce(NEW.source, '')`,
    `loss_reason_id = coalesce(NEW.loss_reason_id, '')`,
  ].join(', ');

  const stageKeys = ['created_day', 'owner_id', 'amount'];
  const productKeys = ['created_day', 'closed_day', 'status', 'owner_id', 'pipeline_id'];
  const paymentKeys = ['owner_id', 'pipeline_id', 'region', 'source', 'campaign'];
  const propagate = (table: string, cols: string[]) =>
    `update ${table} set ${cols.map((col) => `${col} = NEW.${col}`).join(', ')} where deal_id = NEW.deal_id and ${changed(d, cols)}`;

  const leadCampaign = (row: string) =>
    `update report_deals set campaign = ${campaignOf('report_deals.deal_id')} where deal_id = ${row}.deal_id`;

  return [
    // deals → report_deals
    {
      name: 'report_deals_src_ins',
      table: 'deals',
      event: 'insert',
      body: [
        `insert into report_deals (${FACT_INSERT_COLS}) select ${dealFactValues('NEW', x.localDay)}, ` +
          `coalesce((select cl.region from clients cl where cl.id = NEW.client_id), ''), coalesce(NEW.source, ''), ${campaignOf('NEW.id')}, ` +
          `coalesce(NEW.loss_reason_id, '') where 1 = 1`,
      ],
    },
    {
      name: 'report_deals_src_upd',
      table: 'deals',
      event: 'update',
      when: changed(d, DEAL_FACT_COLS),
      body: [`update report_deals set ${factSet} where deal_id = NEW.id`],
    },
    { name: 'report_deals_src_del', table: 'deals', event: 'delete', body: [`delete from report_deals where deal_id = OLD.id`] },
    // clients: region of their deals, owner of their payments and reviews
    {
      name: 'report_clients_src_upd',
      table: 'clients',
      event: 'update',
      when: changed(d, ['region', 'owner_id']),
      body: [
        `update report_deals set region = coalesce(NEW.region, '') where client_id = NEW.id and ${changed(d, ['region'])}`,
        `update report_payments set client_owner_id = coalesce(NEW.owner_id, '') where client_id = NEW.id and ${changed(d, ['owner_id'])}`,
        `update report_reviews set owner_id = coalesce(NEW.owner_id, '') where client_id = NEW.id and ${changed(d, ['owner_id'])}`,
      ],
    },
    ...contributionTriggers(d, 'report_clients', 'clients', clientCountContributions),
    // report_deals → r_deal, r_close; its keys → bridges and payments
    ...contributionTriggers(d, 'report_deals', 'report_deals', dealContributions(d), {
      update: [
        propagate('report_deal_stages', stageKeys),
        propagate('report_deal_products', productKeys),
        propagate('report_payments', paymentKeys),
      ],
      updateDeps: [...stageKeys, ...productKeys, ...paymentKeys],
      delete: [
        `delete from report_deal_stages where deal_id = OLD.deal_id`,
        `delete from report_deal_products where deal_id = OLD.deal_id`,
      ],
    }),
    // deal_stage_history → report_deal_stages → r_funnel
    { name: 'report_history_src_ins', table: 'deal_stage_history', event: 'insert', body: [stageBridgeAdd(d, 'NEW')] },
    {
      name: 'report_history_src_upd',
      table: 'deal_stage_history',
      event: 'update',
      when: changed(d, ['deal_id', 'stage_id', 'entered_at', 'left_at']),
      body: [...stageBridgeSubtract(d, 'OLD'), stageBridgeAdd(d, 'NEW'), stageBridgeCleanup('OLD')],
    },
    {
      name: 'report_history_src_del',
      table: 'deal_stage_history',
      event: 'delete',
      body: [...stageBridgeSubtract(d, 'OLD'), stageBridgeCleanup('OLD')],
    },
    ...contributionTriggers(d, 'report_deal_stages', 'report_deal_stages', stageContributions(d)),
    // deal_items → report_deal_products → r_product, r_product_close
    { name: 'report_items_src_ins', table: 'deal_items', event: 'insert', body: [productBridgeAdd('NEW')] },
    {
      name: 'report_items_src_upd',
      table: 'deal_items',
      event: 'update',
      when: changed(d, ['deal_id', 'product_id', 'total']),
      body: [productBridgeSubtract('OLD'), productBridgeAdd('NEW'), productBridgeCleanup('OLD')],
    },
    {
      name: 'report_items_src_del',
      table: 'deal_items',
      event: 'delete',
      body: [productBridgeSubtract('OLD'), productBridgeCleanup('OLD')],
    },
    ...contributionTriggers(d, 'report_deal_products', 'report_deal_products', productContributions(d)),
    // payments → report_payments → r_revenue, r_client_month, r_client
    { name: 'report_payments_src_ins', table: 'payments', event: 'insert', body: [paymentMirrorInsert('NEW')] },
    {
      name: 'report_payments_src_upd',
      table: 'payments',
      event: 'update',
      when: changed(d, ['invoice_id', 'client_id', 'amount', 'paid_at']),
      body: [`delete from report_payments where payment_id = OLD.id`, paymentMirrorInsert('NEW')],
    },
    {
      name: 'report_payments_src_del',
      table: 'payments',
      event: 'delete',
      body: [`delete from report_payments where payment_id = OLD.id`],
    },
    ...contributionTriggers(d, 'report_payments', 'report_payments', paymentContributions(d), {
      insert: [...clientRecompute('NEW.client_id'), CB_BUMP],
      update: [
        ...clientRecompute('OLD.client_id', changed(d, ['client_id', 'paid_day', 'amount', 'client_owner_id'])),
        ...clientRecompute('NEW.client_id', changed(d, ['client_id', 'paid_day', 'amount', 'client_owner_id'])),
        `${CB_BUMP} and ${changed(d, ['client_id', 'paid_day', 'amount', 'client_owner_id'])}`,
      ],
      updateDeps: ['client_id', 'paid_day', 'amount', 'client_owner_id'],
      delete: [...clientRecompute('OLD.client_id'), CB_BUMP],
    }),
    // reviews → report_reviews → r_review
    { name: 'report_reviews_src_ins', table: 'reviews', event: 'insert', body: [reviewMirrorInsert(d, 'NEW')] },
    {
      name: 'report_reviews_src_upd',
      table: 'reviews',
      event: 'update',
      when: changed(d, ['client_id', 'created_at', 'sentiment', 'rating']),
      body: [`delete from report_reviews where review_id = OLD.id`, reviewMirrorInsert(d, 'NEW')],
    },
    { name: 'report_reviews_src_del', table: 'reviews', event: 'delete', body: [`delete from report_reviews where review_id = OLD.id`] },
    ...contributionTriggers(d, 'report_reviews', 'report_reviews', reviewContributions),
    // leads → r_lead, and the campaign of the deal a lead was converted into
    ...contributionTriggers(d, 'report_leads', 'leads', leadContributions(d, x.localDay), {
      insert: [leadCampaign('NEW')],
      update: [leadCampaign('OLD'), leadCampaign('NEW')].map((s) => `${s} and ${changed(d, ['deal_id', 'utm_campaign', 'created_at'])}`),
      updateDeps: ['deal_id', 'utm_campaign', 'created_at'],
      delete: [leadCampaign('OLD')],
    }),
    // tasks → r_task
    ...contributionTriggers(d, 'report_tasks', 'tasks', taskContributions(d, x.localDay)),
  ];
}

function triggerSql(d: Dialect, t: TriggerDef): string[] {
  if (d === 'sqlite') {
    const when = [`(select paused from report_state where id = 1) = 0`, t.when].filter(Boolean).join(' and ');
    return [
      `create trigger ${t.name} after ${t.event} on ${t.table} for each row when ${when} begin\n${t.body.map((s) => `  ${s};\n`).join('')}end`,
    ];
  }
  return [
    `create or replace function ${t.name}() returns trigger language plpgsql as $fn$\nbegin\n` +
      `  if (select paused from report_state where id = 1) <> 0 then return null; end if;\n` +
      t.body.map((s) => `  ${s};\n`).join('') +
      `  return null;\nend\n$fn$`,
    `create trigger ${t.name} after ${t.event} on ${t.table} for each row${t.when ? ` when (${t.when})` : ''} execute function ${t.name}()`,
  ];
}

/** Creates the report tables, indexes and triggers (migration 008). */
export async function createReportSchema(db: Kysely<any>, d: Dialect): Promise<void> {
  for (const t of reportTables) {
    await sql.raw(createTableSql(d, t)).execute(db);
    for (const cols of t.indexes ?? [])
      await sql.raw(`create index ${t.name}_${cols.join('_')}_idx on ${t.name} (${cols.join(', ')})`).execute(db);
  }
  // The campaign of a deal is looked up by leads.deal_id (triggers and rebuild).
  await sql.raw(`create index report_leads_deal_idx on leads (deal_id)`).execute(db);
  await sql.raw(`insert into report_state (id, tz, paused, built_at, cb_version) values (1, null, 0, null, 0)`).execute(db);
  for (const t of reportTriggers(d)) for (const s of triggerSql(d, t)) await sql.raw(s).execute(db);
}

export async function dropReportSchema(db: Kysely<any>, d: Dialect): Promise<void> {
  for (const t of reportTriggers(d)) {
    await sql.raw(`drop trigger if exists ${t.name}${d === 'postgres' ? ` on ${t.table}` : ''}`).execute(db);
    if (d === 'postgres') await sql.raw(`drop function if exists ${t.name}()`).execute(db);
  }
  await sql.raw(`drop index if exists report_leads_deal_idx`).execute(db);
  for (const t of [...reportTables].reverse()) await sql.raw(`drop table if exists ${t.name}`).execute(db);
}

/**
 * The set-based rebuild, in order: mirrors from the raw tables, then every rollup from its contributions.
 * Run inside one transaction with report_state.paused = 1 (rebuild.ts).
 */
export function rebuildStatements(d: Dialect, zone: ZoneOffset[]): string[] {
  const x = sqlx(d);
  const day = inlineLocalDay(d, zone);
  // The campaign of each deal: its earliest lead's (one pass over the leads instead of a lookup per deal).
  const firstLead =
    `left join (select deal_id, utm_campaign, row_number() over (partition by deal_id order by created_at, id) as rn from leads where deal_id is not null) fl ` +
    `on fl.deal_id = d.id and fl.rn = 1`;
  const out: string[] = [];
  out.push(
    `insert into report_deals (${FACT_INSERT_COLS}) select ${dealFactValues('d', day)}, coalesce(cl.region, ''), coalesce(d.source, ''), coalesce(fl.utm_campaign, ''), ` +
      `coalesce(d.loss_reason_id, '') from deals d left join clients cl on cl.id = d.client_id ${firstLead}`,
    `insert into report_deal_stages (deal_id, stage_id, pipeline_id, stays, done_stays, dur_ms, created_day, owner_id, amount) ` +
      `select h.deal_id, h.stage_id, max(h.pipeline_id), count(*), sum(case when h.left_at is null then 0 else 1 end), ` +
      `sum(coalesce(${x.ms('h.left_at', 'h.entered_at')}, 0)), f.created_day, f.owner_id, f.amount ` +
      `from deal_stage_history h join report_deals f on f.deal_id = h.deal_id group by h.deal_id, h.stage_id, f.created_day, f.owner_id, f.amount`,
    `insert into report_deal_products (deal_id, product_id, items, total, created_day, closed_day, status, owner_id, pipeline_id) ` +
      `select i.deal_id, coalesce(i.product_id, ''), count(*), sum(i.total), f.created_day, f.closed_day, f.status, f.owner_id, f.pipeline_id ` +
      `from deal_items i join report_deals f on f.deal_id = i.deal_id ` +
      `group by i.deal_id, coalesce(i.product_id, ''), f.created_day, f.closed_day, f.status, f.owner_id, f.pipeline_id`,
    `insert into report_payments (payment_id, deal_id, client_id, paid_day, amount, owner_id, pipeline_id, region, source, campaign, client_owner_id) ` +
      `select p.id, i.deal_id, p.client_id, p.paid_at, p.amount, coalesce(f.owner_id, ''), coalesce(f.pipeline_id, ''), coalesce(f.region, ''), ` +
      `coalesce(f.source, ''), coalesce(f.campaign, ''), coalesce(cl.owner_id, '') ` +
      `from payments p join invoices i on i.id = p.invoice_id left join report_deals f on f.deal_id = i.deal_id left join clients cl on cl.id = p.client_id`,
    `insert into report_reviews (review_id, client_id, day, owner_id, sentiment, rating) ` +
      `select r.id, r.client_id, ${day('r.created_at')}, coalesce(cl.owner_id, ''), r.sentiment, r.rating from reviews r left join clients cl on cl.id = r.client_id`,
  );
  const groups: [string, Contribution[]][] = [
    ['report_deals', dealContributions(d)],
    ['report_deal_stages', stageContributions(d)],
    ['report_deal_products', productContributions(d)],
    ['report_payments', paymentContributions(d)],
    ['report_reviews', reviewContributions],
    ['clients', clientCountContributions],
    ['leads', leadContributions(d, day)],
    ['tasks', taskContributions(d, day)],
  ];
  for (const [source, cts] of groups) for (const ct of cts) out.push(rebuildContribution(ct, source));
  out.push(
    `insert into r_client (client_id, owner_id, first_day, last_day, n_days, amount) select client_id, max(client_owner_id), min(paid_day), max(paid_day), ` +
      `count(distinct paid_day), sum(amount) from report_payments group by client_id`,
  );
  return out;
}
