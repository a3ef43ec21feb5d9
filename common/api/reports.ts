/**
 * HTTP contract of the reports (issue 6): the sales report builder (measures × up to two dimensions), the funnel,
 * activity, client base, loss reasons, sources, reviews, plan/fact and correlation. Money is integer kopecks;
 * days, weeks, months, quarters and years are on the calendar of the company time zone.
 */
import { z } from 'zod';
import { dateRangeQuery, idSchema } from './shared.js';

export const reportFormats = ['json', 'xlsx', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const measures = [
  'revenue',
  'deals',
  'won',
  'won_amount',
  'pipeline_amount',
  'avg_check',
  'conversion',
  'leads',
  'tasks_done',
  'tasks_overdue',
  'first_response_minutes',
] as const;
export type Measure = (typeof measures)[number];

export const timeDimensions = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeDimension = (typeof timeDimensions)[number];

export const dimensions = [
  ...timeDimensions,
  'manager',
  'department',
  'region',
  'product',
  'source',
  'campaign',
  'stage',
  'loss_reason',
] as const;
export type Dimension = (typeof dimensions)[number];

/** How a measure's value reads: kopecks, a count, percent, minutes. */
export type MeasureUnit = 'money' | 'count' | 'percent' | 'minutes';

export interface MeasureInfo {
  label: string;
  unit: MeasureUnit;
  /** What the period selects. */
  basis: string;
  dimensions: readonly Dimension[];
}

const T = timeDimensions;
const PEOPLE = ['manager', 'department'] as const;
const DEAL_DIMS = [...T, ...PEOPLE, 'region', 'source', 'campaign', 'stage', 'loss_reason', 'product'] as const;
const WON_DIMS = [...T, ...PEOPLE, 'region', 'source', 'campaign', 'product'] as const;
const MONEY_DIMS = [...T, ...PEOPLE, 'region', 'source', 'campaign'] as const;
const TASK_DIMS = [...T, ...PEOPLE] as const;

/** Every measure, with the dimensions it can be split by (others → 400). */
export const measureInfo: Record<Measure, MeasureInfo> = {
  revenue: { label: 'Выручка (оплаты)', unit: 'money', basis: 'дата оплаты', dimensions: MONEY_DIMS },
  deals: { label: 'Новые сделки', unit: 'count', basis: 'дата создания сделки', dimensions: DEAL_DIMS },
  won: { label: 'Выиграно сделок', unit: 'count', basis: 'дата закрытия', dimensions: WON_DIMS },
  won_amount: { label: 'Сумма выигранных сделок', unit: 'money', basis: 'дата закрытия', dimensions: WON_DIMS },
  pipeline_amount: { label: 'Сумма новых сделок', unit: 'money', basis: 'дата создания сделки', dimensions: DEAL_DIMS },
  avg_check: { label: 'Средний чек', unit: 'money', basis: 'дата закрытия', dimensions: WON_DIMS },
  conversion: {
    label: 'Конверсия в выигрыш, %',
    unit: 'percent',
    basis: 'дата создания сделки',
    dimensions: [...T, ...PEOPLE, 'region', 'source', 'campaign', 'product'],
  },
  leads: { label: 'Лиды', unit: 'count', basis: 'дата поступления лида', dimensions: MONEY_DIMS },
  tasks_done: { label: 'Выполнено задач', unit: 'count', basis: 'дата выполнения', dimensions: TASK_DIMS },
  tasks_overdue: { label: 'Просрочено задач', unit: 'count', basis: 'срок задачи', dimensions: TASK_DIMS },
  first_response_minutes: {
    label: 'Время первой реакции на лид, мин',
    unit: 'minutes',
    basis: 'дата поступления лида',
    dimensions: MONEY_DIMS,
  },
};

export const dimensionLabels: Record<Dimension, string> = {
  day: 'День',
  week: 'Неделя',
  month: 'Месяц',
  quarter: 'Квартал',
  year: 'Год',
  manager: 'Менеджер',
  department: 'Отдел',
  region: 'Регион',
  product: 'Товар',
  source: 'Источник',
  campaign: 'Рекламная кампания',
  stage: 'Этап',
  loss_reason: 'Причина отказа',
};

const formatSchema = z.enum(reportFormats, { error: () => `Формат: одно из ${reportFormats.join(', ')}` }).default('json');

/** Filters every report takes. from/to are inclusive dates; default: the last 12 months up to today. */
export const reportQuery = dateRangeQuery.extend({
  ownerId: idSchema.optional(),
  departmentId: idSchema.optional(),
  pipelineId: idSchema.optional(),
  format: formatSchema,
});
export type ReportQuery = z.infer<typeof reportQuery>;

const measureSchema = z.enum(measures, { error: () => `Неизвестный показатель. Допустимые: ${measures.join(', ')}` });

/** `groupBy=month,manager`: up to two dimensions, comma-separated. */
export const groupBySchema = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const names = (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !(dimensions as readonly string[]).includes(n));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `Неизвестное измерение «${unknown.join(', ')}». Допустимые: ${dimensions.join(', ')}` });
      return z.NEVER;
    }
    if (names.length > 2) {
      ctx.addIssue({ code: 'custom', message: 'Не больше двух измерений' });
      return z.NEVER;
    }
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', message: 'Измерения не должны повторяться' });
      return z.NEVER;
    }
    return names as Dimension[];
  });

