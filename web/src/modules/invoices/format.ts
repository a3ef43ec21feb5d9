import i18n from 'i18next';
import type { InvoiceStatus, InvoiceSummary } from '../../../../common/api/invoices';
import { formatMoney, formatMoneyPlain } from '../../../../common/money';
import { formatDateRu } from '../../../../common/dates';

export { formatMoney, formatMoneyPlain, formatDateRu };

export const INVOICE_STATUSES: InvoiceStatus[] = ['issued', 'sent', 'partially_paid', 'paid', 'cancelled'];

export const STATUS_COLOR: Record<InvoiceStatus, string> = {
  issued: 'blue',
  sent: 'cyan',
  partially_paid: 'yellow',
  paid: 'green',
  cancelled: 'gray',
};

export const statusLabel = (status: InvoiceStatus) => i18n.t(`invoices.status.${status}`);

/** An invoice still waiting for money. */
export const isOpen = (invoice: Pick<InvoiceSummary, 'status'>) =>
  invoice.status === 'issued' || invoice.status === 'sent' || invoice.status === 'partially_paid';

/** What is still to be paid (0 for paid and cancelled invoices). */
export const outstandingOf = (invoice: Pick<InvoiceSummary, 'status' | 'total' | 'paidAmount'>) =>
  isOpen(invoice) ? Math.max(0, invoice.total - invoice.paidAmount) : 0;

/** Paid share in percent, 0–100. */
export const paidPercent = (invoice: Pick<InvoiceSummary, 'total' | 'paidAmount'>) =>
  invoice.total > 0 ? Math.min(100, Math.round((invoice.paidAmount / invoice.total) * 100)) : 0;

const quantityFormat = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 3 });
/** 1.5 → «1,5»; 1000 → «1 000». */
export const formatQuantity = (value: number) => quantityFormat.format(value);

/** «22 %» or «Без НДС». */
export const vatRateLabel = (rate: number | null) => (rate === null ? i18n.t('invoices.card.noVat') : `${rate}\u00A0%`);

/** Today as YYYY-MM-DD on the user's calendar. */
export function todayIso(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
