/**
 * The invoice register as a file (GET /api/invoices?…&format=xlsx|csv): every matching invoice in the caller's
 * scope, streamed; XLSX ends with a totals row (SUM formulas with their results).
 */
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import type { ListColumn, ListExportSpec } from '../../platform/list-export.js';
import { invoiceStatusLabelsRu, type InvoiceParty, type InvoiceSummary, type InvoicesQuery } from '../../../common/api/invoices.js';

type Row = InvoiceSummary & { buyerInn: string | null; ownerName: string | null };

const columns: ListColumn<Row>[] = [
  { header: '№ счёта', type: 'text', value: (r) => r.number, width: 10 },
  { header: 'Дата', type: 'date', value: (r) => r.date, width: 12 },
  { header: 'Оплатить до', type: 'date', value: (r) => r.dueDate, width: 12 },
  { header: 'Покупатель', type: 'text', value: (r) => r.clientName, width: 34 },
  { header: 'ИНН', type: 'text', value: (r) => r.buyerInn, width: 14 },
  { header: 'Сделка', type: 'text', value: (r) => r.dealTitle, width: 30 },
  { header: 'Сумма, ₽', type: 'money', value: (r) => r.total, total: true, width: 15 },
  { header: 'в т. ч. НДС, ₽', type: 'money', value: (r) => r.vatAmount, total: true, width: 14 },
  { header: 'Оплачено, ₽', type: 'money', value: (r) => r.paidAmount, total: true, width: 15 },
  { header: 'Остаток, ₽', type: 'money', value: (r) => (r.status === 'cancelled' ? 0 : r.total - r.paidAmount), total: true, width: 15 },
  { header: 'Статус', type: 'text', value: (r) => invoiceStatusLabelsRu[r.status], width: 16 },
  { header: 'Просрочен', type: 'boolean', value: (r) => r.overdue, width: 11 },
  { header: 'Дата оплаты', type: 'date', value: (r) => r.paidAt, width: 12 },
  { header: 'Ответственный', type: 'text', value: (r) => r.ownerName, width: 22 },
];

export function invoicesExport(
  ctx: Ctx,
  actor: Actor,
  q: InvoicesQuery & { limit?: number; cursor?: string },
  format: 'xlsx' | 'csv',
): ListExportSpec<{ summary: InvoiceSummary; buyer: InvoiceParty }, Row> {
  const { limit: _limit, cursor: _cursor, ...filters } = q;
  return {
    format,
    entity: 'invoice',
    filters,
    title: 'Реестр счетов',
    asciiName: 'invoices',
    columns,
    page: (cursor, limit) => ctx.services.invoices.listWithBuyer(actor, { ...filters, cursor, limit }),
    prepare: async (items) => {
      const names = await ctx.services.users.names(items.map((i) => i.summary.ownerId));
      return items.map(({ summary: i, buyer }) => ({
        ...i,
        buyerInn: buyer.inn,
        ownerName: i.ownerId ? (names.get(i.ownerId) ?? null) : null,
      }));
    },
    totalsLabel: (count) => `Итого (${count})`,
  };
}
