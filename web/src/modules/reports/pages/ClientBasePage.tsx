import { useMemo } from 'react';
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ClientBaseReport } from '../../../../../common/api/reports';
import { useReport } from '../api';
import { barOption, pieOption } from '../charts';
import { DataTable } from '../DataTable';
import { EChart } from '../EChart';
import { fmtDate, fmtInt, fmtMoney, fmtMoneyShort, fmtNumber, fmtPercent } from '../format';
import { ReportFiltersBar, useFilterLines } from '../ReportFiltersBar';
import { ReportLayout } from '../ReportLayout';
import { StatCard } from '../StatCard';
import { useReportFilters } from '../useReportFilters';

const SEGMENTS = ['new', 'active', 'sleeping', 'lost', 'noPurchases'] as const;
const SEGMENT_COLORS: Record<(typeof SEGMENTS)[number], string> = {
  new: '#1098ad',
  active: '#2f9e44',
  sleeping: '#f08c00',
  lost: '#e03131',
  noPurchases: '#adb5bd',
};

/** «Клиентская база»: ABC by revenue, XYZ by regularity, new / active / sleeping / lost, and the churn-risk list. */
export default function ClientBasePage() {
  const { t } = useTranslation();
  const f = useReportFilters('year');
  const phone = useMediaQuery('(max-width: 48em)');
  const query = f.query(false);
  const result = useReport('client-base', query);
  const lines = useFilterLines(f, { pipeline: false });

  return (
    <ReportLayout
      kind="client-base"
      title={t('reports.clientBase.title')}
      description={t('reports.clientBase.description')}
      f={f}
      filters={<ReportFiltersBar f={f} pipeline={false} />}
      printLines={lines}
      exportQuery={query}
      result={result}
      isEmpty={(r) => SEGMENTS.every((s) => r.segments[s] === 0)}
      emptyText={t('reports.clientBase.empty')}
      summary={(r) => (
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
          {SEGMENTS.map((s) => (
            <StatCard
              key={s}
              label={t(`reports.clientBase.segments.${s}`)}
              value={fmtInt(r.segments[s])}
              color={s === 'lost' && r.segments.lost > 0 ? 'red' : undefined}
            />
          ))}
        </SimpleGrid>
      )}
      table={(r) => <ClientBaseTables report={r} />}
      chart={(r) => <ClientBaseCharts report={r} phone={Boolean(phone)} />}
    />
  );
}

function ClientBaseTables({ report }: { report: ClientBaseReport }) {
  const { t } = useTranslation();
  const abcTotal = report.abc.reduce((s, x) => ({ clients: s.clients + x.clients, revenue: s.revenue + x.revenue }), {
    clients: 0,
    revenue: 0,
  });
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <DataTable
          testId="abc-table"
          caption={t('reports.clientBase.abc')}
          rows={report.abc}
          rowKey={(x) => x.class}
          totals
          minWidth={340}
          columns={[
            {
              key: 'class',
              header: t('reports.clientBase.class'),
              render: (x) => (
                <Tooltip label={t(`reports.clientBase.abcHint.${x.class}`)}>
                  <Badge variant="light">{x.class}</Badge>
                </Tooltip>
              ),
            },
            {
              key: 'clients',
              header: t('reports.clientBase.clients'),
              numeric: true,
              render: (x) => fmtInt(x.clients),
              total: fmtInt(abcTotal.clients),
            },
            {
              key: 'revenue',
              header: t('reports.clientBase.revenue'),
              numeric: true,
              render: (x) => fmtMoney(x.revenue),
              total: fmtMoney(abcTotal.revenue),
            },
            {
              key: 'share',
              header: t('reports.share'),
              numeric: true,
              render: (x) => fmtPercent(x.share),
              total: abcTotal.revenue ? fmtPercent(100) : '—',
            },
          ]}
        />
        <DataTable
          testId="xyz-table"
          caption={t('reports.clientBase.xyz')}
          rows={report.xyz}
          rowKey={(x) => x.class}
          minWidth={300}
          columns={[
            {
              key: 'class',
              header: t('reports.clientBase.class'),
              render: (x) => (
                <Tooltip label={t(`reports.clientBase.xyzHint.${x.class}`)}>
                  <Badge variant="light" color="grape">
                    {x.class}
                  </Badge>
                </Tooltip>
              ),
            },
            { key: 'clients', header: t('reports.clientBase.clients'), numeric: true, render: (x) => fmtInt(x.clients) },
            { key: 'revenue', header: t('reports.clientBase.revenue'), numeric: true, render: (x) => fmtMoney(x.revenue) },
          ]}
        />
      </SimpleGrid>
      <AbcXyzMatrix report={report} />
      <DataTable
        testId="churn-table"
        caption={`${t('reports.clientBase.churn')} · ${fmtInt(report.churnRisk.count)}`}
        rows={report.churnRisk.items}
        rowKey={(x) => x.clientId}
        minWidth={760}
        columns={[
          {
            key: 'name',
            header: t('reports.clientBase.client'),
            render: (x) => (
              <Anchor component={Link} to={`/clients/${encodeURIComponent(x.clientId)}`} size="sm">
                {x.name}
              </Anchor>
            ),
          },
          { key: 'last', header: t('reports.clientBase.lastPurchase'), numeric: true, render: (x) => fmtDate(x.lastPurchase) },
          { key: 'purchases', header: t('reports.clientBase.purchases'), numeric: true, render: (x) => fmtInt(x.purchases) },
          { key: 'interval', header: t('reports.clientBase.interval'), numeric: true, render: (x) => fmtNumber(x.avgIntervalDays, 1) },
          {
            key: 'since',
            header: t('reports.clientBase.since'),
            numeric: true,
            render: (x) => (
              <Text span c={x.daysSinceLast > x.avgIntervalDays * 2 ? 'red' : 'orange'} fw={600} inherit>
                {fmtInt(x.daysSinceLast)}
              </Text>
            ),
          },
          { key: 'revenue', header: t('reports.clientBase.revenueAll'), numeric: true, render: (x) => fmtMoney(x.revenue) },
        ]}
      />
      {report.churnRisk.items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('reports.clientBase.noChurn')}
        </Text>
      ) : null}
    </Stack>
  );
}

