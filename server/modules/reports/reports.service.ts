/**
 * Reports for management (issue 6): the sales report builder, funnel, activity, client base, loss reasons,
 * sources, reviews, correlation and plan/fact, as JSON or files (XLSX, CSV, PDF; every file is audited).
 *
 * Scope (DESIGN §6, resource 'report'): owner and admin see everything; a head his department's people (and
 * himself); a manager only himself; accountant and production have no reports (404). Filters narrow the scope
 * and never widen it: a manager asking for someone else's ownerId, or a head for another department, gets an empty
 * report (zeros), never their figures. Figures follow the CURRENT owner of a deal (lead: assignee; task: assignee;
 * client base and reviews: the client's owner) and people's current department.
 *
 * Every report is computed by an engine (engine.ts): the rollups (default) or the naive raw-table queries
 * (`{ engine: 'naive' }`, for tests and the benchmark) — the answers must be equal. *
 * Files: the layouts are views.ts, rendering export.ts; labels and time buckets format.ts.
 * Why one file over 500 lines: it is the nine report queries, one method of 30–90 lines each, sharing the scope,
 * period, label and engine plumbing of this class; splitting them apart would only pass that plumbing around.
 */
import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, notFound } from '../../platform/errors.js';
import { scopeOf, type Actor } from '../../platform/permissions.js';
import { localDate } from '../../../common/dates.js';
import {
  dimensionLabels,
  measureInfo,
  type ActivityReport,
  type ActivityRow,
  type ClientBaseReport,
  type CorrelationQuery,
  type CorrelationReport,
  type Dimension,
  type FunnelReport,
  type LossReasonsReport,
  type Measure,
  type PlanFactReport,
  type ReportFormat,
  type ReportQuery,
  type ReviewsReport,
  type SalesReport,
  type SalesRow,
  type SourcesReport,
  type SourcesRow,
} from '../../../common/api/reports.js';
import { planMetricLabels, type PlanMetric } from '../../../common/api/plans.js';
import { aggregate, clientBase, isTimeDim, type AggQuery, type AggRow, type EngineDim, type Engine, type FactKind } from './engine.js';
import { naiveEngine } from './naive.js';
import { reportsRepo, rollupEngine } from './reports.repo.js';
import { rebuildRollups, pauseRollups, type RebuildResult } from './rebuild.js';
import { rollupZone } from './tz.js';
import { sql } from 'kysely';
import { renderReport, type ReportFile, type ReportView } from './export.js';
import { reportView } from './views.js';
import { additive, buckets, label, lastDayOfMonth, NONE_LABEL, pct, round, timeLabel, type Labels } from './format.js';

declare module '../../platform/context.js' {
  interface Services {
    reports: ReportsService;
  }
}

export interface RunOpts {
  engine?: 'rollup' | 'naive';
  /** "Now" for overdue tasks, today's segments and forecasts (tests pass one instant to both engines). */
  now?: Date;
  /** false: recompute the client base's ABC/XYZ even when the cached one is current (benchmark). */
  cache?: boolean;
}

interface MeasureDef {
  kind: FactKind;
  /** The count column: a group exists when it is above zero. */
  count: string;
  value: (v: Record<string, number>) => number | null;
}

export const measureDefs: Record<Measure, MeasureDef> = {
  revenue: { kind: 'revenue', count: 'n', value: (v) => v.amount },
  deals: { kind: 'created', count: 'n', value: (v) => v.n },
  pipeline_amount: { kind: 'created', count: 'n', value: (v) => v.amount },
  conversion: { kind: 'created', count: 'n', value: (v) => pct(v.n_won, v.n) },
  won: { kind: 'closed', count: 'n_won', value: (v) => v.n_won },
  won_amount: { kind: 'closed', count: 'n_won', value: (v) => v.amount_won },
  avg_check: { kind: 'closed', count: 'n_won', value: (v) => (v.n_won ? Math.round(v.amount_won / v.n_won) : null) },
  leads: { kind: 'leads', count: 'n', value: (v) => v.n },
  first_response_minutes: { kind: 'leads', count: 'n_resp', value: (v) => (v.n_resp ? round(v.resp_ms / v.n_resp / 60000, 1) : null) },
  tasks_done: { kind: 'tasks_done', count: 'n', value: (v) => v.n },
  tasks_overdue: { kind: 'tasks_overdue', count: 'n', value: (v) => v.n },
};

