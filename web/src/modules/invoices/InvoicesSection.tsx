import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../ui/StatusPage';
import './i18n';
import InvoicePage from './InvoicePage';
import InvoicesListPage from './InvoicesListPage';
import { useInvoiceLiveUpdates } from './live';

/** «Счета»: /invoices (реестр), /invoices/:id (карточка счёта). Live: `invoice_updated` refreshes what is on screen. */
export default function InvoicesSection() {
  useInvoiceLiveUpdates();
  return (
    <Routes>
      <Route index element={<InvoicesListPage />} />
      <Route path=":id" element={<InvoicePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
