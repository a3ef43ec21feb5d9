import { useEffect, useState } from 'react';
import { NavLink, ScrollArea } from '@mantine/core';
import { IconHome } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useAccess } from '../auth/permissions';
import { useCurrentUser } from '../auth/useAuth';
import { modules, type ModuleDefinition, visibleChildren, visibleModules } from '../modules/registry';

const ICON_SIZE = 20;

function isActivePath(pathname: string, path: string) {
  return pathname === path || pathname.startsWith(`${path}/`);
}

interface SectionLinkProps {
  module: ModuleDefinition;
  onNavigate: () => void;
}

/** A navbar section; sections with sub-pages expand (Настройки → Пользователи, Отделы, …). */
function SectionLink({ module, onNavigate }: SectionLinkProps) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const user = useCurrentUser();
  const access = useAccess();
  const children = visibleChildren(module, user.role, access);
  const active = isActivePath(pathname, module.path);
  const [opened, setOpened] = useState(active);
  const Icon = module.icon;

  useEffect(() => {
    if (active) setOpened(true);
  }, [active]);

  const icon = <Icon size={ICON_SIZE} stroke={1.6} />;
  const childLinks = children.map((child) => (
    <NavLink
      key={child.key}
      component={Link}
      to={child.path}
      label={t(child.labelKey)}
      active={isActivePath(pathname, child.path)}
      onClick={onNavigate}
    />
  ));

  if (module.element) {
    return (
      <NavLink
        component={Link}
        to={module.path}
        label={t(module.labelKey)}
        leftSection={icon}
        active={active}
        opened={active && childLinks.length > 0}
        onClick={onNavigate}
      >
        {childLinks.length ? childLinks : undefined}
      </NavLink>
    );
  }
  return (
    <NavLink
      component="button"
      type="button"
      aria-expanded={opened}
      label={t(module.labelKey)}
      leftSection={icon}
      opened={opened}
      onChange={setOpened}
      childrenOffset={30}
      data-active-section={active || undefined}
    >
      {childLinks}
    </NavLink>
  );
}

/** The main menu: «Главная» + the registered sections the user's role may open. */
export function AppNavbar({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const user = useCurrentUser();
  const access = useAccess();

  return (
    <ScrollArea type="auto" p="sm" style={{ flex: 1 }}>
      <nav aria-label={t('nav.mainNavigation')}>
        <NavLink
          component={Link}
          to="/"
          label={t('nav.home')}
          leftSection={<IconHome size={ICON_SIZE} stroke={1.6} />}
          active={pathname === '/'}
          onClick={onNavigate}
        />
        {visibleModules(user.role, modules, access).map((module) => (
          <SectionLink key={module.key} module={module} onNavigate={onNavigate} />
        ))}
      </nav>
    </ScrollArea>
  );
}