const MAX_YEARS = 5;

export class ReportsService {
  private engines: { rollup: Engine; naive: Engine };
  /**
   * The client base's ABC/XYZ cells by owners and months, with the cb_version they were computed at (bumped by the
   * triggers whenever a payment changes): a per-client analysis, recomputed only after the revenue changed.
   */
  private abcCache = new Map<string, { version: number; cells: { abc: string; xyz: string; clients: number; revenue: number }[] }>();

  constructor(private ctx: Ctx) {
    const d = ctx.database.dialect;
    this.engines = { rollup: rollupEngine(d), naive: naiveEngine(d) };
  }

  private get tz() {
    return this.ctx.config.tz;
  }
  private get dialect() {
    return this.ctx.database.dialect;
  }
  private engine(opts: RunOpts): Engine {
    return this.engines[opts.engine ?? 'rollup'];
  }

  // ── maintenance ──

  /** At startup: the offsets table and the rollups follow the configured zone (rebuilt when it changed). */
  async ensureZone(): Promise<RebuildResult | null> {
    if ((await rollupZone(this.ctx.db)) === this.tz) return null;
    const res = await rebuildRollups(this.ctx.db, { tz: this.tz });
    this.ctx.log.info({ tz: this.tz, ms: Math.round(res.ms) }, 'report rollups rebuilt for the company time zone');
    return res;
  }

  /** Recomputes every rollup from the raw rows (after a bulk load; `voronka reports rebuild`). */
  rebuild(exec: Executor = this.ctx.db): Promise<RebuildResult> {
    return rebuildRollups(exec, { tz: this.tz });
  }

  /** Stops the triggers before a bulk load of raw rows; `rebuild` resumes them. */
  pause(exec: Executor = this.ctx.db): Promise<void> {
    return pauseRollups(exec);
  }

  // ── scope and parameters ──

  /** The owners whose figures the actor may see and asked for (null = everybody); 404 without access to reports. */
  async owners(actor: Actor, f: { ownerId?: string; departmentId?: string }): Promise<string[] | null> {
    const scope = scopeOf(actor, 'report', 'read');
    if (scope === 'none') throw notFound();
    let set: Set<string> | null = null;
    if (scope === 'own') set = new Set([actor.id]);
    else if (scope === 'department') set = new Set([actor.id, ...(await reportsRepo.departmentUserIds(this.ctx.db, actor.departmentId!))]);
    if (f.ownerId) set = set ? (set.has(f.ownerId) ? new Set([f.ownerId]) : new Set()) : new Set([f.ownerId]);
    if (f.departmentId) {
      const dept = new Set(await reportsRepo.departmentUserIds(this.ctx.db, f.departmentId));
      set = set ? new Set([...set].filter((u) => dept.has(u))) : dept;
    }
    return set ? [...set].sort() : null;
  }

  /** from/to with defaults (the last 12 months up to today) and checks: from ≤ to, at most 5 years. */
  period(q: { from?: string; to?: string }, now = new Date()): { from: string; to: string } {
    const today = localDate(now, this.tz);
    const to = q.to ?? today;
    const from =
      q.from ??
      (() => {
        const [y, m] = to.slice(0, 7).split('-').map(Number);
        const start = new Date(Date.UTC(y, m - 1 - 11, 1));
        return start.toISOString().slice(0, 10);
      })();
    for (const [k, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      const t = Date.parse(`${v}T00:00:00Z`);
      if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v)
        throw new AppError('validation_failed', { fields: { [k]: 'Нет такой даты' } });
    }
    if (from > to) throw new AppError('validation_failed', { fields: { from: 'Начало периода позже его конца' } });
    const limit = `${Number(from.slice(0, 4)) + MAX_YEARS}${from.slice(4)}`;
    if (to >= limit) throw new AppError('validation_failed', { fields: { to: `Период не длиннее ${MAX_YEARS} лет` } });
    return { from, to };
  }

  private async pipelineFilter(id: string | undefined): Promise<string | null> {
    if (!id) return null;
    if (!(await reportsRepo.pipelineExists(this.ctx.db, id)))
      throw new AppError('validation_failed', { fields: { pipelineId: 'Нет такой воронки' } });
    return id;
  }

