import { Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLayoutDashboard } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { roleLabelKey } from '../../auth/roles';
import { useCurrentUser } from '../../auth/useAuth';
import { formatLongDate } from '../../ui/format';

function greetingKey(hour: number) {
  if (hour >= 5 && hour < 12) return 'home.greetingMorning';
  if (hour >= 12 && hour < 18) return 'home.greetingDay';
  if (hour >= 18 && hour < 23) return 'home.greetingEvening';
  return 'home.greetingNight';
}

/** «Главная»: greets the user; the dashboard widgets come with the feature modules
 * (kept free of links that repeat the navbar, so «Клиенты» etc. stay unambiguous for tests). */
export function HomePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const now = new Date();

  return (
    <Stack gap="xl" maw={1100}>
      <Stack gap={4}>
        <Title order={1} size="h2" data-testid="home-greeting">
          {t(greetingKey(now.getHours()), { name: user.name })}
        </Title>
        <Text c="dimmed">
          {t('home.today', { date: formatLongDate(now) })} · {t(roleLabelKey(user.role))}
        </Text>
      </Stack>
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
    </Stack>
  );
}
