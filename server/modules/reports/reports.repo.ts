/**
 * The rollup engine: report rows from the rollups (never the raw tables), and the small lookups of names.
 *
 * Time: a period is cut into whole months, read from the monthly rollups (`<name>_m`, a row per month × owner × …),
 * and the partial months at its ends, read from the daily ones — a 12-month report reads about twelve monthly rows
 * and one month of daily rows per key. Grouping by day or week reads the daily rollups throughout.
 *
 * Dimensions (see docs/ARCHITECTURE.md «Отчёты»):
 * - no column dimension → the rollup's dim = '' rows (day × owner × pipeline);
 * - one column dimension → its dim rows (region, source, campaign, stage, loss reason) or the product rollup;
 * - source × campaign → the combined 'sc' rows;
 * - two of region, source, campaign → the wide monthly rollups (`r_*_w`) for whole months, the per-record mirrors
 *   (report_deals, report_payments; leads themselves) for the partial months;
 * - any other two column dimensions (with stage, loss reason or product) → the per-record mirrors: a scan of the
 *   period's records, already joined and with local days computed, but no rollup.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import {
  dateParam,
  isColumnDim,
  kindHasPipeline,
  kindValues,
  ownersCond,
  type AggQuery,
  type ClientBaseQuery,
  type ColumnDim,
  type Engine,
  type FunnelRaw,
} from './engine.js';
import { naiveLeadsSource } from './naive.js';
import { addDaysToDate, localDate, zonedMidnight } from '../../../common/dates.js';
import type { SqlDialect } from '../../platform/db/rollup-schema.js';

const lastDayOfMonth = (date: string) => {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/** Whole months of [from, to] (their first days) and the partial day ranges around them. */
export function splitPeriod(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  const firstFull = from.endsWith('-01') ? from : addDaysToDate(lastDayOfMonth(from), 1);
  const lastFull = to === lastDayOfMonth(to) ? `${to.slice(0, 7)}-01` : `${addDaysToDate(`${to.slice(0, 7)}-01`, -1).slice(0, 7)}-01`;
  if (firstFull > lastFull) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < firstFull) days.push([from, addDaysToDate(firstFull, -1)]);
  const afterFull = addDaysToDate(lastDayOfMonth(lastFull), 1);
  if (afterFull <= to) days.push([afterFull, to]);
  return { months: [firstFull, lastFull], days };
}

const MARKETING = ['region', 'source', 'campaign'];

