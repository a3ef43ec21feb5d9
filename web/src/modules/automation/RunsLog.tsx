import { Anchor, Badge, Button, Center, Group, Loader, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { QueryError } from '../../ui/QueryError';
import type { AutomationRule, AutomationRun } from '../../../../common/api/automation';
import { formatDateTimeRu } from '../../../../common/dates';
import { useRuns, type RunFilters } from './api';
import type { Lookup } from './describe';

function resultLines(run: AutomationRun, look: Lookup, t: (k: string, o?: Record<string, unknown>) => string): string[] {
  return run.results.map((r) => {
    const type = String(r.type ?? '');
    if (type === 'create_task') return t('automation.runs.res.create_task', { due: r.dueAt ? formatDateTimeRu(String(r.dueAt)) : '—' });
    if (type === 'move_deal')
      return r.moved === false
        ? t('automation.runs.res.move_deal_no')
        : t('automation.runs.res.move_deal', { stage: look.stageName(String(r.stageCode ?? '')) });
    if (type === 'notify') return t('automation.runs.res.notify');
    if (type === 'webhook') return t('automation.runs.res.webhook', { status: r.status ?? '—' });
    return t('automation.runs.res.other', { type });
  });
}

function StatusBadge({ run }: { run: AutomationRun }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={run.status === 'ok' ? 'green' : 'red'}
      variant={run.status === 'ok' ? 'light' : 'filled'}
      tt="none"
      data-testid="run-status"
    >
      {t(`automation.runs.${run.status}`)}
    </Badge>
  );
}

function Subject({ run }: { run: AutomationRun }) {
  const { t } = useTranslation();
  if (run.dealId)
    return (
      <Anchor component={Link} to={`/deals/${encodeURIComponent(run.dealId)}`} size="sm" onClick={(e) => e.stopPropagation()}>
        {t('automation.runs.openDeal')}
      </Anchor>
    );
  if (run.clientId)
    return (
      <Anchor component={Link} to={`/clients/${encodeURIComponent(run.clientId)}`} size="sm">
        {t('automation.runs.openClient')}
      </Anchor>
    );
  return <Text size="sm">—</Text>;
}

function Outcome({ run, look }: { run: AutomationRun; look: Lookup }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      {run.error ? (
        <Text size="sm" c="red.8" style={{ overflowWrap: 'anywhere' }}>
          {run.error}
        </Text>
      ) : null}
      {resultLines(run, look, t).map((line, i) => (
        <Text key={i} size="sm">
          {line}
        </Text>
      ))}
      {run.attempts > 1 ? (
        <Text size="xs" c="dimmed">
          {t('automation.runs.attempts', { count: run.attempts })}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The execution log (GET /automation/runs): when, rule, event, deal, status, what was done or the error. */
export function RunsLog({ rules, look }: { rules: AutomationRule[] | undefined; look: Lookup }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const filters: RunFilters = {
    ruleId: params.get('rule') || undefined,
    status: status === 'ok' || status === 'failed' ? status : undefined,
  };
  const runs = useRuns(filters);
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const ruleName = (run: AutomationRun) => run.ruleName || t('automation.runs.deletedRule');
  const event = (run: AutomationRun) => t(`automation.trigger.${run.trigger}`, { defaultValue: run.trigger });

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('automation.runs.rule')}
          placeholder={t('automation.runs.allRules')}
          data={(rules ?? []).map((r) => ({ value: r.id, label: r.name }))}
          value={filters.ruleId ?? null}
          onChange={(value) => set('rule', value)}
          clearable
          searchable
          w={{ base: '100%', sm: 360 }}
        />
        <Select
          label={t('automation.runs.status')}
          placeholder={t('automation.runs.allStatuses')}
          data={[
            { value: 'ok', label: t('automation.runs.ok') },
            { value: 'failed', label: t('automation.runs.failed') },
          ]}
          value={filters.status ?? null}
          onChange={(value) => set('status', value)}
          clearable
          w={{ base: '100%', sm: 180 }}
        />
      </Group>
      {runs.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : runs.isError ? (
        <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
      ) : items.length === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Text c="dimmed" ta="center">
            {filters.ruleId || filters.status ? t('automation.runs.emptyFiltered') : t('automation.runs.empty')}
          </Text>
        </Paper>
      ) : phone ? (
        <Stack gap="sm" data-testid="runs-list">
          {items.map((run) => (
            <Paper key={run.id} withBorder p="sm" radius="md" data-testid="run-row">
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="xs" c="dimmed" className="tabular-nums">
                  {formatDateTimeRu(run.createdAt)}
                </Text>
                <StatusBadge run={run} />
              </Group>
              <Text fw={600} size="sm" mt={4}>
                {ruleName(run)}
              </Text>
              <Text size="sm" c="dimmed">
                {event(run)}
              </Text>
              <Group mt={4} gap="xs" align="flex-start" wrap="nowrap">
                <Subject run={run} />
              </Group>
              <div style={{ marginTop: 4 }}>
                <Outcome run={run} look={look} />
              </div>
            </Paper>
          ))}
        </Stack>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" data-testid="runs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={150}>{t('automation.runs.when')}</Table.Th>
                  <Table.Th>{t('automation.runs.rule')}</Table.Th>
                  <Table.Th>{t('automation.runs.event')}</Table.Th>
                  <Table.Th w={140}>{t('automation.runs.deal')}</Table.Th>
                  <Table.Th w={120}>{t('automation.runs.status')}</Table.Th>
                  <Table.Th>{t('automation.runs.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((run) => (
                  <Table.Tr key={run.id} data-testid="run-row">
                    <Table.Td className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTimeRu(run.createdAt)}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {ruleName(run)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{event(run)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Subject run={run} />
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge run={run} />
                    </Table.Td>
                    <Table.Td>
                      <Outcome run={run} look={look} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {runs.hasNextPage ? (
        <Center>
          <Button variant="default" loading={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
            {t('automation.runs.loadMore')}
          </Button>
        </Center>
      ) : null}
    </Stack>
  );
}
