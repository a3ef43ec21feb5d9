import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { setUnauthorizedHandler } from './api/client';
import { queryClient } from './api/queryClient';
import { signOutLocally } from './auth/useAuth';
import { AppRoutes } from './AppRoutes';
import { theme } from './theme';

// A 401 on any authenticated request means the session is gone: forget it, AuthGate sends to /login.
setUnauthorizedHandler(() => signOutLocally(queryClient));

export function App() {
  const { i18n, t } = useTranslation();
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ locale: i18n.resolvedLanguage ?? 'ru', firstDayOfWeek: 1 }}>
        <QueryClientProvider client={queryClient}>
          <ModalsProvider labels={{ confirm: t('common.confirm'), cancel: t('common.cancel') }}>
            <Notifications position="bottom-right" limit={4} />
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </ModalsProvider>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
