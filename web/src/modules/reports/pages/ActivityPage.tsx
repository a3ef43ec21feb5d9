import { useMemo } from 'react';
import { SimpleGrid, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { ActivityReport, ActivityRow } from '../../../../../common/api/reports';
import { useReport } from '../api';
import { barOption } from '../charts';
import { DataTable, type Column } from '../DataTable';
import { EChart } from '../EChart';
import { fmtInt, fmtMoney, fmtMoneyShort } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { StatCard } from '../StatCard';
import { useReportFilters } from '../useReportFilters';

const COUNTS = ['calls', 'meetings', 'emails', 'control', 'other', 'tasksDone', 'tasksOverdue', 'dealsCreated', 'dealsWon'] as const;
const TASK_TYPES = ['calls', 'meetings', 'emails', 'control', 'other'] as const;
const TYPE_COLORS = ['#2953ae', '#2f9e44', '#1098ad', '#7048e8', '#868e96'];

/** «Активность»: what each manager did — calls, meetings, tasks done and overdue, deals, revenue. */
export default function ActivityPage() {
  const { t } = useTranslation();
  const f = useReportFilters('month');
  const phone = useMediaQuery('(max-width: 48em)');
  const query = f.query();
  const result = useReport('activity', query);
  const lines = useFilterLines(f);

  const columns = (r: ActivityReport): Column<ActivityRow>[] => [
    { key: 'name', header: t('reports.activity.employee'), render: (x) => x.name },
    ...COUNTS.map((k) => ({
      key: k,
      header: t(`reports.activity.${k}`),
      numeric: true,
      render: (x: ActivityRow) =>
        k === 'tasksOverdue' && x[k] > 0 ? (
          <Text span c="red" fw={600} inherit>
            {fmtInt(x[k])}
          </Text>
        ) : (
          fmtInt(x[k])
        ),
      total: fmtInt(r.total[k]),
    })),
    {
      key: 'wonAmount',
      header: t('reports.activity.wonAmount'),
      numeric: true,
      render: (x) => fmtMoney(x.wonAmount),
      total: fmtMoney(r.total.wonAmount),
    },
    {
      key: 'revenue',
      header: t('reports.activity.revenue'),
      numeric: true,
      render: (x) => fmtMoney(x.revenue),
      total: fmtMoney(r.total.revenue),
    },
  ];

  return (
    <ReportLayout
      kind="activity"
      title={t('reports.activity.title')}
      description={t('reports.activity.description')}
      f={f}
      filters={<ReportFiltersBar f={f} />}
      printLines={lines}
      exportQuery={query}
      result={result}
      landscape
      isEmpty={(r) => r.rows.length === 0}
      summary={(r) => (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <StatCard label={t('reports.activity.calls')} value={fmtInt(r.total.calls)} />
          <StatCard label={t('reports.activity.meetings')} value={fmtInt(r.total.meetings)} />
          <StatCard
            label={t('reports.activity.tasksDone')}
            value={fmtInt(r.total.tasksDone)}
            hint={`${t('reports.activity.tasksOverdue')}: ${fmtInt(r.total.tasksOverdue)}`}
          />
          <StatCard
            label={t('reports.activity.revenue')}
            value={fmtMoney(r.total.revenue)}
            hint={`${t('reports.activity.dealsWon')}: ${fmtInt(r.total.dealsWon)}`}
          />
        </SimpleGrid>
      )}
      table={(r) => (
        <DataTable
          testId="activity-table"
          rows={r.rows}
          rowKey={(x, i) => x.userId ?? `none-${i}`}
          columns={columns(r)}
          totals
          minWidth={1200}
        />
      )}
      chart={(r) => <ActivityCharts report={r} phone={Boolean(phone)} />}
    />
  );
}

function ActivityCharts({ report, phone }: { report: ActivityReport; phone: boolean }) {
  const { t } = useTranslation();
  const names = report.rows.map((r) => r.name);
  const height = Math.max(240, names.length * 34 + 90);
  const tasks = useMemo(
    () =>
      barOption({
        categories: names,
        series: TASK_TYPES.map((k, i) => ({ name: t(`reports.activity.${k}`), data: report.rows.map((r) => r[k]), color: TYPE_COLORS[i] })),
        format: fmtInt,
        short: fmtInt,
        integer: true,
        horizontal: true,
        stacked: true,
        compact: phone,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [report, phone, t],
  );
  const revenue = useMemo(
    () =>
      barOption({
        categories: names,
        series: [{ name: t('reports.activity.revenue'), data: report.rows.map((r) => r.revenue) }],
        format: fmtMoney,
        short: fmtMoneyShort,
        horizontal: true,
        labels: !phone,
        compact: phone,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [report, phone, t],
  );
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Text fw={600}>{t('reports.activity.chartTasks')}</Text>
        <EChart option={tasks} height={height} label={t('reports.activity.chartTasks')} testId="report-chart" />
      </Stack>
      <Stack gap={4}>
        <Text fw={600}>{t('reports.activity.revenue')}</Text>
        <EChart option={revenue} height={height - 30} label={t('reports.activity.revenue')} />
      </Stack>
    </Stack>
  );
}
