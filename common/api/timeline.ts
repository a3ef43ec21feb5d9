import { z } from 'zod';
import { idSchema, requiredText } from './shared.js';

/** Kinds of entries on a client's timeline (the client card's feed). */
export const timelineKinds = [
  'comment',
  'refusal',
  'reactivated',
  'deal_created',
  'stage_changed',
  'deal_won',
  'deal_lost',
  'task_done',
  'call',
  'invoice',
  'payment',
  'review',
  'merged',
  'reassigned',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export const timelineEntrySchema = z.object({
  id: idSchema,
  kind: z.string(),
  at: z.string(),
  authorId: idSchema.nullable(),
  authorName: z.string().nullable(),
  text: z.string().nullable(),
  data: z.unknown().nullable(),
  dealId: idSchema.nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelinePage = z.object({ items: z.array(timelineEntrySchema), nextCursor: z.string().nullable() });

export const commentBody = z.object({ text: requiredText(10000) });
