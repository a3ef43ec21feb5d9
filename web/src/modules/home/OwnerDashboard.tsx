import { useMemo } from 'react';
import { Button, Group, Progress, RingProgress, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlarm, IconCash, IconClockExclamation, IconMoodSad, IconTargetArrow, IconBriefcase } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryError } from '../../ui/QueryError';
import { useReport } from '../reports/api';
import { barOption, funnelOption } from '../reports/charts';
import { EChart } from '../reports/EChart';
import { fmtInt, fmtMoney, fmtMoneyShort, fmtPercent, fmtShare } from '../reports/format';
import '../reports/i18n';
import { isoDate, monthEnd, monthOf } from '../reports/period';
import { paceColor } from '../reports/pace';
import type { PlanFactReport } from '../../../../common/api/reports';
import { countText, useOverdueLeads, useOverdueTasks, useReviewsSummary } from './api';
import './i18n';
import { DashCard, MetricCard } from './widgets';

/** «Главная» of the owner, an admin, a head: the month against plan, the funnel, managers, what is overdue, reviews. */
export default function OwnerDashboard() {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const today = new Date();
  const period = monthOf(today);
  const from = `${period}-01`;
  const to = isoDate(today);

  const planFact = useReport('plan-fact', { period });
  const byManager = useReport('sales', { measure: 'revenue', groupBy: 'manager', from, to });
  const funnel = useReport('funnel', { from, to });
  const overdueTasks = useOverdueTasks();
  const overdueLeads = useOverdueLeads();
  const reviews = useReviewsSummary(from, monthEnd(period));

  const firstStage = funnel.data?.stages[0];
  const wonStage = funnel.data?.stages.find((s) => s.code === 'won');
  const negative = reviews.data;

  return (
    <Stack gap="md" data-testid="owner-dashboard">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
        <MetricCard
          label={t('dashboard.revenueMonth')}
          value={fmtMoneyShort(byManager.data?.total ?? 0)}
          hint={byManager.data ? fmtMoney(byManager.data.total ?? 0) : undefined}
          icon={IconCash}
          color="green"
          loading={byManager.isPending}
          to="/reports/sales?measure=revenue&by=day"
          testId="metric-revenue"
        />
        <MetricCard
          label={t('dashboard.dealsCreated')}
          value={fmtInt(firstStage?.count ?? 0)}
          hint={wonStage ? t('dashboard.dealsWonHint', { count: wonStage.count }) : undefined}
          icon={IconBriefcase}
          loading={funnel.isPending}
          to="/reports/funnel"
          testId="metric-deals"
        />
        <MetricCard
          label={t('dashboard.overdueTasks')}
          value={countText(overdueTasks.data)}
          icon={IconAlarm}
          color={overdueTasks.data?.count ? 'red' : 'gray'}
          loading={overdueTasks.isPending}
          to="/tasks?tab=overdue&assignee=all"
          testId="metric-overdue-tasks"
        />
        <MetricCard
          label={t('dashboard.overdueLeads')}
          value={countText(overdueLeads.data)}
          hint={t('dashboard.overdueLeadsHint')}
          icon={IconClockExclamation}
          color={overdueLeads.data?.count ? 'orange' : 'gray'}
          loading={overdueLeads.isPending}
          to="/leads?tab=overdue"
          testId="metric-overdue-leads"
        />
        <MetricCard
          label={t('dashboard.negativeReviews')}
          value={negative && negative.count ? fmtShare(negative.negativeShare) : '—'}
          hint={
            negative
              ? negative.count
                ? t('dashboard.negativeHint', { negative: negative.bySentiment.negative, count: negative.count })
                : t('dashboard.noReviews')
              : undefined
          }
          icon={IconMoodSad}
          color={negative && negative.negativeShare > 0.2 ? 'red' : 'gray'}
          loading={reviews.isPending && !reviews.isError}
          to="/reviews?sentiment=negative"
          testId="metric-negative-reviews"
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <DashCard title={t('dashboard.planTitle')} link="/reports/plan-fact" linkLabel={t('dashboard.openPlans')} testId="dash-plan">
          {planFact.isPending ? (
            <Skeleton h={160} />
          ) : planFact.error ? (
            <QueryError error={planFact.error} onRetry={() => void planFact.refetch()} />
          ) : (
            <PlanRing report={planFact.data!} />
          )}
        </DashCard>
        <DashCard title={t('dashboard.funnelTitle')} link="/reports/funnel" linkLabel={t('dashboard.more')} testId="dash-funnel">
          {funnel.isPending ? (
            <Skeleton h={220} />
          ) : funnel.error ? (
            <QueryError error={funnel.error} onRetry={() => void funnel.refetch()} />
          ) : (funnel.data?.stages[0]?.count ?? 0) === 0 ? (
            <Text c="dimmed" size="sm">
              {t('dashboard.funnelEmpty')}
            </Text>
          ) : (
            <SmallFunnel stages={funnel.data!.stages} phone={Boolean(phone)} />
          )}
        </DashCard>
      </SimpleGrid>

      <DashCard
        title={t('dashboard.managersTitle')}
        link="/reports/sales?measure=revenue&by=manager"
        linkLabel={t('dashboard.more')}
        testId="dash-managers"
      >
        {byManager.isPending ? (
          <Skeleton h={200} />
        ) : byManager.error ? (
          <QueryError error={byManager.error} onRetry={() => void byManager.refetch()} />
        ) : (byManager.data?.rows.length ?? 0) === 0 ? (
          <Text c="dimmed" size="sm">
            {t('dashboard.managersEmpty')}
          </Text>
        ) : (
          <ManagersChart
            rows={byManager.data!.rows.map((r) => ({ name: String(r.managerLabel ?? '—'), value: Number(r.value ?? 0) }))}
            phone={Boolean(phone)}
          />
        )}
      </DashCard>
    </Stack>
  );
}

