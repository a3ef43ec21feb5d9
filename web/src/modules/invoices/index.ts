/** What other modules may use from «Счета». */
export { DealInvoicesPanel } from './DealInvoicesPanel';
export { InvoiceStatusBadge } from './StatusBadge';
