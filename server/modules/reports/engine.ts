/**
 * The aggregation core shared by both engines. A report asks for a *fact kind* (deals created, deals closed,
 * payments, leads, tasks done, tasks overdue, reviews) grouped by up to two dimensions within a period, owners
 * (the caller's scope and filters) and a pipeline. An engine supplies the rows to aggregate as a subquery with
 * standard columns — `day` (local day), `owner_id`, `pipeline_id`, one column per dimension, and the kind's value
 * columns — and this module groups and sums them. The rollup engine (reports.repo.ts) reads rollups; the naive
 * engine (naive.ts) reads the raw tables: the same report from both must be equal (tests, benchmark).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { Dimension, TimeDimension } from '../../../common/api/reports.js';
import { timeDimensions } from '../../../common/api/reports.js';
import type { SqlDialect } from '../../platform/db/rollup-schema.js';

export type FactKind = 'created' | 'closed' | 'revenue' | 'leads' | 'tasks_done' | 'tasks_overdue' | 'reviews';
/** Public dimensions plus two internal ones (activity by task type, reviews by sentiment). */
export type EngineDim = Dimension | 'task_type' | 'sentiment';

/** Dimensions that are columns of the rows (not time, not people). */
export const COLUMN_DIMS = ['region', 'source', 'campaign', 'stage', 'loss_reason', 'product', 'task_type', 'sentiment'] as const;
export type ColumnDim = (typeof COLUMN_DIMS)[number];
export const isColumnDim = (d: EngineDim): d is ColumnDim => (COLUMN_DIMS as readonly string[]).includes(d);
export const isTimeDim = (d: EngineDim): d is TimeDimension => (timeDimensions as readonly string[]).includes(d);

export const kindValues: Record<FactKind, string[]> = {
  created: ['n', 'amount', 'n_won', 'amount_won', 'n_lost', 'amount_lost'],
  closed: ['n_won', 'amount_won', 'n_lost', 'amount_lost'],
  revenue: ['n', 'amount'],
  leads: ['n', 'n_resp', 'resp_ms', 'n_conv'],
  tasks_done: ['n'],
  tasks_overdue: ['n'],
  reviews: ['n', 'rating_sum'],
};

const T: EngineDim[] = [...timeDimensions, 'manager', 'department'];
/** The dimensions each kind's rows carry. */
export const kindDims: Record<FactKind, EngineDim[]> = {
  created: [...T, 'region', 'source', 'campaign', 'stage', 'loss_reason', 'product'],
  closed: [...T, 'region', 'source', 'campaign', 'loss_reason', 'product'],
  revenue: [...T, 'region', 'source', 'campaign'],
  leads: [...T, 'region', 'source', 'campaign'],
  tasks_done: [...T, 'task_type'],
  tasks_overdue: [...T, 'task_type'],
  reviews: [...T, 'sentiment'],
};

/** Kinds whose rows carry a pipeline (the pipelineId filter applies to them only). */
export const kindHasPipeline = (k: FactKind) => k === 'created' || k === 'closed' || k === 'revenue';

export interface AggQuery {
  kind: FactKind;
  groupBy: EngineDim[];
  /** Inclusive local dates. */
  from: string;
  to: string;
  /** Owner ids the caller may see and asked for; null = everybody (including records without an owner). */
  owners: string[] | null;
  pipelineId?: string | null;
  /** tasks kinds: only these task types. */
  taskTypes?: string[];
  now: Date;
  tz: string;
}

export interface AggRow {
  /** Group keys in groupBy order ('' = not set). */
  keys: string[];
  v: Record<string, number>;
}

export interface FunnelRaw {
  stageId: string;
  n: number;
  amount: number;
  nDone: number;
  durMs: number;
}

export interface ClientBaseQuery {
  /** First and last day of the whole months the ABC/XYZ analysis covers. */
  monthFrom: string;
  monthTo: string;
  months: number;
  owners: string[] | null;
  today: string;
  churnLimit: number;
}

