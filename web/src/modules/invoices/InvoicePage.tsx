import { useMemo, useState, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Menu,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import {
  IconArrowBackUp,
  IconChevronLeft,
  IconCoins,
  IconDots,
  IconExternalLink,
  IconFileTypePdf,
  IconInfoCircle,
  IconPrinter,
  IconSend,
  IconTrash,
  IconX,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTimeRu } from '../../../../common/dates';
import { isApiError } from '../../api/client';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { StatusPage } from '../../ui/StatusPage';
import { pdfUrl, useDeletePayment, useInvoice, usePayments, type Invoice, type Payment } from './api';
import { ConfirmActionModal, type InvoiceAction } from './ConfirmActionModal';
import { formatDateRu, formatMoney, formatQuantity, isOpen, outstandingOf, paidPercent, vatRateLabel } from './format';
import { PaymentModal } from './PaymentModal';
import { SendModal } from './SendModal';
import { InvoiceStatusBadge } from './StatusBadge';
import { useAccess } from '../../auth/permissions';

function Row({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={112} style={{ flex: 'none' }}>
        {label}
      </Text>
      <Text size="sm" className="tabular-nums" style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
        {children}
      </Text>
    </Group>
  );
}

/** Prints the PDF through a hidden frame (the browser's own print dialog); falls back to opening it. */
function printPdf(url: string) {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0;visibility:hidden';
  frame.src = url;
  frame.onload = () => {
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } catch {
      window.open(url, '_blank', 'noopener');
    }
    setTimeout(() => frame.remove(), 60_000);
  };
  document.body.appendChild(frame);
}

