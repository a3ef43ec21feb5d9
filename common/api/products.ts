import { z } from 'zod';
import { idSchema, versionSchema } from './shared.js';

/** VAT rates in percent allowed on Russian invoices; null = «Без НДС». */
export const vatRates = [0, 5, 7, 10, 20, 22] as const;
export type VatRate = (typeof vatRates)[number];

const vatRateMessage = 'Ставка НДС: 0, 5, 7, 10, 20, 22 или null (без НДС)';
export const vatRateSchema = z
  .number({ error: vatRateMessage })
  .refine((v) => (vatRates as readonly number[]).includes(v), { message: vatRateMessage })
  .nullable();

/** A price in kopecks, VAT included: a non-negative safe integer. */
export const priceSchema = z
  .number({ error: 'Цена — целое число копеек' })
  .int('Цена — целое число копеек')
  .nonnegative('Цена не может быть отрицательной')
  .max(Number.MAX_SAFE_INTEGER, 'Слишком большая цена');

const trimmed = (max: number, label: string) => z.string().trim().max(max, `${label}: не более ${max} символов`);

export const productSchema = z.object({
  id: idSchema,
  sku: z.string().nullable(),
  name: z.string(),
  /** Kopecks, VAT included. */
  price: z.number().int(),
  unit: z.string(),
  vatRate: z.number().nullable(),
  archived: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof productSchema>;

export const productsQuery = z.object({
  q: z.string().max(200).optional(),
  /** false (default): active only; true: archived only; all: both. */
  archived: z.enum(['true', 'false', 'all']).optional(),
});

export const createProductBody = z.object({
  sku: trimmed(100, 'Артикул').nullable().optional(),
  name: z.string().trim().min(1, 'Обязательное поле').max(500, 'Не более 500 символов'),
  price: priceSchema,
  unit: trimmed(20, 'Единица').optional(),
  vatRate: vatRateSchema.optional(),
});
export type CreateProductInput = z.infer<typeof createProductBody>;

export const patchProductBody = z.object({
  sku: trimmed(100, 'Артикул').nullable().optional(),
  name: z.string().trim().min(1, 'Обязательное поле').max(500, 'Не более 500 символов').optional(),
  price: priceSchema.optional(),
  unit: trimmed(20, 'Единица').optional(),
  vatRate: vatRateSchema.optional(),
  archived: z.boolean().optional(),
  version: versionSchema.optional(),
});
export type PatchProductInput = z.infer<typeof patchProductBody>;
