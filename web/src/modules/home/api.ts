import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../api/client';
import type { Lead } from '../../../../common/api/leads';
import type { ReviewsSummary } from '../../../../common/api/reviews';
import type { Task, TaskSummary } from '../../../../common/api/tasks';

/** Data of «Главная» that is not a report. Keys start with `home`; refreshed every minute while open. */
const HOME_KEY = ['home'] as const;
const COUNT_LIMIT = 100;

export interface Counted<T> {
  count: number;
  /** More than COUNT_LIMIT − 1: shown as «99+». */
  more: boolean;
  items: T[];
}

async function counted<T>(path: string, query: Record<string, string>, signal: AbortSignal): Promise<Counted<T>> {
  const page = await api.get<Page<T>>(path, { ...query, limit: COUNT_LIMIT }, signal);
  return { count: page.items.length, more: Boolean(page.nextCursor), items: page.items };
}

/** Open tasks past due within the viewer's scope (a head: his department; owner, admin: all). */
export function useOverdueTasks() {
  return useQuery({
    queryKey: [...HOME_KEY, 'overdueTasks'],
    queryFn: ({ signal }) => counted<Task>('/tasks', { due: 'overdue', status: 'open' }, signal),
    refetchInterval: 60_000,
  });
}

/** New leads past their SLA within the viewer's scope. */
export function useOverdueLeads() {
  return useQuery({
    queryKey: [...HOME_KEY, 'overdueLeads'],
    queryFn: ({ signal }) => counted<Lead>('/leads', { overdue: 'true' }, signal),
    refetchInterval: 60_000,
  });
}

/** A manager's new leads (status «Новый», assigned to him), newest first. */
export function useMyNewLeads(userId: string) {
  return useQuery({
    queryKey: [...HOME_KEY, 'myNewLeads', userId],
    queryFn: ({ signal }) => counted<Lead>('/leads', { status: 'new', assigneeId: userId }, signal),
    refetchInterval: 60_000,
  });
}

export function useMyTaskSummary() {
  return useQuery({
    queryKey: [...HOME_KEY, 'taskSummary'],
    queryFn: ({ signal }) => api.get<TaskSummary>('/tasks/summary', undefined, signal),
    refetchInterval: 60_000,
  });
}

export function useReviewsSummary(from: string, to: string) {
  return useQuery({
    queryKey: [...HOME_KEY, 'reviews', from, to],
    queryFn: ({ signal }) => api.get<ReviewsSummary>('/reviews/summary', { from, to }, signal),
  });
}

/** «99+» above the counting limit. */
export function countText(c: Counted<unknown> | undefined): string {
  if (!c) return '…';
  return c.more ? `${COUNT_LIMIT - 1}+` : String(c.count);
}
