import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InvoiceSummary } from './api';
import { STATUS_COLOR } from './format';
import './i18n';

/** «Оплачен», «Частично оплачен»… plus a red «просрочен» when the due date has passed. */
export function InvoiceStatusBadge({
  invoice,
  size = 'sm',
}: {
  invoice: Pick<InvoiceSummary, 'status' | 'overdue'>;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" data-testid="invoice-status">
      <Badge variant="light" color={STATUS_COLOR[invoice.status]} size={size} style={{ flex: 'none' }}>
        {t(`invoices.status.${invoice.status}`)}
      </Badge>
      {invoice.overdue ? (
        <Badge variant="filled" color="red" size={size} style={{ flex: 'none' }} data-testid="invoice-overdue">
          {t('invoices.overdue')}
        </Badge>
      ) : null}
    </Group>
  );
}