function AbcXyzMatrix({ report }: { report: ClientBaseReport }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...Object.values(report.matrix));
  return (
    <Paper p="md" radius="md">
      <Text fw={600} mb="xs">
        {t('reports.clientBase.matrix')}
      </Text>
      <Table withColumnBorders withTableBorder={false} fz="sm" maw={420} data-testid="abc-xyz-matrix">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {['X', 'Y', 'Z'].map((x) => (
              <Table.Th key={x} ta="center">
                {x}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {['A', 'B', 'C'].map((a) => (
            <Table.Tr key={a}>
              <Table.Th>{a}</Table.Th>
              {['X', 'Y', 'Z'].map((x) => {
                const v = report.matrix[a + x] ?? 0;
                return (
                  <Table.Td
                    key={x}
                    ta="center"
                    style={{
                      background: v ? `rgba(41, 83, 174, ${0.08 + (0.5 * v) / max})` : undefined,
                      fontVariantNumeric: 'tabular-nums',
                    }}
                  >
                    {fmtInt(v)}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        {t('reports.clientBase.matrixHint')}
      </Text>
    </Paper>
  );
}

function ClientBaseCharts({ report, phone }: { report: ClientBaseReport; phone: boolean }) {
  const { t } = useTranslation();
  const total = SEGMENTS.reduce((s, k) => s + report.segments[k], 0);
  const segments = useMemo(
    () =>
      pieOption({
        data: SEGMENTS.map((s) => ({ name: t(`reports.clientBase.segments.${s}`), value: report.segments[s], color: SEGMENT_COLORS[s] })),
        format: fmtInt,
        compact: phone,
        center: fmtInt(total),
      }),
    [report, phone, t, total],
  );
  const abc = useMemo(
    () =>
      barOption({
        categories: report.abc.map((x) => x.class),
        series: [{ name: t('reports.clientBase.revenue'), data: report.abc.map((x) => x.revenue) }],
        format: fmtMoney,
        short: fmtMoneyShort,
        labels: true,
      }),
    [report, t],
  );
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap={4}>
          <Text fw={600}>{t('reports.clientBase.segmentsTitle')}</Text>
          <EChart option={segments} height={340} label={t('reports.clientBase.segmentsTitle')} testId="report-chart" />
        </Stack>
        <Stack gap={4}>
          <Text fw={600}>{t('reports.clientBase.abc')}</Text>
          <EChart option={abc} height={300} label={t('reports.clientBase.abc')} />
          <Group gap="xs">
            {report.abc.map((x) => (
              <Badge key={x.class} variant="light">
                {x.class}: {fmtInt(x.clients)} · {fmtPercent(x.share)}
              </Badge>
            ))}
          </Group>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
