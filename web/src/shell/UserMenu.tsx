import { Avatar, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown, IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { roleLabelKey } from '../auth/roles';
import { useCurrentUser, useLogout } from '../auth/useAuth';
import { currentLanguage, LANGUAGES, setLanguage } from '../i18n';
import { initials } from '../ui/format';

/** Avatar + name + role; the menu switches the language and logs out. */
export function UserMenu() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const logout = useLogout();
  const language = currentLanguage();
  const roleLabel = t(roleLabelKey(user.role));

  return (
    <Menu position="bottom-end" width={260}>
      <Menu.Target>
        <UnstyledButton aria-label={t('userMenu.open')} data-testid="user-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar radius="xl" size={34} color="brand" variant="filled">
              {initials(user.name)}
            </Avatar>
            <Box visibleFrom="sm" maw={200}>
              <Text size="sm" fw={600} truncate>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {roleLabel}
              </Text>
            </Box>
            <IconChevronDown size={16} stroke={1.6} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Box px="sm" py={6}>
          <Text size="sm" fw={600}>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed">
            {user.email}
          </Text>
          <Text size="xs" c="dimmed">
            {roleLabel}
          </Text>
        </Box>
        <Menu.Divider />
        <Menu.Label>{t('userMenu.language')}</Menu.Label>
        {LANGUAGES.map((lng) => (
          <Menu.Item
            key={lng}
            lang={lng}
            onClick={() => void setLanguage(lng)}
            leftSection={<IconCheck size={16} style={{ visibility: lng === language ? 'visible' : 'hidden' }} />}
            aria-current={lng === language ? 'true' : undefined}
          >
            {t(`languages.${lng}`)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => logout.mutate()}>
          {t('userMenu.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
