import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages } from '../../../api/client';
import type { Role, User } from '../../../api/types';
import { ME_KEY, type Session } from '../../../auth/useAuth';
import { DEPARTMENTS_KEY } from '../departments/api';

export const USERS_KEY = ['users'] as const;

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => fetchAllPages<User>('/users', {}, signal),
    enabled,
  });
}

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  password: string;
  departmentId?: string;
}

export interface UpdateUserInput {
  id: string;
  version?: number;
  name?: string;
  role?: Role;
  departmentId?: string | null;
  active?: boolean;
  password?: string;
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: USERS_KEY });
    void queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY });
  };
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api.post<User>('/users', input),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: UpdateUserInput) => api.patch<User>(`/users/${encodeURIComponent(id)}`, patch),
    onSuccess: (_user, input) => {
      invalidate();
      const me = queryClient.getQueryData<Session | null>(ME_KEY)?.user;
      if (me && me.id === input.id) void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: invalidate, // e.g. 409 on a stale version: reload the current data
  });
}
