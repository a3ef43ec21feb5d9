import { z } from 'zod';
import { idSchema, requiredText, versionSchema, YEAR_MESSAGE, yearInBounds } from './shared.js';

export const taskTypeValues = ['call', 'meeting', 'email', 'control', 'other'] as const;
export const taskTypeSchema = z.enum(taskTypeValues, { error: () => `Тип задачи: одно из ${taskTypeValues.join(', ')}` });
export type TaskType = z.infer<typeof taskTypeSchema>;

export const taskTypeLabelsRu: Record<TaskType, string> = {
  call: 'Звонок',
  meeting: 'Встреча',
  email: 'Письмо',
  control: 'Контроль',
  other: 'Другое',
};

export const taskStatusValues = ['open', 'done'] as const;
export const taskStatusSchema = z.enum(taskStatusValues, { error: () => 'Статус: open или done' });
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskDueValues = ['overdue', 'today', 'week'] as const;
export const taskDueSchema = z.enum(taskDueValues, { error: () => 'Срок: overdue, today или week' });
export type TaskDue = z.infer<typeof taskDueSchema>;

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const INSTANT_MESSAGE = 'Дата и время в формате ISO 8601 с часовым поясом, например 2026-05-20T15:00:00+03:00';

/** ISO date-time with offset whose calendar fields exist (no 30 February, no 25:00). */
function isInstant(s: string): boolean {
  if (!INSTANT_RE.test(s) || Number.isNaN(new Date(s).getTime())) return false;
  const [y, m, d, hh, mm, ss] = [s.slice(0, 4), s.slice(5, 7), s.slice(8, 10), s.slice(11, 13), s.slice(14, 16), s.slice(17, 19)].map(
    Number,
  );
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d && hh <= 23 && mm <= 59 && (Number.isNaN(ss) || ss <= 59);
}

/** An instant: ISO 8601 date-time with an offset (or Z). Normalised to UTC `toISOString()`. */
export const instantSchema = z
  .string({ error: () => INSTANT_MESSAGE })
  .trim()
  .refine(isInstant, INSTANT_MESSAGE)
  .refine(yearInBounds, YEAR_MESSAGE)
  .transform((s) => new Date(s).toISOString());

/** RRULE (RFC 5545) such as `FREQ=WEEKLY;BYDAY=FR` or `RRULE:FREQ=MONTHLY;BYMONTHDAY=5;COUNT=6`; checked by the server. */
export const recurrenceSchema = z.string().trim().max(500, 'Не более 500 символов');

export const taskSchema = z.object({
  id: idSchema,
  title: z.string(),
  type: taskTypeSchema,
  description: z.string().nullable(),
  dueAt: z.string(),
  assigneeId: idSchema,
  /** null for tasks created by automation. */
  authorId: idSchema.nullable(),
  clientId: idSchema.nullable(),
  dealId: idSchema.nullable(),
  status: taskStatusSchema,
  result: z.string().nullable(),
  doneAt: z.string().nullable(),
  recurrence: z.string().nullable(),
  remindAt: z.string().nullable(),
  remindBeforeMinutes: z.number().int().nullable(),
  /** What created it: null (a person) or an automation name such as `payment_control`. */
  source: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Task = z.infer<typeof taskSchema>;

const remindBefore = z
  .number({ error: () => 'Целое число минут' })
  .int('Целое число минут')
  .min(0, 'Не меньше 0')
  .max(60 * 24 * 60, 'Не больше 60 дней');

export const createTaskBody = z.object({
  title: requiredText(500),
  type: taskTypeSchema,
  dueAt: instantSchema,
  assigneeId: idSchema.optional(),
  clientId: idSchema.nullable().optional(),
  dealId: idSchema.nullable().optional(),
  recurrence: recurrenceSchema.nullable().optional(),
  description: z.string().trim().max(10_000, 'Не более 10000 символов').nullable().optional(),
  remindAt: instantSchema.nullable().optional(),
  remindBeforeMinutes: remindBefore.nullable().optional(),
});
export type CreateTaskBody = z.infer<typeof createTaskBody>;

export const patchTaskBody = createTaskBody.partial().extend({
  assigneeId: idSchema.optional(),
  version: versionSchema.optional(),
});
export type PatchTaskBody = z.infer<typeof patchTaskBody>;

export const completeTaskBody = z.object({
  result: z.string().trim().max(10_000, 'Не более 10000 символов').nullable().optional(),
  version: versionSchema.optional(),
});

export const reopenTaskBody = z.object({ version: versionSchema.optional() });

/** Completing a recurring task returns the next occurrence too. */
export const completeTaskResponse = taskSchema.extend({ next: taskSchema.nullable() });

export const tasksQuery = z.object({
  assigneeId: idSchema.optional(),
  status: taskStatusSchema.optional(),
  due: taskDueSchema.optional(),
  clientId: idSchema.optional(),
  dealId: idSchema.optional(),
  type: taskTypeSchema.optional(),
});

/** Counts of the current user's open tasks, for the sidebar badge. */
export const taskSummarySchema = z.object({
  overdue: z.number().int(),
  today: z.number().int(),
  week: z.number().int(),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;