export interface ClientBaseRaw {
  cells: { abc: string; xyz: string; clients: number; revenue: number }[];
  segments: { new: number; active: number; sleeping: number; lost: number; withPurchases: number };
  churnCount: number;
  churn: { clientId: string; ownerId: string; firstDay: string; lastDay: string; nDays: number; amount: number }[];
}

/** An engine: where the rows of a report come from. */
export interface Engine {
  readonly name: 'rollup' | 'naive';
  /** Rows of `q.kind` in the period with the columns the groupBy needs (see the module comment). */
  source(q: AggQuery): RawBuilder<unknown>;
  funnel(exec: Executor, q: { pipelineId: string; from: string; to: string; owners: string[] | null; tz: string }): Promise<FunnelRaw[]>;
  /** Per-client monthly revenue (client_id, month 'YYYY-MM', amount; one row per client and month) in the months, within owners. */
  clientMonths(q: ClientBaseQuery): RawBuilder<unknown>;
  /** Clients within owners (with purchases or not). */
  clientCount(exec: Executor, owners: string[] | null): Promise<number>;
  /** Per-client purchase summary (client_id, owner_id, first_day, last_day, n_days, amount) over all time. */
  clientSummary(q: ClientBaseQuery): RawBuilder<unknown>;
}

/** The bucket key of a local day for a time dimension: 'YYYY-MM-DD' (day; week = its Monday), 'YYYY-MM', 'YYYY-Qn', 'YYYY'. */
export function bucketExpr(d: SqlDialect, unit: TimeDimension, col: string): string {
  if (d === 'postgres') {
    switch (unit) {
      case 'day':
        return `to_char(${col}, 'YYYY-MM-DD')`;
      case 'week':
        return `to_char(${col} - (extract(isodow from ${col})::int - 1), 'YYYY-MM-DD')`;
      case 'month':
        return `to_char(${col}, 'YYYY-MM')`;
      case 'quarter':
        return `to_char(${col}, 'YYYY-"Q"Q')`;
      case 'year':
        return `to_char(${col}, 'YYYY')`;
    }
  }
  switch (unit) {
    case 'day':
      return col;
    case 'week':
      return `date(${col}, '-6 days', 'weekday 1')`;
    case 'month':
      return `substr(${col}, 1, 7)`;
    case 'quarter':
      return `substr(${col}, 1, 4) || '-Q' || ((cast(substr(${col}, 6, 2) as integer) + 2) / 3)`;
    case 'year':
      return `substr(${col}, 1, 4)`;
  }
}

/** `<col> in (…)` (col: a trusted SQL expression), or true for everybody. */
export function ownersCond(owners: string[] | null, col = 'R.owner_id'): RawBuilder<unknown> {
  if (owners === null) return sql`1 = 1`;
  if (owners.length === 0) return sql`1 = 0`;
  return sql`${sql.raw(col)} in (${sql.join(owners)})`;
}

/** A date parameter: typed as a date on PostgreSQL. */
export const dateParam = (d: SqlDialect, v: string) => (d === 'postgres' ? sql`cast(${v} as date)` : sql`${v}`);

