import { z } from 'zod';
import { quantitySchema } from '../money.js';
import { dateRangeQuery, idSchema, versionSchema } from './shared.js';
import { priceSchema, vatRateSchema } from './products.js';
import { stageKindSchema } from './pipelines.js';

export const dealStatuses = ['open', 'won', 'lost'] as const;
export const dealStatusSchema = z.enum(dealStatuses, { error: () => 'Статус: open, won или lost' });
export type DealStatus = z.infer<typeof dealStatusSchema>;

export const dealItemSchema = z.object({
  id: idSchema,
  productId: idSchema.nullable(),
  name: z.string(),
  quantity: z.number(),
  /** Kopecks per unit, VAT included. */
  price: z.number().int(),
  vatRate: z.number().nullable(),
  /** round(quantity × price), kopecks. */
  total: z.number().int(),
  /** VAT included in total: round(total × rate / (100 + rate)). */
  vat: z.number().int(),
});
export type DealItem = z.infer<typeof dealItemSchema>;

/** A deal as lists and the board show it (no items). */
export const dealSummarySchema = z.object({
  id: idSchema,
  clientId: idSchema,
  clientName: z.string(),
  title: z.string(),
  /** Kopecks: the sum of item totals, or the amount set by hand when the deal has no items. */
  amount: z.number().int(),
  pipelineId: idSchema,
  stageId: idSchema,
  stageCode: z.string(),
  stageName: z.string(),
  status: dealStatusSchema,
  ownerId: idSchema.nullable(),
  ownerName: z.string().nullable(),
  source: z.string().nullable(),
  lossReasonId: idSchema.nullable(),
  lossComment: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** When the deal entered its current stage. */
  stageEnteredAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type DealSummary = z.infer<typeof dealSummarySchema>;

export const dealSchema = dealSummarySchema.extend({ items: z.array(dealItemSchema) });
export type Deal = z.infer<typeof dealSchema>;

export const dealItemInput = z.object({
  productId: idSchema.nullable().optional(),
  /** Required without productId; defaults to the product's name. */
  name: z.string().trim().min(1, 'Обязательное поле').max(500, 'Не более 500 символов').optional(),
  quantity: quantitySchema,
  /** Required without productId; defaults to the product's price. */
  price: priceSchema.optional(),
  /** Defaults to the product's rate, else null (без НДС). */
  vatRate: vatRateSchema.optional(),
});
export type DealItemInput = z.infer<typeof dealItemInput>;

const title = z.string().trim().min(1, 'Обязательное поле').max(300, 'Не более 300 символов');
const source = z.string().trim().max(100, 'Не более 100 символов').nullable();
const amount = z
  .number({ error: 'Сумма — целое число копеек' })
  .int('Сумма — целое число копеек')
  .nonnegative('Сумма не может быть отрицательной')
  .max(Number.MAX_SAFE_INTEGER, 'Слишком большая сумма');

export const createDealBody = z.object({
  clientId: idSchema,
  title,
  pipelineId: idSchema.optional(),
  stageId: idSchema.optional(),
  ownerId: idSchema.optional(),
  source: source.optional(),
  items: z.array(dealItemInput).max(500, 'Не более 500 позиций').optional(),
  /** Only for a deal without items. */
  amount: amount.optional(),
});
export type CreateDealInput = z.infer<typeof createDealBody>;

export const patchDealBody = z.object({
  title: title.optional(),
  ownerId: idSchema.optional(),
  source: source.optional(),
  /** Replaces every item. */
  items: z.array(dealItemInput).max(500, 'Не более 500 позиций').optional(),
  amount: amount.optional(),
  version: versionSchema.optional(),
});
export type PatchDealInput = z.infer<typeof patchDealBody>;

export const moveDealBody = z.object({
  stageId: idSchema.optional(),
  stageCode: z.string().max(64).optional(),
  /** Required (with comment) when the target is the lost stage. */
  reasonId: idSchema.optional(),
  comment: z.string().max(5000).optional(),
  version: versionSchema.optional(),
});
export type MoveDealInput = z.infer<typeof moveDealBody>;

/** reasonId and comment are checked by the service, so that a missing one is 422 naming it. */
export const loseDealBody = z.object({
  reasonId: idSchema.nullable().optional(),
  comment: z.string().max(5000).nullable().optional(),
  version: versionSchema.optional(),
});

export const reopenDealBody = z.object({
  stageId: idSchema.optional(),
  version: versionSchema.optional(),
});

export const dealSorts = ['createdAt', '-createdAt', 'amount', '-amount', 'title', '-title'] as const;

/** from/to: created on or after / on or before these days (company time zone). */
export const dealsQuery = dateRangeQuery.extend({
  pipelineId: idSchema.optional(),
  stageId: idSchema.optional(),
  stageCode: z.string().max(64).optional(),
  ownerId: idSchema.optional(),
  clientId: idSchema.optional(),
  q: z.string().max(200).optional(),
  status: dealStatusSchema.optional(),
  source: z.string().max(100).optional(),
  sort: z.enum(dealSorts, { error: () => `Сортировка: одно из ${dealSorts.join(', ')}` }).optional(),
});
export type DealsQuery = z.infer<typeof dealsQuery>;

export const boardQuery = dateRangeQuery.extend({
  pipelineId: idSchema.optional(),
  ownerId: idSchema.optional(),
  source: z.string().max(100).optional(),
  limitPerStage: z.coerce.number().int().min(0).max(500).default(50),
});
export type BoardQuery = z.infer<typeof boardQuery>;

export const boardColumnSchema = z.object({
  stageId: idSchema,
  code: z.string(),
  name: z.string(),
  kind: stageKindSchema,
  /** Every deal of the column in the actor's scope and filters, not only those returned. */
  count: z.number().int(),
  amount: z.number().int(),
  deals: z.array(dealSummarySchema),
});
export const boardSchema = z.object({ pipelineId: idSchema, stages: z.array(boardColumnSchema) });
export type Board = z.infer<typeof boardSchema>;

export const stageHistoryEntrySchema = z.object({
  id: idSchema,
  pipelineId: idSchema,
  stageId: idSchema,
  stageCode: z.string(),
  stageName: z.string(),
  enteredAt: z.string(),
  leftAt: z.string().nullable(),
  /** Seconds spent in the stage (until now for the current one). */
  durationSeconds: z.number().int(),
  ownerId: idSchema.nullable(),
  byUserId: idSchema.nullable(),
});
export type StageHistoryEntry = z.infer<typeof stageHistoryEntrySchema>;
export const stageHistorySchema = z.object({ items: z.array(stageHistoryEntrySchema), nextCursor: z.null() });
