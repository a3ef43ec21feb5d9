import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages, type Page } from '../../api/client';
import type { User } from '../../api/types';
import type { AutomationRule, AutomationRun, CreateRuleInput, PatchRuleInput } from '../../../../common/api/automation';
import type { Pipeline } from '../../../../common/api/pipelines';

/** Data of Настройки → Автоматизация. Keys are namespaced with `automation`. */
export const AUTOMATION_KEY = ['automation'] as const;
const RULES_KEY = [...AUTOMATION_KEY, 'rules'] as const;

const enc = encodeURIComponent;

export function useRules() {
  return useQuery({
    queryKey: RULES_KEY,
    queryFn: async ({ signal }) => (await api.get<{ items: AutomationRule[] }>('/automation/rules', undefined, signal)).items,
  });
}

export function usePipelinesForRules() {
  return useQuery({
    queryKey: [...AUTOMATION_KEY, 'pipelines'],
    queryFn: ({ signal }) => api.get<Pipeline[]>('/pipelines', undefined, signal),
    staleTime: 60_000,
  });
}

export function useUsersForRules() {
  return useQuery({
    queryKey: [...AUTOMATION_KEY, 'users'],
    queryFn: ({ signal }) => fetchAllPages<User>('/users', {}, signal),
    staleTime: 5 * 60_000,
  });
}

export interface RunFilters {
  ruleId?: string;
  status?: 'ok' | 'failed';
  dealId?: string;
}

export function useRuns(filters: RunFilters) {
  return useInfiniteQuery({
    queryKey: [...AUTOMATION_KEY, 'runs', filters],
    queryFn: ({ signal, pageParam }) =>
      api.get<Page<AutomationRun>>('/automation/runs', { ...filters, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

/** The body the editor sends: actions and conditions in the API's input shape. */
export type RuleBody = Omit<CreateRuleInput, 'actions'> & { actions: unknown[] };

function useInvalidateRules() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: RULES_KEY });
}

export function useCreateRule() {
  const invalidate = useInvalidateRules();
  return useMutation({ mutationFn: (body: RuleBody) => api.post<AutomationRule>('/automation/rules', body), onSuccess: invalidate });
}

export function usePatchRule() {
  const invalidate = useInvalidateRules();
  return useMutation({
    mutationFn: ({ id, ...patch }: Omit<PatchRuleInput, 'actions'> & { id: string; actions?: unknown[] }) =>
      api.patch<AutomationRule>(`/automation/rules/${enc(id)}`, patch),
    onSettled: invalidate,
  });
}

export function useDeleteRule() {
  const invalidate = useInvalidateRules();
  return useMutation({ mutationFn: (id: string) => api.delete(`/automation/rules/${enc(id)}`), onSettled: invalidate });
}
