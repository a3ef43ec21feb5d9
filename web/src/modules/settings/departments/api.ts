import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../../api/client';
import type { Department } from '../../../api/types';

export const DEPARTMENTS_KEY = ['departments'] as const;

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: DEPARTMENTS_KEY,
    queryFn: async ({ signal }) => (await api.get<Page<Department>>('/departments', undefined, signal)).items,
    enabled,
  });
}

export interface DepartmentInput {
  name: string;
  headId?: string | null;
}

function useInvalidateDepartments() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY });
}

export function useCreateDepartment() {
  const invalidate = useInvalidateDepartments();
  return useMutation({
    mutationFn: (input: DepartmentInput) => api.post<Department>('/departments', input),
    onSuccess: invalidate,
  });
}

export function useUpdateDepartment() {
  const invalidate = useInvalidateDepartments();
  return useMutation({
    mutationFn: ({ id, ...patch }: DepartmentInput & { id: string; version?: number }) =>
      api.patch<Department>(`/departments/${encodeURIComponent(id)}`, patch),
    onSuccess: invalidate,
    onError: invalidate,
  });
}
