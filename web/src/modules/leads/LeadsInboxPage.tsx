import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, Group, Loader, Paper, ScrollArea, Select, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconPlus, IconSearch, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { ExportMenu } from '../../ui/ExportMenu';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { useWebForms } from '../forms/api';
import {
  filterQuery,
  isLeadTab,
  LEAD_TABS,
  tabQuery,
  useLeadCount,
  useLeadList,
  useLeadUsers,
  type LeadFilters,
  type LeadTab,
} from './api';
import { useLeadActions } from './actions';
import { LeadCards, LeadsTable } from './LeadList';
import { useNow } from './leadUi';
import { NewLeadModal } from './NewLeadModal';
import { useAccess } from '../../auth/permissions';

const COUNTED: Partial<Record<LeadTab, string>> = { new: 'blue', in_work: 'violet', unassigned: 'orange', overdue: 'red' };

function TabCount({ tab, filters, color }: { tab: LeadTab; filters: LeadFilters; color: string }) {
  const count = useLeadCount(tab, filters);
  if (!count.data || count.data.count === 0) return null;
  const text = count.data.more ? '99+' : String(count.data.count);
  return (
    <Badge
      size="sm"
      variant={tab === 'overdue' ? 'filled' : 'light'}
      color={color}
      circle={text.length === 1}
      data-testid={`tab-count-${tab}`}
    >
      {text}
    </Badge>
  );
}

/** `/leads`: the inbox — tabs by status plus «Неразобранные» and «Просрочено», filters, quick actions, live updates. */
export default function LeadsInboxPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const phone = useMediaQuery('(max-width: 62em)');
  const now = useNow(30_000);
  const actions = useLeadActions();
  const [newOpened, newModal] = useDisclosure(false);
  const [params, setParams] = useSearchParams();
  const supervisor = access.beyondOwn('lead');

  const tabParam = params.get('tab');
  const tabs = LEAD_TABS.filter((tab) => tab !== 'unassigned' || supervisor);
  const tab: LeadTab = isLeadTab(tabParam) && tabs.includes(tabParam) ? tabParam : 'new';
  const assigneeId = supervisor ? (params.get('assignee') ?? undefined) : undefined;
  const formId = supervisor ? (params.get('form') ?? undefined) : undefined;
  const qParam = params.get('q') ?? '';
  const [search, setSearch] = useState(qParam);
  const [q] = useDebouncedValue(search, 300);

  const setParam = (key: string, value: string | null | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: key !== 'tab' },
    );

  useEffect(() => {
    if ((q.trim() || '') !== qParam) setParam('q', q.trim() || null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const filters: LeadFilters = useMemo(() => ({ assigneeId, formId, q: qParam || undefined }), [assigneeId, formId, qParam]);
  const list = useLeadList(tab, filters);
  const users = useLeadUsers(supervisor);
  const forms = useWebForms(supervisor);
  const leads = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(assigneeId || formId || qParam);

  const listProps = { leads, now, actions, canAssign: supervisor, showStatus: false };

  return (
    <>
      <PageHeader
        title={t('leads.title')}
        description={t('leads.description')}
        actions={
          <>
            <ExportMenu path="/leads" query={{ ...tabQuery(tab), ...filterQuery(filters) }} name="leads" />
            <Button leftSection={<IconPlus size={18} />} variant="light" onClick={newModal.open}>
              {t('leads.actions.add')}
            </Button>
          </>
        }
      />
      <Tabs value={tab} onChange={(v) => setParam('tab', v === 'new' ? null : v)} keepMounted={false} mb="sm">
        <ScrollArea type="never" offsetScrollbars={false}>
          <Tabs.List style={{ flexWrap: 'nowrap' }}>
            {tabs.map((key) => (
              <Tabs.Tab
                key={key}
                value={key}
                data-testid={`leads-tab-${key}`}
                rightSection={COUNTED[key] ? <TabCount tab={key} filters={filters} color={COUNTED[key]} /> : undefined}
                style={{ whiteSpace: 'nowrap' }}
              >
                {t(`leads.tabs.${key}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </ScrollArea>
      </Tabs>

      <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
        <TextInput
          aria-label={t('leads.filters.search')}
          placeholder={t('leads.filters.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          rightSection={list.isFetching && qParam ? <Loader size={14} /> : undefined}
          style={{ flex: '1 1 240px', maxWidth: 420 }}
          data-testid="leads-search"
        />
        {supervisor ? (
          <Select
            aria-label={t('leads.filters.assignee')}
            placeholder={t('leads.filters.anyAssignee')}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={assigneeId ?? null}
            onChange={(v) => setParam('assignee', v)}
            clearable
            searchable
            style={{ flex: '1 1 200px', maxWidth: 260 }}
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
        {supervisor && (forms.data?.length ?? 0) > 0 ? (
          <Select
            aria-label={t('leads.filters.form')}
            placeholder={t('leads.filters.anyForm')}
            data={(forms.data ?? []).map((f) => ({ value: f.id, label: f.name }))}
            value={formId ?? null}
            onChange={(v) => setParam('form', v)}
            clearable
            style={{ flex: '1 1 200px', maxWidth: 260 }}
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
        {filtered ? (
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconX size={16} />}
            onClick={() => {
              setSearch('');
              setParams((prev) => {
                const next = new URLSearchParams();
                const keep = prev.get('tab');
                if (keep) next.set('tab', keep);
                return next;
              });
            }}
          >
            {t('leads.filters.reset')}
          </Button>
        ) : null}
      </Group>

      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : leads.length === 0 ? (
        <Paper withBorder radius="md" p="xl">
          <Text c="dimmed" ta="center" data-testid="leads-empty">
            {filtered ? t('leads.empty.filtered') : t(`leads.empty.${tab}`)}
          </Text>
        </Paper>
      ) : (
        <Stack
          gap="sm"
          style={{ opacity: list.isPlaceholderData ? 0.55 : 1, transition: 'opacity 120ms' }}
          aria-busy={list.isPlaceholderData}
        >
          {phone ? (
            <LeadCards {...listProps} />
          ) : (
            <Paper withBorder radius="md" p={0}>
              <LeadsTable {...listProps} />
            </Paper>
          )}
          {list.hasNextPage ? (
            <Group justify="center">
              <Button variant="subtle" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {t('common.loadMore')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      )}
      {actions.modals}
      <NewLeadModal opened={newOpened} onClose={newModal.close} />
    </>
  );
}
