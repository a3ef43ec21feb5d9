import { z } from 'zod';
import { dateSchema, idSchema, versionSchema } from './shared.js';

/** Production orders (seed step 11): a deal entering «Производство» hands its items to production. */
export const productionStatuses = ['queued', 'in_progress', 'done'] as const;
export const productionStatusSchema = z.enum(productionStatuses, { error: () => 'Статус: queued, in_progress или done' });
export type ProductionStatus = z.infer<typeof productionStatusSchema>;

export const productionStatusLabelsRu: Record<ProductionStatus, string> = {
  queued: 'В очереди',
  in_progress: 'В работе',
  done: 'Готово',
};

/** What to make: names and quantities only (production sees no prices). */
export const productionItemSchema = z.object({
  name: z.string(),
  quantity: z.number(),
  unit: z.string().nullable(),
});
export type ProductionItem = z.infer<typeof productionItemSchema>;

export const productionOrderSchema = z.object({
  id: idSchema,
  /** Sequential order number (№ 1, 2, …). */
  number: z.number().int(),
  dealId: idSchema,
  dealTitle: z.string(),
  clientId: idSchema,
  clientName: z.string(),
  /** The deal's manager: whom production asks. */
  ownerId: idSchema.nullable(),
  ownerName: z.string().nullable(),
  items: z.array(productionItemSchema),
  status: productionStatusSchema,
  assigneeId: idSchema.nullable(),
  assigneeName: z.string().nullable(),
  dueDate: z.string().nullable(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ProductionOrder = z.infer<typeof productionOrderSchema>;

export const productionOrdersQuery = z.object({
  status: productionStatusSchema.optional(),
  dealId: idSchema.optional(),
  assigneeId: idSchema.optional(),
});
export type ProductionOrdersQuery = z.infer<typeof productionOrdersQuery>;

/** 'YYYY-MM-DD' that exists on the calendar (2026-02-30 is refused). */
const calendarDate = dateSchema.refine((d) => {
  const [y, m, day] = d.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, day));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
}, 'Нет такой даты');

export const patchProductionOrderBody = z.object({
  status: productionStatusSchema.optional(),
  comment: z.string().trim().max(5000, 'Не более 5000 символов').nullable().optional(),
  assigneeId: idSchema.nullable().optional(),
  dueDate: calendarDate.nullable().optional(),
  version: versionSchema,
});
export type PatchProductionOrderInput = z.infer<typeof patchProductionOrderBody>;
