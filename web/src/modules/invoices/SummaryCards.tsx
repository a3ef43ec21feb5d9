import { useMemo } from 'react';
import { Grid, Paper, SimpleGrid, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InvoicesSummary } from './api';
import { EChart } from './EChart';
import { formatMoney } from './format';

const COLORS = { issued: '#868e96', paid: '#2f9e44', waiting: '#1c7ed6', overdue: '#e03131' };

function Card({
  label,
  value,
  note,
  color,
  testId,
  onClick,
  active,
}: {
  label: string;
  value: string;
  note: string;
  color?: string;
  testId: string;
  onClick?: () => void;
  active?: boolean;
}) {
  const body = (
    <Paper
      p="sm"
      radius="md"
      h="100%"
      withBorder
      style={{ borderColor: active ? 'var(--mantine-color-red-5)' : undefined, borderLeft: color ? `4px solid ${color}` : undefined }}
    >
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="lg" className="tabular-nums" data-testid={testId} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {note}
      </Text>
    </Paper>
  );
  return onClick ? (
    <UnstyledButton onClick={onClick} aria-pressed={active} style={{ display: 'block', height: '100%' }}>
      {body}
    </UnstyledButton>
  ) : (
    body
  );
}

/** Выставлено / Оплачено / К оплате / Просрочено over the register's filters, with a donut of where the money is. */
export function SummaryCards({
  summary,
  overdueActive,
  onToggleOverdue,
}: {
  summary: InvoicesSummary | undefined;
  overdueActive: boolean;
  onToggleOverdue: () => void;
}) {
  const { t } = useTranslation();
  const waiting = summary ? Math.max(0, summary.outstanding - summary.overdueAmount) : 0;
  const option = useMemo(
    () =>
      summary
        ? {
            tooltip: { trigger: 'item', valueFormatter: (v: number) => formatMoney(Math.round(v)) },
            legend: { bottom: 0, icon: 'circle', itemWidth: 8, itemHeight: 8, textStyle: { fontSize: 11 } },
            series: [
              {
                type: 'pie',
                radius: ['48%', '72%'],
                center: ['50%', '42%'],
                avoidLabelOverlap: true,
                label: { show: false },
                data: [
                  { name: t('invoices.summary.chartPaid'), value: summary.paid, itemStyle: { color: COLORS.paid } },
                  { name: t('invoices.summary.chartWaiting'), value: waiting, itemStyle: { color: COLORS.waiting } },
                  { name: t('invoices.summary.chartOverdue'), value: summary.overdueAmount, itemStyle: { color: COLORS.overdue } },
                ],
              },
            ],
          }
        : null,
    [summary, waiting, t],
  );

  if (!summary) {
    return (
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} h={78} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  const percent = summary.total > 0 ? Math.round((summary.paid / summary.total) * 100) : 0;
  return (
    <Grid gap="md" mb="md" data-testid="invoice-summary">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <SimpleGrid cols={{ base: 2 }} spacing="sm" h="100%">
          <Card
            label={t('invoices.summary.issued')}
            value={formatMoney(summary.total)}
            note={t('invoices.summary.count', { count: summary.count })}
            color={COLORS.issued}
            testId="summary-total"
          />
          <Card
            label={t('invoices.summary.paid')}
            value={formatMoney(summary.paid)}
            note={t('invoices.summary.paidShare', { percent })}
            color={COLORS.paid}
            testId="summary-paid"
          />
          <Card
            label={t('invoices.summary.outstanding')}
            value={formatMoney(summary.outstanding)}
            note={t('invoices.summary.outstandingNote')}
            color={COLORS.waiting}
            testId="summary-outstanding"
          />
          <Card
            label={t('invoices.summary.overdue')}
            value={formatMoney(summary.overdueAmount)}
            note={summary.overdueCount > 0 ? t('invoices.summary.count', { count: summary.overdueCount }) : t('invoices.summary.noOverdue')}
            color={summary.overdueCount > 0 ? COLORS.overdue : COLORS.issued}
            testId="summary-overdue"
            onClick={onToggleOverdue}
            active={overdueActive}
          />
        </SimpleGrid>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper p="sm" radius="md" withBorder h="100%">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('invoices.summary.chartTitle')}
          </Text>
          {option && summary.total > 0 ? (
            <EChart option={option} height={150} label={t('invoices.summary.chartTitle')} />
          ) : (
            <Text size="sm" c="dimmed" mt="sm">
              {t('invoices.summary.chartEmpty')}
            </Text>
          )}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
