import { useMemo } from 'react';
import { Group, Paper, SegmentedControl, Select, Stack, Text, type SelectProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import {
  dimensions,
  measureInfo,
  measures,
  timeDimensions,
  type Dimension,
  type Measure,
  type SalesReport,
  type SalesRow,
} from '../../../../../common/api/reports';
import { useReport } from '../api';
import { barOption, pieOption } from '../charts';
import { DataTable, type Column } from '../DataTable';
import { EChart } from '../EChart';
import { fmtByUnit, fmtByUnitShort } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { StatCard } from '../StatCard';
import { useReportFilters } from '../useReportFilters';

const isMeasure = (v: string | null): v is Measure => v !== null && (measures as readonly string[]).includes(v);
const isDimension = (v: string): v is Dimension => (dimensions as readonly string[]).includes(v);
const isTime = (d: Dimension) => (timeDimensions as readonly string[]).includes(d);

/** Measures whose rows may be summed into a total (ratios and per-product figures may not). */
const additive = (m: Measure, groupBy: Dimension[]) =>
  !['conversion', 'avg_check', 'first_response_minutes'].includes(m) && !groupBy.includes('product');

const MAX_PIVOT_COLUMNS = 16;
type ChartKind = 'bar' | 'pie';

/** «Продажи — конструктор»: a measure split by up to two dimensions, with filters; table (pivot for two) or chart. */
export default function SalesPage() {
  const { t } = useTranslation();
  const f = useReportFilters('month');
  const phone = useMediaQuery('(max-width: 48em)');
  const measureParam = f.param('measure');
  const measure: Measure = isMeasure(measureParam) ? measureParam : 'revenue';
  const groupBy = (f.param('by') ?? 'month').split(',').filter(isDimension).slice(0, 2);
  const chartKind: ChartKind = f.param('chart') === 'pie' ? 'pie' : 'bar';
  const info = measureInfo[measure];

  const query = { ...f.query(), measure, groupBy: groupBy.join(',') || undefined };
  const result = useReport('sales', query);
  const lines = useFilterLines(f);

  const measureData = measures.map((m) => ({ value: m, label: t(`reports.measures.${m}`) }));
  const dimensionData = (exclude?: Dimension) =>
    dimensions.filter((d) => d !== exclude).map((d) => ({ value: d, label: t(`reports.dimensions.${d}`) }));
  /** Dimensions the measure cannot be split by stay selectable (the server explains why) but are marked. */
  const renderDimension: SelectProps['renderOption'] = ({ option }) => (
    <Group gap={6} wrap="nowrap">
      <span>{option.label}</span>
      {info.dimensions.includes(option.value as Dimension) ? null : (
        <Text span size="xs" c="dimmed">
          — {t('reports.sales.unsupported')}
        </Text>
      )}
    </Group>
  );
  const setGroupBy = (first: string | null, second: string | null) => {
    const list = [first, second].filter((d): d is Dimension => Boolean(d) && isDimension(d!));
    f.set({ by: [...new Set(list)].join(',') || 'none' });
  };
  const groupByText = groupBy.map((d) => t(`reports.dimensions.${d}`)).join(' × ');

  const controls = (
    <Group gap="sm" align="flex-end" wrap="wrap" className="vr-no-print" data-testid="sales-builder">
      <Select
        label={t('reports.sales.measure')}
        data={measureData}
        value={measure}
        onChange={(value) => f.set({ measure: value })}
        w={{ base: '100%', xs: 230 }}
      />
      <Select
        label={t('reports.sales.groupBy1')}
        placeholder={t('reports.sales.noGrouping')}
        data={dimensionData(groupBy[1])}
        renderOption={renderDimension}
        value={groupBy[0] ?? null}
        onChange={(value) => setGroupBy(value, value ? (groupBy[1] ?? null) : null)}
        clearable
        allowDeselect
        w={{ base: '100%', xs: 200 }}
      />
      <Select
        label={t('reports.sales.groupBy2')}
        placeholder={t('reports.sales.noGrouping')}
        data={dimensionData(groupBy[0])}
        renderOption={renderDimension}
        value={groupBy[1] ?? null}
        onChange={(value) => setGroupBy(groupBy[0] ?? value, groupBy[0] ? value : null)}
        clearable
        allowDeselect
        disabled={!groupBy[0]}
        w={{ base: '100%', xs: 200 }}
      />
    </Group>
  );

  return (
    <ReportLayout
      kind="sales"
      title={t('reports.sales.title')}
      description={t('reports.sales.description')}
      f={f}
      filters={
        <Stack gap="sm">
          {controls}
          <ReportFiltersBar f={f} />
        </Stack>
      }
      printLines={[
        `${t('reports.sales.measure')}: ${t(`reports.measures.${measure}`)}${groupByText ? ` · ${t('reports.sales.groupedBy')}: ${groupByText}` : ''}`,
        ...lines,
        `${t('reports.sales.basis')}: ${t(`reports.basis.${measure}`)}`,
      ]}
      exportQuery={query}
      result={result}
      badRequestHint={t('reports.sales.badCombination')}
      isEmpty={(r) => r.groupBy.length > 0 && r.rows.length === 0}
      summary={(r) => (
        <Group gap="sm" grow preventGrowOverflow={false}>
          <StatCard
            label={`${t(`reports.measures.${r.measure}`)} · ${t('reports.sales.totalForPeriod')}`}
            value={fmtByUnit(r.unit, r.total)}
            hint={`${t('reports.sales.basis')}: ${t(`reports.basis.${r.measure}`)}`}
          />
        </Group>
      )}
      table={(r) => (r.groupBy.length ? <SalesTable report={r} /> : null)}
      chart={
        groupBy.length
          ? (r) => (
              <Stack gap="xs">
                {r.groupBy.length === 1 && !isTime(r.groupBy[0]) && additive(r.measure, r.groupBy) ? (
                  <Group justify="flex-end" className="vr-no-print">
                    <SegmentedControl
                      size="xs"
                      value={chartKind}
                      onChange={(value) => f.set({ chart: value === 'pie' ? 'pie' : null })}
                      data={[
                        { value: 'bar', label: t('reports.sales.chartBars') },
                        { value: 'pie', label: t('reports.sales.chartShares') },
                      ]}
                    />
                  </Group>
                ) : null}
                <SalesChart report={r} kind={chartKind} phone={Boolean(phone)} />
              </Stack>
            )
          : undefined
      }
    />
  );
}

function label(row: SalesRow, dim: Dimension): string {
  return String(row[`${dim}Label`] ?? row[dim] ?? '—');
}
function key(row: SalesRow, dim: Dimension): string {
  return String(row[dim] ?? '');
}

/** Rows × columns of a two-dimension report: the non-time dimension down, the time one across. */
function pivot(report: SalesReport) {
  let [rowDim, colDim] = report.groupBy;
  if (isTime(rowDim) && !isTime(colDim)) [rowDim, colDim] = [colDim, rowDim];
  const cols: { key: string; label: string }[] = [];
  const rows: { key: string; label: string; cells: Map<string, number | null> }[] = [];
  const colSeen = new Set<string>();
  const rowIndex = new Map<string, (typeof rows)[number]>();
  for (const r of report.rows) {
    const c = key(r, colDim);
    if (!colSeen.has(c)) {
      colSeen.add(c);
      cols.push({ key: c, label: label(r, colDim) });
    }
    const k = key(r, rowDim);
    let row = rowIndex.get(k);
    if (!row) {
      row = { key: k, label: label(r, rowDim), cells: new Map() };
      rowIndex.set(k, row);
      rows.push(row);
    }
    row.cells.set(c, r.value as number | null);
  }
  if (isTime(colDim)) cols.sort((a, b) => a.key.localeCompare(b.key));
  return { rowDim, colDim, cols, rows };
}

function SalesTable({ report }: { report: SalesReport }) {
  const { t } = useTranslation();
  const unit = report.unit;
  const sum = additive(report.measure, report.groupBy);
  const valueHeader = t(`reports.measures.${report.measure}`);

  if (report.groupBy.length === 2) {
    const p = pivot(report);
    if (p.cols.length <= MAX_PIVOT_COLUMNS) {
      type PivotRow = (typeof p.rows)[number];
      const columns: Column<PivotRow>[] = [
        {
          key: 'label',
          header: `${t(`reports.dimensions.${p.rowDim}`)} \\ ${t(`reports.dimensions.${p.colDim}`)}`,
          render: (r) => r.label,
        },
        ...p.cols.map((c) => ({
          key: `c-${c.key}`,
          header: c.label,
          numeric: true,
          render: (r: PivotRow) => fmtByUnit(unit, r.cells.get(c.key) ?? (sum ? 0 : null)),
          total: sum
            ? fmtByUnit(
                unit,
                p.rows.reduce((s, r) => s + (r.cells.get(c.key) ?? 0), 0),
              )
            : undefined,
        })),
      ];
      if (sum) {
        columns.push({
          key: 'sum',
          header: t('reports.total'),
          numeric: true,
          render: (r) => (
            <b>
              {fmtByUnit(
                unit,
                [...r.cells.values()].reduce<number>((s, v) => s + (v ?? 0), 0),
              )}
            </b>
          ),
          total: fmtByUnit(unit, report.total),
        });
      }
      return (
        <DataTable
          testId="sales-table"
          rows={p.rows}
          rowKey={(r) => r.key}
          columns={columns}
          totals={sum}
          minWidth={Math.max(560, 160 + p.cols.length * 120)}
        />
      );
    }
  }

  const columns: Column<SalesRow>[] = report.groupBy.map((d) => ({
    key: d,
    header: t(`reports.dimensions.${d}`),
    render: (r: SalesRow) => label(r, d),
  }));
  columns.push({
    key: 'value',
    header: valueHeader,
    numeric: true,
    render: (r) => fmtByUnit(unit, r.value as number | null),
    total: fmtByUnit(unit, report.total),
  });
  if (sum && report.groupBy.length === 1 && !isTime(report.groupBy[0]) && (report.total ?? 0) > 0) {
    columns.push({
      key: 'share',
      header: t('reports.share'),
      numeric: true,
      render: (r) => fmtByUnit('percent', ((r.value as number) * 100) / (report.total || 1)),
    });
  }
  return (
    <DataTable
      testId="sales-table"
      rows={report.rows}
      rowKey={(r, i) => report.groupBy.map((d) => key(r, d)).join('|') || String(i)}
      columns={columns}
      totals
      totalLabel={sum ? t('reports.total') : t('reports.sales.overall')}
      minWidth={report.groupBy.length * 180 + 180}
    />
  );
}

function SalesChart({ report, kind, phone }: { report: SalesReport; kind: ChartKind; phone: boolean }) {
  const { t } = useTranslation();
  const unit = report.unit;
  const format = (v: number | null | undefined) => fmtByUnit(unit, v);
  const short = (v: number | null | undefined) => fmtByUnitShort(unit, v);
  const sum = additive(report.measure, report.groupBy);
  const name = t(`reports.measures.${report.measure}`);
  const integer = unit === 'count';

  const { option, height } = useMemo(() => {
    if (report.groupBy.length === 1) {
      const d = report.groupBy[0];
      const categories = report.rows.map((r) => label(r, d));
      const values = report.rows.map((r) => r.value as number | null);
      if (kind === 'pie' && sum && !isTime(d)) {
        return {
          option: pieOption({
            data: report.rows.map((r) => ({ name: label(r, d), value: (r.value as number) ?? 0 })),
            format,
            compact: phone,
          }),
          height: phone ? 340 : 380,
        };
      }
      if (isTime(d)) {
        return {
          option: barOption({
            categories,
            series: [{ name, data: values }],
            format,
            short,
            integer,
            asLine: categories.length > 14,
            area: true,
            labels: categories.length <= 12 && !phone,
          }),
          height: phone ? 280 : 360,
        };
      }
      return {
        option: barOption({
          categories,
          series: [{ name, data: values }],
          format,
          short,
          integer,
          horizontal: true,
          labels: true,
          compact: phone,
        }),
        height: Math.max(220, categories.length * 30 + 60),
      };
    }
    const p = pivot(report);
    const timeAcross = isTime(p.colDim);
    // x: the time dimension (or the first); series: the other, at most 10 (the largest)
    const xs = timeAcross ? p.cols : p.rows.map((r) => ({ key: r.key, label: r.label }));
    const seriesSource = timeAcross
      ? p.rows.map((r) => ({ name: r.label, data: xs.map((x) => r.cells.get(x.key) ?? (sum ? 0 : null)) }))
      : p.cols.map((c) => ({
          name: c.label,
          data: xs.map((x) => p.rows.find((r) => r.key === x.key)?.cells.get(c.key) ?? (sum ? 0 : null)),
        }));
    const total = (s: { data: (number | null)[] }) => s.data.reduce<number>((a, v) => a + (v ?? 0), 0);
    const series = [...seriesSource].sort((a, b) => total(b) - total(a)).slice(0, 10);
    return {
      option: barOption({
        categories: xs.map((x) => x.label),
        series,
        format,
        short,
        stacked: sum,
        integer,
        asLine: !sum && timeAcross,
        horizontal: !timeAcross,
        compact: phone,
      }),
      height: timeAcross ? (phone ? 320 : 400) : Math.max(260, xs.length * 30 + 90),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- formatters follow `unit`
  }, [report, kind, phone, sum, name]);

  if (!report.rows.length) {
    return (
      <Paper p="lg">
        <Text c="dimmed">{t('reports.empty')}</Text>
      </Paper>
    );
  }
  return <EChart option={option} height={height} label={name} testId="report-chart" />;
}
