import { Center } from '@mantine/core';
import { Navigate, useLocation } from 'react-router';
import { AppLayout } from '../shell/AppLayout';
import { PageLoader } from '../ui/PageLoader';
import { QueryError } from '../ui/QueryError';
import { useMe, useSetupStatus } from './useAuth';

/**
 * Guards the whole authenticated app: shows it to a signed-in user, otherwise sends to
 * /setup (no user exists yet) or /login (remembering the requested address).
 */
export function AuthGate() {
  const me = useMe();
  const setup = useSetupStatus(me.data === null);
  const location = useLocation();

  if (me.isPending) return <PageLoader fullScreen />;
  if (me.isError) {
    return (
      <Center mih="100dvh" p="md">
        <QueryError error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  if (!me.data) {
    if (setup.isPending) return <PageLoader fullScreen />;
    if (setup.data?.needed) return <Navigate to="/setup" replace />;
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to="/login" replace state={from === '/' ? undefined : { from }} />;
  }
  return <AppLayout />;
}
