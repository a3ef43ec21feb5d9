import { useEffect, useMemo, useState } from 'react';
import {
  Autocomplete,
  Button,
  Center,
  CloseButton,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconFileImport, IconMapPin, IconPlus, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatNumber } from '../../../ui/format';
import { PageHeader } from '../../../ui/PageHeader';
import { ExportMenu } from '../../../ui/ExportMenu';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import { useClientCounts, useClientList, useUsers, type ClientFilters } from '../api';
import { ClientFormModal } from '../form/ClientFormModal';
import { ClientCards, ClientsTable } from './ClientsTable';
import { useAccess } from '../../../auth/permissions';

type StatusFilter = 'all' | 'active' | 'refused';

/** `/clients`: search, filters, counts, the table (cards on phones) with «Показать ещё». */
export function ClientsListPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const manage = access.has('client.manage');
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const [createOpened, createModal] = useDisclosure(false);

  const rawStatus = params.get('status');
  const status: StatusFilter = rawStatus === 'active' || rawStatus === 'refused' ? rawStatus : 'all';
  const ownerId = manage ? (params.get('owner') ?? undefined) : undefined;
  const region = params.get('region') ?? '';
  const [qInput, setQInput] = useState(params.get('q') ?? '');
  const [regionInput, setRegionInput] = useState(region);
  const [q] = useDebouncedValue(qInput.trim(), 300);
  // the region filter is an exact match: applied on choosing a suggestion, Enter or leaving the input
  const [knownRegions, setKnownRegions] = useState<string[]>([]);

  const setParam = (key: string, value: string | null | undefined) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };

  // debounced inputs go to the address, so «Назад» from a card returns to the same list
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam('q', q);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced value changes
  }, [q]);
  const applyRegion = (value: string) => {
    const next = value.trim();
    setRegionInput(next);
    if ((params.get('region') ?? '') !== next) setParam('region', next);
  };

  const filters: ClientFilters = useMemo(
    () => ({
      q: params.get('q') || undefined,
      status: status === 'all' ? undefined : status,
      ownerId,
      region: region || undefined,
    }),
    [params, status, ownerId, region],
  );
  const list = useClientList(filters);
  const counts = useClientCounts({ ownerId, region: region || undefined });
  const users = useUsers();
  const userNames = useMemo(() => new Map((users.data ?? []).map((user) => [user.id, user.name])), [users.data]);
  const ownerOptions = useMemo(
    () =>
      (users.data ?? [])
        .filter((user) => access.ownerRoles.includes(user.role))
        .map((user) => ({ value: user.id, label: user.active ? user.name : t('clients.inactiveUser', { name: user.name }) })),
    [users.data, t, access.ownerRoles],
  );

  const clients = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  // regions met in the loaded pages become suggestions of the region filter
  useEffect(() => {
    const seen = new Set(knownRegions);
    let added = false;
    for (const client of clients) {
      if (client.region && !seen.has(client.region)) {
        seen.add(client.region);
        added = true;
      }
    }
    if (added) setKnownRegions([...seen].sort((a, b) => a.localeCompare(b, 'ru')));
  }, [clients, knownRegions]);
  const filtered = Boolean(filters.q || filters.status || filters.ownerId || filters.region);
  const total = counts.data ? (status === 'all' ? counts.data.total : counts.data[status]) : undefined;
  const countLabel = (label: string, value: number | undefined) => (value === undefined ? label : `${label} · ${formatNumber(value)}`);

  const resetFilters = () => {
    setQInput('');
    setRegionInput('');
    setParams(new URLSearchParams(), { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('clients.title')}
        description={t('clients.description')}
        actions={
          <>
            <ExportMenu path="/clients" query={{ ...filters }} name="clients" />
            {access.has('data.import') ? (
              <Button variant="default" leftSection={<IconFileImport size={18} />} component={Link} to="/settings/imports">
                {t('clients.import')}
              </Button>
            ) : null}
            {access.can('client', 'write') ? (
              <Button leftSection={<IconPlus size={18} />} onClick={createModal.open}>
                {t('clients.add')}
              </Button>
            ) : null}
          </>
        }
      />

      <Paper p="sm" mb="md">
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput
              style={{ flex: phone ? '1 1 100%' : '2 1 320px' }}
              aria-label={t('clients.searchLabel')}
              placeholder={t('clients.searchPlaceholder')}
              leftSection={<IconSearch size={16} />}
              value={qInput}
              onChange={(event) => setQInput(event.currentTarget.value)}
              rightSection={qInput ? <CloseButton size="sm" aria-label={t('clients.resetFilters')} onClick={() => setQInput('')} /> : null}
              type="search"
            />
            <Autocomplete
              style={{ flex: '1 1 140px' }}
              aria-label={t('clients.regionFilter')}
              placeholder={t('clients.regionFilter')}
              leftSection={<IconMapPin size={16} />}
              data={knownRegions}
              value={regionInput}
              onChange={(value) => {
                setRegionInput(value);
                if (!value) applyRegion('');
              }}
              onOptionSubmit={applyRegion}
              onBlur={() => applyRegion(regionInput)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') applyRegion(regionInput);
              }}
              clearable
            />
            {manage ? (
              <Select
                style={{ flex: '1 1 140px' }}
                aria-label={t('clients.ownerFilter')}
                placeholder={t('clients.anyOwner')}
                data={ownerOptions}
                value={ownerId ?? null}
                onChange={(value) => setParam('owner', value)}
                allowDeselect
                clearable
                searchable
              />
            ) : null}
          </Group>
          <SegmentedControl
            fullWidth={phone}
            style={phone ? undefined : { alignSelf: 'flex-start' }}
            aria-label={t('clients.statusFilter')}
            value={status}
            onChange={(value) => setParam('status', value === 'all' ? null : value)}
            data={[
              { value: 'all', label: countLabel(t('clients.all'), counts.data?.total) },
              { value: 'active', label: countLabel(t('clients.active'), counts.data?.active) },
              { value: 'refused', label: countLabel(t('clients.refused'), counts.data?.refused) },
            ]}
          />
        </Stack>
      </Paper>

      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : clients.length === 0 ? (
        <Paper p="xl">
          <Stack align="center" gap="sm">
            <Text c="dimmed" ta="center">
              {filtered ? t('clients.emptyFiltered') : t('clients.empty')}
            </Text>
            {filtered ? (
              <Button variant="light" onClick={resetFilters}>
                {t('clients.resetFilters')}
              </Button>
            ) : null}
          </Stack>
        </Paper>
      ) : (
        <>
          {phone ? (
            <ClientCards clients={clients} userNames={userNames} />
          ) : (
            <Paper p={0} style={{ overflow: 'hidden' }} pos="relative">
              <ClientsTable clients={clients} userNames={userNames} />
              {list.isFetching && !list.isFetchingNextPage ? (
                <Center pos="absolute" top={8} right={8}>
                  <Loader size="xs" />
                </Center>
              ) : null}
            </Paper>
          )}
          <Group justify="space-between" mt="md" gap="sm">
            <Text size="sm" c="dimmed">
              {total !== undefined && !filters.q
                ? t('clients.shown', { shown: formatNumber(clients.length), total: formatNumber(total) })
                : null}
            </Text>
            {list.hasNextPage ? (
              <Button variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {t('clients.loadMore')}
              </Button>
            ) : null}
          </Group>
        </>
      )}

      <ClientFormModal opened={createOpened} onClose={createModal.close} />
    </>
  );
}