  private async labels(productIds: string[] = []): Promise<Labels> {
    const db = this.ctx.db;
    const [users, departments, stages, reasons, products] = await Promise.all([
      reportsRepo.users(db),
      reportsRepo.departments(db),
      reportsRepo.allStages(db),
      reportsRepo.lossReasons(db),
      reportsRepo.productNames(db, productIds.filter(Boolean)),
    ]);
    return {
      users: new Map(users.map((u) => [u.id, { name: u.name, departmentId: u.department_id, role: u.role, active: !!u.active }])),
      departments: new Map(departments.map((d) => [d.id, d.name])),
      stages: new Map(stages.map((s) => [s.id, s.name])),
      reasons: new Map(reasons.map((r) => [r.id, r.name])),
      products,
    };
  }

  private agg(q: Omit<AggQuery, 'tz'>, opts: RunOpts): Promise<AggRow[]> {
    return aggregate(this.ctx.db, this.dialect, this.engine(opts), { ...q, tz: this.tz });
  }

  // ── the sales report builder ──

  /** 400 when the measure cannot be split by one of the dimensions (or two times / two people at once). */
  checkDimensions(measure: Measure, groupBy: Dimension[]): void {
    const info = measureInfo[measure];
    for (const dim of groupBy) {
      if (!info.dimensions.includes(dim)) {
        throw new AppError('validation_failed', {
          fields: {
            groupBy: `Показатель «${info.label}» нельзя разбить по измерению «${dimensionLabels[dim]}». Допустимые: ${info.dimensions.join(', ')}`,
          },
          message: `Показатель «${info.label}» нельзя разбить по измерению «${dimensionLabels[dim]}»`,
          messageEn: `Measure ${measure} cannot be grouped by ${dim}`,
        });
      }
    }
    if (groupBy.filter((d) => isTimeDim(d)).length > 1) {
      throw new AppError('validation_failed', {
        fields: { groupBy: 'Не больше одного измерения времени (день, неделя, месяц, квартал, год)' },
      });
    }
  }

  async sales(
    actor: Actor,
    q: {
      measure: Measure;
      groupBy?: Dimension[];
      from?: string;
      to?: string;
      ownerId?: string;
      departmentId?: string;
      pipelineId?: string;
    },
    opts: RunOpts = {},
  ): Promise<SalesReport> {
    const groupBy = q.groupBy ?? [];
    this.checkDimensions(q.measure, groupBy);
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const owners = await this.owners(actor, q);
    const pipelineId = await this.pipelineFilter(q.pipelineId);
    const def = measureDefs[q.measure];
    const base = { kind: def.kind, from, to, owners, pipelineId, now };
    const [rows, totalRows] = await Promise.all([this.agg({ ...base, groupBy }, opts), this.agg({ ...base, groupBy: [] }, opts)]);
    const productIds = groupBy.includes('product') ? rows.map((r) => r.keys[groupBy.indexOf('product')]) : [];
    const l = await this.labels(productIds);
    let out = rows
      .filter((r) => r.v[def.count] > 0)
      .map((r) => {
        const row: SalesRow = {};
        groupBy.forEach((dim, i) => {
          row[dim] = r.keys[i] === '' ? null : r.keys[i];
          row[`${dim}Label`] = label(dim, r.keys[i], l);
        });
        row.value = def.value(r.v);
        return row;
      });
    // A single time dimension: every period of the range, empty ones too (0, or null for ratios).
    if (groupBy.length === 1 && isTimeDim(groupBy[0])) {
      const unit = groupBy[0];
      const have = new Map(out.map((r) => [r[unit] as string, r]));
      out = buckets(unit, from, to).map(
        (b) => have.get(b) ?? { [unit]: b, [`${unit}Label`]: timeLabel(unit, b), value: additive(q.measure) ? 0 : null },
      );
    } else out = sortRows(out, groupBy);
    const t = totalRows[0];
    const total = t && t.v[def.count] > 0 ? def.value(t.v) : additive(q.measure) ? 0 : null;
    return { measure: q.measure, unit: measureInfo[q.measure].unit, groupBy, from, to, rows: out, total };
  }

  // ── funnel ──