export const salesQuery = reportQuery.extend({ measure: measureSchema, groupBy: groupBySchema });
export type SalesQuery = z.infer<typeof salesQuery>;

export const correlationQuery = reportQuery.extend({
  x: measureSchema,
  y: measureSchema,
  by: z.enum(['manager', 'month'], { error: () => 'Разбивка: manager или month' }).default('manager'),
});
export type CorrelationQuery = z.infer<typeof correlationQuery>;

export const periodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Период в формате ГГГГ-ММ');

export const planFactQuery = z.object({
  period: periodSchema.optional(),
  ownerId: idSchema.optional(),
  departmentId: idSchema.optional(),
  format: formatSchema,
});
export type PlanFactQuery = z.infer<typeof planFactQuery>;

// ── responses ──

const cell = z.union([z.string(), z.number(), z.null()]);

/** A row: for each dimension D its key `D` (id, date or text; null = not set) and `DLabel`, plus `value`. */
export const salesRowSchema = z.record(z.string(), cell);
export type SalesRow = Record<string, string | number | null>;

export const salesReportSchema = z.object({
  measure: z.enum(measures),
  unit: z.enum(['money', 'count', 'percent', 'minutes']),
  groupBy: z.array(z.enum(dimensions)),
  from: z.string(),
  to: z.string(),
  rows: z.array(salesRowSchema),
  /** The measure over the whole selection (not a sum of rows for ratios and for products). */
  total: z.number().nullable(),
});
export type SalesReport = z.infer<typeof salesReportSchema>;

export const funnelStageSchema = z.object({
  stageId: z.string(),
  code: z.string(),
  name: z.string(),
  /** Deals created in the period that reached the stage (by the stage history). */
  count: z.number().int(),
  /** Their current amounts, kopecks. */
  amount: z.number().int(),
  /** % of this stage's deals that reached the next stage (null for the last). */
  conversion: z.number().nullable(),
  /** % of the first stage's deals that reached this one. */
  conversionFromFirst: z.number().nullable(),
  /** Average completed stay in the stage, days (null: no completed stay). */
  avgDaysInStage: z.number().nullable(),
});
export const funnelReportSchema = z.object({
  pipelineId: z.string(),
  from: z.string(),
  to: z.string(),
  stages: z.array(funnelStageSchema),
  lost: z.object({
    count: z.number().int(),
    amount: z.number().int(),
    byReason: z.array(z.object({ reasonId: z.string().nullable(), name: z.string(), count: z.number().int(), amount: z.number().int() })),
  }),
});
export type FunnelReport = z.infer<typeof funnelReportSchema>;

export const activityRowSchema = z.object({
  userId: z.string().nullable(),
  name: z.string(),
  departmentId: z.string().nullable(),
  calls: z.number().int(),
  meetings: z.number().int(),
  emails: z.number().int(),
  control: z.number().int(),
  other: z.number().int(),
  tasksDone: z.number().int(),
  tasksOverdue: z.number().int(),
  dealsCreated: z.number().int(),
  dealsWon: z.number().int(),
  wonAmount: z.number().int(),
  revenue: z.number().int(),
});
export type ActivityRow = z.infer<typeof activityRowSchema>;
export const activityReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(activityRowSchema),
  total: activityRowSchema,
});
export type ActivityReport = z.infer<typeof activityReportSchema>;

