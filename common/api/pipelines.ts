import { z } from 'zod';
import { idSchema, requiredText, versionSchema } from './shared.js';

export const stageKinds = ['open', 'won', 'lost'] as const;
export const stageKindSchema = z.enum(stageKinds, { error: () => 'Тип этапа: open, won или lost' });
export type StageKind = z.infer<typeof stageKindSchema>;

/** The regulation's stages (steps 8–13 of the seed), in order: the default pipeline. */
export const defaultStages: { code: string; name: string; kind: StageKind }[] = [
  { code: 'new', name: 'Новый', kind: 'open' },
  { code: 'qualification', name: 'Квалификация', kind: 'open' },
  { code: 'proposal', name: 'КП отправлено', kind: 'open' },
  { code: 'agreed', name: 'Согласие', kind: 'open' },
  { code: 'invoiced', name: 'Счёт выставлен', kind: 'open' },
  { code: 'paid', name: 'Оплачен', kind: 'open' },
  { code: 'production', name: 'Производство', kind: 'open' },
  { code: 'delivered', name: 'Сдано клиенту', kind: 'open' },
  { code: 'feedback', name: 'Отзыв получен', kind: 'open' },
  { code: 'won', name: 'Успешно', kind: 'won' },
  { code: 'lost', name: 'Отказ', kind: 'lost' },
];
export const DEFAULT_PIPELINE_NAME = 'Продажи';

export const stageSchema = z.object({
  id: idSchema,
  pipelineId: idSchema,
  name: z.string(),
  /** Stable code: the regulation's codes in the default pipeline, `new`/`won`/`lost` in every pipeline, generated for added stages. */
  code: z.string(),
  kind: stageKindSchema,
  /** 0-based order within the pipeline (closing stages last). */
  position: z.number().int(),
  archived: z.boolean(),
  version: z.number().int(),
});
export type Stage = z.infer<typeof stageSchema>;

export const pipelineSchema = z.object({
  id: idSchema,
  name: z.string(),
  isDefault: z.boolean(),
  archived: z.boolean(),
  version: z.number().int(),
  stages: z.array(stageSchema),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

export const createPipelineBody = z.object({ name: requiredText(200) });

export const patchPipelineBody = z.object({
  name: requiredText(200).optional(),
  archived: z.boolean().optional(),
  isDefault: z.boolean().optional(),
  version: versionSchema.optional(),
});

export const createStageBody = z.object({
  name: requiredText(200),
  kind: stageKindSchema.optional(),
});

export const patchStageBody = z.object({
  name: requiredText(200).optional(),
  position: z.number().int('Позиция — целое число').min(0, 'Позиция не может быть отрицательной').optional(),
  archived: z.boolean().optional(),
  version: versionSchema.optional(),
});
