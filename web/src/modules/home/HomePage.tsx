import { Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLayoutDashboard } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { roleLabelKey } from '../../auth/roles';
import { useCurrentUser } from '../../auth/useAuth';
import { formatLongDate } from '../../ui/format';
import { visibleChildren, visibleModules } from '../registry';

function greetingKey(hour: number) {
  if (hour >= 5 && hour < 12) return 'home.greetingMorning';
  if (hour >= 12 && hour < 18) return 'home.greetingDay';
  if (hour >= 18 && hour < 23) return 'home.greetingEvening';
  return 'home.greetingNight';
}

/** Shortcuts to the sections the user may open. */
function SectionCards() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const links = visibleModules(user.role).flatMap((module) => {
    const children = visibleChildren(module, user.role);
    if (module.element || children.length === 0) return [{ key: module.key, path: module.path, label: t(module.labelKey), icon: module.icon }];
    return children.map((child) => ({
      key: `${module.key}-${child.key}`,
      path: child.path,
      label: `${t(module.labelKey)} → ${t(child.labelKey)}`,
      icon: child.icon ?? module.icon,
    }));
  });
  if (links.length === 0) return null;

  return (
    <Stack gap="sm">
      <Title order={3}>{t('home.sections')}</Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
        {links.map(({ key, path, label, icon: Icon }) => (
          <Card key={key} component={Link} to={path} padding="md">
            <Group gap="sm" wrap="nowrap">
              <ThemeIcon variant="light" size="lg">
                <Icon size={20} stroke={1.6} />
              </ThemeIcon>
              <Text fw={500}>{label}</Text>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** «Главная»: greets the user; the dashboard widgets come with the feature modules. */
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
      <SectionCards />
    </Stack>
  );
}
