import { Anchor, Group, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { InvoiceSummary } from './api';
import { formatDateRu, formatMoney, isOpen, paidPercent } from './format';
import { InvoiceStatusBadge } from './StatusBadge';

const invoicePath = (invoice: InvoiceSummary) => `/invoices/${encodeURIComponent(invoice.id)}`;

function PaidCell({ invoice }: { invoice: InvoiceSummary }) {
  const percent = paidPercent(invoice);
  return (
    <Stack gap={2} style={{ minWidth: 110 }}>
      <Text size="sm" className="tabular-nums" c={invoice.paidAmount > 0 ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
        {formatMoney(invoice.paidAmount)}
      </Text>
      {invoice.status !== 'cancelled' ? (
        <Progress value={percent} size={4} color={percent >= 100 ? 'green' : 'yellow'} aria-hidden />
      ) : null}
    </Stack>
  );
}

/** The register on wide screens; a row opens the invoice card. */
export function InvoicesTable({ invoices }: { invoices: readonly InvoiceSummary[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover verticalSpacing="xs" data-testid="invoices-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('invoices.col.number')}</Table.Th>
            <Table.Th>{t('invoices.col.date')}</Table.Th>
            <Table.Th>{t('invoices.col.client')}</Table.Th>
            <Table.Th>{t('invoices.col.deal')}</Table.Th>
            <Table.Th ta="right">{t('invoices.col.total')}</Table.Th>
            <Table.Th>{t('invoices.col.paid')}</Table.Th>
            <Table.Th>{t('invoices.col.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoices.map((invoice) => (
            <Table.Tr
              key={invoice.id}
              style={{ cursor: 'pointer', opacity: invoice.status === 'cancelled' ? 0.6 : undefined }}
              bg={invoice.overdue ? 'var(--mantine-color-red-light)' : undefined}
              onClick={(event) => {
                if ((event.target as HTMLElement).closest('a')) return;
                navigate(invoicePath(invoice));
              }}
              data-testid="invoice-row"
            >
              <Table.Td>
                <Anchor component={Link} to={invoicePath(invoice)} fw={600} style={{ whiteSpace: 'nowrap' }}>
                  {invoice.number}
                </Anchor>
              </Table.Td>
              <Table.Td className="tabular-nums">
                <Text size="sm">{formatDateRu(invoice.date)}</Text>
                {isOpen(invoice) ? (
                  <Text size="xs" c={invoice.overdue ? 'red' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                    {t('invoices.dueShort', { date: formatDateRu(invoice.dueDate) })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/clients/${encodeURIComponent(invoice.clientId)}`} c="inherit" size="sm">
                  {invoice.clientName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/deals/${encodeURIComponent(invoice.dealId)}`} c="dimmed" size="sm">
                  {invoice.dealTitle}
                </Anchor>
              </Table.Td>
              <Table.Td ta="right" className="tabular-nums" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(invoice.total)}
              </Table.Td>
              <Table.Td>
                <PaidCell invoice={invoice} />
              </Table.Td>
              <Table.Td>
                <InvoiceStatusBadge invoice={invoice} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The register on phones: one card per invoice. */
export function InvoiceCards({ invoices }: { invoices: readonly InvoiceSummary[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="invoices-cards">
      {invoices.map((invoice) => (
        <Paper
          key={invoice.id}
          component={Link}
          to={invoicePath(invoice)}
          p="sm"
          withBorder
          data-testid="invoice-row"
          style={{
            display: 'block',
            color: 'inherit',
            textDecoration: 'none',
            opacity: invoice.status === 'cancelled' ? 0.65 : undefined,
            borderLeft: invoice.overdue ? '4px solid var(--mantine-color-red-6)' : undefined,
          }}
        >
          <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Text fw={700}>
                № {invoice.number}{' '}
                <Text span size="sm" c="dimmed" fw={400} className="tabular-nums">
                  {formatDateRu(invoice.date)}
                </Text>
              </Text>
              <Text size="sm" truncate>
                {invoice.clientName}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {invoice.dealTitle}
              </Text>
            </div>
            <Stack gap={4} align="flex-end" style={{ flex: 'none' }}>
              <Text fw={700} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(invoice.total)}
              </Text>
              <InvoiceStatusBadge invoice={invoice} size="sm" />
            </Stack>
          </Group>
          {invoice.status !== 'cancelled' ? (
            <Group gap="xs" mt={6} wrap="nowrap">
              <Progress
                value={paidPercent(invoice)}
                size={4}
                color={paidPercent(invoice) >= 100 ? 'green' : 'yellow'}
                style={{ flex: 1 }}
              />
              <Text size="xs" c={invoice.overdue ? 'red' : 'dimmed'} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {t('invoices.deal.paidOf', { paid: formatMoney(invoice.paidAmount), total: formatMoney(invoice.total) })}
              </Text>
            </Group>
          ) : null}
        </Paper>
      ))}
    </Stack>
  );
}
