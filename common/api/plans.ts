/**
 * Sales plans (issue 6): a target per employee, month and metric. Money targets are kopecks; activity targets
 * are counts (calls and meetings are done tasks of type call / meeting until telephony exists).
 */
import { z } from 'zod';
import { idSchema } from './shared.js';
import { periodSchema } from './reports.js';

export const planMetrics = ['revenue', 'deals', 'calls', 'meetings', 'tasks'] as const;
export type PlanMetric = (typeof planMetrics)[number];

export const planMetricLabels: Record<PlanMetric, string> = {
  revenue: 'Выручка',
  deals: 'Новые сделки',
  calls: 'Звонки',
  meetings: 'Встречи',
  tasks: 'Выполненные задачи',
};

export const planMetricSchema = z.enum(planMetrics, { error: () => `Показатель плана: одно из ${planMetrics.join(', ')}` });

export const putPlanBody = z.object({
  userId: idSchema,
  period: periodSchema,
  metric: planMetricSchema,
  target: z
    .number()
    .int('План: целое число (для выручки — в копейках)')
    .min(0, 'План не может быть отрицательным')
    .max(Number.MAX_SAFE_INTEGER, 'Слишком большое число'),
});
export type PutPlanInput = z.infer<typeof putPlanBody>;

export const plansQuery = z.object({
  period: periodSchema.optional(),
  userId: idSchema.optional(),
});

export const planSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  period: z.string(),
  metric: z.enum(planMetrics),
  target: z.number().int(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Plan = z.infer<typeof planSchema>;
