import { z } from 'zod';
import { dateRangeQuery, idSchema, requiredText } from './shared.js';

/** The review base (seed step 13): a client's opinion of the work and of the product in use. */
export const sentiments = ['positive', 'neutral', 'negative'] as const;
export const sentimentSchema = z.enum(sentiments, { error: () => 'Тональность: positive, neutral или negative' });
export type Sentiment = z.infer<typeof sentimentSchema>;

export const sentimentLabelsRu: Record<Sentiment, string> = {
  positive: 'Положительный',
  neutral: 'Нейтральный',
  negative: 'Отрицательный',
};

export const reviewSources = ['call', 'email', 'site', 'messenger', 'other'] as const;
export const reviewSourceSchema = z.enum(reviewSources, { error: () => 'Источник: call, email, site, messenger или other' });
export type ReviewSource = z.infer<typeof reviewSourceSchema>;

export const reviewSourceLabelsRu: Record<ReviewSource, string> = {
  call: 'Звонок',
  email: 'E-mail',
  site: 'Сайт',
  messenger: 'Мессенджер',
  other: 'Другое',
};

/** Sentiment from a rating when none is given: 1–2 negative, 3 neutral, 4–5 positive. */
export function sentimentOfRating(rating: number): Sentiment {
  return rating <= 2 ? 'negative' : rating === 3 ? 'neutral' : 'positive';
}

export const reviewSchema = z.object({
  id: idSchema,
  clientId: idSchema,
  clientName: z.string(),
  dealId: idSchema.nullable(),
  dealTitle: z.string().nullable(),
  rating: z.number().int(),
  sentiment: sentimentSchema,
  text: z.string(),
  source: reviewSourceSchema.nullable(),
  authorId: idSchema.nullable(),
  authorName: z.string().nullable(),
  createdAt: z.string(),
});
export type Review = z.infer<typeof reviewSchema>;

export const createReviewBody = z.object({
  clientId: idSchema,
  dealId: idSchema.nullable().optional(),
  rating: z
    .number({ error: () => 'Оценка от 1 до 5' })
    .int('Оценка от 1 до 5')
    .min(1, 'Оценка от 1 до 5')
    .max(5, 'Оценка от 1 до 5'),
  sentiment: sentimentSchema.optional(),
  text: requiredText(5000),
  source: reviewSourceSchema.nullable().optional(),
});
export type CreateReviewInput = z.infer<typeof createReviewBody>;

/** from/to: local dates (company time zone), inclusive. */
export const reviewsQuery = dateRangeQuery.extend({
  clientId: idSchema.optional(),
  dealId: idSchema.optional(),
  sentiment: sentimentSchema.optional(),
  source: reviewSourceSchema.optional(),
});
export type ReviewsQuery = z.infer<typeof reviewsQuery>;

export const reviewsSummaryQuery = dateRangeQuery.extend({
  clientId: idSchema.optional(),
});

export const reviewsSummarySchema = z.object({
  count: z.number().int(),
  /** Mean rating rounded to 2 decimals; null without reviews. */
  avgRating: z.number().nullable(),
  bySentiment: z.object({ positive: z.number().int(), neutral: z.number().int(), negative: z.number().int() }),
  /** Negative / count, 0..1 rounded to 4 decimals; 0 without reviews. */
  negativeShare: z.number(),
});
export type ReviewsSummary = z.infer<typeof reviewsSummarySchema>;