/** Groups and sums an engine's rows. */
export async function aggregate(exec: Executor, d: SqlDialect, engine: Engine, q: AggQuery): Promise<AggRow[]> {
  if (q.owners && q.owners.length === 0) return [];
  const values = kindValues[q.kind];
  const groups = q.groupBy.map((dim) => {
    if (isTimeDim(dim)) return bucketExpr(d, dim, 'R.day');
    if (dim === 'manager') return 'R.owner_id';
    if (dim === 'department') return `coalesce(u.department_id, '')`;
    return `coalesce(R.${dim}, '')`;
  });
  const select = [...groups.map((g, i) => `${g} as g${i}`), ...values.map((v) => `sum(R.${v}) as ${v}`)].join(', ');
  const join = q.groupBy.includes('department') ? 'left join users u on u.id = R.owner_id' : '';
  const conds: RawBuilder<unknown>[] = [ownersCond(q.owners)];
  if (q.pipelineId && kindHasPipeline(q.kind)) conds.push(sql`R.pipeline_id = ${q.pipelineId}`);
  if (q.taskTypes && (q.kind === 'tasks_done' || q.kind === 'tasks_overdue')) {
    conds.push(q.taskTypes.length ? sql`R.task_type in (${sql.join(q.taskTypes)})` : sql`1 = 0`);
  }
  const groupBy = groups.length ? sql.raw(`group by ${groups.map((_, i) => `g${i}`).join(', ')}`) : sql``;
  const query = sql<
    Record<string, unknown>
  >`select ${sql.raw(select)} from (${engine.source(q)}) R ${sql.raw(join)} where ${sql.join(conds, sql` and `)} ${groupBy}`;
  const rows = (await query.execute(exec)).rows;
  return rows.map((r) => ({
    keys: q.groupBy.map((_, i) => (r[`g${i}`] === null || r[`g${i}`] === undefined ? '' : String(r[`g${i}`]))),
    v: Object.fromEntries(values.map((v) => [v, Number(r[v] ?? 0)])),
  }));
}

/** Classifies clients into ABC × XYZ from per-client monthly revenue (the same SQL over either engine's rows). */
export async function clientBase(
  exec: Executor,
  d: SqlDialect,
  engine: Engine,
  q: ClientBaseQuery,
  cache?: { get(): ClientBaseRaw['cells'] | undefined; set(cells: ClientBaseRaw['cells']): void },
): Promise<ClientBaseRaw & { clients: number }> {
  const cached = cache?.get();
  const cells = cached ?? (await abcXyz(exec, d, engine, q));
  if (!cached) cache?.set(cells);
  return { cells, ...(await clientSegments(exec, d, engine, q)) };
}

/** ABC × XYZ cells: the per-client part of the client base (its cost grows with the clients who paid in the period). */
async function abcXyz(exec: Executor, d: SqlDialect, engine: Engine, q: ClientBaseQuery): Promise<ClientBaseRaw['cells']> {
  const dbl = d === 'postgres' ? 'double precision' : 'real';
  const months = q.months;
  const tot = Number(
    (await sql<{ t: number | null }>`select sum(amount) as t from (${engine.clientMonths(q)}) cm`.execute(exec)).rows[0]?.t ?? 0,
  );
  // A: the clients bringing the first 80 % of the period's revenue (by revenue, then id), B: the next 15 %, C: the rest.
  // XYZ by the coefficient of variation of monthly revenue over the period's months (zeros included):
  // cv² = (Σm²·M − r²) / r²; X: cv ≤ 10 %, Y: cv ≤ 25 %, Z above.
  // PostgreSQL: keep the sums bigint (its sum() of bigint is numeric, much slower to add and compare).
  const big = (e: string) => (d === 'postgres' ? `cast(${e} as bigint)` : e);
  const cells = tot
    ? await sql<{ abc: string; xyz: string; clients: number; revenue: number }>`
    select abc, xyz, count(*) as clients, sum(r) as revenue from (
      select r,
        case when (cum - r) * 100 < ${sql.lit(tot * 80)} then 'A' when (cum - r) * 100 < ${sql.lit(tot * 95)} then 'B' else 'C' end as abc,
        case when s2 * ${sql.lit(months)} - cast(r as ${sql.raw(dbl)}) * r <= 0.01 * cast(r as ${sql.raw(dbl)}) * r then 'X'
             when s2 * ${sql.lit(months)} - cast(r as ${sql.raw(dbl)}) * r <= 0.0625 * cast(r as ${sql.raw(dbl)}) * r then 'Y' else 'Z' end as xyz
      from (
        select r, s2, ${sql.raw(big('sum(r) over (order by r desc, client_id rows unbounded preceding)'))} as cum
        from (
          select client_id, ${sql.raw(big('sum(amount)'))} as r, sum(cast(amount as ${sql.raw(dbl)}) * amount) as s2
          from (${engine.clientMonths(q)}) cm group by client_id having sum(amount) > 0
        ) pc
      ) w
    ) k group by abc, xyz`.execute(exec)
    : { rows: [] };
  return cells.rows.map((r) => ({ abc: r.abc, xyz: r.xyz, clients: Number(r.clients), revenue: Number(r.revenue) }));
}

