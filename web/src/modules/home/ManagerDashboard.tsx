import { Anchor, Group, Progress, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlarm, IconCalendarEvent, IconCash, IconInbox } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../auth/useAuth';
import { QueryError } from '../../ui/QueryError';
import { formatDateTimeRu } from '../../../../common/dates';
import { formatPhoneRu } from '../../../../common/phone';
import type { PlanFactReport } from '../../../../common/api/reports';
import { useReport } from '../reports/api';
import { fmtInt, fmtMoney, fmtMoneyShort, fmtPercent } from '../reports/format';
import '../reports/i18n';
import { paceColor } from '../reports/pace';
import { isoDate, monthOf } from '../reports/period';
import { countText, useMyNewLeads, useMyTaskSummary } from './api';
import './i18n';
import { DashCard, MetricCard } from './widgets';

const fmtMetric = (metric: string, value: number) => (metric === 'revenue' ? fmtMoney(value) : fmtInt(value));

/** «Главная» of a sales manager: my plan/fact, my tasks for today and overdue, my new leads, my revenue. */
export default function ManagerDashboard() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const today = new Date();
  const period = monthOf(today);
  const planFact = useReport('plan-fact', { period });
  const revenue = useReport('sales', { measure: 'revenue', from: `${period}-01`, to: isoDate(today) });
  const tasks = useMyTaskSummary();
  const leads = useMyNewLeads(me.id);

  return (
    <Stack gap="md" data-testid="manager-dashboard">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <MetricCard
          label={t('dashboard.tasksToday')}
          value={fmtInt(tasks.data?.today)}
          icon={IconCalendarEvent}
          loading={tasks.isPending}
          to="/tasks?tab=today"
          testId="metric-tasks-today"
        />
        <MetricCard
          label={t('dashboard.tasksOverdue')}
          value={fmtInt(tasks.data?.overdue)}
          icon={IconAlarm}
          color={tasks.data?.overdue ? 'red' : 'gray'}
          loading={tasks.isPending}
          to="/tasks?tab=overdue"
          testId="metric-tasks-overdue"
        />
        <MetricCard
          label={t('dashboard.myNewLeads')}
          value={countText(leads.data)}
          icon={IconInbox}
          color="orange"
          loading={leads.isPending}
          to="/leads?tab=new"
          testId="metric-new-leads"
        />
        <MetricCard
          label={t('dashboard.myRevenue')}
          value={fmtMoneyShort(revenue.data?.total ?? 0)}
          hint={revenue.data ? fmtMoney(revenue.data.total ?? 0) : undefined}
          icon={IconCash}
          color="green"
          loading={revenue.isPending}
          testId="metric-my-revenue"
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <DashCard title={t('dashboard.myPlan')} link="/reports/plan-fact" linkLabel={t('dashboard.more')} testId="dash-my-plan">
          {planFact.isPending ? (
            <Skeleton h={140} />
          ) : planFact.error ? (
            <QueryError error={planFact.error} onRetry={() => void planFact.refetch()} />
          ) : (
            <MyPlan report={planFact.data!} userId={me.id} />
          )}
        </DashCard>
        <DashCard title={t('dashboard.myNewLeads')} link="/leads?tab=new" linkLabel={t('dashboard.allLeads')} testId="dash-my-leads">
          {leads.isPending ? (
            <Skeleton h={140} />
          ) : leads.error ? (
            <QueryError error={leads.error} onRetry={() => void leads.refetch()} />
          ) : !leads.data?.items.length ? (
            <Text c="dimmed" size="sm">
              {t('dashboard.myNewLeadsEmpty')}
            </Text>
          ) : (
            <Stack gap="xs">
              {leads.data.items.slice(0, 6).map((lead) => (
                <Group key={lead.id} justify="space-between" gap="xs" wrap="nowrap">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Anchor component={Link} to={`/leads/${encodeURIComponent(lead.id)}`} fw={600} size="sm" truncate>
                      {lead.name?.trim() || lead.company?.trim() || t('dashboard.noName')}
                    </Anchor>
                    <Text size="xs" c="dimmed" truncate>
                      {[lead.phone ? formatPhoneRu(lead.phone) : lead.phoneRaw, lead.source].filter(Boolean).join(' · ') || '—'}
                    </Text>
                  </Stack>
                  <Text size="xs" c={lead.overdue ? 'red' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTimeRu(lead.createdAt)}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
        </DashCard>
      </SimpleGrid>
    </Stack>
  );
}

function MyPlan({ report, userId }: { report: PlanFactReport; userId: string }) {
  const { t } = useTranslation();
  const rows = report.rows.filter((r) => r.userId === userId);
  if (!rows.length) {
    return (
      <Text c="dimmed" size="sm">
        {t('dashboard.myPlanEmpty')}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {rows.map((r) => {
        const color = paceColor(r.percent, report.elapsedDays, report.days);
        return (
          <Stack key={r.planId} gap={4} data-testid="my-plan-row">
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" fw={600}>
                {t(`reports.planMetrics.${r.metric}`)}
              </Text>
              <Text size="sm" fw={700} c={color === 'gray' ? undefined : color} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {fmtPercent(r.percent)}
              </Text>
            </Group>
            <Progress value={Math.min(100, r.percent ?? 0)} color={color} size="md" radius="xl" />
            <Text size="xs" c="dimmed">
              {fmtMetric(r.metric, r.fact)} {t('dashboard.of')} {fmtMetric(r.metric, r.target)} ·{' '}
              {t('reports.planFact.forecast').toLowerCase()}: {fmtMetric(r.metric, r.forecast)}
            </Text>
          </Stack>
        );
      })}
      <Text size="xs" c="dimmed">
        {t('dashboard.daysLeft', { count: report.days - report.elapsedDays })}
      </Text>
    </Stack>
  );
}
