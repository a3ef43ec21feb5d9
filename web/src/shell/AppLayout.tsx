import { Suspense, useEffect } from 'react';
import { AppShell } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useLocation } from 'react-router';
import { useLiveEvent } from '../api/events';
import { signOutLocally } from '../auth/useAuth';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { PageLoader } from '../ui/PageLoader';
import { AppHeader } from './AppHeader';
import { AppNavbar } from './AppNavbar';

/** Header + navbar (a burger drawer below the `sm` breakpoint) + the current page. */
export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  const { pathname } = useLocation();
  const queryClient = useQueryClient();

  // the server ends the stream with `session_revoked` (logout elsewhere, user blocked): leave at once
  useLiveEvent('session.revoked', () => signOutLocally(queryClient));

  useEffect(() => {
    nav.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- close the phone menu after every navigation
  }, [pathname]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header>
        <AppHeader navOpened={navOpened} onToggleNav={nav.toggle} />
      </AppShell.Header>
      <AppShell.Navbar>
        <AppNavbar onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <ErrorBoundary resetKey={pathname}>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
