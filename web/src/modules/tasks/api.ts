import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages, type Page } from '../../api/client';
import type { User } from '../../api/types';
import type { Client } from '../../../../common/api/clients';
import type { DealSummary } from '../../../../common/api/deals';
import type { Task, TaskDue, TaskStatus, TaskSummary, TaskType } from '../../../../common/api/tasks';

export type { Task, TaskDue, TaskStatus, TaskSummary, TaskType };

/**
 * Data of the «Задачи» section (docs/API.md «Задачи и уведомления»). Query keys start with `tasks`;
 * every change invalidates them all (list, summary, one task), and the client/deal caches whose cards show tasks.
 */

export const TASKS_KEY = ['tasks'] as const;
export const TASK_SUMMARY_KEY = ['tasks', 'summary'] as const;
const enc = encodeURIComponent;

export interface TaskFilters {
  status?: TaskStatus;
  due?: TaskDue;
  assigneeId?: string;
  clientId?: string;
  dealId?: string;
  type?: TaskType;
}

const PAGE_SIZE = 50;

export function useTaskList(filters: TaskFilters) {
  return useInfiniteQuery({
    queryKey: [...TASKS_KEY, 'list', filters],
    queryFn: ({ signal, pageParam }) => api.get<Page<Task>>('/tasks', { ...filters, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useTaskSummary() {
  return useQuery({
    queryKey: TASK_SUMMARY_KEY,
    queryFn: ({ signal }) => api.get<TaskSummary>('/tasks/summary', undefined, signal),
    staleTime: 15_000,
  });
}

export function taskKey(id: string) {
  return [...TASKS_KEY, 'one', id] as const;
}

export function useTask(id: string | null | undefined) {
  return useQuery({
    queryKey: taskKey(id ?? ''),
    queryFn: ({ signal }) => api.get<Task>(`/tasks/${enc(id!)}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Active users: assignee names and the assignee picker (GET /users is open to every signed-in user). */
export function useTaskUsers(enabled = true) {
  return useQuery({
    queryKey: [...TASKS_KEY, 'users'],
    queryFn: ({ signal }) => fetchAllPages<User>('/users', {}, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** A client's name for a task row (cached per id; many tasks share a client). */
export function useClientName(id: string | null | undefined) {
  return useQuery({
    queryKey: [...TASKS_KEY, 'client', id],
    queryFn: async ({ signal }) => (await api.get<Client>(`/clients/${enc(id!)}`, undefined, signal)).name,
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** A deal's title and client for a task row. */
export function useDealBrief(id: string | null | undefined) {
  return useQuery({
    queryKey: [...TASKS_KEY, 'deal', id],
    queryFn: async ({ signal }) => {
      const deal = await api.get<DealSummary>(`/deals/${enc(id!)}`, undefined, signal);
      return { title: deal.title, clientId: deal.clientId, clientName: deal.clientName };
    },
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useClientOptions(q: string, enabled = true) {
  return useQuery({
    queryKey: [...TASKS_KEY, 'clientSearch', q],
    queryFn: async ({ signal }) => (await api.get<Page<Client>>('/clients', { q: q || undefined, limit: 20 }, signal)).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useDealOptions(q: string, clientId: string | null, enabled = true) {
  return useQuery({
    queryKey: [...TASKS_KEY, 'dealSearch', q, clientId],
    queryFn: async ({ signal }) =>
      (
        await api.get<Page<DealSummary>>(
          '/deals',
          { q: q || undefined, clientId: clientId || undefined, status: 'open', limit: 20 },
          signal,
        )
      ).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

// ── changes ──

export interface TaskBody {
  title: string;
  type: TaskType;
  dueAt: string;
  assigneeId?: string;
  clientId?: string | null;
  dealId?: string | null;
  recurrence?: string | null;
  description?: string | null;
  remindBeforeMinutes?: number | null;
  remindAt?: string | null;
}

export type TaskPatch = Partial<TaskBody> & { version?: number };
export type CompletedTask = Task & { next: Task | null };

/** Refreshes every task list and count, and the cards of clients and deals (their task panels). */
export function useInvalidateTasks() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: TASKS_KEY });
    // the task panels of client and deal cards, and the client's timeline («Задача выполнена»)
    void queryClient.invalidateQueries({ queryKey: ['clients', 'tasks'] });
    void queryClient.invalidateQueries({ queryKey: ['clients', 'timeline'] });
    void queryClient.invalidateQueries({ queryKey: ['deals', 'tasks'] });
  };
}

export function useCreateTask() {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: (body: TaskBody) => api.post<Task>('/tasks', body),
    onSuccess: invalidate,
  });
}

export function useUpdateTask() {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: ({ id, ...patch }: TaskPatch & { id: string }) => api.patch<Task>(`/tasks/${enc(id)}`, patch),
    onSuccess: invalidate,
    onError: invalidate, // a 409 means someone changed it: show the current data
  });
}

export function useCompleteTask() {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: ({ id, result, version }: { id: string; result: string | null; version?: number }) =>
      api.post<CompletedTask>(`/tasks/${enc(id)}/complete`, { result, version }),
    onSettled: invalidate,
  });
}

export function useReopenTask() {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version?: number }) => api.post<Task>(`/tasks/${enc(id)}/reopen`, { version }),
    onSettled: invalidate,
  });
}

export function useDeleteTask() {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/tasks/${enc(id)}`),
    onSettled: invalidate,
  });
}