export function rollupEngine(d: SqlDialect): Engine {
  const between = (col: string, a: string, b: string) =>
    sql`${sql.ref(col)} >= ${dateParam(d, a)} and ${sql.ref(col)} <= ${dateParam(d, b)}`;
  const splitSc =
    d === 'postgres'
      ? `split_part(val, chr(31), 1) as source, split_part(val, chr(31), 2) as campaign`
      : `substr(val, 1, instr(val, char(31)) - 1) as source, substr(val, instr(val, char(31)) + 1) as campaign`;
  const won = (a: string) => `case when ${a}.status = 'won' then 1 else 0 end`;
  const lost = (a: string) => `case when ${a}.status = 'lost' then 1 else 0 end`;
  const dealCols = `f.region, f.source, f.campaign, f.stage_id as stage, f.loss_reason_id as loss_reason`;

  /** Rows of a dim/val rollup for no, one, or the source × campaign column dimensions. */
  const dimRows = (table: string, cols: ColumnDim[], a: string, b: string): RawBuilder<unknown> => {
    let dim = '';
    let valCols = '';
    if (cols.length === 1) {
      dim = cols[0];
      valCols = `, val as ${cols[0]}`;
    } else if (cols.length === 2) {
      dim = 'sc';
      valCols = `, ${splitSc}`;
    }
    return sql`select *${sql.raw(valCols)} from ${sql.table(table)} where dim = ${dim} and ${between('day', a, b)}`;
  };
  const isSc = (cols: string[]) => cols.length === 2 && cols.includes('source') && cols.includes('campaign');
  const marketingPair = (cols: string[]) => cols.length === 2 && cols.every((c) => MARKETING.includes(c));

  /** Rows of one part of the period; `grain` 'm' reads monthly rollups (a, b: first days of months). */
  const part = (q: AggQuery, grain: 'd' | 'm', a: string, b: string): RawBuilder<unknown> => {
    const cols = q.groupBy.filter(isColumnDim);
    const m = grain === 'm' ? '_m' : '';
    // Per-record mirrors cover whole days: a monthly part spans its months' days.
    const dayTo = grain === 'm' ? lastDayOfMonth(b) : b;
    switch (q.kind) {
      case 'created':
      case 'closed': {
        const created = q.kind === 'created';
        if (cols.length === 0 || (cols.length === 1 && cols[0] !== 'product') || isSc(cols))
          return dimRows(`${created ? 'r_deal' : 'r_close'}${m}`, cols, a, b);
        if (cols.length === 1) {
          return created
            ? sql`select *, product_id as product, 0 as n_lost, 0 as amount_lost from ${sql.table(`r_product${m}`)} where ${between('day', a, b)}`
            : sql`select *, product_id as product, 0 as n_lost, 0 as amount_lost from ${sql.table(`r_product_close${m}`)} where ${between('day', a, b)}`;
        }
        if (grain === 'm' && marketingPair(cols))
          return sql`select * from ${sql.table(created ? 'r_deal_w' : 'r_close_w')} where ${between('day', a, b)}`;
        if (cols.includes('product')) {
          return created
            ? sql`select p.created_day as day, p.owner_id, p.pipeline_id, p.product_id as product, ${sql.raw(dealCols)}, 1 as n, p.total as amount,
                ${sql.raw(won('p'))} as n_won, ${sql.raw(won('p'))} * p.total as amount_won, 0 as n_lost, 0 as amount_lost
                from report_deal_products p join report_deals f on f.deal_id = p.deal_id where ${between('p.created_day', a, dayTo)}`
            : sql`select p.closed_day as day, p.owner_id, p.pipeline_id, p.product_id as product, ${sql.raw(dealCols)}, 1 as n_won, p.total as amount_won,
                0 as n_lost, 0 as amount_lost
                from report_deal_products p join report_deals f on f.deal_id = p.deal_id where p.status = 'won' and ${between('p.closed_day', a, dayTo)}`;
        }
        return created
          ? sql`select f.created_day as day, f.owner_id, f.pipeline_id, ${sql.raw(dealCols)}, 1 as n, f.amount, ${sql.raw(won('f'))} as n_won,
              ${sql.raw(won('f'))} * f.amount as amount_won, ${sql.raw(lost('f'))} as n_lost, ${sql.raw(lost('f'))} * f.amount as amount_lost
              from report_deals f where ${between('f.created_day', a, dayTo)}`
          : sql`select f.closed_day as day, f.owner_id, f.pipeline_id, ${sql.raw(dealCols)}, ${sql.raw(won('f'))} as n_won,
              ${sql.raw(won('f'))} * f.amount as amount_won, ${sql.raw(lost('f'))} as n_lost, ${sql.raw(lost('f'))} * f.amount as amount_lost
              from report_deals f where f.status in ('won', 'lost') and ${between('f.closed_day', a, dayTo)}`;
      }
      case 'revenue':
        if (cols.length <= 1 || isSc(cols)) return dimRows(`r_revenue${m}`, cols, a, b);
        if (grain === 'm') return sql`select * from r_revenue_w where ${between('day', a, b)}`;
        return sql`select paid_day as day, owner_id, pipeline_id, region, source, campaign, 1 as n, amount from report_payments where ${between('paid_day', a, dayTo)}`;
      case 'leads':
        if (cols.length <= 1 || isSc(cols)) return dimRows(`r_lead${m}`, cols, a, b);
        if (grain === 'm') return sql`select * from r_lead_w where ${between('day', a, b)}`;
        return naiveLeadsSource(d, { ...q, from: a, to: dayTo });
      case 'tasks_done':
        return sql`select day, owner_id, type as task_type, n from ${sql.table(`r_task${m}`)} where kind = 'done' and ${between('day', a, b)}`;
      case 'tasks_overdue':
        throw new Error('tasks_overdue is assembled by source()');
      case 'reviews':
        return sql`select day, owner_id, sentiment, n, rating_sum from r_review where ${between('day', a, b)}`;
    }
  };

  /** The parts of [from, to]: monthly rollups for whole months, daily ones around them (or throughout). */
  const parts = (
    q: AggQuery,
    from: string,
    to: string,
    build: (grain: 'd' | 'm', a: string, b: string) => RawBuilder<unknown>,
  ): RawBuilder<unknown>[] => {
    const daily = q.groupBy.includes('day') || q.groupBy.includes('week') || q.kind === 'reviews';
    if (daily) return [build('d', from, to)];
    const split = splitPeriod(from, to);
    return [...(split.months ? [build('m', split.months[0], split.months[1])] : []), ...split.days.map(([a, b]) => build('d', a, b))];
  };

  const source = (q: AggQuery): RawBuilder<unknown> => {
    // Every part yields the same columns, in the same order.
    const cols = [
      'day',
      'owner_id',
      ...(kindHasPipeline(q.kind) ? ['pipeline_id'] : []),
      ...q.groupBy.filter(isColumnDim),
      ...(q.kind === 'tasks_done' || q.kind === 'tasks_overdue' ? (q.groupBy.includes('task_type') ? [] : ['task_type']) : []),
      ...kindValues[q.kind],
    ];
    const shape = (b: RawBuilder<unknown>) => sql`select ${sql.raw(cols.map((c) => `p.${c}`).join(', '))} from (${b}) p`;
    let list: RawBuilder<unknown>[];
    if (q.kind === 'tasks_overdue') {
      // Done after the due time (by due day), or still open and due before today; today: open and due before now.
      const today = localDate(q.now, q.tz);
      const yesterday = addDaysToDate(today, -1);
      const task = (kind: string) => (grain: 'd' | 'm', a: string, b: string) =>
        sql`select day, owner_id, type as task_type, n from ${sql.table(grain === 'm' ? 'r_task_m' : 'r_task')} where kind = ${kind} and ${between('day', a, b)}`;
      list = parts(q, q.from, q.to, task('late'));
      const openTo = q.to < yesterday ? q.to : yesterday;
      if (q.from <= openTo) list.push(...parts(q, q.from, openTo, task('open')));
      if (q.from <= today && today <= q.to) {
        const start = zonedMidnight(today, q.tz).toISOString();
        list.push(
          sql`select ${dateParam(d, today)} as day, assignee_id as owner_id, type as task_type, 1 as n from tasks
              where status = 'open' and due_at >= ${start} and due_at < ${q.now.toISOString()}`,
        );
      }
    } else list = parts(q, q.from, q.to, (grain, a, b) => part(q, grain, a, b));
    return sql.join(list.map(shape), sql` union all `);
  };

  return {
    name: 'rollup',
    source,
    async funnel(exec, q) {
      const fq = { kind: 'created', groupBy: [], from: q.from, to: q.to, owners: q.owners, now: new Date(), tz: q.tz } as AggQuery;
      const list = parts(
        fq,
        q.from,
        q.to,
        (grain, a, b) =>
          sql`select stage_id, n, amount, n_done, dur_ms, owner_id from ${sql.table(grain === 'm' ? 'r_funnel_m' : 'r_funnel')}
            where pipeline_id = ${q.pipelineId} and ${between('day', a, b)}`,
      );
      const rows = await sql<{ stage_id: string; n: number; amount: number; n_done: number; dur_ms: number }>`
        select stage_id, sum(n) as n, sum(amount) as amount, sum(n_done) as n_done, sum(dur_ms) as dur_ms from (${sql.join(list, sql` union all `)}) R
        where ${ownersCond(q.owners)} group by stage_id`.execute(exec);
      return rows.rows.map((r): FunnelRaw => ({
        stageId: r.stage_id,
        n: Number(r.n),
        amount: Number(r.amount),
        nDone: Number(r.n_done),
        durMs: Number(r.dur_ms),
      }));
    },
    clientMonths(q: ClientBaseQuery) {
      return sql`select client_id, month, amount from r_client_month R
        where month >= ${q.monthFrom.slice(0, 7)} and month <= ${q.monthTo.slice(0, 7)} and ${ownersCond(q.owners)}`;
    },
    clientSummary(q: ClientBaseQuery) {
      return sql`select client_id, owner_id, first_day, last_day, n_days, amount from r_client R where ${ownersCond(q.owners)}`;
    },
    async clientCount(exec, owners) {
      const r = await sql<{ n: number | null }>`select sum(n) as n from r_client_count R where ${ownersCond(owners)}`.execute(exec);
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}

// ── lookups ──

export const reportsRepo = {
  /** Ids of the active and inactive users of a department. */
  async departmentUserIds(exec: Executor, departmentId: string): Promise<string[]> {
    const rows = await exec.selectFrom('users').select('id').where('department_id', '=', departmentId).execute();
    return rows.map((r) => r.id);
  },
  users(exec: Executor) {
    return exec.selectFrom('users').select(['id', 'name', 'role', 'department_id', 'active']).orderBy('name').orderBy('id').execute();
  },
  departments(exec: Executor) {
    return exec.selectFrom('departments').select(['id', 'name']).execute();
  },
  stagesOf(exec: Executor, pipelineId: string) {
    return exec
      .selectFrom('stages')
      .select(['id', 'code', 'name', 'kind', 'position', 'archived', 'pipeline_id'])
      .where('pipeline_id', '=', pipelineId)
      .orderBy('position')
      .execute();
  },
  allStages(exec: Executor) {
    return exec.selectFrom('stages').select(['id', 'name']).execute();
  },
  lossReasons(exec: Executor) {
    return exec.selectFrom('loss_reasons').select(['id', 'name']).execute();
  },
  async productNames(exec: Executor, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      if (!part.length) continue;
      for (const r of await exec.selectFrom('products').select(['id', 'name']).where('id', 'in', part).execute()) out.set(r.id, r.name);
    }
    return out;
  },
  async clientNames(exec: Executor, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await exec.selectFrom('clients').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },
  async defaultPipelineId(exec: Executor): Promise<string | null> {
    const r = await exec.selectFrom('pipelines').select('id').where('is_default', '=', 1).orderBy('position').executeTakeFirst();
    return r?.id ?? null;
  },
  async pipelineExists(exec: Executor, id: string): Promise<boolean> {
    return !!(await exec.selectFrom('pipelines').select('id').where('id', '=', id).executeTakeFirst());
  },
};