export const abcClasses = ['A', 'B', 'C'] as const;
export const xyzClasses = ['X', 'Y', 'Z'] as const;
export const segments = ['new', 'active', 'sleeping', 'lost'] as const;
export type Segment = (typeof segments)[number];

export const churnRiskItemSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  ownerId: z.string().nullable(),
  firstPurchase: z.string(),
  lastPurchase: z.string(),
  purchases: z.number().int(),
  avgIntervalDays: z.number(),
  daysSinceLast: z.number().int(),
  revenue: z.number().int(),
});
export const clientBaseReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** ABC by revenue in the period (whole months from..to): A — first 80 % of revenue, B — next 15 %, C — last 5 %. */
  abc: z.array(z.object({ class: z.enum(abcClasses), clients: z.number().int(), revenue: z.number().int(), share: z.number() })),
  /** XYZ by the coefficient of variation of monthly revenue over the period's months: X ≤ 10 %, Y ≤ 25 %, Z above. */
  xyz: z.array(z.object({ class: z.enum(xyzClasses), clients: z.number().int(), revenue: z.number().int() })),
  matrix: z.record(z.string(), z.number().int()),
  /** Today's state of the base, by the last purchase (see docs/API.md for the thresholds). */
  segments: z.object({
    new: z.number().int(),
    active: z.number().int(),
    sleeping: z.number().int(),
    lost: z.number().int(),
    noPurchases: z.number().int(),
  }),
  churnRisk: z.object({ count: z.number().int(), items: z.array(churnRiskItemSchema) }),
});
export type ClientBaseReport = z.infer<typeof clientBaseReportSchema>;

export const lossReasonsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({ reasonId: z.string().nullable(), name: z.string(), count: z.number().int(), amount: z.number().int(), share: z.number() }),
  ),
  total: z.object({ count: z.number().int(), amount: z.number().int() }),
});
export type LossReasonsReport = z.infer<typeof lossReasonsReportSchema>;

export const sourcesRowSchema = z.object({
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  leads: z.number().int(),
  converted: z.number().int(),
  deals: z.number().int(),
  won: z.number().int(),
  wonAmount: z.number().int(),
  revenue: z.number().int(),
  /** converted / leads, %. */
  leadConversion: z.number().nullable(),
});
export type SourcesRow = z.infer<typeof sourcesRowSchema>;
export const sourcesReportSchema = z.object({ from: z.string(), to: z.string(), rows: z.array(sourcesRowSchema), total: sourcesRowSchema });
export type SourcesReport = z.infer<typeof sourcesReportSchema>;

export const reviewsRowSchema = z.object({
  month: z.string(),
  count: z.number().int(),
  avgRating: z.number().nullable(),
  positive: z.number().int(),
  neutral: z.number().int(),
  negative: z.number().int(),
  negativeShare: z.number().nullable(),
});
export const reviewsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(reviewsRowSchema),
  total: reviewsRowSchema.omit({ month: true }),
});
export type ReviewsReport = z.infer<typeof reviewsReportSchema>;

export const correlationReportSchema = z.object({
  x: z.enum(measures),
  y: z.enum(measures),
  by: z.enum(['manager', 'month']),
  from: z.string(),
  to: z.string(),
  n: z.number().int(),
  r: z.number().nullable(),
  r2: z.number().nullable(),
  slope: z.number().nullable(),
  intercept: z.number().nullable(),
  points: z.array(z.object({ key: z.string().nullable(), label: z.string(), x: z.number(), y: z.number() })),
});
export type CorrelationReport = z.infer<typeof correlationReportSchema>;

export const planFactRowSchema = z.object({
  planId: z.string(),
  userId: z.string(),
  name: z.string(),
  metric: z.string(),
  target: z.number().int(),
  fact: z.number().int(),
  percent: z.number().nullable(),
  forecast: z.number().int(),
});
export type PlanFactRow = z.infer<typeof planFactRowSchema>;
export const planFactReportSchema = z.object({
  period: z.string(),
  /** Days of the period elapsed (company time zone) and its length, for the forecast. */
  elapsedDays: z.number().int(),
  days: z.number().int(),
  rows: z.array(planFactRowSchema),
});
export type PlanFactReport = z.infer<typeof planFactReportSchema>;
