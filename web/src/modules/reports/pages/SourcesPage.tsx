import { useMemo } from 'react';
import { SimpleGrid, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { SourcesReport, SourcesRow } from '../../../../../common/api/reports';
import { useReport } from '../api';
import { barOption, pieOption } from '../charts';
import { DataTable } from '../DataTable';
import { EChart } from '../EChart';
import { fmtInt, fmtMoney, fmtPercent } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { StatCard } from '../StatCard';
import { useReportFilters } from '../useReportFilters';

/** «Источники»: leads → deals → revenue by source and advertising campaign (utm_campaign). */
export default function SourcesPage() {
  const { t } = useTranslation();
  const f = useReportFilters('quarter');
  const phone = useMediaQuery('(max-width: 48em)');
  const query = f.query();
  const result = useReport('sources', query);
  const lines = useFilterLines(f);
  const src = (x: SourcesRow) => x.source ?? t('reports.sources.noSource');
  const camp = (x: SourcesRow) => x.campaign ?? '—';
  return (
    <ReportLayout
      kind="sources"
      title={t('reports.sources.title')}
      description={t('reports.sources.description')}
      f={f}
      filters={<ReportFiltersBar f={f} />}
      printLines={lines}
      exportQuery={query}
      result={result}
      landscape
      isEmpty={(r) => r.rows.length === 0}
      summary={(r) => (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <StatCard
            label={t('reports.sources.leads')}
            value={fmtInt(r.total.leads)}
            hint={`${t('reports.sources.leadConversion')}: ${fmtPercent(r.total.leadConversion)}`}
          />
          <StatCard label={t('reports.sources.deals')} value={fmtInt(r.total.deals)} />
          <StatCard label={t('reports.sources.won')} value={fmtInt(r.total.won)} hint={fmtMoney(r.total.wonAmount)} />
          <StatCard label={t('reports.sources.revenue')} value={fmtMoney(r.total.revenue)} />
        </SimpleGrid>
      )}
      table={(r) => (
        <DataTable
          testId="sources-table"
          rows={r.rows}
          rowKey={(x) => `${x.source}|${x.campaign}`}
          totals
          minWidth={980}
          columns={[
            { key: 'source', header: t('reports.sources.source'), render: src },
            { key: 'campaign', header: t('reports.sources.campaign'), render: camp },
            {
              key: 'leads',
              header: t('reports.sources.leads'),
              numeric: true,
              render: (x) => fmtInt(x.leads),
              total: fmtInt(r.total.leads),
            },
            {
              key: 'converted',
              header: t('reports.sources.converted'),
              numeric: true,
              render: (x) => fmtInt(x.converted),
              total: fmtInt(r.total.converted),
            },
            {
              key: 'conv',
              header: t('reports.sources.leadConversion'),
              numeric: true,
              render: (x) => fmtPercent(x.leadConversion),
              total: fmtPercent(r.total.leadConversion),
            },
            {
              key: 'deals',
              header: t('reports.sources.deals'),
              numeric: true,
              render: (x) => fmtInt(x.deals),
              total: fmtInt(r.total.deals),
            },
            { key: 'won', header: t('reports.sources.won'), numeric: true, render: (x) => fmtInt(x.won), total: fmtInt(r.total.won) },
            {
              key: 'wonAmount',
              header: t('reports.sources.wonAmount'),
              numeric: true,
              render: (x) => fmtMoney(x.wonAmount),
              total: fmtMoney(r.total.wonAmount),
            },
            {
              key: 'revenue',
              header: t('reports.sources.revenue'),
              numeric: true,
              render: (x) => fmtMoney(x.revenue),
              total: fmtMoney(r.total.revenue),
            },
          ]}
        />
      )}
      chart={(r) => <SourcesCharts report={r} phone={Boolean(phone)} />}
    />
  );
}

function SourcesCharts({ report, phone }: { report: SourcesReport; phone: boolean }) {
  const { t } = useTranslation();
  // by source (campaigns summed)
  const bySource = useMemo(() => {
    const map = new Map<string, { leads: number; deals: number; won: number; revenue: number }>();
    for (const r of report.rows) {
      const k = r.source ?? t('reports.sources.noSource');
      const v = map.get(k) ?? { leads: 0, deals: 0, won: 0, revenue: 0 };
      v.leads += r.leads;
      v.deals += r.deals;
      v.won += r.won;
      v.revenue += r.revenue;
      map.set(k, v);
    }
    return [...map.entries()].sort((a, b) => b[1].leads + b[1].deals - (a[1].leads + a[1].deals));
  }, [report, t]);
  const funnel = useMemo(
    () =>
      barOption({
        categories: bySource.map(([k]) => k),
        series: [
          { name: t('reports.sources.leads'), data: bySource.map(([, v]) => v.leads) },
          { name: t('reports.sources.deals'), data: bySource.map(([, v]) => v.deals) },
          { name: t('reports.sources.won'), data: bySource.map(([, v]) => v.won) },
        ],
        format: fmtInt,
        short: fmtInt,
        integer: true,
        horizontal: true,
        compact: phone,
      }),
    [bySource, phone, t],
  );
  const revenue = useMemo(
    () =>
      pieOption({
        data: bySource.filter(([, v]) => v.revenue > 0).map(([k, v]) => ({ name: k, value: v.revenue })),
        format: fmtMoney,
        compact: phone,
      }),
    [bySource, phone],
  );
  const hasRevenue = bySource.some(([, v]) => v.revenue > 0);
  return (
    <SimpleGrid cols={{ base: 1, md: hasRevenue ? 2 : 1 }} spacing="lg">
      <Stack gap={4}>
        <Text fw={600}>{t('reports.sources.chartFunnel')}</Text>
        <EChart
          option={funnel}
          height={Math.max(260, bySource.length * 56 + 80)}
          label={t('reports.sources.chartFunnel')}
          testId="report-chart"
        />
      </Stack>
      {hasRevenue ? (
        <Stack gap={4}>
          <Text fw={600}>{t('reports.sources.chartRevenue')}</Text>
          <EChart option={revenue} height={340} label={t('reports.sources.chartRevenue')} />
        </Stack>
      ) : null}
    </SimpleGrid>
  );
}
