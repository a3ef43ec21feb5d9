import { useEffect, useMemo, useState } from 'react';
import { Button, Center, CloseButton, Collapse, Group, Loader, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedValue, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconAdjustmentsHorizontal, IconPlus, IconSearch, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { InvoiceStatus } from '../../../../common/api/invoices';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { toQuery, useInvoiceList, useInvoiceSummary, type InvoiceFilters } from './api';
import { ExportMenu } from '../../ui/ExportMenu';
import { INVOICE_STATUSES } from './format';
import { IssueInvoiceModal } from './IssueInvoiceModal';
import { InvoiceCards, InvoicesTable } from './InvoicesTable';
import { SummaryCards } from './SummaryCards';
import { useAccess } from '../../auth/permissions';

const isStatus = (value: string | null): value is InvoiceStatus => value !== null && (INVOICE_STATUSES as string[]).includes(value);
const isDay = (value: string | null) => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** `/invoices`: the accountant's register — filters in the address, sums, a donut, the table (cards on phones), Excel. */
export default function InvoicesListPage() {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const [filtersOpened, filtersToggle] = useDisclosure(false);
  const [issueOpened, issueModal] = useDisclosure(false);
  const access = useAccess();

  const rawStatus = params.get('status');
  const status = isStatus(rawStatus) ? rawStatus : undefined;
  const from = isDay(params.get('from')) ? params.get('from')! : undefined;
  const to = isDay(params.get('to')) ? params.get('to')! : undefined;
  const overdue = params.get('overdue') === '1';
  const [qInput, setQInput] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(qInput.trim(), 300);
  const [range, setRange] = useState<[string | null, string | null]>([from ?? null, to ?? null]);
  useEffect(() => setRange([from ?? null, to ?? null]), [from, to]);

  const setParam = (updates: Record<string, string | null | undefined>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(updates)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  };

  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam({ q });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [q]);

  const filters: InvoiceFilters = useMemo(
    () => ({ status, q: params.get('q') || undefined, from, to, overdue: overdue || undefined }),
    [status, params, from, to, overdue],
  );
  const active = Boolean(filters.status || filters.q || filters.from || filters.to || filters.overdue);
  const list = useInvoiceList(filters);
  const summary = useInvoiceSummary(filters);
  const invoices = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  const reset = () => {
    setQInput('');
    setParams(new URLSearchParams(), { replace: true });
  };

  const filterFields = (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        style={{ flex: '1 1 240px' }}
        label={t('invoices.filters.search')}
        placeholder={t('invoices.filters.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={qInput}
        onChange={(event) => setQInput(event.currentTarget.value)}
        rightSection={qInput ? <CloseButton size="sm" aria-label={t('invoices.filters.reset')} onClick={() => setQInput('')} /> : null}
        type="search"
      />
      <Select
        label={t('invoices.filters.status')}
        placeholder={t('invoices.filters.allStatuses')}
        data={INVOICE_STATUSES.map((value) => ({ value, label: t(`invoices.status.${value}`) }))}
        value={status ?? null}
        onChange={(value) => setParam({ status: value })}
        clearable
        w={{ base: '100%', xs: 200 }}
      />
      <DatePickerInput
        type="range"
        label={t('invoices.filters.period')}
        placeholder={t('invoices.filters.periodPlaceholder')}
        valueFormat="DD.MM.YYYY"
        clearable
        allowSingleDateInRange
        value={range}
        onChange={([rawFrom, rawTo]) => {
          const nextFrom = rawFrom ? String(rawFrom).slice(0, 10) : null;
          const nextTo = rawTo ? String(rawTo).slice(0, 10) : null;
          setRange([nextFrom, nextTo]);
          if (nextFrom && !nextTo) return; // half a period is not a filter yet
          setParam({ from: nextFrom, to: nextTo });
        }}
        w={{ base: '100%', xs: 230 }}
      />
      <Switch
        label={t('invoices.filters.overdue')}
        color="red"
        checked={overdue}
        onChange={(event) => setParam({ overdue: event.currentTarget.checked ? '1' : null })}
        mb={8}
      />
      {active ? (
        <Button variant="subtle" color="gray" leftSection={<IconX size={16} />} onClick={reset}>
          {t('invoices.filters.reset')}
        </Button>
      ) : null}
    </Group>
  );

  return (
    <>
      <PageHeader
        title={t('invoices.title')}
        description={t('invoices.description')}
        actions={
          <>
            <ExportMenu path="/invoices" query={{ ...toQuery(filters) }} name="invoices" />
            {access.can('invoice', 'write') ? (
              <Button leftSection={<IconPlus size={18} />} onClick={issueModal.open}>
                {t('invoices.add')}
              </Button>
            ) : null}
          </>
        }
      />

      {summary.isError ? null : (
        <SummaryCards summary={summary.data} overdueActive={overdue} onToggleOverdue={() => setParam({ overdue: overdue ? null : '1' })} />
      )}

      {phone ? (
        <>
          <Button
            variant={active ? 'light' : 'default'}
            leftSection={<IconAdjustmentsHorizontal size={16} />}
            onClick={filtersToggle.toggle}
            mb="sm"
            fullWidth
          >
            {t('invoices.filters.show')}
            {active ? ' •' : ''}
          </Button>
          <Collapse expanded={filtersOpened}>
            <Paper p="sm" mb="md" withBorder>
              {filterFields}
            </Paper>
          </Collapse>
        </>
      ) : (
        <Paper p="sm" mb="md" withBorder>
          {filterFields}
        </Paper>
      )}

      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : invoices.length === 0 ? (
        <Paper p="xl" withBorder>
          <Stack align="center" gap="sm">
            <Text c="dimmed" ta="center" maw={520}>
              {active ? t('invoices.emptyFiltered') : t('invoices.empty')}
            </Text>
            {active ? (
              <Button variant="light" onClick={reset}>
                {t('invoices.filters.reset')}
              </Button>
            ) : null}
          </Stack>
        </Paper>
      ) : (
        <>
          {phone ? (
            <InvoiceCards invoices={invoices} />
          ) : (
            <Paper p={0} withBorder style={{ overflow: 'hidden' }}>
              <InvoicesTable invoices={invoices} />
            </Paper>
          )}
          <Group justify="space-between" mt="sm">
            <Text size="sm" c="dimmed">
              {t('invoices.shown', { count: invoices.length })}
            </Text>
            {list.hasNextPage ? (
              <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('invoices.more')}
              </Button>
            ) : list.isFetching ? (
              <Center>
                <Loader size="xs" />
              </Center>
            ) : null}
          </Group>
        </>
      )}
      <IssueInvoiceModal opened={issueOpened} onClose={issueModal.close} />
    </>
  );
}
