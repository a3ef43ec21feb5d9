/**
 * Every report from the rollups must equal the same report computed from the raw rows (naive.ts), on random data
 * written through SQL (the triggers maintain the rollups) and then edited at random; and a full rebuild must give
 * the very rollups the triggers kept. Money is compared exactly (integer kopecks).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, type Harness, type TestClient } from '../../test/harness.js';
import type { Actor } from '../../platform/permissions.js';
import { dimensions, measureInfo, measures, timeDimensions, type Dimension, type Measure } from '../../../common/api/reports.js';
import { loadRandomData, mutateRandomly, rollupSnapshot, type RandomData } from './random-data.js';
import { derivedTables } from '../../platform/db/rollup-schema.js';
import { rebuildRollups } from './rebuild.js';
import type { ReportsService, RunOpts } from './reports.service.js';

const FROM = '2025-01-01T00:00:00.000Z';
const TO = '2026-04-01T00:00:00.000Z';
const NOW = new Date('2026-02-14T20:45:00.000Z'); // 23:45 in Moscow: "today" ends soon
const PERIODS = [
  { from: '2024-12-01', to: '2026-04-30' },
  { from: '2025-11-30', to: '2026-01-01' },
  { from: '2026-02-14', to: '2026-02-14' },
  { from: '2025-03-15', to: '2025-09-10' },
];

const actorOf = (c: TestClient): Actor => ({
  id: c.user!.id,
  email: c.user!.email,
  name: c.user!.name,
  role: c.user!.role,
  departmentId: c.user!.departmentId,
});

/** Every valid groupBy of a measure: none, each dimension, and a set of pairs (time × people, time × X, X × Y). */
function groupings(m: Measure): Dimension[][] {
  const dims = measureInfo[m].dimensions;
  const out: Dimension[][] = [[]];
  for (const d of dims) out.push([d]);
  const pairs: Dimension[][] = [
    ['month', 'manager'],
    ['week', 'department'],
    ['manager', 'region'],
    ['department', 'source'],
    ['region', 'source'],
    ['source', 'campaign'],
    ['campaign', 'region'],
    ['stage', 'region'],
    ['loss_reason', 'source'],
    ['product', 'region'],
    ['product', 'month'],
    ['quarter', 'campaign'],
    ['manager', 'department'],
  ];
  for (const p of pairs) if (p.every((d) => dims.includes(d))) out.push(p);
  return out;
}

