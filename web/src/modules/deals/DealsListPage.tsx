import { useEffect, useState } from 'react';
import { Anchor, Badge, Button, Center, Group, Paper, Select, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DealSummary } from '../../../../common/api/deals';
import { formatDateRu } from '../../../../common/dates';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { useDealList, usePipelines, type DealSort } from './api';
import { DealsToolbar } from './DealsToolbar';
import { ExportMenu } from '../../ui/ExportMenu';
import { formatMoney, STATUS_COLOR } from './format';
import { useDealFilters } from './useDealFilters';

const SORTS: DealSort[] = ['createdAt', '-createdAt', 'amount', '-amount', 'title', '-title'];
const SORT_LABEL: Record<DealSort, string> = {
  '-createdAt': 'newest',
  createdAt: 'oldest',
  '-amount': 'largest',
  amount: 'smallest',
  title: 'titleAsc',
  '-title': 'titleDesc',
};

function SortHeader({
  column,
  label,
  sort,
  onSort,
  align,
}: {
  column: 'createdAt' | 'amount' | 'title';
  label: string;
  sort: DealSort;
  onSort: (s: DealSort) => void;
  align?: 'right';
}) {
  const { t } = useTranslation();
  const activeAsc = sort === column;
  const activeDesc = sort === `-${column}`;
  const Icon = activeAsc ? IconArrowUp : activeDesc ? IconArrowDown : IconArrowsSort;
  return (
    <Table.Th ta={align} aria-sort={activeAsc ? 'ascending' : activeDesc ? 'descending' : 'none'}>
      <UnstyledButton
        onClick={() => onSort(activeDesc ? column : (`-${column}` as DealSort))}
        title={t('deals.list.sortBy', { column: label })}
        style={{ fontWeight: 600, fontSize: 'inherit' }}
      >
        <Group gap={4} wrap="nowrap" justify={align === 'right' ? 'flex-end' : 'flex-start'}>
          <span>{label}</span>
          <Icon size={14} stroke={1.8} color={activeAsc || activeDesc ? undefined : 'var(--mantine-color-gray-5)'} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function StatusBadge({ deal }: { deal: DealSummary }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLOR[deal.status]} size="sm">
      {t(`deals.status.${deal.status}`)}
    </Badge>
  );
}