  async funnel(actor: Actor, q: ReportQuery, opts: RunOpts = {}): Promise<FunnelReport> {
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const owners = await this.owners(actor, q);
    const pipelineId = (await this.pipelineFilter(q.pipelineId)) ?? (await reportsRepo.defaultPipelineId(this.ctx.db));
    if (!pipelineId) throw notFound();
    const stages = await reportsRepo.stagesOf(this.ctx.db, pipelineId);
    const raw =
      owners && owners.length === 0 ? [] : await this.engine(opts).funnel(this.ctx.db, { pipelineId, from, to, owners, tz: this.tz });
    const byStage = new Map(raw.map((r) => [r.stageId, r]));
    const shown = stages.filter((s) => s.kind !== 'lost' && (!s.archived || (byStage.get(s.id)?.n ?? 0) > 0));
    const first = byStage.get(shown[0]?.id ?? '')?.n ?? 0;
    const out = shown.map((s, i) => {
      const r = byStage.get(s.id);
      const n = r?.n ?? 0;
      const next = shown[i + 1] ? (byStage.get(shown[i + 1].id)?.n ?? 0) : null;
      return {
        stageId: s.id,
        code: s.code,
        name: s.name,
        count: n,
        amount: r?.amount ?? 0,
        conversion: next === null ? null : pct(next, n),
        conversionFromFirst: pct(n, first),
        avgDaysInStage: r && r.nDone > 0 ? round(r.durMs / r.nDone / 86_400_000, 2) : null,
      };
    });
    const lostRows = (await this.agg({ kind: 'created', groupBy: ['loss_reason'], from, to, owners, pipelineId, now }, opts)).filter(
      (r) => r.v.n_lost > 0,
    );
    const l = await this.labels();
    const byReason = lostRows
      .map((r) => ({
        reasonId: r.keys[0] || null,
        name: label('loss_reason', r.keys[0], l),
        count: r.v.n_lost,
        amount: r.v.amount_lost,
      }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'ru') || String(a.reasonId).localeCompare(String(b.reasonId)));
    return {
      pipelineId,
      from,
      to,
      stages: out,
      lost: { count: byReason.reduce((s, r) => s + r.count, 0), amount: byReason.reduce((s, r) => s + r.amount, 0), byReason },
    };
  }

  // ── activity ──

