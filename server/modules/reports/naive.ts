/**
 * The naive engine: every report straight from the raw tables (deals, clients, leads, deal_items, history,
 * payments, invoices, tasks, reviews), with the local day computed per row — what a report would cost without
 * rollups. Kept for the equivalence tests (rollups must give exactly the same answers) and as the benchmark's
 * baseline. The period is selected by instants (local midnights computed in JavaScript with common/dates.ts);
 * the day of a row is PostgreSQL's own `AT TIME ZONE` there, and on SQLite a fixed shift when the zone's offset
 * does not change over the period (else the offsets table).
 */
import { sql, type RawBuilder } from 'kysely';
import { addDaysToDate, fixedOffset, zonedMidnight } from '../../../common/dates.js';
import { dateParam, isColumnDim, ownersCond, type AggQuery, type ClientBaseQuery, type Engine, type FunnelRaw } from './engine.js';
import { sqlx, type SqlDialect } from '../../platform/db/rollup-schema.js';

const ZONE_RE = /^[A-Za-z0-9_+\-/]+$/;

/** SQL for the local day of a timestamp column over a period (see the module comment). */
export function naiveDay(d: SqlDialect, tz: string, from: string, to: string): (ts: string) => string {
  if (!ZONE_RE.test(tz)) throw new Error(`bad time zone ${tz}`);
  if (d === 'postgres') return (ts) => `((${ts}) at time zone '${tz}')::date`;
  const off = fixedOffset(
    tz,
    zonedMidnight(from, tz).getTime() - 2 * 86_400_000,
    zonedMidnight(addDaysToDate(to, 1), tz).getTime() + 2 * 86_400_000,
  );
  if (off !== null) return (ts) => `date(${ts}, '${off >= 0 ? '+' : ''}${off} minutes')`;
  return (ts) => sqlx(d).localDay(ts);
}

/** Instants bounding the local dates from..to (inclusive). */
export function instantRange(q: { from: string; to: string; tz: string }): { start: string; end: string } {
  return { start: zonedMidnight(q.from, q.tz).toISOString(), end: zonedMidnight(addDaysToDate(q.to, 1), q.tz).toISOString() };
}

const campaignOf = (dealRef: string) =>
  `coalesce((select l.utm_campaign from leads l where l.deal_id = ${dealRef} order by l.created_at, l.id limit 1), '')`;

/** Leads, raw (also the rollup engine's source for two column dimensions of leads). */
export function naiveLeadsSource(d: SqlDialect, q: AggQuery): RawBuilder<unknown> {
  const x = sqlx(d);
  const day = naiveDay(d, q.tz, q.from, q.to);
  const { start, end } = instantRange(q);
  return sql`select ${sql.raw(day('l.created_at'))} as day, coalesce(l.assignee_id, '') as owner_id, coalesce(l.region, '') as region,
      coalesce(l.source, '') as source, coalesce(l.utm_campaign, '') as campaign, 1 as n,
      case when l.first_response_at is null then 0 else 1 end as n_resp,
      case when l.first_response_at is null then 0 else ${sql.raw(x.ms('l.first_response_at', 'l.created_at'))} end as resp_ms,
      case when l.status = 'converted' then 1 else 0 end as n_conv
    from leads l where l.created_at >= ${start} and l.created_at < ${end}`;
}

