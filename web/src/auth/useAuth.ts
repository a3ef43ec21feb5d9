import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, isApiError, setCsrfToken } from '../api/client';
import type { AuthResponse, SetupStatus, User } from '../api/types';
import type { Permissions } from '../../../common/api/permissions';

/** The signed-in user and what the server lets him do. */
export interface Session {
  user: User;
  permissions: Permissions;
}

export const ME_KEY = ['auth', 'me'] as const;
export const SETUP_KEY = ['setup'] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    const res = await api.get<AuthResponse>('/auth/me');
    setCsrfToken(res.csrfToken);
    return { user: res.user, permissions: res.permissions };
  } catch (error) {
    if (isApiError(error, 401)) return null;
    throw error;
  }
}

/** The session: `Session`, `null` when not signed in, `undefined` while loading. */
export function useSession() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchSession, staleTime: Infinity });
}

/** The signed-in user: `User`, `null` when not signed in, `undefined` while loading. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchSession, staleTime: Infinity, select: (session) => session?.user ?? null });
}

/** The signed-in user inside the authenticated shell (guaranteed by AuthGate). */
export function useCurrentUser(): User {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser used outside of the authenticated shell');
  return data;
}

/** Whether the one-time setup form is needed (no user exists yet). */
export function useSetupStatus(enabled = true) {
  return useQuery({
    queryKey: SETUP_KEY,
    queryFn: async (): Promise<SetupStatus> => {
      try {
        return await api.get<SetupStatus>('/setup');
      } catch (error) {
        if (isApiError(error, 404)) return { needed: false };
        throw error;
      }
    },
    enabled,
    staleTime: Infinity,
  });
}

function useSignedIn() {
  const queryClient = useQueryClient();
  return (res: AuthResponse) => {
    setCsrfToken(res.csrfToken);
    queryClient.setQueryData(SETUP_KEY, { needed: false });
    const session: Session = { user: res.user, permissions: res.permissions };
    queryClient.setQueryData(ME_KEY, session);
  };
}

export function useLogin() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api.post<AuthResponse>('/auth/login', body),
    onSuccess: signedIn,
  });
}

export function useSetup() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: { email: string; name: string; password: string }) => api.post<AuthResponse>('/setup', body),
    onSuccess: signedIn,
  });
}

/** Forgets the session and every cached record of the previous user. */
export function signOutLocally(queryClient: QueryClient) {
  setCsrfToken(null);
  queryClient.setQueryData(ME_KEY, null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
}

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.post('/auth/logout'),
    onSettled: () => {
      navigate('/login', { replace: true });
      signOutLocally(queryClient);
    },
  });
}
