import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages, type Page } from '../../api/client';
import type { User } from '../../api/types';
import type { PatchProductionOrderInput, ProductionOrder, ProductionStatus } from '../../../../common/api/production';

/** Data of the «Производство» board. Keys are namespaced with `production`. */
export const PRODUCTION_KEY = ['production'] as const;

const enc = encodeURIComponent;

export interface BoardFilters {
  assigneeId?: string;
}

/** Every open order of a status (queued, in progress): a workshop's queue is short enough to show whole. */
export function useOpenOrders(status: Exclude<ProductionStatus, 'done'>, filters: BoardFilters) {
  return useQuery({
    queryKey: [...PRODUCTION_KEY, 'list', status, filters],
    queryFn: ({ signal }) => fetchAllPages<ProductionOrder>('/production-orders', { status, ...filters }, signal),
    // Live events refresh the board; polling is the safety net (a missed event, a sleeping laptop).
    refetchInterval: 30_000,
  });
}

/** Done orders, newest first, a page at a time. */
export function useDoneOrders(filters: BoardFilters) {
  return useInfiniteQuery({
    queryKey: [...PRODUCTION_KEY, 'list', 'done', filters],
    queryFn: ({ signal, pageParam }) =>
      api.get<Page<ProductionOrder>>('/production-orders', { status: 'done', ...filters, limit: 30, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
}

export function orderKey(id: string) {
  return [...PRODUCTION_KEY, 'order', id] as const;
}

export function useOrder(id: string | null) {
  return useQuery({
    queryKey: orderKey(id ?? ''),
    queryFn: ({ signal }) => api.get<ProductionOrder>(`/production-orders/${enc(id!)}`, undefined, signal),
    enabled: Boolean(id),
    retry: (count, error) => !(error && 'status' in error && (error.status === 404 || error.status === 403)) && count < 2,
  });
}

/** Active production workers (the assignee picker). */
export function useProductionUsers(enabled = true) {
  return useQuery({
    queryKey: [...PRODUCTION_KEY, 'workers'],
    queryFn: async ({ signal }) =>
      (await fetchAllPages<User>('/users', { active: true }, signal)).filter((u) => u.role === 'production' && u.active),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export type PatchOrderVars = PatchProductionOrderInput & { id: string };

export function usePatchOrder() {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [...PRODUCTION_KEY, 'list'] });
  return useMutation({
    mutationFn: ({ id, ...patch }: PatchOrderVars) => api.patch<ProductionOrder>(`/production-orders/${enc(id)}`, patch),
    onSuccess: (order) => {
      queryClient.setQueryData(orderKey(order.id), order);
      refresh();
    },
    // 409 (someone changed it meanwhile) or 422: reload what is on screen, so the next try has the current version.
    onError: (_error, vars) => {
      refresh();
      void queryClient.invalidateQueries({ queryKey: orderKey(vars.id) });
    },
  });
}
