import { useCallback, useMemo } from 'react';
import { SimpleGrid } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { ReviewsReport } from '../../../../../common/api/reports';
import { useReport } from '../api';
import { barOption } from '../charts';
import { DataTable } from '../DataTable';
import { EChart } from '../EChart';
import { fmtInt, fmtMonth, fmtNumber, fmtPercent } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { StatCard } from '../StatCard';
import { useReportFilters } from '../useReportFilters';

/** «Отзывы»: reviews by month — count, average rating, shares of positive / neutral / negative. */
export default function ReviewsReportPage() {
  const { t, i18n } = useTranslation();
  const f = useReportFilters('year');
  const phone = useMediaQuery('(max-width: 48em)');
  const query = f.query(false);
  const result = useReport('reviews', query);
  const lines = useFilterLines(f, { pipeline: false });
  const lang = i18n.resolvedLanguage;
  const month = useCallback((m: string) => fmtMonth(m, lang), [lang]);
  return (
    <ReportLayout
      kind="reviews"
      title={t('reports.reviews.title')}
      description={t('reports.reviews.description')}
      f={f}
      filters={<ReportFiltersBar f={f} pipeline={false} />}
      printLines={lines}
      exportQuery={query}
      result={result}
      isEmpty={(r) => r.total.count === 0}
      emptyText={t('reports.reviews.empty')}
      summary={(r) => (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <StatCard label={t('reports.reviews.count')} value={fmtInt(r.total.count)} />
          <StatCard label={t('reports.reviews.avgRating')} value={fmtNumber(r.total.avgRating)} />
          <StatCard label={t('reports.reviews.positive')} value={fmtInt(r.total.positive)} color="green" />
          <StatCard
            label={t('reports.reviews.negativeShare')}
            value={fmtPercent(r.total.negativeShare)}
            color={(r.total.negativeShare ?? 0) > 20 ? 'red' : undefined}
          />
        </SimpleGrid>
      )}
      table={(r) => (
        <DataTable
          testId="reviews-table"
          rows={r.rows}
          rowKey={(x) => x.month}
          totals
          minWidth={720}
          columns={[
            { key: 'month', header: t('reports.reviews.month'), render: (x) => month(x.month) },
            {
              key: 'count',
              header: t('reports.reviews.count'),
              numeric: true,
              render: (x) => fmtInt(x.count),
              total: fmtInt(r.total.count),
            },
            {
              key: 'avg',
              header: t('reports.reviews.avgRating'),
              numeric: true,
              render: (x) => fmtNumber(x.avgRating),
              total: fmtNumber(r.total.avgRating),
            },
            {
              key: 'pos',
              header: t('reports.reviews.positive'),
              numeric: true,
              render: (x) => fmtInt(x.positive),
              total: fmtInt(r.total.positive),
            },
            {
              key: 'neu',
              header: t('reports.reviews.neutral'),
              numeric: true,
              render: (x) => fmtInt(x.neutral),
              total: fmtInt(r.total.neutral),
            },
            {
              key: 'neg',
              header: t('reports.reviews.negative'),
              numeric: true,
              render: (x) => fmtInt(x.negative),
              total: fmtInt(r.total.negative),
            },
            {
              key: 'share',
              header: t('reports.reviews.negativeShare'),
              numeric: true,
              render: (x) => fmtPercent(x.negativeShare),
              total: fmtPercent(r.total.negativeShare),
            },
          ]}
        />
      )}
      chart={(r) => <ReviewsChart report={r} phone={Boolean(phone)} month={month} />}
    />
  );
}

function ReviewsChart({ report, phone, month }: { report: ReviewsReport; phone: boolean; month: (m: string) => string }) {
  const { t } = useTranslation();
  const option = useMemo(
    () =>
      barOption({
        categories: report.rows.map((x) => month(x.month)),
        series: [
          { name: t('reports.reviews.positive'), data: report.rows.map((x) => x.positive), color: '#2f9e44' },
          { name: t('reports.reviews.neutral'), data: report.rows.map((x) => x.neutral), color: '#adb5bd' },
          { name: t('reports.reviews.negative'), data: report.rows.map((x) => x.negative), color: '#e03131' },
          {
            name: t('reports.reviews.negativeShare'),
            data: report.rows.map((x) => x.negativeShare),
            line: true,
            rightAxis: true,
            color: '#a61e4d',
          },
        ],
        format: fmtInt,
        short: fmtInt,
        integer: true,
        rightFormat: fmtPercent,
        stacked: true,
        compact: phone,
      }),
    [report, phone, month, t],
  );
  return <EChart option={option} height={phone ? 320 : 380} label={t('reports.reviews.title')} testId="report-chart" />;
}