function equivalence(h: Harness) {
  let reports: ReportsService;
  let data: RandomData;
  let admin: Actor;
  let head: Actor;
  let manager: Actor;
  let deptId: string;

  const both = async <T>(fn: (opts: RunOpts) => Promise<T>): Promise<T> => {
    const rollup = await fn({ engine: 'rollup', now: NOW });
    const naive = await fn({ engine: 'naive', now: NOW });
    expect(rollup).toEqual(naive);
    return rollup;
  };

  beforeAll(async () => {
    reports = h.server.ctx.services.reports;
    const dept = await h.department('Отдел продаж — Север');
    deptId = dept.id;
    const other = await h.department('Отдел продаж — Юг');
    const m1 = await h.user('manager', { departmentId: dept.id });
    const m2 = await h.user('manager', { departmentId: dept.id });
    const m3 = await h.user('manager', { departmentId: other.id });
    const m4 = await h.user('manager');
    admin = actorOf(h.admin);
    head = actorOf(dept.head);
    manager = actorOf(m1);
    const userIds = [m1, m2, m3, m4, dept.head, other.head].map((c) => c.user!.id);
    data = await loadRandomData(h.server.ctx.db, { seed: 20261130, userIds, deals: 260, from: FROM, to: TO });
  }, 120_000);

  async function compareAll(label: string) {
    let nonEmpty = 0;
    // Every measure × every grouping, the whole range, as admin.
    for (const m of measures) {
      for (const groupBy of groupings(m)) {
        const r = await both((o) => reports.sales(admin, { measure: m, groupBy, ...PERIODS[0] }, o));
        if (r.rows.some((row) => row.value)) nonEmpty++;
      }
    }
    expect(nonEmpty, `${label}: reports with figures`).toBeGreaterThan(150);
    // Scopes, filters and the boundary periods on a subset.
    const subset: [Measure, Dimension[]][] = [
      ['revenue', ['month']],
      ['revenue', ['day', 'manager']],
      ['deals', ['region', 'source']],
      ['deals', ['week']],
      ['pipeline_amount', ['product']],
      ['won_amount', ['quarter', 'manager']],
      ['conversion', ['source', 'campaign']],
      ['avg_check', ['department']],
      ['leads', ['day', 'campaign']],
      ['first_response_minutes', ['manager']],
      ['tasks_done', ['day']],
      ['tasks_overdue', ['day', 'manager']],
      ['tasks_overdue', []],
    ];
    const filters = [{}, { ownerId: manager.id }, { departmentId: deptId }, { pipelineId: data.pipelines[1].id }];
    for (const actor of [admin, head, manager]) {
      for (const period of PERIODS) {
        for (const f of actor === admin ? filters : filters.slice(0, 2)) {
          for (const [m, groupBy] of subset) await both((o) => reports.sales(actor, { measure: m, groupBy, ...period, ...f }, o));
          const q = { ...period, ...f, format: 'json' as const };
          await both((o) => reports.funnel(actor, q, o));
          await both((o) => reports.funnel(actor, { ...q, pipelineId: data.pipelines[1].id }, o));
          await both((o) => reports.activity(actor, q, o));
          await both((o) => reports.lossReasons(actor, q, o));
          await both((o) => reports.sources(actor, q, o));
          await both((o) => reports.reviews(actor, q, o));
          await both((o) => reports.clientBase(actor, q, o));
          await both((o) => reports.correlation(actor, { ...q, x: 'tasks_done', y: 'revenue', by: 'manager' }, o));
          await both((o) => reports.correlation(actor, { ...q, x: 'deals', y: 'won_amount', by: 'month' }, o));
        }
      }
      for (const period of ['2025-11', '2025-12', '2026-02', '2026-03']) {
        await both((o) => reports.planFact(actor, { period }, o));
      }
    }
    // The funnel and the client base are not empty on this data.
    const funnel = await reports.funnel(admin, { ...PERIODS[0], format: 'json' }, { now: NOW });
    expect(funnel.stages[0].count).toBeGreaterThan(50);
    expect(funnel.stages.some((s) => s.avgDaysInStage !== null)).toBe(true);
    expect(funnel.lost.count).toBeGreaterThan(5);
    const base = await reports.clientBase(admin, { ...PERIODS[0], format: 'json' }, { now: NOW });
    expect(base.abc[0].clients).toBeGreaterThan(0);
  }

  it('every report from the rollups equals the naive SQL over raw rows', async () => {
    await h.server.ctx.services.plans.put(admin, { userId: manager.id, period: '2025-12', metric: 'revenue', target: 1_000_000_00 });
    await h.server.ctx.services.plans.put(admin, { userId: manager.id, period: '2025-12', metric: 'calls', target: 40 });
    await h.server.ctx.services.plans.put(admin, { userId: head.id, period: '2026-02', metric: 'deals', target: 12 });
    await h.server.ctx.services.plans.put(admin, { userId: head.id, period: '2026-02', metric: 'meetings', target: 5 });
    await h.server.ctx.services.plans.put(admin, { userId: manager.id, period: '2026-02', metric: 'tasks', target: 7 });
    await compareAll('initial');
  }, 300_000);

  it('still equal after random edits of every kind (owners, amounts, stages, regions, campaigns, payments, items, tasks…)', async () => {
    const done = await mutateRandomly(h.server.ctx.db, data, { seed: 7, count: 600, from: FROM, to: TO });
    expect(Object.keys(done).length).toBeGreaterThanOrEqual(14);
    await compareAll('after edits');
  }, 300_000);

  it('a full rebuild gives exactly the rollups the triggers kept, and the same reports', async () => {
    const before = await rollupSnapshot(h.server.ctx.db, derivedTables);
    expect(before.r_deal.length).toBeGreaterThan(100);
    const res = await rebuildRollups(h.server.ctx.db);
    expect(res.rows.report_deals).toBe(data.dealIds.length);
    const after = await rollupSnapshot(h.server.ctx.db, derivedTables);
    for (const t of derivedTables) expect(after[t], t).toEqual(before[t]);
    const m: Measure = 'revenue';
    await both((o) => reports.sales(admin, { measure: m, groupBy: ['month', 'manager'], ...PERIODS[0] }, o));
  }, 120_000);
}

describeEachDialect('reports: rollups = naive SQL', (h) => {
  describe('random data', () => equivalence(h));
  it('knows every dimension and time unit', () => {
    expect(dimensions.length).toBe(13);
    expect(timeDimensions.length).toBe(5);
  });
});