  async activity(actor: Actor, q: ReportQuery, opts: RunOpts = {}): Promise<ActivityReport> {
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const owners = await this.owners(actor, q);
    const pipelineId = await this.pipelineFilter(q.pipelineId);
    const base = { from, to, owners, now, pipelineId };
    const [done, overdue, created, closed, revenue] = await Promise.all([
      this.agg({ ...base, kind: 'tasks_done', groupBy: ['manager', 'task_type'] }, opts),
      this.agg({ ...base, kind: 'tasks_overdue', groupBy: ['manager'] }, opts),
      this.agg({ ...base, kind: 'created', groupBy: ['manager'] }, opts),
      this.agg({ ...base, kind: 'closed', groupBy: ['manager'] }, opts),
      this.agg({ ...base, kind: 'revenue', groupBy: ['manager'] }, opts),
    ]);
    const l = await this.labels();
    const rows = new Map<string, ActivityRow>();
    const row = (id: string): ActivityRow => {
      let r = rows.get(id);
      if (!r) {
        const u = l.users.get(id);
        r = {
          userId: id || null,
          name: id ? (u?.name ?? id) : NONE_LABEL.manager!,
          departmentId: u?.departmentId ?? null,
          calls: 0,
          meetings: 0,
          emails: 0,
          control: 0,
          other: 0,
          tasksDone: 0,
          tasksOverdue: 0,
          dealsCreated: 0,
          dealsWon: 0,
          wonAmount: 0,
          revenue: 0,
        };
        rows.set(id, r);
      }
      return r;
    };
    // Everybody who sells, within the scope, even with nothing done.
    for (const [id, u] of l.users) {
      if (u.active && (u.role === 'manager' || u.role === 'head') && (owners === null || owners.includes(id))) row(id);
    }
    const typeField: Record<string, keyof ActivityRow> = { call: 'calls', meeting: 'meetings', email: 'emails', control: 'control' };
    for (const r of done) {
      const a = row(r.keys[0]);
      const f = typeField[r.keys[1]] ?? 'other';
      (a[f] as number) += r.v.n;
      a.tasksDone += r.v.n;
    }
    for (const r of overdue) row(r.keys[0]).tasksOverdue += r.v.n;
    for (const r of created) if (r.v.n > 0) row(r.keys[0]).dealsCreated += r.v.n;
    for (const r of closed) {
      if (r.v.n_won <= 0) continue;
      const a = row(r.keys[0]);
      a.dealsWon += r.v.n_won;
      a.wonAmount += r.v.amount_won;
    }
    for (const r of revenue) if (r.v.n > 0) row(r.keys[0]).revenue += r.v.amount;
    const list = [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, 'ru') || String(a.userId).localeCompare(String(b.userId)));
    const total: ActivityRow = {
      userId: null,
      name: 'Итого',
      departmentId: null,
      calls: 0,
      meetings: 0,
      emails: 0,
      control: 0,
      other: 0,
      tasksDone: 0,
      tasksOverdue: 0,
      dealsCreated: 0,
      dealsWon: 0,
      wonAmount: 0,
      revenue: 0,
    };
    for (const k of [
      'calls',
      'meetings',
      'emails',
      'control',
      'other',
      'tasksDone',
      'tasksOverdue',
      'dealsCreated',
      'dealsWon',
      'wonAmount',
      'revenue',
    ] as const) {
      total[k] = list.reduce((s, r) => s + r[k], 0);
    }
    return { from, to, rows: list, total };
  }

  // ── client base ──

  async clientBase(actor: Actor, q: ReportQuery, opts: RunOpts = {}): Promise<ClientBaseReport> {
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const owners = await this.owners(actor, q);
    const monthFrom = `${from.slice(0, 7)}-01`;
    const monthTo = lastDayOfMonth(to.slice(0, 7));
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
    const today = localDate(now, this.tz);
    const empty = owners !== null && owners.length === 0;
    let cache: Parameters<typeof clientBase>[4];
    if ((opts.engine ?? 'rollup') === 'rollup' && !empty) {
      const version = await cbVersion(this.ctx.db);
      const key = JSON.stringify([owners, monthFrom, monthTo]);
      cache = {
        get: () => (opts.cache !== false && this.abcCache.get(key)?.version === version ? this.abcCache.get(key)!.cells : undefined),
        set: (cells) => {
          this.abcCache.delete(key);
          this.abcCache.set(key, { version, cells });
          if (this.abcCache.size > 200) this.abcCache.delete(this.abcCache.keys().next().value!);
        },
      };
    }
    const raw = empty
      ? { cells: [], segments: { new: 0, active: 0, sleeping: 0, lost: 0, withPurchases: 0 }, churnCount: 0, churn: [], clients: 0 }
      : await clientBase(
          this.ctx.db,
          this.dialect,
          this.engine(opts),
          { monthFrom, monthTo, months, owners, today, churnLimit: 50 },
          cache,
        );
    const clients = raw.clients;
    const totalRevenue = raw.cells.reduce((s, c) => s + c.revenue, 0);
    const abc = (['A', 'B', 'C'] as const).map((k) => {
      const cs = raw.cells.filter((c) => c.abc === k);
      const revenue = cs.reduce((s, c) => s + c.revenue, 0);
      return { class: k, clients: cs.reduce((s, c) => s + c.clients, 0), revenue, share: pct(revenue, totalRevenue) ?? 0 };
    });
    const xyz = (['X', 'Y', 'Z'] as const).map((k) => {
      const cs = raw.cells.filter((c) => c.xyz === k);
      return { class: k, clients: cs.reduce((s, c) => s + c.clients, 0), revenue: cs.reduce((s, c) => s + c.revenue, 0) };
    });
    const matrix: Record<string, number> = {};
    for (const a of ['A', 'B', 'C'])
      for (const x of ['X', 'Y', 'Z'])
        matrix[a + x] = raw.cells.filter((c) => c.abc === a && c.xyz === x).reduce((s, c) => s + c.clients, 0);
    const names = await reportsRepo.clientNames(
      this.ctx.db,
      raw.churn.map((c) => c.clientId),
    );
    const dayNo = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    return {
      from,
      to,
      abc,
      xyz,
      matrix,
      segments: {
        new: raw.segments.new,
        active: raw.segments.active,
        sleeping: raw.segments.sleeping,
        lost: raw.segments.lost,
        noPurchases: Math.max(0, clients - raw.segments.withPurchases),
      },
      churnRisk: {
        count: raw.churnCount,
        items: raw.churn.map((c) => ({
          clientId: c.clientId,
          name: names.get(c.clientId) ?? c.clientId,
          ownerId: c.ownerId || null,
          firstPurchase: c.firstDay,
          lastPurchase: c.lastDay,
          purchases: c.nDays,
          avgIntervalDays: round((dayNo(c.lastDay) - dayNo(c.firstDay)) / (c.nDays - 1), 1),
          daysSinceLast: Math.round(dayNo(today) - dayNo(c.lastDay)),
          revenue: c.amount,
        })),
      },
    };
  }

  // ── loss reasons, sources, reviews ──

  async lossReasons(actor: Actor, q: ReportQuery, opts: RunOpts = {}): Promise<LossReasonsReport> {
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const owners = await this.owners(actor, q);
    const pipelineId = await this.pipelineFilter(q.pipelineId);
    const rows = (await this.agg({ kind: 'closed', groupBy: ['loss_reason'], from, to, owners, pipelineId, now }, opts)).filter(
      (r) => r.v.n_lost > 0,
    );
    const l = await this.labels();
    const count = rows.reduce((s, r) => s + r.v.n_lost, 0);
    const amount = rows.reduce((s, r) => s + r.v.amount_lost, 0);
    return {
      from,
      to,
      rows: rows
        .map((r) => ({
          reasonId: r.keys[0] || null,
          name: label('loss_reason', r.keys[0], l),
          count: r.v.n_lost,
          amount: r.v.amount_lost,
          share: pct(r.v.n_lost, count) ?? 0,
        }))
        .sort(
          (a, b) =>
            b.count - a.count ||
            b.amount - a.amount ||
            a.name.localeCompare(b.name, 'ru') ||
            String(a.reasonId).localeCompare(String(b.reasonId)),
        ),
      total: { count, amount },
    };
  }

  async sources(actor: Actor, q: ReportQuery, opts: RunOpts = {}): Promise<SourcesReport> {
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const owners = await this.owners(actor, q);
    const pipelineId = await this.pipelineFilter(q.pipelineId);
    const base = { from, to, owners, pipelineId, now, groupBy: ['source', 'campaign'] as EngineDim[] };
    const [leads, created, closed, revenue] = await Promise.all([
      this.agg({ ...base, kind: 'leads' }, opts),
      this.agg({ ...base, kind: 'created' }, opts),
      this.agg({ ...base, kind: 'closed' }, opts),
      this.agg({ ...base, kind: 'revenue' }, opts),
    ]);
    const rows = new Map<string, SourcesRow>();
    const row = (k: string[]) => {
      const key = `${k[0]}\u001f${k[1]}`;
      let r = rows.get(key);
      if (!r) {
        r = {
          source: k[0] || null,
          campaign: k[1] || null,
          leads: 0,
          converted: 0,
          deals: 0,
          won: 0,
          wonAmount: 0,
          revenue: 0,
          leadConversion: null,
        };
        rows.set(key, r);
      }
      return r;
    };
    for (const r of leads) if (r.v.n > 0) Object.assign(row(r.keys), { leads: r.v.n, converted: r.v.n_conv });
    for (const r of created) if (r.v.n > 0) row(r.keys).deals = r.v.n;
    for (const r of closed) if (r.v.n_won > 0) Object.assign(row(r.keys), { won: r.v.n_won, wonAmount: r.v.amount_won });
    for (const r of revenue) if (r.v.n > 0) row(r.keys).revenue = r.v.amount;
    const list = [...rows.values()].map((r) => ({ ...r, leadConversion: pct(r.converted, r.leads) }));
    list.sort(
      (a, b) =>
        b.leads - a.leads ||
        b.deals - a.deals ||
        b.revenue - a.revenue ||
        String(a.source).localeCompare(String(b.source)) ||
        String(a.campaign).localeCompare(String(b.campaign)),
    );
    const sum = (k: 'leads' | 'converted' | 'deals' | 'won' | 'wonAmount' | 'revenue') => list.reduce((s, r) => s + r[k], 0);
    const total: SourcesRow = {
      source: null,
      campaign: null,
      leads: sum('leads'),
      converted: sum('converted'),
      deals: sum('deals'),
      won: sum('won'),
      wonAmount: sum('wonAmount'),
      revenue: sum('revenue'),
      leadConversion: pct(sum('converted'), sum('leads')),
    };
    return { from, to, rows: list, total };
  }

  async reviews(actor: Actor, q: ReportQuery, opts: RunOpts = {}): Promise<ReviewsReport> {
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const owners = await this.owners(actor, q);
    const rows = await this.agg({ kind: 'reviews', groupBy: ['month', 'sentiment'], from, to, owners, now }, opts);
    const months = new Map<string, { count: number; rating: number; positive: number; neutral: number; negative: number }>();
    for (const r of rows) {
      if (r.v.n <= 0) continue;
      const m = months.get(r.keys[0]) ?? { count: 0, rating: 0, positive: 0, neutral: 0, negative: 0 };
      m.count += r.v.n;
      m.rating += r.v.rating_sum;
      if (r.keys[1] === 'positive' || r.keys[1] === 'neutral' || r.keys[1] === 'negative') m[r.keys[1]] += r.v.n;
      months.set(r.keys[0], m);
    }
    const shape = (m: { count: number; rating: number; positive: number; neutral: number; negative: number }) => ({
      count: m.count,
      avgRating: m.count ? round(m.rating / m.count, 2) : null,
      positive: m.positive,
      neutral: m.neutral,
      negative: m.negative,
      negativeShare: pct(m.negative, m.count),
    });
    const list = [...months.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([month, m]) => ({ month, ...shape(m) }));
    const all = [...months.values()].reduce(
      (s, m) => ({
        count: s.count + m.count,
        rating: s.rating + m.rating,
        positive: s.positive + m.positive,
        neutral: s.neutral + m.neutral,
        negative: s.negative + m.negative,
      }),
      { count: 0, rating: 0, positive: 0, neutral: 0, negative: 0 },
    );
    return { from, to, rows: list, total: shape(all) };
  }

  // ── correlation ──

  async correlation(
    actor: Actor,
    q: Omit<CorrelationQuery, 'format'> & { format?: ReportFormat },
    opts: RunOpts = {},
  ): Promise<CorrelationReport> {
    const now = opts.now ?? new Date();
    const { from, to } = this.period(q, now);
    const by = q.by ?? 'manager';
    const series = async (m: Measure) => {
      const r = await this.sales(
        actor,
        { measure: m, groupBy: [by], from, to, ownerId: q.ownerId, departmentId: q.departmentId, pipelineId: q.pipelineId },
        { ...opts, now },
      );
      return new Map(r.rows.map((row) => [String(row[by] ?? ''), { label: String(row[`${by}Label`]), value: row.value as number | null }]));
    };
    const [xs, ys] = await Promise.all([series(q.x), series(q.y)]);
    const keys = [...new Set([...xs.keys(), ...ys.keys()])].sort();
    const points: CorrelationReport['points'] = [];
    for (const k of keys) {
      const xv = xs.get(k)?.value ?? (additive(q.x) ? 0 : null);
      const yv = ys.get(k)?.value ?? (additive(q.y) ? 0 : null);
      if (xv === null || yv === null) continue;
      points.push({ key: k || null, label: xs.get(k)?.label ?? ys.get(k)?.label ?? k, x: xv, y: yv });
    }
    return { x: q.x, y: q.y, by, from, to, ...regression(points), points };
  }

  // ── plan / fact ──

  async planFact(
    actor: Actor,
    q: { period?: string; ownerId?: string; departmentId?: string },
    opts: RunOpts = {},
  ): Promise<PlanFactReport> {
    const now = opts.now ?? new Date();
    const today = localDate(now, this.tz);
    const period = q.period ?? today.slice(0, 7);
    const from = `${period}-01`;
    const to = lastDayOfMonth(period);
    const days = Number(to.slice(8, 10));
    const elapsed = today < from ? 0 : today > to ? days : Number(today.slice(8, 10));
    const owners = await this.owners(actor, q);
    const plans = await this.ctx.services.plans.forReport(period, owners);
    const base = { from, to, owners, now };
    const [revenue, deals, tasks] = await Promise.all([
      this.agg({ ...base, kind: 'revenue', groupBy: ['manager'] }, opts),
      this.agg({ ...base, kind: 'created', groupBy: ['manager'] }, opts),
      this.agg({ ...base, kind: 'tasks_done', groupBy: ['manager', 'task_type'] }, opts),
    ]);
    const fact = (userId: string, metric: PlanMetric): number => {
      switch (metric) {
        case 'revenue':
          return revenue.filter((r) => r.keys[0] === userId).reduce((s, r) => s + r.v.amount, 0);
        case 'deals':
          return deals.filter((r) => r.keys[0] === userId).reduce((s, r) => s + r.v.n, 0);
        case 'calls':
        case 'meetings':
          return tasks
            .filter((r) => r.keys[0] === userId && r.keys[1] === (metric === 'calls' ? 'call' : 'meeting'))
            .reduce((s, r) => s + r.v.n, 0);
        case 'tasks':
          return tasks.filter((r) => r.keys[0] === userId).reduce((s, r) => s + r.v.n, 0);
      }
    };
    const order = Object.keys(planMetricLabels);
    const rows = plans
      .map((p) => {
        const f = fact(p.userId, p.metric);
        return {
          planId: p.id,
          userId: p.userId,
          name: p.userName,
          metric: p.metric,
          target: p.target,
          fact: f,
          percent: p.target > 0 ? round((f * 100) / p.target, 1) : null,
          forecast: elapsed === 0 ? 0 : elapsed >= days ? f : Math.round((f * days) / elapsed),
        };
      })
      .sort(
        (a, b) =>
          a.name.localeCompare(b.name, 'ru') || a.userId.localeCompare(b.userId) || order.indexOf(a.metric) - order.indexOf(b.metric),
      );
    return { period, elapsedDays: elapsed, days, rows };
  }

  // ── files ──

  /** Renders a report as a file and writes the export to the audit log. */
  async exportFile(
    actor: Actor,
    report: string,
    params: Record<string, unknown>,
    data: unknown,
    format: Exclude<ReportFormat, 'json'>,
  ): Promise<ReportFile> {
    const view = await this.view(report, params, data);
    const file = await renderReport(view, format);
    await this.ctx.audit.write({ userId: actor.id, action: 'export', entity: 'report', data: { report, params, format, rows: file.rows } });
    return file;
  }

  private async view(report: string, params: Record<string, unknown>, data: any): Promise<ReportView> {
    return reportView(report, params, data, await this.labels(), this.tz);
  }
}

