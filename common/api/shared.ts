import { z } from 'zod';

/** Ids are strings (DESIGN §4). */
export const idSchema = z.string().min(1).max(64);
export const idParams = z.object({ id: idSchema });
export const isoTimestamp = z.string();
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Дата в формате ГГГГ-ММ-ДД');
/** Integer kopecks. */
export const moneySchema = z.number().int('Сумма в копейках: целое число');
export const versionSchema = z.number().int().min(1);

export const listResponse = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }),
});

/** Trimmed non-empty string with a Russian message. */
export const requiredText = (max = 500) => z.string().trim().min(1, 'Обязательное поле').max(max, `Не более ${max} символов`);
