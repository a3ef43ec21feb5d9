import { useMemo } from 'react';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { LossReasonsReport } from '../../../../../common/api/reports';
import { useReport } from '../api';
import { pieOption } from '../charts';
import { DataTable } from '../DataTable';
import { EChart } from '../EChart';
import { fmtInt, fmtMoney, fmtPercent } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { useReportFilters } from '../useReportFilters';

/** «Причины отказа»: deals lost in the period by the refusal reason, with amounts and shares. */
export default function LossReasonsPage() {
  const { t } = useTranslation();
  const f = useReportFilters('quarter');
  const phone = useMediaQuery('(max-width: 48em)');
  const query = f.query();
  const result = useReport('loss-reasons', query);
  const lines = useFilterLines(f);
  return (
    <ReportLayout
      kind="loss-reasons"
      title={t('reports.lossReasons.title')}
      description={t('reports.lossReasons.description')}
      f={f}
      filters={<ReportFiltersBar f={f} />}
      printLines={[...lines, t('reports.lossReasons.description')]}
      exportQuery={query}
      result={result}
      isEmpty={(r) => r.rows.length === 0}
      emptyText={t('reports.lossReasons.empty')}
      table={(r) => (
        <DataTable
          testId="loss-reasons-table"
          rows={r.rows}
          rowKey={(x, i) => x.reasonId ?? `none-${i}`}
          totals
          minWidth={480}
          columns={[
            { key: 'name', header: t('reports.lossReasons.reason'), render: (x) => x.name },
            {
              key: 'count',
              header: t('reports.funnel.deals'),
              numeric: true,
              render: (x) => fmtInt(x.count),
              total: fmtInt(r.total.count),
            },
            {
              key: 'amount',
              header: t('reports.funnel.amount'),
              numeric: true,
              render: (x) => fmtMoney(x.amount),
              total: fmtMoney(r.total.amount),
            },
            { key: 'share', header: t('reports.share'), numeric: true, render: (x) => fmtPercent(x.share), total: fmtPercent(100) },
          ]}
        />
      )}
      chart={(r) => <LossChart report={r} phone={Boolean(phone)} />}
    />
  );
}

function LossChart({ report, phone }: { report: LossReasonsReport; phone: boolean }) {
  const { t } = useTranslation();
  const option = useMemo(
    () =>
      pieOption({
        data: report.rows.map((x) => ({ name: x.name, value: x.count })),
        format: fmtInt,
        compact: phone,
        center: fmtInt(report.total.count),
      }),
    [report, phone],
  );
  return <EChart option={option} height={phone ? 340 : 400} label={t('reports.lossReasons.title')} testId="report-chart" />;
}