function PartyCard({ title, party, seller }: { title: string; party: Invoice['buyer'] | Invoice['seller']; seller?: Invoice['seller'] }) {
  const { t } = useTranslation();
  return (
    <Paper p="md" radius="md" withBorder>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
        {title}
      </Text>
      <Text fw={600} mb="xs" style={{ overflowWrap: 'anywhere' }}>
        {party.name}
      </Text>
      <Stack gap={2}>
        <Row label={t('invoices.card.inn')}>{party.inn}</Row>
        <Row label={t('invoices.card.kpp')}>{party.kpp}</Row>
        {seller ? <Row label={t('invoices.card.ogrn')}>{seller.ogrn}</Row> : null}
        <Row label={t('invoices.card.address')}>{party.address}</Row>
        {seller ? (
          <>
            <Row label={t('invoices.card.bank')}>{seller.bankName}</Row>
            <Row label={t('invoices.card.bik')}>{seller.bik}</Row>
            <Row label={t('invoices.card.account')}>{seller.account}</Row>
            <Row label={t('invoices.card.corrAccount')}>{seller.corrAccount}</Row>
            <Row label={t('invoices.card.director')}>{seller.director}</Row>
            <Row label={t('invoices.card.chiefAccountant')}>{seller.chiefAccountant}</Row>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

function ItemsTable({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  /** VAT per rate, as the printed invoice says it: «В том числе НДС (22 %)». */
  const vatByRate = useMemo(() => {
    const map = new Map<number, number>();
    for (const item of invoice.items) if (item.vatRate !== null) map.set(item.vatRate, (map.get(item.vatRate) ?? 0) + item.vat);
    return [...map.entries()].sort((a, b) => b[0] - a[0]);
  }, [invoice.items]);
  return (
    <Paper p="md" radius="md" withBorder>
      <Title order={4} mb="sm">
        {t('invoices.card.items')}
      </Title>
      {phone ? (
        <Stack gap={0} data-testid="invoice-items">
          {invoice.items.map((item, index) => (
            <Group
              key={index}
              justify="space-between"
              align="flex-start"
              wrap="nowrap"
              gap="xs"
              py={8}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              data-testid="invoice-item"
            >
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {index + 1}. {item.name}
                </Text>
                <Text size="xs" c="dimmed" className="tabular-nums">
                  {formatQuantity(item.quantity)} {item.unit} × {formatMoney(item.price)} · {t('invoices.card.itemVat')}{' '}
                  {vatRateLabel(item.vatRate)}
                </Text>
              </div>
              <Text size="sm" fw={600} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(item.total)}
              </Text>
            </Group>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={620}>
          <Table verticalSpacing={6} data-testid="invoice-items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>{t('invoices.card.itemNo')}</Table.Th>
                <Table.Th>{t('invoices.card.itemName')}</Table.Th>
                <Table.Th ta="right">{t('invoices.card.itemQty')}</Table.Th>
                <Table.Th>{t('invoices.card.itemUnit')}</Table.Th>
                <Table.Th ta="right">{t('invoices.card.itemPrice')}</Table.Th>
                <Table.Th ta="right">{t('invoices.card.itemVat')}</Table.Th>
                <Table.Th ta="right">{t('invoices.card.itemTotal')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoice.items.map((item, index) => (
                <Table.Tr key={index}>
                  <Table.Td c="dimmed">{index + 1}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{item.name}</Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    {formatQuantity(item.quantity)}
                  </Table.Td>
                  <Table.Td>{item.unit}</Table.Td>
                  <Table.Td ta="right" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(item.price)}
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{vatRateLabel(item.vatRate)}</Text>
                    {item.vatRate !== null ? (
                      <Text size="xs" c="dimmed">
                        {formatMoney(item.vat)}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums" fw={500} style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(item.total)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Stack gap={4} mt="sm" ml="auto" maw={420} data-testid="invoice-totals">
        <TotalLine label={t('invoices.card.subtotal')} value={formatMoney(invoice.total)} />
        {vatByRate.length > 0 ? (
          vatByRate.map(([rate, vat]) => <TotalLine key={rate} label={t('invoices.card.vatIncluded', { rate })} value={formatMoney(vat)} />)
        ) : (
          <TotalLine label={t('invoices.card.vatNone')} value="—" />
        )}
        <TotalLine label={t('invoices.card.totalDue')} value={formatMoney(invoice.total)} strong testId="invoice-total" />
        {invoice.vatAmount > 0 ? <TotalLine label={t('invoices.card.withoutVat')} value={formatMoney(invoice.subtotal)} dimmed /> : null}
      </Stack>
    </Paper>
  );
}

function TotalLine({
  label,
  value,
  strong,
  dimmed,
  testId,
}: {
  label: string;
  value: string;
  strong?: boolean;
  dimmed?: boolean;
  testId?: string;
}) {
  return (
    <Group justify="space-between" gap="md" wrap="nowrap">
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : 400} c={dimmed ? 'dimmed' : undefined}>
        {label}
      </Text>
      <Text
        size={strong ? 'md' : 'sm'}
        fw={strong ? 700 : 500}
        c={dimmed ? 'dimmed' : undefined}
        className="tabular-nums"
        style={{ whiteSpace: 'nowrap' }}
        data-testid={testId}
      >
        {value}
      </Text>
    </Group>
  );
}

function PaymentsPanel({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const access = useAccess();
  const payments = usePayments(invoice.id);
  const remove = useDeletePayment();
  const canDelete = access.has('payment.delete');
  const phone = useMediaQuery('(max-width: 48em)');

  const confirmDelete = (payment: Payment) =>
    modals.openConfirmModal({
      title: t('invoices.card.deletePayment'),
      children: (
        <Text size="sm">
          {t('invoices.card.deletePaymentConfirm', { amount: formatMoney(payment.received), date: formatDateRu(payment.paidAt) })}
        </Text>
      ),
      labels: { confirm: t('invoices.card.deletePayment'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(payment.id, {
          onSuccess: () => {
            notifySuccess(t('invoices.card.deletePaymentDone'));
            void payments.refetch();
          },
          onError: notifyError,
        }),
    });

  return (
    <Paper p="md" radius="md" withBorder>
      <Title order={4} mb="sm">
        {t('invoices.card.payments')}
      </Title>
      {payments.isPending ? (
        <Text c="dimmed" size="sm">
          {t('app.loading')}
        </Text>
      ) : payments.isError ? (
        <QueryError error={payments.error} onRetry={() => void payments.refetch()} />
      ) : payments.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('invoices.card.noPayments')}
        </Text>
      ) : phone ? (
        <Stack gap={0} data-testid="invoice-payments">
          {payments.data.map((payment) => (
            <Group
              key={payment.id}
              justify="space-between"
              wrap="nowrap"
              gap="xs"
              py={8}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              data-testid="invoice-payment"
            >
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} className="tabular-nums">
                  {formatMoney(payment.amount)}
                  <Text span size="sm" c="dimmed" fw={400}>
                    {' · '}
                    {formatDateRu(payment.paidAt)}
                  </Text>
                </Text>
                {payment.credit > 0 ? (
                  <Text size="xs" c="orange">
                    + {t('invoices.card.credit', { amount: formatMoney(payment.credit) })}
                  </Text>
                ) : null}
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {[payment.reference, payment.createdByName].filter(Boolean).join(' · ')}
                </Text>
              </div>
              {canDelete ? (
                <ActionIcon
                  color="red"
                  variant="subtle"
                  onClick={() => confirmDelete(payment)}
                  aria-label={t('invoices.card.deletePayment')}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              ) : null}
            </Group>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={6} data-testid="invoice-payments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('invoices.card.paymentDate')}</Table.Th>
                <Table.Th ta="right">{t('invoices.card.paymentAmount')}</Table.Th>
                <Table.Th>{t('invoices.card.paymentReference')}</Table.Th>
                <Table.Th>{t('invoices.card.paymentBy')}</Table.Th>
                {canDelete ? <Table.Th w={40} /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {payments.data.map((payment) => (
                <Table.Tr key={payment.id}>
                  <Table.Td className="tabular-nums">{formatDateRu(payment.paidAt)}</Table.Td>
                  <Table.Td ta="right" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm" fw={500}>
                      {formatMoney(payment.amount)}
                    </Text>
                    {payment.credit > 0 ? (
                      <Text size="xs" c="orange">
                        + {t('invoices.card.credit', { amount: formatMoney(payment.credit) })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{payment.reference || <Text c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{payment.createdByName ?? '—'}</Text>
                    <Text size="xs" c="dimmed" className="tabular-nums">
                      {formatDateTimeRu(payment.createdAt)}
                    </Text>
                  </Table.Td>
                  {canDelete ? (
                    <Table.Td>
                      <ActionIcon
                        color="red"
                        variant="subtle"
                        onClick={() => confirmDelete(payment)}
                        aria-label={t('invoices.card.deletePayment')}
                        title={t('invoices.card.deletePayment')}
                        loading={remove.isPending && remove.variables === payment.id}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function PaidProgress({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const percent = paidPercent(invoice);
  const remaining = outstandingOf(invoice);
  const cancelled = invoice.status === 'cancelled';
  return (
    <Paper p="md" radius="md" withBorder mb="md" data-testid="invoice-progress">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs" mb="sm">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('invoices.card.totalDue')}
          </Text>
          <Text fw={700} size="xl" className="tabular-nums">
            {formatMoney(invoice.total)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('invoices.summary.paid')}
          </Text>
          <Text fw={700} size="xl" c={invoice.paidAmount > 0 ? 'green' : undefined} className="tabular-nums" data-testid="invoice-paid">
            {formatMoney(invoice.paidAmount)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('invoices.summary.outstanding')}
          </Text>
          <Text fw={700} size="xl" c={invoice.overdue ? 'red' : undefined} className="tabular-nums" data-testid="invoice-remaining">
            {formatMoney(remaining)}
          </Text>
        </div>
      </SimpleGrid>
      {!cancelled ? (
        <Progress.Root
          size="lg"
          radius="xl"
          aria-label={t('invoices.card.progress', { paid: formatMoney(invoice.paidAmount), total: formatMoney(invoice.total) })}
        >
          <Progress.Section value={percent} color={percent >= 100 ? 'green' : invoice.overdue ? 'red' : 'yellow'}>
            {percent >= 12 ? <Progress.Label>{percent} %</Progress.Label> : null}
          </Progress.Section>
        </Progress.Root>
      ) : null}
      <Group gap="md" mt="xs">
        {invoice.status === 'paid' && invoice.paidAt ? (
          <Text size="sm" c="green" fw={500}>
            {t('invoices.card.paidAt', { date: formatDateRu(invoice.paidAt) })}
          </Text>
        ) : cancelled ? (
          <Text size="sm" c="dimmed">
            {t('invoices.card.cancelledAt', { date: invoice.cancelledAt ? formatDateRu(invoice.cancelledAt) : '—' })}
          </Text>
        ) : (
          <Text size="sm" c={invoice.overdue ? 'red' : 'dimmed'} fw={invoice.overdue ? 600 : 400}>
            {t('invoices.card.dueDate', { date: formatDateRu(invoice.dueDate) })}
            {invoice.overdue ? ` — ${t('invoices.overdue')}` : ''}
          </Text>
        )}
        {invoice.sentAt && invoice.sentTo ? (
          <Text size="sm" c="dimmed">
            {t('invoices.card.sentTo', { date: formatDateRu(invoice.sentAt), email: invoice.sentTo })}
          </Text>
        ) : null}
      </Group>
    </Paper>
  );
}

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  const access = useAccess();
  const [paying, setPaying] = useState(false);
  const [sending, setSending] = useState(false);
  const [action, setAction] = useState<InvoiceAction | null>(null);
  const url = pdfUrl(invoice.id);
  const work = access.can('invoice', 'write');
  const open = isOpen(invoice);
  const cancellable = access.has('invoice.cancel') && invoice.status !== 'cancelled' && invoice.status !== 'paid';

  return (
    <>
      <Anchor component={Link} to="/invoices" size="sm" c="dimmed">
        <Group gap={2}>
          <IconChevronLeft size={16} />
          {t('invoices.card.back')}
        </Group>
      </Anchor>
      <Stack mt="xs" mb="md" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="sm" align="center">
            <Title order={2} data-testid="invoice-title">
              {t('invoices.card.title', { number: invoice.number, date: formatDateRu(invoice.date) })}
            </Title>
            <InvoiceStatusBadge invoice={invoice} size="lg" />
          </Group>
          <Text size="sm" c="dimmed">
            <Anchor component={Link} to={`/clients/${encodeURIComponent(invoice.clientId)}`} size="sm">
              {invoice.clientName}
            </Anchor>
            {' · '}
            <Anchor component={Link} to={`/deals/${encodeURIComponent(invoice.dealId)}`} size="sm" c="dimmed">
              {invoice.dealTitle}
            </Anchor>
          </Text>
        </Stack>
        <Group gap="xs">
          <Button component="a" href={url} target="_blank" rel="noopener" variant="default" leftSection={<IconFileTypePdf size={16} />}>
            {t('invoices.card.openPdf')}
          </Button>
          <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={() => printPdf(url)}>
            {t('invoices.card.print')}
          </Button>
          {work && invoice.status !== 'cancelled' ? (
            <Button variant="light" leftSection={<IconSend size={16} />} onClick={() => setSending(true)}>
              {t('invoices.card.send')}
            </Button>
          ) : null}
          {work && open ? (
            <Button leftSection={<IconCoins size={16} />} onClick={() => setPaying(true)}>
              {t('invoices.card.pay')}
            </Button>
          ) : null}
          {cancellable ? (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="default" size="lg" aria-label={t('invoices.card.more')} title={t('invoices.card.more')}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconArrowBackUp size={16} />} onClick={() => setAction('reissue')}>
                  {t('invoices.card.reissue')}
                </Menu.Item>
                <Menu.Item color="red" leftSection={<IconX size={16} />} onClick={() => setAction('cancel')}>
                  {t('invoices.card.cancel')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ) : null}
        </Group>
      </Stack>

      {invoice.replacedById ? (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} mb="md">
          <Group gap="sm">
            <Text size="sm">{t('invoices.card.replacedBy')}</Text>
            <Anchor component={Link} to={`/invoices/${encodeURIComponent(invoice.replacedById)}`} size="sm">
              {t('invoices.card.openReplacement')} <IconExternalLink size={12} />
            </Anchor>
          </Group>
        </Alert>
      ) : null}
      {invoice.reissueOfId ? (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} mb="md">
          <Group gap="sm">
            <Text size="sm">{t('invoices.card.reissueOf')}</Text>
            <Anchor component={Link} to={`/invoices/${encodeURIComponent(invoice.reissueOfId)}`} size="sm">
              {t('invoices.card.openPrevious')}
            </Anchor>
          </Group>
        </Alert>
      ) : null}

      <PaidProgress invoice={invoice} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <ItemsTable invoice={invoice} />
            <PaymentsPanel invoice={invoice} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <PartyCard title={t('invoices.card.buyer')} party={invoice.buyer} />
            <PartyCard title={t('invoices.card.seller')} party={invoice.seller} seller={invoice.seller} />
            <Paper p="md" radius="md" withBorder>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
                {t('invoices.card.info')}
              </Text>
              <Stack gap={2}>
                <Row label={t('invoices.card.deal')}>
                  <Anchor component={Link} to={`/deals/${encodeURIComponent(invoice.dealId)}`} size="sm">
                    {invoice.dealTitle}
                  </Anchor>
                </Row>
                <Row label={t('invoices.card.created')}>{formatDateTimeRu(invoice.createdAt)}</Row>
                <Row label={t('invoices.card.taxMode')}>{t(`invoices.taxMode.${invoice.taxMode}`)}</Row>
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      <PaymentModal invoice={invoice} opened={paying} onClose={() => setPaying(false)} />
      <SendModal invoice={invoice} opened={sending} onClose={() => setSending(false)} />
      <ConfirmActionModal invoice={invoice} action={action} onClose={() => setAction(null)} />
    </>
  );
}

/** `/invoices/:id`: the invoice as printed (parties, items, VAT, totals), how much is paid, and what to do with it. */
export default function InvoicePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const invoice = useInvoice(id);
  if (invoice.isPending) return <PageLoader />;
  if (invoice.isError) {
    if (isApiError(invoice.error, 404) || isApiError(invoice.error, 400))
      return <StatusPage title={t('errors.notFoundTitle')} text={t('invoices.card.notFound')} />;
    return <QueryError error={invoice.error} onRetry={() => void invoice.refetch()} />;
  }
  return <InvoiceView key={invoice.data.id} invoice={invoice.data} />;
}