function PlanRing({ report }: { report: PlanFactReport }) {
  const { t } = useTranslation();
  const rows = report.rows.filter((r) => r.metric === 'revenue');
  if (!rows.length) {
    return (
      <Stack gap="sm" align="flex-start">
        <Text c="dimmed" size="sm">
          {t('dashboard.noPlans')}
        </Text>
        <Button component={Link} to="/reports/plan-fact" variant="light" size="xs" leftSection={<IconTargetArrow size={16} />}>
          {t('dashboard.setPlans')}
        </Button>
      </Stack>
    );
  }
  const target = rows.reduce((s, r) => s + r.target, 0);
  const fact = rows.reduce((s, r) => s + r.fact, 0);
  const forecast = rows.reduce((s, r) => s + r.forecast, 0);
  const percent = target > 0 ? (fact * 100) / target : null;
  const color = paceColor(percent, report.elapsedDays, report.days);
  const ok = forecast >= target;
  const people = [...rows].sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0)).slice(0, 6);
  return (
    <Stack gap="md">
      <Group gap="lg" wrap="nowrap" align="center">
        <RingProgress
          size={140}
          thickness={14}
          roundCaps
          sections={[{ value: Math.min(100, percent ?? 0), color }]}
          label={
            <Text ta="center" fw={700} fz="lg" data-testid="plan-percent">
              {fmtPercent(percent === null ? null : Math.round(percent * 10) / 10)}
            </Text>
          }
        />
        <Stack gap={6} style={{ minWidth: 0 }}>
          <div>
            <Text size="xs" c="dimmed">
              {t('dashboard.fact')}
            </Text>
            <Text fw={700} style={{ whiteSpace: 'nowrap' }}>
              {fmtMoney(fact)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('dashboard.plan')}
            </Text>
            <Text fw={600} style={{ whiteSpace: 'nowrap' }}>
              {fmtMoney(target)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('dashboard.forecast')}
            </Text>
            <Text fw={600} c={ok ? 'green' : 'orange'} style={{ whiteSpace: 'nowrap' }}>
              {fmtMoney(forecast)}
            </Text>
            <Text size="xs" c={ok ? 'green' : 'orange'}>
              {ok ? t('dashboard.forecastOk') : t('dashboard.forecastBehind', { gap: fmtMoney(target - forecast) })}
            </Text>
          </div>
        </Stack>
      </Group>
      <Stack gap={6}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          {t('dashboard.byManager')}
        </Text>
        {people.map((r) => {
          const c = paceColor(r.percent, report.elapsedDays, report.days);
          return (
            <Group key={r.planId} gap="xs" wrap="nowrap" data-testid="dash-plan-row">
              <Text size="sm" style={{ flex: '0 0 38%', minWidth: 0 }} truncate>
                {r.name}
              </Text>
              <Progress value={Math.min(100, r.percent ?? 0)} color={c} size="md" radius="xl" style={{ flex: 1 }} />
              <Text
                size="sm"
                fw={600}
                c={c === 'gray' ? 'dimmed' : c}
                style={{ width: 64, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}
              >
                {fmtPercent(r.percent)}
              </Text>
            </Group>
          );
        })}
      </Stack>
    </Stack>
  );
}

function SmallFunnel({ stages, phone }: { stages: { name: string; count: number }[]; phone: boolean }) {
  const { t } = useTranslation();
  const option = useMemo(
    () => funnelOption({ stages: stages.map((s) => ({ name: s.name, value: s.count })), format: fmtInt, compact: true }),
    [stages],
  );
  return <EChart option={option} height={phone ? 260 : 280} label={t('dashboard.funnelTitle')} testId="dash-funnel-chart" />;
}

function ManagersChart({ rows, phone }: { rows: { name: string; value: number }[]; phone: boolean }) {
  const { t } = useTranslation();
  const top = rows.slice(0, 12);
  const option = useMemo(
    () =>
      barOption({
        categories: top.map((r) => r.name),
        series: [{ name: t('dashboard.revenueMonth'), data: top.map((r) => r.value) }],
        format: fmtMoney,
        short: fmtMoneyShort,
        horizontal: true,
        labels: true,
        compact: phone,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, phone, t],
  );
  return (
    <EChart
      option={option}
      height={Math.max(180, top.length * 34 + 50)}
      label={t('dashboard.managersTitle')}
      testId="dash-managers-chart"
    />
  );
}