/** Segments, churn risk and the client count: today's state of the base. */
async function clientSegments(
  exec: Executor,
  d: SqlDialect,
  engine: Engine,
  q: ClientBaseQuery,
): Promise<Omit<ClientBaseRaw, 'cells'> & { clients: number }> {
  const ago = (n: number) => addDays(q.today, -n);
  // Churn risk: two purchase days or more, not lost yet, and the days since the last one exceed 1.5 × the usual
  // interval ((last − first) / (purchase days − 1)), in integers: since × 2 × (n − 1) > 3 × (last − first).
  const since =
    d === 'postgres' ? sql`(${dateParam(d, q.today)} - s.last_day)` : sql`cast(julianday(${q.today}) - julianday(s.last_day) as integer)`;
  const span = d === 'postgres' ? sql`(s.last_day - s.first_day)` : sql`cast(julianday(s.last_day) - julianday(s.first_day) as integer)`;
  const risk = sql`s.n_days >= 2 and s.last_day > ${dateParam(d, ago(365))} and ${since} * 2 * (s.n_days - 1) > 3 * ${span}`;
  // Segments relative to today (company time zone), by the first and the last purchase day.
  const seg = await sql<{ new: number; active: number; sleeping: number; lost: number; total: number; risk: number }>`
    select
      sum(case when s.first_day > ${dateParam(d, ago(90))} then 1 else 0 end) as new,
      sum(case when s.first_day <= ${dateParam(d, ago(90))} and s.last_day > ${dateParam(d, ago(180))} then 1 else 0 end) as active,
      sum(case when s.first_day <= ${dateParam(d, ago(90))} and s.last_day <= ${dateParam(d, ago(180))} and s.last_day > ${dateParam(d, ago(365))} then 1 else 0 end) as sleeping,
      sum(case when s.first_day <= ${dateParam(d, ago(90))} and s.last_day <= ${dateParam(d, ago(365))} then 1 else 0 end) as lost,
      count(*) as total,
      sum(case when ${risk} then 1 else 0 end) as risk
    from (${engine.clientSummary(q)}) s`.execute(exec);
  const churn = await sql<{ client_id: string; owner_id: string; first_day: string; last_day: string; n_days: number; amount: number }>`
    select s.client_id, s.owner_id, s.first_day, s.last_day, s.n_days, s.amount from (${engine.clientSummary(q)}) s
    where ${risk} order by s.amount desc, s.client_id limit ${sql.lit(q.churnLimit)}`.execute(exec);
  const sg = seg.rows[0];
  return {
    segments: {
      new: Number(sg?.new ?? 0),
      active: Number(sg?.active ?? 0),
      sleeping: Number(sg?.sleeping ?? 0),
      lost: Number(sg?.lost ?? 0),
      withPurchases: Number(sg?.total ?? 0),
    },
    churnCount: Number(sg?.risk ?? 0),
    churn: churn.rows.map((r) => ({
      clientId: r.client_id,
      ownerId: r.owner_id,
      firstDay: String(r.first_day),
      lastDay: String(r.last_day),
      nDays: Number(r.n_days),
      amount: Number(r.amount),
    })),
    clients: await engine.clientCount(exec, q.owners),
  };
}

function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
