/**
 * The rollup engine: report rows from the rollups (never the raw tables), and the small lookups of names.
 * Source choice for a groupBy (see docs/ARCHITECTURE.md «Отчёты»):
 * - no column dimension → the rollup's dim = '' rows (day × owner × pipeline);
 * - one column dimension → its dim rows (region, source, campaign, stage, loss reason) or the product rollup;
 * - source × campaign → the combined 'sc' rows;
 * - any other two column dimensions → the per-deal (per-payment) mirror tables, one row per record already joined
 *   and with local days computed: a scan of the period's records, but without joins or time-zone arithmetic;
 *   leads then come from the leads table itself.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import { dateParam, isColumnDim, ownersCond, type AggQuery, type ClientBaseQuery, type Engine, type FunnelRaw } from './engine.js';
import { naiveLeadsSource } from './naive.js';
import { localDate, zonedMidnight } from '../../../common/dates.js';
import { sqlx, type SqlDialect } from './rollup-schema.js';

const COLS: Record<string, string> = { stage: 'stage', loss_reason: 'loss_reason', region: 'region', source: 'source', campaign: 'campaign' };

export function rollupEngine(d: SqlDialect): Engine {
  const x = sqlx(d);
  const range = (col: string, q: AggQuery) => sql`${sql.ref(col)} >= ${dateParam(d, q.from)} and ${sql.ref(col)} <= ${dateParam(d, q.to)}`;
  const splitSc = d === 'postgres' ? `split_part(val, chr(31), 1) as source, split_part(val, chr(31), 2) as campaign` : `substr(val, 1, instr(val, char(31)) - 1) as source, substr(val, instr(val, char(31)) + 1) as campaign`;

  /** Rows of a dim/val rollup. */
  const dimRows = (table: string, q: AggQuery, values: string[], withPipeline: boolean): RawBuilder<unknown> => {
    const cols = q.groupBy.filter(isColumnDim);
    let dim = '';
    let valCols = '';
    if (cols.length === 1) {
      dim = cols[0];
      valCols = `, val as ${COLS[cols[0]]}`;
    } else if (cols.length === 2) {
      dim = 'sc';
      valCols = `, ${splitSc}`;
    }
    const select = `day, owner_id${withPipeline ? ', pipeline_id' : ''}${valCols}, ${values.join(', ')}`;
    return sql`select ${sql.raw(select)} from ${sql.table(table)} where dim = ${dim} and ${range('day', q)}`;
  };

  const isSc = (cols: string[]) => cols.length === 2 && cols.includes('source') && cols.includes('campaign');
  const won = (alias: string) => `case when ${alias}.status = 'won' then 1 else 0 end`;
  const lost = (alias: string) => `case when ${alias}.status = 'lost' then 1 else 0 end`;

  const source = (q: AggQuery): RawBuilder<unknown> => {
    const cols = q.groupBy.filter(isColumnDim);
    switch (q.kind) {
      case 'created':
      case 'closed': {
        const created = q.kind === 'created';
        const values = created ? 'n, amount, n_won, amount_won, n_lost, amount_lost' : 'n_won, amount_won, n_lost, amount_lost';
        if (cols.length === 0 || (cols.length === 1 && cols[0] !== 'product') || isSc(cols)) {
          return dimRows(created ? 'r_deal' : 'r_close', q, values.split(', '), true);
        }
        if (cols.length === 1) {
          return created
            ? sql`select day, owner_id, pipeline_id, product_id as product, n, amount, n_won, amount_won, 0 as n_lost, 0 as amount_lost from r_product where ${range('day', q)}`
            : sql`select day, owner_id, pipeline_id, product_id as product, n_won, amount_won, 0 as n_lost, 0 as amount_lost from r_product_close where ${range('day', q)}`;
        }
        // Two column dimensions: the per-deal mirrors.
        const deal = `f.region, f.source, f.campaign, f.stage_id as stage, f.loss_reason_id as loss_reason`;
        if (cols.includes('product')) {
          return created
            ? sql`select p.created_day as day, p.owner_id, p.pipeline_id, p.product_id as product, ${sql.raw(deal)}, 1 as n, p.total as amount,
                ${sql.raw(won('p'))} as n_won, ${sql.raw(won('p'))} * p.total as amount_won, 0 as n_lost, 0 as amount_lost
                from report_deal_products p join report_deals f on f.deal_id = p.deal_id where ${range('p.created_day', q)}`
            : sql`select p.closed_day as day, p.owner_id, p.pipeline_id, p.product_id as product, ${sql.raw(deal)}, 1 as n_won, p.total as amount_won,
                0 as n_lost, 0 as amount_lost
                from report_deal_products p join report_deals f on f.deal_id = p.deal_id where p.status = 'won' and ${range('p.closed_day', q)}`;
        }
        return created
          ? sql`select f.created_day as day, f.owner_id, f.pipeline_id, ${sql.raw(deal)}, 1 as n, f.amount, ${sql.raw(won('f'))} as n_won,
              ${sql.raw(won('f'))} * f.amount as amount_won, ${sql.raw(lost('f'))} as n_lost, ${sql.raw(lost('f'))} * f.amount as amount_lost
              from report_deals f where ${range('f.created_day', q)}`
          : sql`select f.closed_day as day, f.owner_id, f.pipeline_id, ${sql.raw(deal)}, ${sql.raw(won('f'))} as n_won,
              ${sql.raw(won('f'))} * f.amount as amount_won, ${sql.raw(lost('f'))} as n_lost, ${sql.raw(lost('f'))} * f.amount as amount_lost
              from report_deals f where f.status in ('won', 'lost') and ${range('f.closed_day', q)}`;
      }
      case 'revenue':
        if (cols.length <= 1 || isSc(cols)) return dimRows('r_revenue', q, ['n', 'amount'], true);
        return sql`select paid_day as day, owner_id, pipeline_id, region, source, campaign, 1 as n, amount from report_payments where ${range('paid_day', q)}`;
      case 'leads':
        if (cols.length <= 1 || isSc(cols)) return dimRows('r_lead', q, ['n', 'n_resp', 'resp_ms', 'n_conv'], false);
        return naiveLeadsSource(d, q);
      case 'tasks_done':
        return sql`select day, owner_id, type as task_type, n from r_task where kind = 'done' and ${range('day', q)}`;
      case 'tasks_overdue': {
        // Due before today and still open, or done after the due time (by due day); today: open and due before now.
        const today = localDate(q.now, q.tz);
        const yesterday = localDate(new Date(zonedMidnight(today, q.tz).getTime() - 1), q.tz);
        const parts: RawBuilder<unknown>[] = [sql`select day, owner_id, type as task_type, n from r_task where kind = 'late' and ${range('day', q)}`];
        const openTo = q.to < yesterday ? q.to : yesterday;
        if (q.from <= openTo) {
          parts.push(
            sql`select day, owner_id, type as task_type, n from r_task where kind = 'open' and day >= ${dateParam(d, q.from)} and day <= ${dateParam(d, openTo)}`,
          );
        }
        if (q.from <= today && today <= q.to) {
          const start = zonedMidnight(today, q.tz).toISOString();
          parts.push(
            sql`select ${dateParam(d, today)} as day, assignee_id as owner_id, type as task_type, 1 as n from tasks
                where status = 'open' and due_at >= ${start} and due_at < ${q.now.toISOString()}`,
          );
        }
        return sql.join(parts, sql` union all `);
      }
      case 'reviews':
        return sql`select day, owner_id, sentiment, n, rating_sum from r_review where ${range('day', q)}`;
    }
  };

  void x;
  return {
    name: 'rollup',
    source,
    async funnel(exec, q) {
      const rows = await sql<{ stage_id: string; n: number; amount: number; n_done: number; dur_ms: number }>`
        select stage_id, sum(n) as n, sum(amount) as amount, sum(n_done) as n_done, sum(dur_ms) as dur_ms from r_funnel R
        where pipeline_id = ${q.pipelineId} and day >= ${dateParam(d, q.from)} and day <= ${dateParam(d, q.to)} and ${ownersCond(q.owners)}
        group by stage_id`.execute(exec);
      return rows.rows.map((r): FunnelRaw => ({ stageId: r.stage_id, n: Number(r.n), amount: Number(r.amount), nDone: Number(r.n_done), durMs: Number(r.dur_ms) }));
    },
    clientMonths(q: ClientBaseQuery) {
      return sql`select client_id, month, amount from r_client_month R
        where month >= ${q.monthFrom.slice(0, 7)} and month <= ${q.monthTo.slice(0, 7)} and ${ownersCond(q.owners)}`;
    },
    clientSummary(q: ClientBaseQuery) {
      return sql`select client_id, owner_id, first_day, last_day, n_days, amount from r_client R where ${ownersCond(q.owners)}`;
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
    return exec.selectFrom('stages').select(['id', 'code', 'name', 'kind', 'position', 'archived', 'pipeline_id']).where('pipeline_id', '=', pipelineId).orderBy('position').execute();
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
  /** Clients in the owners' scope (for «no purchases»). */
  async clientCount(exec: Executor, owners: string[] | null): Promise<number> {
    let q = exec.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n'));
    if (owners !== null) q = owners.length ? q.where('owner_id', 'in', owners) : q.where(sql<boolean>`1 = 0`);
    return Number((await q.executeTakeFirstOrThrow()).n);
  },
};