/** A deal as a card on phones. */
function DealRowCard({ deal }: { deal: DealSummary }) {
  const { t } = useTranslation();
  return (
    <Paper p="sm" radius="md" data-testid="deal-row">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Anchor component={Link} to={`/deals/${deal.id}`} fw={600} size="sm" style={{ minWidth: 0 }}>
          {deal.title}
        </Anchor>
        <Text fw={600} size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
          {formatMoney(deal.amount)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mt={2}>
        {deal.clientName}
      </Text>
      <Group justify="space-between" mt={6} gap="xs">
        <Group gap={6}>
          <Badge variant="outline" color="gray" size="sm">
            {deal.stageName}
          </Badge>
          {deal.status !== 'open' ? <StatusBadge deal={deal} /> : null}
        </Group>
        <Text size="xs" c="dimmed">
          {deal.ownerName ?? t('deals.card.noOwner')} · {formatDateRu(deal.createdAt)}
        </Text>
      </Group>
    </Paper>
  );
}

/** «Сделки» → Список: sortable table with «Показать ещё», the same filters as the kanban. */
export default function DealsListPage() {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const { filters, params, setFilter } = useDealFilters();
  const pipelines = usePipelines();
  const sortParam = params.get('sort') as DealSort | null;
  const sort: DealSort = sortParam && SORTS.includes(sortParam) ? sortParam : '-createdAt';
  const status = params.get('status') || undefined;
  const stageId = params.get('stage') || undefined;
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), 350);
  useEffect(() => {
    if ((debouncedQ || null) !== params.get('q')) setFilter('q', debouncedQ || null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- push the search once typing settles
  }, [debouncedQ]);

  const listQuery = { ...filters, sort, q: params.get('q') || undefined, status, stageId };
  const list = useDealList(listQuery);
  const deals = list.data?.pages.flatMap((page) => page.items) ?? [];
  const pipeline = pipelines.data?.find((p) => p.id === filters.pipelineId);
  const stageOptions = (pipeline?.stages ?? []).filter((s) => !s.archived || s.id === stageId).map((s) => ({ value: s.id, label: s.name }));

  const extra = (
    <>
      <TextInput
        label={t('deals.filters.search')}
        placeholder={t('deals.filters.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        w={{ base: '100%', xs: 200 }}
      />
      {pipeline ? (
        <Select
          label={t('deals.list.stage')}
          placeholder={t('deals.filters.allStatuses')}
          data={stageOptions}
          clearable
          allowDeselect
          value={stageId ?? null}
          onChange={(value) => setFilter('stage', value)}
          w={{ base: '100%', xs: 180 }}
        />
      ) : null}
      <Select
        label={t('deals.filters.status')}
        placeholder={t('deals.filters.allStatuses')}
        data={(['open', 'won', 'lost'] as const).map((value) => ({ value, label: t(`deals.status.${value}`) }))}
        clearable
        allowDeselect
        value={status ?? null}
        onChange={(value) => setFilter('status', value)}
        w={{ base: '100%', xs: 140 }}
      />
    </>
  );

  const onSort = (next: DealSort) => setFilter('sort', next === '-createdAt' ? null : next);

  return (
    <>
      <DealsToolbar
        view="list"
        pipelines={pipelines.data}
        pipelineId={filters.pipelineId}
        allowAllPipelines
        extra={extra}
        summary={t('deals.description')}
        actions={<ExportMenu path="/deals" query={{ ...listQuery }} name="deals" />}
      />
      {list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <PageLoader />
      ) : deals.length === 0 ? (
        <Paper p="xl" radius="md">
          <Text c="dimmed" ta="center">
            {t('deals.list.empty')}
          </Text>
        </Paper>
      ) : phone ? (
        <Stack gap="xs">
          <Select
            aria-label={t('deals.sort.label')}
            data={(['-createdAt', 'createdAt', '-amount', 'amount', 'title', '-title'] as DealSort[]).map((value) => ({
              value,
              label: t(`deals.sort.${SORT_LABEL[value]}`),
            }))}
            value={sort}
            onChange={(value) => value && onSort(value as DealSort)}
          />
          {deals.map((deal) => (
            <DealRowCard key={deal.id} deal={deal} />
          ))}
        </Stack>
      ) : (
        <Paper p={0} radius="md" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
          <Table.ScrollContainer minWidth={860}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <SortHeader column="title" label={t('deals.list.title')} sort={sort} onSort={onSort} />
                  <Table.Th>{t('deals.list.client')}</Table.Th>
                  <Table.Th>{t('deals.list.stage')}</Table.Th>
                  <Table.Th>{t('deals.list.status')}</Table.Th>
                  <SortHeader column="amount" label={t('deals.list.amount')} sort={sort} onSort={onSort} align="right" />
                  <Table.Th>{t('deals.list.owner')}</Table.Th>
                  <SortHeader column="createdAt" label={t('deals.list.createdAt')} sort={sort} onSort={onSort} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {deals.map((deal) => (
                  <Table.Tr key={deal.id} data-testid="deal-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/deals/${deal.id}`} fw={500}>
                        {deal.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/clients/${deal.clientId}`} c="inherit">
                        {deal.clientName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{deal.stageName}</Table.Td>
                    <Table.Td>
                      <StatusBadge deal={deal} />
                    </Table.Td>
                    <Table.Td ta="right" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(deal.amount)}
                    </Table.Td>
                    <Table.Td>{deal.ownerName ?? t('common.dash')}</Table.Td>
                    <Table.Td className="tabular-nums">{formatDateRu(deal.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {deals.length > 0 ? (
        <Center mt="md">
          <Stack gap={6} align="center">
            <Text size="xs" c="dimmed">
              {t('deals.list.shown', { count: deals.length })}
            </Text>
            {list.hasNextPage ? (
              <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            ) : null}
          </Stack>
        </Center>
      ) : null}
    </>
  );
}