export function naiveEngine(d: SqlDialect): Engine {
  const x = sqlx(d);

  /** Deal columns for the requested column dimensions (only the joins they need). */
  const dealCols = (q: AggQuery) => {
    const cols = new Set(q.groupBy.filter(isColumnDim));
    const select: string[] = [];
    if (cols.has('region')) select.push(`coalesce(c.region, '') as region`);
    if (cols.has('source')) select.push(`coalesce(d.source, '') as source`);
    if (cols.has('campaign')) select.push(`${campaignOf('d.id')} as campaign`);
    if (cols.has('stage')) select.push(`d.stage_id as stage`);
    if (cols.has('loss_reason')) select.push(`coalesce(d.loss_reason_id, '') as loss_reason`);
    const join = cols.has('region') ? 'left join clients c on c.id = d.client_id' : '';
    return { select: select.map((s) => `, ${s}`).join(''), join, product: cols.has('product') };
  };

  const source = (q: AggQuery): RawBuilder<unknown> => {
    const day = naiveDay(d, q.tz, q.from, q.to);
    const { start, end } = instantRange(q);
    const won = `case when d.status = 'won' then 1 else 0 end`;
    const lost = `case when d.status = 'lost' then 1 else 0 end`;
    switch (q.kind) {
      case 'created': {
        const dc = dealCols(q);
        if (dc.product) {
          return sql`select ${sql.raw(day('d.created_at'))} as day, coalesce(d.owner_id, '') as owner_id, d.pipeline_id${sql.raw(dc.select)},
              i.product, 1 as n, i.total as amount, ${sql.raw(won)} as n_won, ${sql.raw(won)} * i.total as amount_won, 0 as n_lost, 0 as amount_lost
            from deals d ${sql.raw(dc.join)}
            join (select deal_id, coalesce(product_id, '') as product, sum(total) as total from deal_items group by deal_id, coalesce(product_id, '')) i on i.deal_id = d.id
            where d.created_at >= ${start} and d.created_at < ${end}`;
        }
        return sql`select ${sql.raw(day('d.created_at'))} as day, coalesce(d.owner_id, '') as owner_id, d.pipeline_id${sql.raw(dc.select)},
            1 as n, d.amount, ${sql.raw(won)} as n_won, ${sql.raw(won)} * d.amount as amount_won, ${sql.raw(lost)} as n_lost, ${sql.raw(lost)} * d.amount as amount_lost
          from deals d ${sql.raw(dc.join)} where d.created_at >= ${start} and d.created_at < ${end}`;
      }
      case 'closed': {
        const dc = dealCols(q);
        if (dc.product) {
          return sql`select ${sql.raw(day('d.closed_at'))} as day, coalesce(d.owner_id, '') as owner_id, d.pipeline_id${sql.raw(dc.select)},
              i.product, 1 as n_won, i.total as amount_won, 0 as n_lost, 0 as amount_lost
            from deals d ${sql.raw(dc.join)}
            join (select deal_id, coalesce(product_id, '') as product, sum(total) as total from deal_items group by deal_id, coalesce(product_id, '')) i on i.deal_id = d.id
            where d.status = 'won' and d.closed_at >= ${start} and d.closed_at < ${end}`;
        }
        return sql`select ${sql.raw(day('d.closed_at'))} as day, coalesce(d.owner_id, '') as owner_id, d.pipeline_id${sql.raw(dc.select)},
            ${sql.raw(won)} as n_won, ${sql.raw(won)} * d.amount as amount_won, ${sql.raw(lost)} as n_lost, ${sql.raw(lost)} * d.amount as amount_lost
          from deals d ${sql.raw(dc.join)} where d.status in ('won', 'lost') and d.closed_at >= ${start} and d.closed_at < ${end}`;
      }
      case 'revenue': {
        const dc = dealCols(q);
        return sql`select p.paid_at as day, coalesce(d.owner_id, '') as owner_id, coalesce(d.pipeline_id, '') as pipeline_id${sql.raw(dc.select)},
            1 as n, p.amount
          from payments p join invoices iv on iv.id = p.invoice_id left join deals d on d.id = iv.deal_id ${sql.raw(dc.join)}
          where p.paid_at >= ${dateParam(d, q.from)} and p.paid_at <= ${dateParam(d, q.to)}`;
      }
      case 'leads':
        return naiveLeadsSource(d, q);
      case 'tasks_done':
        return sql`select ${sql.raw(day('t.done_at'))} as day, coalesce(t.assignee_id, '') as owner_id, t.type as task_type, 1 as n
          from tasks t where t.status = 'done' and t.done_at >= ${start} and t.done_at < ${end}`;
      case 'tasks_overdue':
        return sql`select ${sql.raw(day('t.due_at'))} as day, coalesce(t.assignee_id, '') as owner_id, t.type as task_type, 1 as n
          from tasks t where t.due_at >= ${start} and t.due_at < ${end}
            and ((t.status = 'done' and t.done_at > t.due_at) or (t.status = 'open' and t.due_at < ${q.now.toISOString()}))`;
      case 'reviews':
        return sql`select ${sql.raw(day('r.created_at'))} as day, coalesce(c.owner_id, '') as owner_id, r.sentiment, 1 as n, r.rating as rating_sum
          from reviews r left join clients c on c.id = r.client_id where r.created_at >= ${start} and r.created_at < ${end}`;
    }
  };

  return {
    name: 'naive',
    source,
    async funnel(exec, q) {
      const { start, end } = instantRange(q);
      const rows = await sql<{ stage_id: string; n: number; amount: number; n_done: number; dur_ms: number }>`
        select s.stage_id, count(*) as n, sum(s.amount) as amount, sum(s.n_done) as n_done, sum(s.dur_ms) as dur_ms from (
          select h.deal_id, h.stage_id, d.amount, sum(case when h.left_at is null then 0 else 1 end) as n_done,
            sum(coalesce(${sql.raw(x.ms('h.left_at', 'h.entered_at'))}, 0)) as dur_ms
          from deals d join deal_stage_history h on h.deal_id = d.id
          where d.created_at >= ${start} and d.created_at < ${end} and h.pipeline_id = ${q.pipelineId}
            and ${ownersCond(q.owners, `coalesce(d.owner_id, '')`)}
          group by h.deal_id, h.stage_id, d.amount
        ) s group by s.stage_id`.execute(exec);
      return rows.rows.map((r): FunnelRaw => ({
        stageId: r.stage_id,
        n: Number(r.n),
        amount: Number(r.amount),
        nDone: Number(r.n_done),
        durMs: Number(r.dur_ms),
      }));
    },
    clientMonths(q: ClientBaseQuery) {
      return sql`select p.client_id, ${sql.raw(x.month('p.paid_at'))} as month, sum(p.amount) as amount from payments p left join clients c on c.id = p.client_id
        where p.paid_at >= ${dateParam(d, q.monthFrom)} and p.paid_at <= ${dateParam(d, q.monthTo)}
          and ${ownersCond(q.owners, `coalesce(c.owner_id, '')`)}
        group by p.client_id, ${sql.raw(x.month('p.paid_at'))}`;
    },
    async clientCount(exec, owners) {
      const r = await sql<{
        n: number;
      }>`select count(*) as n from clients c where ${ownersCond(owners, `coalesce(c.owner_id, '')`)}`.execute(exec);
      return Number(r.rows[0]?.n ?? 0);
    },
    clientSummary(q: ClientBaseQuery) {
      return sql`select p.client_id, coalesce(c.owner_id, '') as owner_id, min(p.paid_at) as first_day, max(p.paid_at) as last_day,
          count(distinct p.paid_at) as n_days, sum(p.amount) as amount
        from payments p left join clients c on c.id = p.client_id
        where ${ownersCond(q.owners, `coalesce(c.owner_id, '')`)}
        group by p.client_id, c.owner_id`;
    },
  };
}
