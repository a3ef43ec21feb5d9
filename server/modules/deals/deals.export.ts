/** The deals list as a file (GET /api/deals?…&format=xlsx|csv). */
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import type { ListColumn, ListExportSpec } from '../../platform/list-export.js';
import type { DealStatus, DealSummary, DealsQuery } from '../../../common/api/deals.js';

const statusRu: Record<DealStatus, string> = { open: 'В работе', won: 'Успешно', lost: 'Проиграна' };

const columns: ListColumn<DealSummary>[] = [
  { header: 'Сделка', type: 'text', value: (r) => r.title, width: 34 },
  { header: 'Клиент', type: 'text', value: (r) => r.clientName, width: 30 },
  { header: 'Сумма, ₽', type: 'money', value: (r) => r.amount, width: 15 },
  { header: 'Этап', type: 'text', value: (r) => r.stageName, width: 18 },
  { header: 'Статус', type: 'text', value: (r) => statusRu[r.status], width: 11 },
  { header: 'Ответственный', type: 'text', value: (r) => r.ownerName, width: 22 },
  { header: 'Источник', type: 'text', value: (r) => r.source, width: 14 },
  { header: 'Комментарий к проигрышу', type: 'text', value: (r) => r.lossComment, width: 24 },
  { header: 'Дата создания', type: 'date', value: (r) => r.createdAt, width: 13 },
  { header: 'Дата закрытия', type: 'date', value: (r) => r.closedAt, width: 13 },
];

export function dealsExport(
  ctx: Ctx,
  actor: Actor,
  q: DealsQuery & { limit?: number; cursor?: string },
  format: 'xlsx' | 'csv',
): ListExportSpec<DealSummary> {
  const { limit: _limit, cursor: _cursor, ...filters } = q;
  return {
    format,
    entity: 'deal',
    filters,
    title: 'Сделки',
    asciiName: 'deals',
    columns,
    page: (cursor, limit) => ctx.services.deals.list(actor, { ...filters, cursor, limit }),
  };
}
