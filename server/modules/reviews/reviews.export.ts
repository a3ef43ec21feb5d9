/** The review base as a file (GET /api/reviews?…&format=xlsx|csv). */
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import type { ListColumn, ListExportSpec } from '../../platform/list-export.js';
import { reviewSourceLabelsRu, sentimentLabelsRu, type Review, type ReviewsQuery } from '../../../common/api/reviews.js';

const columns: ListColumn<Review>[] = [
  { header: 'Дата', type: 'date', value: (r) => r.createdAt, width: 12 },
  { header: 'Клиент', type: 'text', value: (r) => r.clientName, width: 30 },
  { header: 'Сделка', type: 'text', value: (r) => r.dealTitle, width: 28 },
  { header: 'Оценка', type: 'integer', value: (r) => r.rating, width: 8 },
  { header: 'Тональность', type: 'text', value: (r) => sentimentLabelsRu[r.sentiment], width: 15 },
  { header: 'Отзыв', type: 'text', value: (r) => r.text, width: 50 },
  { header: 'Источник', type: 'text', value: (r) => (r.source ? reviewSourceLabelsRu[r.source] : null), width: 12 },
  { header: 'Автор', type: 'text', value: (r) => r.authorName, width: 22 },
];

export function reviewsExport(
  ctx: Ctx,
  actor: Actor,
  q: ReviewsQuery & { limit?: number; cursor?: string },
  format: 'xlsx' | 'csv',
): ListExportSpec<Review> {
  const { limit: _limit, cursor: _cursor, ...filters } = q;
  return {
    format,
    entity: 'review',
    filters,
    title: 'Отзывы',
    asciiName: 'reviews',
    columns,
    page: (cursor, limit) => ctx.services.reviews.list(actor, { ...filters, cursor, limit }),
  };
}
