import { Anchor, Box, Burger, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAccess } from '../auth/permissions';
import { useCurrentUser } from '../auth/useAuth';
import { searchModule } from '../modules/registry';
import { Logo } from '../ui/Logo';
import { GlobalSearch } from './GlobalSearch';
import { NotificationBell } from './NotificationBell';
import { UserMenu } from './UserMenu';

interface AppHeaderProps {
  navOpened: boolean;
  onToggleNav: () => void;
}

export function AppHeader({ navOpened, onToggleNav }: AppHeaderProps) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const access = useAccess();
  const search = searchModule(user.role, access);

  return (
    <Group h="100%" px={{ base: 'sm', sm: 'md' }} justify="space-between" wrap="nowrap" gap="sm">
      <Group gap="xs" wrap="nowrap">
        <Burger opened={navOpened} onClick={onToggleNav} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
        <Anchor component={Link} to="/" underline="never" aria-label={t('nav.home')}>
          <Logo />
        </Anchor>
      </Group>
      {search ? (
        <Box visibleFrom="sm" style={{ flex: '0 1 420px' }}>
          <GlobalSearch module={search} />
        </Box>
      ) : null}
      <Group gap="xs" wrap="nowrap">
        <NotificationBell />
        <UserMenu />
      </Group>
    </Group>
  );
}
