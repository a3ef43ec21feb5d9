import { Fragment, useMemo, useState } from 'react';
import { Alert, Box, Button, Group, NumberInput, Paper, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { MonthPickerInput } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { IconCopy, IconDeviceFloppy, IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api/client';
import { errorMessage } from '../../../api/forms';
import type { User } from '../../../api/types';
import { notifySuccess } from '../../../ui/notify';
import { planMetrics, type Plan, type PlanMetric } from '../../../../../common/api/plans';
import type { PlanFactReport, PlanFactRow } from '../../../../../common/api/reports';
import { REPORTS_KEY, usePlans, useReport, useReportDepartments, useReportUsers, useSavePlans, type PlanChange } from '../api';
import { barOption } from '../charts';
import { EChart } from '../EChart';
import { fmtInt, fmtMoney, fmtMonth, fmtPercent } from '../format';
import { paceColor } from '../pace';
import { monthOf } from '../period';
import { useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { canPickDepartment, canPickManager, canSetPlans, useReportFilters, type ReportFilters } from '../useReportFilters';

const isPeriod = (v: string | null): v is string => v !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
const fmtMetric = (metric: string, value: number | null | undefined) => (metric === 'revenue' ? fmtMoney(value) : fmtInt(value));

function prevPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return monthOf(new Date(y, m - 2, 1));
}

/** «План/факт»: plans per manager and month (set by a head, the owner, an admin), fact, percent and forecast. */
export default function PlanFactPage() {
  const { t, i18n } = useTranslation();
  const f = useReportFilters('month');
  const phone = useMediaQuery('(max-width: 48em)');
  const monthParam = f.param('month');
  const period = isPeriod(monthParam) ? monthParam : monthOf(new Date());
  const query = { period, ownerId: f.ownerId, departmentId: f.departmentId };
  const result = useReport('plan-fact', query);
  const lines = useFilterLines(f, { period: false, pipeline: false });
  const editor = canSetPlans(f.me.role);
  const monthName = fmtMonth(period, i18n.resolvedLanguage);

  return (
    <ReportLayout
      kind="plan-fact"
      title={`${t('reports.planFact.title')} — ${monthName}`}
      description={t('reports.planFact.description')}
      f={f}
      filters={<PlanFactFilters f={f} period={period} />}
      printLines={[`${t('reports.planFact.month')}: ${monthName}`, ...lines]}
      exportQuery={query}
      result={result}
      isEmpty={(r) => r.rows.length === 0}
      emptyText={editor ? t('reports.planFact.emptyEditor') : t('reports.planFact.emptyManager')}
      summary={(r) => (
        <Text size="sm" c="dimmed">
          {t('reports.planFact.elapsed', { elapsed: r.elapsedDays, days: r.days })}
        </Text>
      )}
      table={(r) => (phone ? <PlanFactCards report={r} /> : <PlanFactTable report={r} />)}
      chart={(r) => <PlanFactChart report={r} phone={Boolean(phone)} />}
      after={editor ? <PlanEditor f={f} period={period} monthName={monthName} /> : null}
    />
  );
}

function PlanFactFilters({ f, period }: { f: ReportFilters; period: string }) {
  const { t } = useTranslation();
  const users = useReportUsers(canPickManager(f.me.role));
  const departments = useReportDepartments(canPickDepartment(f.me.role));
  const people = (users.data ?? [])
    .filter((u) => u.active && (u.role === 'manager' || u.role === 'head'))
    .filter((u) => (f.me.role === 'head' ? u.departmentId === f.me.departmentId || u.id === f.me.id : true))
    .filter((u) => (f.departmentId ? u.departmentId === f.departmentId : true))
    .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" className="vr-no-print" data-testid="report-filters">
      <MonthPickerInput
        label={t('reports.planFact.month')}
        valueFormat="MMMM YYYY"
        value={`${period}-01`}
        onChange={(value) => value && f.set({ month: String(value).slice(0, 7) })}
        w={{ base: '100%', xs: 200 }}
      />
      {canPickDepartment(f.me.role) ? (
        <Select
          label={t('reports.filters.department')}
          placeholder={t('reports.filters.allDepartments')}
          data={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          value={f.departmentId ?? null}
          onChange={(value) => f.set({ dept: value, owner: null })}
          clearable
          allowDeselect
          w={{ base: '100%', xs: 200 }}
        />
      ) : null}
      {canPickManager(f.me.role) ? (
        <Select
          label={t('reports.filters.manager')}
          placeholder={f.me.role === 'head' ? t('reports.filters.myDepartment') : t('reports.filters.allManagers')}
          data={people.map((u) => ({ value: u.id, label: u.name }))}
          value={f.ownerId ?? null}
          onChange={(value) => f.set({ owner: value })}
          searchable
          clearable
          allowDeselect
          w={{ base: '100%', xs: 220 }}
        />
      ) : null}
    </Group>
  );
}

function PlanFactTable({ report }: { report: PlanFactReport }) {
  const { t } = useTranslation();
  const groups = useMemo(() => {
    const map = new Map<string, PlanFactRow[]>();
    for (const r of report.rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r]);
    return [...map.values()];
  }, [report]);
  const right = { textAlign: 'right' as const, whiteSpace: 'nowrap' as const, fontVariantNumeric: 'tabular-nums' };
  return (
    <Paper radius="md" style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={720} type="native">
        <Table verticalSpacing="xs" fz="sm" data-testid="plan-fact-table" className="vr-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reports.activity.employee')}</Table.Th>
              <Table.Th>{t('reports.planFact.metric')}</Table.Th>
              <Table.Th style={right}>{t('reports.planFact.plan')}</Table.Th>
              <Table.Th style={right}>{t('reports.planFact.fact')}</Table.Th>
              <Table.Th style={{ minWidth: 170 }}>{t('reports.planFact.percent')}</Table.Th>
              <Table.Th style={right}>{t('reports.planFact.forecast')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((rows) => (
              <Fragment key={rows[0].userId}>
                {rows.map((r, i) => {
                  const color = paceColor(r.percent, report.elapsedDays, report.days);
                  const forecastOk = r.forecast >= r.target;
                  return (
                    <Table.Tr
                      key={r.planId}
                      data-testid="plan-fact-row"
                      style={i === 0 ? { borderTop: '2px solid var(--mantine-color-gray-3)' } : undefined}
                    >
                      {i === 0 ? (
                        <Table.Td rowSpan={rows.length} fw={600} style={{ verticalAlign: 'top' }}>
                          {r.name}
                        </Table.Td>
                      ) : null}
                      <Table.Td>{t(`reports.planMetrics.${r.metric}`)}</Table.Td>
                      <Table.Td style={right}>{fmtMetric(r.metric, r.target)}</Table.Td>
                      <Table.Td style={right}>{fmtMetric(r.metric, r.fact)}</Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Progress
                            value={Math.min(100, r.percent ?? 0)}
                            color={color}
                            size="lg"
                            radius="xl"
                            style={{ flex: 1, minWidth: 70 }}
                            aria-label={fmtPercent(r.percent)}
                          />
                          <Text
                            size="sm"
                            fw={600}
                            c={color === 'gray' ? 'dimmed' : color}
                            style={{ minWidth: 64, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}
                            data-testid="plan-fact-percent"
                          >
                            {fmtPercent(r.percent)}
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td style={right}>
                        <Text span inherit c={r.target > 0 ? (forecastOk ? 'green' : 'orange') : undefined}>
                          {fmtMetric(r.metric, r.forecast)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** Phones: one card per person, a progress bar per metric. */
function PlanFactCards({ report }: { report: PlanFactReport }) {
  const { t } = useTranslation();
  const groups = [...new Map(report.rows.map((r) => [r.userId, report.rows.filter((x) => x.userId === r.userId)])).values()];
  return (
    <Stack gap="sm" data-testid="plan-fact-table">
      {groups.map((rows) => (
        <Paper key={rows[0].userId} p="sm" radius="md">
          <Text fw={700} mb={6}>
            {rows[0].name}
          </Text>
          <Stack gap="sm">
            {rows.map((r) => {
              const color = paceColor(r.percent, report.elapsedDays, report.days);
              return (
                <Stack key={r.planId} gap={4} data-testid="plan-fact-row">
                  <Group justify="space-between" gap="xs" wrap="nowrap">
                    <Text size="sm">{t(`reports.planMetrics.${r.metric}`)}</Text>
                    <Text
                      size="sm"
                      fw={700}
                      c={color === 'gray' ? 'dimmed' : color}
                      data-testid="plan-fact-percent"
                      style={{ fontVariantNumeric: 'tabular-nums' }}
                    >
                      {fmtPercent(r.percent)}
                    </Text>
                  </Group>
                  <Progress value={Math.min(100, r.percent ?? 0)} color={color} size="md" radius="xl" />
                  <Text size="xs" c="dimmed">
                    {t('reports.planFact.factOfPlan', { fact: fmtMetric(r.metric, r.fact), plan: fmtMetric(r.metric, r.target) })} ·{' '}
                    {t('reports.planFact.forecast').toLowerCase()}:{' '}
                    <Text span inherit c={r.target > 0 ? (r.forecast >= r.target ? 'green' : 'orange') : undefined}>
                      {fmtMetric(r.metric, r.forecast)}
                    </Text>
                  </Text>
                </Stack>
              );
            })}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

function PlanFactChart({ report, phone }: { report: PlanFactReport; phone: boolean }) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    const names = [...new Map(report.rows.map((r) => [r.userId, r.name])).entries()];
    const metrics = planMetrics.filter((m) => report.rows.some((r) => r.metric === m));
    return barOption({
      categories: names.map(([, name]) => name),
      series: metrics.map((m) => ({
        name: t(`reports.planMetrics.${m}`),
        data: names.map(([id]) => report.rows.find((r) => r.userId === id && r.metric === m)?.percent ?? null),
      })),
      format: fmtPercent,
      short: fmtPercent,
      horizontal: true,
      labels: true,
      compact: phone,
      markLine: { value: 100, name: t('reports.planFact.planLine') },
    });
  }, [report, phone, t]);
  const people = new Set(report.rows.map((r) => r.userId)).size;
  return <EChart option={option} height={Math.max(260, people * 70 + 90)} label={t('reports.planFact.title')} testId="report-chart" />;
}

// ── the editor ──

type Draft = Record<string, number | string>;
const cellKey = (userId: string, metric: PlanMetric) => `${userId}:${metric}`;
const toInput = (metric: PlanMetric, target: number) => (metric === 'revenue' ? target / 100 : target);
const toTarget = (metric: PlanMetric, value: number) => (metric === 'revenue' ? Math.round(value * 100) : Math.round(value));

function PlanEditor({ f, period, monthName }: { f: ReportFilters; period: string; monthName: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useReportUsers();
  const plans = usePlans(period);
  const save = useSavePlans();
  const [draft, setDraft] = useState<Draft>({});
  const [draftPeriod, setDraftPeriod] = useState(period);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [copying, setCopying] = useState(false);
  const [copyNote, setCopyNote] = useState<string | null>(null);

  // a new month starts with a clean draft
  if (draftPeriod !== period) {
    setDraftPeriod(period);
    setDraft({});
    setCopyNote(null);
  }

  const people: User[] = useMemo(
    () =>
      (users.data ?? [])
        .filter((u) => u.active && (u.role === 'manager' || u.role === 'head'))
        .filter((u) => (f.me.role === 'head' ? u.departmentId === f.me.departmentId || u.id === f.me.id : true))
        .filter((u) => (f.departmentId ? u.departmentId === f.departmentId : true))
        .filter((u) => (f.ownerId ? u.id === f.ownerId : true))
        .sort((a, b) => a.name.localeCompare(b.name, 'ru')),
    [users.data, f.me, f.departmentId, f.ownerId],
  );
  const existing = useMemo(() => new Map((plans.data ?? []).map((p) => [cellKey(p.userId, p.metric), p])), [plans.data]);

  const valueOf = (userId: string, metric: PlanMetric): number | string => {
    const k = cellKey(userId, metric);
    if (k in draft) return draft[k];
    const plan = existing.get(k);
    return plan ? toInput(metric, plan.target) : '';
  };

  const changes: PlanChange[] = [];
  for (const [k, value] of Object.entries(draft)) {
    const [userId, metric] = k.split(':') as [string, PlanMetric];
    if (!people.some((p) => p.id === userId)) continue;
    const plan = existing.get(k);
    if (value === '' || value === null) {
      if (plan) changes.push({ userId, metric, target: null, planId: plan.id });
      continue;
    }
    const num = typeof value === 'number' ? value : Number(String(value).replace(/\s/g, '').replace(',', '.'));
    if (!Number.isFinite(num) || num < 0) continue;
    const target = toTarget(metric, num);
    if (!plan || plan.target !== target) changes.push({ userId, metric, target });
  }

  const submit = async () => {
    setProgress({ done: 0, total: changes.length });
    try {
      await save.mutateAsync({ period, changes, onProgress: (done) => setProgress({ done, total: changes.length }) });
      setDraft({});
      setCopyNote(null);
      notifySuccess(t('reports.planEditor.saved', { count: changes.length }));
    } finally {
      setProgress(null);
    }
  };

  const copyPrevious = async () => {
    setCopying(true);
    try {
      const prev = prevPeriod(period);
      const items = await queryClient.fetchQuery({
        queryKey: [...REPORTS_KEY, 'plans', prev],
        queryFn: async () => (await api.get<Page<Plan>>('/plans', { period: prev })).items,
      });
      const next: Draft = { ...draft };
      let n = 0;
      for (const p of items) {
        if (!people.some((u) => u.id === p.userId)) continue;
        next[cellKey(p.userId, p.metric)] = toInput(p.metric, p.target);
        n++;
      }
      setDraft(next);
      setCopyNote(n ? t('reports.planEditor.copied', { count: n }) : t('reports.planEditor.nothingToCopy'));
    } finally {
      setCopying(false);
    }
  };

  return (
    <Paper p={{ base: 'sm', sm: 'md' }} radius="md" data-testid="plan-editor">
      <Group justify="space-between" align="flex-start" mb="xs" gap="sm">
        <Box style={{ flex: '1 1 260px' }}>
          <Title order={3} size="h4">
            {t('reports.planEditor.title', { month: monthName })}
          </Title>
          <Text size="sm" c="dimmed">
            {t('reports.planEditor.hint')}
          </Text>
        </Box>
        <Group gap="xs">
          <Button variant="default" size="sm" leftSection={<IconCopy size={16} />} onClick={() => void copyPrevious()} loading={copying}>
            {t('reports.planEditor.copyPrevious')}
          </Button>
          {changes.length ? (
            <Button variant="subtle" color="gray" size="sm" onClick={() => setDraft({})} disabled={save.isPending}>
              {t('reports.planEditor.discard')}
            </Button>
          ) : null}
          <Button
            size="sm"
            leftSection={<IconDeviceFloppy size={16} />}
            disabled={!changes.length}
            loading={save.isPending}
            onClick={() => void submit()}
          >
            {changes.length ? t('reports.planEditor.saveCount', { count: changes.length }) : t('reports.planEditor.save')}
          </Button>
        </Group>
      </Group>
      {progress ? (
        <Stack gap={4} mb="sm">
          <Text size="sm">{t('reports.planEditor.progress', progress)}</Text>
          <Progress value={(progress.done * 100) / Math.max(1, progress.total)} animated />
        </Stack>
      ) : null}
      {copyNote ? (
        <Text size="sm" c="dimmed" mb="xs">
          {copyNote}
        </Text>
      ) : null}
      {save.error ? (
        <Alert color="red" mb="sm" icon={<IconInfoCircle size={18} />}>
          {errorMessage(save.error)}
        </Alert>
      ) : null}
      {users.isPending || plans.isPending ? (
        <Text c="dimmed">{t('app.loading')}</Text>
      ) : people.length === 0 ? (
        <Text c="dimmed">{t('reports.planEditor.nobody')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={820} type="native">
          <Table verticalSpacing={6} fz="sm" data-testid="plan-editor-grid">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.activity.employee')}</Table.Th>
                {planMetrics.map((m) => (
                  <Table.Th key={m} style={{ minWidth: m === 'revenue' ? 170 : 110 }}>
                    {t(`reports.planMetrics.${m}`)}
                    {m === 'revenue' ? ', ₽' : ''}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td fw={500}>{u.name}</Table.Td>
                  {planMetrics.map((m) => {
                    const k = cellKey(u.id, m);
                    const changed = changes.some((c) => c.userId === u.id && c.metric === m);
                    return (
                      <Table.Td key={m}>
                        <NumberInput
                          size="xs"
                          hideControls
                          min={0}
                          allowNegative={false}
                          decimalScale={m === 'revenue' ? 2 : 0}
                          thousandSeparator={'\u00A0'}
                          decimalSeparator=","
                          placeholder="—"
                          value={valueOf(u.id, m)}
                          onChange={(value) => setDraft((d) => ({ ...d, [k]: value }))}
                          aria-label={`${t(`reports.planMetrics.${m}`)}: ${u.name}`}
                          styles={
                            changed
                              ? { input: { borderColor: 'var(--mantine-color-blue-5)', background: 'var(--mantine-color-blue-0)' } }
                              : undefined
                          }
                        />
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
