import { useMemo } from 'react';
import { Alert, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { measureInfo, measures, type CorrelationReport, type Measure } from '../../../../../common/api/reports';
import { useReport } from '../api';
import { scatterOption } from '../charts';
import { DataTable } from '../DataTable';
import { EChart } from '../EChart';
import { fmtByUnit, fmtByUnitShort, fmtNumber } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { StatCard } from '../StatCard';
import { useReportFilters } from '../useReportFilters';

const isMeasure = (v: string | null): v is Measure => v !== null && (measures as readonly string[]).includes(v);

/** How strong a correlation reads: |r| ≥ 0,7 strong, ≥ 0,4 moderate, ≥ 0,2 weak, else none. */
export function strengthKey(r: number | null): string {
  if (r === null) return 'none';
  const a = Math.abs(r);
  if (a >= 0.7) return 'strong';
  if (a >= 0.4) return 'moderate';
  if (a >= 0.2) return 'weak';
  return 'none';
}

const coef = (v: number | null) => fmtNumber(v === null ? null : Math.round(v * 1000) / 1000, 2);

/** The fitted line in the units people read: money in roubles (the wire carries kopecks). */
export function lineInUnits(r: Pick<CorrelationReport, 'x' | 'y' | 'slope' | 'intercept'>): {
  slope: number | null;
  intercept: number | null;
} {
  const xk = measureInfo[r.x].unit === 'money' ? 0.01 : 1;
  const yk = measureInfo[r.y].unit === 'money' ? 0.01 : 1;
  return { slope: r.slope === null ? null : (r.slope * yk) / xk, intercept: r.intercept === null ? null : r.intercept * yk };
}

/** «Корреляция»: two measures by manager or by month — Pearson r, R² and the fitted line y = a·x + b. */
export default function CorrelationPage() {
  const { t } = useTranslation();
  const f = useReportFilters('year');
  const phone = useMediaQuery('(max-width: 48em)');
  const xParam = f.param('x');
  const yParam = f.param('y');
  const x: Measure = isMeasure(xParam) ? xParam : 'tasks_done';
  const y: Measure = isMeasure(yParam) ? yParam : 'revenue';
  const by = f.param('by') === 'month' ? 'month' : 'manager';
  const query = { ...f.query(), x, y, by };
  const result = useReport('correlation', query);
  const lines = useFilterLines(f);
  const measureData = measures.map((m) => ({ value: m, label: t(`reports.measures.${m}`) }));
  const xName = t(`reports.measures.${x}`);
  const yName = t(`reports.measures.${y}`);

  const slopeText = (r: CorrelationReport) => {
    if (r.slope === null || r.intercept === null) return '—';
    const xu = measureInfo[r.x].unit;
    const yu = measureInfo[r.y].unit;
    return t('reports.correlation.slopeText', {
      slope: fmtNumber(lineInUnits(r).slope),
      yUnit: yu === 'money' ? '₽' : t(`reports.correlation.units.${yu}`),
      xUnit: xu === 'money' ? t('reports.correlation.perRuble') : t(`reports.correlation.per.${xu}`),
    });
  };

  return (
    <ReportLayout
      kind="correlation"
      title={t('reports.correlation.title')}
      description={t('reports.correlation.description')}
      f={f}
      filters={
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap" className="vr-no-print">
            <Select
              label={t('reports.correlation.x')}
              data={measureData}
              value={x}
              onChange={(v) => f.set({ x: v })}
              w={{ base: '100%', xs: 230 }}
            />
            <Select
              label={t('reports.correlation.y')}
              data={measureData}
              value={y}
              onChange={(v) => f.set({ y: v })}
              w={{ base: '100%', xs: 230 }}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('reports.correlation.by')}
              </Text>
              <SegmentedControl
                value={by}
                onChange={(v) => f.set({ by: v === 'month' ? 'month' : null })}
                data={[
                  { value: 'manager', label: t('reports.dimensions.manager') },
                  { value: 'month', label: t('reports.dimensions.month') },
                ]}
              />
            </Stack>
          </Group>
          <ReportFiltersBar f={f} />
        </Stack>
      }
      printLines={[`${t('reports.correlation.x')}: ${xName} · ${t('reports.correlation.y')}: ${yName}`, ...lines]}
      exportQuery={query}
      result={result}
      isEmpty={(r) => r.points.length === 0}
      summary={(r) => (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <StatCard label={t('reports.correlation.r')} value={coef(r.r)} hint={t(`reports.correlation.strength.${strengthKey(r.r)}`)} />
            <StatCard
              label={t('reports.correlation.r2')}
              value={coef(r.r2)}
              hint={r.r2 === null ? undefined : t('reports.correlation.r2Hint', { pct: fmtNumber(r.r2 * 100, 1) })}
            />
            <StatCard
              label={t('reports.correlation.line')}
              wrap
              value={(() => {
                const line = lineInUnits(r);
                if (line.slope === null || line.intercept === null) return '—';
                return `y = ${coef(line.slope)}·x ${line.intercept < 0 ? '−' : '+'} ${coef(Math.abs(line.intercept))}`;
              })()}
              hint={
                [
                  measureInfo[r.x].unit === 'money' ? t('reports.correlation.xInRub') : null,
                  measureInfo[r.y].unit === 'money' ? t('reports.correlation.yInRub') : null,
                ]
                  .filter(Boolean)
                  .join(', ') || undefined
              }
            />
            <StatCard label={t('reports.correlation.points')} value={String(r.n)} />
          </SimpleGrid>
          {r.n < 3 ? (
            <Alert color="yellow" icon={<IconInfoCircle size={18} />}>
              {t('reports.correlation.fewPoints')}
            </Alert>
          ) : (
            <Paper p="sm" radius="md" bg="gray.0">
              <Text size="sm">
                {r.r === null
                  ? t('reports.correlation.noVariation')
                  : strengthKey(r.r) === 'none'
                    ? t('reports.correlation.noRelation')
                    : t('reports.correlation.reading', {
                        strength: t(`reports.correlation.strength.${strengthKey(r.r)}`).toLowerCase(),
                        direction: t(`reports.correlation.direction.${(r.r ?? 0) >= 0 ? 'up' : 'down'}`),
                        x: xName,
                        y: yName,
                      })}{' '}
                {r.slope !== null && strengthKey(r.r) !== 'none' ? slopeText(r) : null}
              </Text>
            </Paper>
          )}
        </Stack>
      )}
      table={(r) => (
        <DataTable
          testId="correlation-table"
          rows={r.points}
          rowKey={(p, i) => p.key ?? `none-${i}`}
          minWidth={480}
          columns={[
            {
              key: 'label',
              header: r.by === 'manager' ? t('reports.dimensions.manager') : t('reports.dimensions.month'),
              render: (p) => p.label,
            },
            { key: 'x', header: `x: ${t(`reports.measures.${r.x}`)}`, numeric: true, render: (p) => fmtByUnit(measureInfo[r.x].unit, p.x) },
            { key: 'y', header: `y: ${t(`reports.measures.${r.y}`)}`, numeric: true, render: (p) => fmtByUnit(measureInfo[r.y].unit, p.y) },
            {
              key: 'fit',
              header: t('reports.correlation.fitted'),
              numeric: true,
              render: (p) =>
                r.slope === null || r.intercept === null ? '—' : fmtByUnit(measureInfo[r.y].unit, r.slope * p.x + r.intercept),
            },
          ]}
        />
      )}
      chart={(r) => <CorrelationChart report={r} phone={Boolean(phone)} />}
    />
  );
}

function CorrelationChart({ report, phone }: { report: CorrelationReport; phone: boolean }) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    const xu = measureInfo[report.x].unit;
    const yu = measureInfo[report.y].unit;
    return scatterOption({
      points: report.points,
      slope: report.slope,
      intercept: report.intercept,
      xName: t(`reports.measures.${report.x}`),
      yName: t(`reports.measures.${report.y}`),
      xFormat: (v) => fmtByUnit(xu, v),
      yFormat: (v) => fmtByUnit(yu, v),
      xShort: (v) => fmtByUnitShort(xu, v),
      yShort: (v) => fmtByUnitShort(yu, v),
      lineName: t('reports.correlation.lineLegend', { r: coef(report.r), r2: coef(report.r2) }),
      xInteger: xu === 'count',
      yInteger: yu === 'count',
    });
  }, [report, t]);
  return <EChart option={option} height={phone ? 340 : 440} label={t('reports.correlation.title')} testId="report-chart" />;
}