async function cbVersion(exec: Executor): Promise<number> {
  const r = await sql<{ v: number | string }>`select cb_version as v from report_state where id = 1`.execute(exec);
  return Number(r.rows[0]?.v ?? 0);
}

/** Sort: time first (ascending), then value (descending), then labels and keys. */
function sortRows(rows: SalesRow[], groupBy: Dimension[]): SalesRow[] {
  const time = groupBy.find((d) => isTimeDim(d));
  const others = groupBy.filter((d) => d !== time);
  return rows.sort((a, b) => {
    if (time) {
      const c = String(a[time]).localeCompare(String(b[time]));
      if (c) return c;
    }
    const v = Number(b.value ?? -Infinity) - Number(a.value ?? -Infinity);
    if (v) return v;
    for (const d of others) {
      const c = String(a[`${d}Label`]).localeCompare(String(b[`${d}Label`]), 'ru') || String(a[d] ?? '').localeCompare(String(b[d] ?? ''));
      if (c) return c;
    }
    return 0;
  });
}

/** Pearson r and the least-squares line y = slope·x + intercept. */
export function regression(points: { x: number; y: number }[]): {
  n: number;
  r: number | null;
  r2: number | null;
  slope: number | null;
  intercept: number | null;
} {
  const n = points.length;
  if (n < 2) return { n, r: null, r2: null, slope: null, intercept: null };
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    syy += (p.y - my) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  const slope = sxx ? sxy / sxx : null;
  const intercept = slope === null ? null : my - slope * mx;
  const r = sxx && syy ? sxy / Math.sqrt(sxx * syy) : null;
  const r4 = (v: number | null) => (v === null ? null : round(v, 6));
  return { n, r: r4(r), r2: r === null ? null : r4(r * r), slope: r4(slope), intercept: r4(intercept) };
}
