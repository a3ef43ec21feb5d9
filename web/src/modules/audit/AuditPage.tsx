import './i18n';
import '../reports/i18n'; // report names for exported reports
import { useMemo, useState } from 'react';
import { Badge, Button, Center, Group, Loader, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { auditKinds, type AuditEntry, type AuditKind } from '../../../../common/api/audit';
import { formatDateTimeRu } from '../../../../common/dates';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { useDepartments } from '../settings/departments/api';
import { useUsers } from '../settings/users/api';
import { useAuditLog, type AuditFilters } from './api';
import { detailsOf, objectOf, type AuditNames } from './format';

const COLORS: Partial<Record<AuditKind, string>> = {
  login: 'green',
  login_failed: 'red',
  logout: 'gray',
  export: 'blue',
  delete: 'red',
  merge: 'grape',
  role_change: 'orange',
  settings_change: 'yellow',
  token_create: 'cyan',
  token_revoke: 'cyan',
};
const isKind = (v: string | null): v is AuditKind => v !== null && (auditKinds as readonly string[]).includes(v);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Настройки → Журнал действий (admin, owner): the audit log with filters by action, user and period. */
export default function AuditPage() {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const users = useUsers();
  const departments = useDepartments();

  const action = params.get('action');
  const from = params.get('from');
  const to = params.get('to');
  const filters: AuditFilters = useMemo(
    () => ({
      action: isKind(action) ? action : undefined,
      userId: params.get('user') || undefined,
      from: from && DAY.test(from) ? from : undefined,
      to: to && DAY.test(to) ? to : undefined,
    }),
    [action, params, from, to],
  );
  const [range, setRange] = useState<[string | null, string | null]>([filters.from ?? null, filters.to ?? null]);
  const log = useAuditLog(filters);

  const setParam = (patch: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  const active = !!(filters.action || filters.userId || filters.from || filters.to);

  const names: AuditNames = useMemo(() => {
    const u = new Map((users.data ?? []).map((x) => [x.id, x.name]));
    const d = new Map((departments.data ?? []).map((x) => [x.id, x.name]));
    return { user: (id) => u.get(id), department: (id) => d.get(id) };
  }, [users.data, departments.data]);

  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const who = (e: AuditEntry) => e.userName ?? (e.action === 'login_failed' ? t('audit.nobody') : t('audit.system'));
  const kind = (e: AuditEntry) => (
    <Badge color={COLORS[e.action] ?? 'gray'} variant="light" radius="sm" style={{ textTransform: 'none' }}>
      {t(`audit.kind.${e.action}`)}
    </Badge>
  );

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Group align="flex-end" gap="sm" mb="md" wrap="wrap">
        <Select
          label={t('audit.filters.action')}
          placeholder={t('audit.filters.allActions')}
          data={auditKinds.map((value) => ({ value, label: t(`audit.kind.${value}`) }))}
          value={filters.action ?? null}
          onChange={(value) => setParam({ action: value })}
          clearable
          w={{ base: '100%', xs: 220 }}
          data-testid="audit-action"
        />
        <Select
          label={t('audit.filters.user')}
          placeholder={t('audit.filters.allUsers')}
          data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={filters.userId ?? null}
          onChange={(value) => setParam({ user: value })}
          searchable
          clearable
          w={{ base: '100%', xs: 240 }}
        />
        <DatePickerInput
          type="range"
          label={t('audit.filters.period')}
          placeholder={t('audit.filters.periodPlaceholder')}
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
        {active ? (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconX size={16} />}
            onClick={() => {
              setRange([null, null]);
              setParam({ action: null, user: null, from: null, to: null });
            }}
          >
            {t('audit.filters.reset')}
          </Button>
        ) : null}
      </Group>

      <Paper p={0} radius="md" withBorder>
        {log.isPending ? (
          <PageLoader />
        ) : log.isError ? (
          <QueryError error={log.error} onRetry={() => void log.refetch()} />
        ) : items.length === 0 ? (
          <Text c="dimmed" p="lg" ta="center">
            {active ? t('audit.emptyFiltered') : t('audit.empty')}
          </Text>
        ) : phone ? (
          <Stack gap={0} data-testid="audit-list">
            {items.map((e) => (
              <Stack key={e.id} gap={4} p="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} data-testid="audit-row">
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  {kind(e)}
                  <Text size="xs" c="dimmed" className="tabular-nums">
                    {formatDateTimeRu(e.at)}
                  </Text>
                </Group>
                <Text size="sm" fw={600}>
                  {objectOf(e, t, names)}
                </Text>
                <Text size="sm">
                  {who(e)}
                  {e.ip ? (
                    <Text span size="xs" c="dimmed">
                      {' · '}
                      {e.ip}
                    </Text>
                  ) : null}
                </Text>
                {detailsOf(e, t, names) ? (
                  <Text size="xs" c="dimmed">
                    {detailsOf(e, t, names)}
                  </Text>
                ) : null}
              </Stack>
            ))}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={140}>{t('audit.col.at')}</Table.Th>
                  <Table.Th>{t('audit.col.user')}</Table.Th>
                  <Table.Th>{t('audit.col.action')}</Table.Th>
                  <Table.Th>{t('audit.col.object')}</Table.Th>
                  <Table.Th>{t('audit.col.ip')}</Table.Th>
                  <Table.Th>{t('audit.col.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((e) => (
                  <Table.Tr key={e.id} data-testid="audit-row">
                    <Table.Td className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTimeRu(e.at)}
                    </Table.Td>
                    <Table.Td>{who(e)}</Table.Td>
                    <Table.Td>{kind(e)}</Table.Td>
                    <Table.Td>{objectOf(e, t, names)}</Table.Td>
                    <Table.Td className="tabular-nums">{e.ip ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {detailsOf(e, t, names) || '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {log.hasNextPage ? (
          <Center p="sm">
            <Button variant="light" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {t('audit.loadMore')}
            </Button>
          </Center>
        ) : log.isFetching && !log.isPending ? (
          <Center p="xs">
            <Loader size="xs" />
          </Center>
        ) : null}
      </Paper>
    </>
  );
}
