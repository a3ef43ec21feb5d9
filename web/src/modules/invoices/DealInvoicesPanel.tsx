import { useState } from 'react';
import { Alert, Anchor, Button, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { IconFilePlus, IconSettings } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { notifySuccess } from '../../ui/notify';
import { QueryError } from '../../ui/QueryError';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useDealInvoices, useIssueInvoice, type InvoiceSummary } from './api';
import { formatDateRu, formatMoney, isOpen, paidPercent } from './format';
import { useInvoiceLiveUpdates } from './live';
import { InvoiceStatusBadge } from './StatusBadge';
import './i18n';
import { useAccess } from '../../auth/permissions';

function InvoiceLine({ invoice }: { invoice: InvoiceSummary }) {
  const { t } = useTranslation();
  const percent = paidPercent(invoice);
  return (
    <Stack gap={4} data-testid="deal-invoice" style={{ opacity: invoice.status === 'cancelled' ? 0.6 : undefined }}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Anchor component={Link} to={`/invoices/${encodeURIComponent(invoice.id)}`} fw={600} size="sm" style={{ whiteSpace: 'nowrap' }}>
          № {invoice.number}{' '}
          <Text span size="xs" c="dimmed" fw={400}>
            {formatDateRu(invoice.date)}
          </Text>
        </Anchor>
        <Text size="sm" fw={600} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
          {formatMoney(invoice.total)}
        </Text>
      </Group>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <InvoiceStatusBadge invoice={invoice} size="sm" />
        {invoice.status !== 'cancelled' ? (
          <Text size="xs" c="dimmed" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
            {t('invoices.deal.paidOf', { paid: formatMoney(invoice.paidAmount), total: formatMoney(invoice.total) })}
          </Text>
        ) : null}
      </Group>
      {invoice.status !== 'cancelled' ? (
        <Progress value={percent} size={4} color={percent >= 100 ? 'green' : invoice.overdue ? 'red' : 'yellow'} />
      ) : null}
    </Stack>
  );
}

/**
 * The deal card's «Счета» block: the deal's invoices and «Выставить счёт» (POST /deals/:id/invoices, then the new
 * invoice opens). A 422 — no items, the company's requisites missing — is shown with a way to fix it.
 * Mount: `<DealInvoicesPanel dealId={deal.id} />` (it draws its own title).
 */
export function DealInvoicesPanel({ dealId, withTitle = true }: { dealId: string; withTitle?: boolean }) {
  const { t } = useTranslation();
  const access = useAccess();
  const navigate = useNavigate();
  useInvoiceLiveUpdates();
  const invoices = useDealInvoices(dealId);
  const issue = useIssueInvoice();
  const [error, setError] = useState<{ message: string; settings: boolean } | null>(null);
  const [confirming, setConfirming] = useState<InvoiceSummary | null>(null);
  const canIssue = access.can('invoice', 'write');
  const openOne = invoices.data?.find(isOpen);

  const doIssue = async () => {
    setError(null);
    setConfirming(null);
    try {
      const invoice = await issue.mutateAsync(dealId);
      notifySuccess(t('invoices.deal.issued', { number: invoice.number }));
      navigate(`/invoices/${encodeURIComponent(invoice.id)}`);
    } catch (e) {
      const settings = e instanceof ApiError && Object.keys(e.fields ?? {}).some((key) => key.startsWith('company.'));
      setError({ message: errorMessage(e), settings });
    }
  };

  return (
    <Stack gap="sm" data-testid="deal-invoices">
      <Group justify="space-between" gap="xs">
        {withTitle ? <Title order={4}>{t('invoices.deal.title')}</Title> : <span />}
        {canIssue ? (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconFilePlus size={16} />}
            loading={issue.isPending}
            onClick={() => (openOne ? setConfirming(openOne) : void doIssue())}
          >
            {t('invoices.deal.issue')}
          </Button>
        ) : null}
      </Group>
      {error ? (
        <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
          <Text size="sm">{error.message}</Text>
          {error.settings && access.can('settings', 'write') ? (
            <Button
              component={Link}
              to="/settings/company"
              size="xs"
              variant="light"
              color="red"
              mt="xs"
              leftSection={<IconSettings size={14} />}
            >
              {t('invoices.deal.toSettings')}
            </Button>
          ) : null}
        </Alert>
      ) : null}
      {invoices.isPending ? (
        <Text size="sm" c="dimmed">
          {t('app.loading')}
        </Text>
      ) : invoices.isError ? (
        <QueryError error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : invoices.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('invoices.deal.empty')}
        </Text>
      ) : (
        <Stack gap="md">
          {invoices.data.map((invoice) => (
            <InvoiceLine key={invoice.id} invoice={invoice} />
          ))}
        </Stack>
      )}
      <ResponsiveModal opened={confirming !== null} onClose={() => setConfirming(null)} title={t('invoices.deal.openConfirmTitle')}>
        <Stack gap="md">
          <Text size="sm">{t('invoices.deal.openConfirmText', { number: confirming?.number ?? '' })}</Text>
          <Group justify="flex-end">
            {confirming ? (
              <Button variant="default" component={Link} to={`/invoices/${encodeURIComponent(confirming.id)}`}>
                {t('invoices.deal.openExisting', { number: confirming.number })}
              </Button>
            ) : null}
            <Button onClick={() => void doIssue()} loading={issue.isPending}>
              {t('invoices.deal.openConfirmSubmit')}
            </Button>
          </Group>
        </Stack>
      </ResponsiveModal>
    </Stack>
  );
}

export default DealInvoicesPanel;
