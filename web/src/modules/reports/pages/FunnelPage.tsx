import { useMemo } from 'react';
import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { FunnelReport } from '../../../../../common/api/reports';
import { useReport } from '../api';
import { funnelOption, pieOption } from '../charts';
import { DataTable } from '../DataTable';
import { EChart } from '../EChart';
import { fmtInt, fmtMoney, fmtNumber, fmtPercent } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { StatCard } from '../StatCard';
import { useReportFilters } from '../useReportFilters';

type Stage = FunnelReport['stages'][number];

/** «Воронка»: deals created in the period that reached each stage, conversions, days in stage, refusals by reason. */
export default function FunnelPage() {
  const { t } = useTranslation();
  const f = useReportFilters('month');
  const phone = useMediaQuery('(max-width: 48em)');
  const query = f.query();
  const result = useReport('funnel', query);
  const lines = useFilterLines(f);

  const won = (r: FunnelReport) => r.stages.find((s) => s.code === 'won') ?? r.stages[r.stages.length - 1];

  return (
    <ReportLayout
      kind="funnel"
      title={t('reports.funnel.title')}
      description={t('reports.funnel.description')}
      f={f}
      filters={<ReportFiltersBar f={f} />}
      printLines={[...lines, t('reports.funnel.description')]}
      exportQuery={query}
      result={result}
      isEmpty={(r) => (r.stages[0]?.count ?? 0) === 0 && r.lost.count === 0}
      emptyText={t('reports.funnel.empty')}
      summary={(r) => {
        const first = r.stages[0]?.count ?? 0;
        const w = won(r);
        return (
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <StatCard label={t('reports.funnel.created')} value={fmtInt(first)} hint={fmtMoney(r.stages[0]?.amount ?? 0)} />
            <StatCard label={t('reports.funnel.won')} value={fmtInt(w?.count ?? 0)} hint={fmtMoney(w?.amount ?? 0)} color="green" />
            <StatCard label={t('reports.funnel.winRate')} value={fmtPercent(w?.conversionFromFirst ?? null)} />
            <StatCard label={t('reports.funnel.lost')} value={fmtInt(r.lost.count)} hint={fmtMoney(r.lost.amount)} color="red" />
          </SimpleGrid>
        );
      }}
      table={(r) => (
        <Stack gap="md">
          <DataTable<Stage>
            testId="funnel-table"
            minWidth={640}
            rows={r.stages}
            rowKey={(s) => s.stageId}
            columns={[
              { key: 'name', header: t('reports.funnel.stage'), render: (s) => s.name },
              { key: 'count', header: t('reports.funnel.deals'), numeric: true, render: (s) => fmtInt(s.count) },
              { key: 'amount', header: t('reports.funnel.amount'), numeric: true, render: (s) => fmtMoney(s.amount) },
              { key: 'conversion', header: t('reports.funnel.conversionNext'), numeric: true, render: (s) => fmtPercent(s.conversion) },
              {
                key: 'fromFirst',
                header: t('reports.funnel.conversionFirst'),
                numeric: true,
                render: (s) => fmtPercent(s.conversionFromFirst),
              },
              { key: 'days', header: t('reports.funnel.days'), numeric: true, render: (s) => fmtNumber(s.avgDaysInStage, 1) },
            ]}
          />
          <DataTable
            testId="funnel-lost-table"
            caption={
              <Group gap="xs">
                <span>{t('reports.funnel.lostByReason')}</span>
                <Badge color="red" variant="light">
                  {fmtInt(r.lost.count)}
                </Badge>
              </Group>
            }
            minWidth={420}
            rows={r.lost.byReason}
            rowKey={(x, i) => x.reasonId ?? `none-${i}`}
            totals={r.lost.byReason.length > 0}
            columns={[
              { key: 'name', header: t('reports.lossReasons.reason'), render: (x) => x.name },
              {
                key: 'count',
                header: t('reports.funnel.deals'),
                numeric: true,
                render: (x) => fmtInt(x.count),
                total: fmtInt(r.lost.count),
              },
              {
                key: 'amount',
                header: t('reports.funnel.amount'),
                numeric: true,
                render: (x) => fmtMoney(x.amount),
                total: fmtMoney(r.lost.amount),
              },
            ]}
          />
        </Stack>
      )}
      chart={(r) => <FunnelCharts report={r} phone={Boolean(phone)} />}
    />
  );
}

function FunnelCharts({ report, phone }: { report: FunnelReport; phone: boolean }) {
  const { t } = useTranslation();
  const funnel = useMemo(
    () =>
      funnelOption({
        stages: report.stages.map((s) => ({
          name: s.name,
          value: s.count,
          extra: `${fmtMoney(s.amount)} · ${t('reports.funnel.conversionFirst')}: ${fmtPercent(s.conversionFromFirst)}`,
        })),
        format: fmtInt,
        compact: phone,
      }),
    [report, phone, t],
  );
  const reasons = useMemo(
    () =>
      pieOption({
        data: report.lost.byReason.map((x) => ({ name: x.name, value: x.count })),
        format: fmtInt,
        compact: phone,
        center: fmtInt(report.lost.count),
      }),
    [report, phone],
  );
  return (
    <Stack gap="lg">
      <EChart option={funnel} height={Math.max(300, report.stages.length * 42)} label={t('reports.funnel.title')} testId="report-chart" />
      {report.lost.byReason.length ? (
        <Stack gap={4}>
          <Text fw={600}>{t('reports.funnel.lostByReason')}</Text>
          <EChart option={reasons} height={280} label={t('reports.funnel.lostByReason')} />
        </Stack>
      ) : null}
    </Stack>
  );
}
