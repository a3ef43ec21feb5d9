import { lazy, Suspense } from 'react';
import { Card, Group, Loader, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLayoutDashboard } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { roleLabelKey } from '../../auth/roles';
import { useCurrentUser } from '../../auth/useAuth';
import { ErrorBoundary } from '../../ui/ErrorBoundary';
import { formatLongDate } from '../../ui/format';

// The dashboards carry the report hooks and ECharts: their own chunks, loaded after sign-in.
const OwnerDashboard = lazy(() => import('./OwnerDashboard'));
const ManagerDashboard = lazy(() => import('./ManagerDashboard'));

function greetingKey(hour: number) {
  if (hour >= 5 && hour < 12) return 'home.greetingMorning';
  if (hour >= 12 && hour < 18) return 'home.greetingDay';
  if (hour >= 18 && hour < 23) return 'home.greetingEvening';
  return 'home.greetingNight';
}

/**
 * «Главная»: the greeting, then the owner's dashboard (owner, admin, head: the month against plan, the funnel, managers
 * ranked, overdue tasks and leads, negative reviews) or the manager's (my plan, my tasks, my new leads). Other roles
 * keep the plain greeting (kept free of links that repeat the navbar, so «Клиенты» etc. stay unambiguous for tests).
 */
export function HomePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const now = new Date();
  const supervisor = user.role === 'owner' || user.role === 'admin' || user.role === 'head';
  const manager = user.role === 'manager';

  return (
    <Stack gap="lg" maw={1300}>
      <Stack gap={4}>
        <Title order={1} size="h2" data-testid="home-greeting">
          {t(greetingKey(now.getHours()), { name: user.name })}
        </Title>
        <Text c="dimmed">
          {t('home.today', { date: formatLongDate(now) })} · {t(roleLabelKey(user.role))}
        </Text>
      </Stack>
      {supervisor || manager ? (
        <ErrorBoundary resetKey={user.id}>
          <Suspense
            fallback={
              <Group justify="center" py="xl">
                <Loader />
              </Group>
            }
          >
            {supervisor ? <OwnerDashboard /> : <ManagerDashboard />}
          </Suspense>
        </ErrorBoundary>
      ) : (
        <Card padding="lg">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <ThemeIcon variant="light" size={44} radius="md">
              <IconLayoutDashboard size={26} stroke={1.5} />
            </ThemeIcon>
            <Stack gap={4}>
              <Title order={3}>{t('home.dashboardTitle')}</Title>
              <Text c="dimmed" size="sm">
                {t('home.dashboardPlaceholder')}
              </Text>
            </Stack>
          </Group>
        </Card>
      )}
    </Stack>
  );
}
