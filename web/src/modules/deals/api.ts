import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages, type Page } from '../../api/client';
import type { User } from '../../api/types';
import type { Board, Deal, DealItemInput, DealSummary, StageHistoryEntry } from '../../../../common/api/deals';
import type { Pipeline, Stage, StageKind } from '../../../../common/api/pipelines';
import type { Product } from '../../../../common/api/products';
import type { Client, LossReason } from '../../../../common/api/clients';
import type { Task } from '../../../../common/api/tasks';

/**
 * Data of the «Сделки» section and of its settings pages (Воронки, Товары, Причины отказа).
 * Query keys are namespaced with `deals` so that other modules' caches never collide with ours.
 */

export const DEALS_KEY = ['deals'] as const;
export const PIPELINES_KEY = ['deals', 'pipelines'] as const;
export const LOSS_REASONS_KEY = ['deals', 'lossReasons'] as const;
export const PRODUCTS_KEY = ['deals', 'products'] as const;

export interface DealFilters {
  pipelineId?: string;
  ownerId?: string;
  source?: string;
  from?: string;
  to?: string;
}

export type DealSort = 'createdAt' | '-createdAt' | 'amount' | '-amount' | 'title' | '-title';

const enc = encodeURIComponent;

// ── dictionaries ──

export function usePipelines() {
  return useQuery({
    queryKey: PIPELINES_KEY,
    queryFn: ({ signal }) => api.get<Pipeline[]>('/pipelines', undefined, signal),
    staleTime: 60_000,
  });
}

export function useLossReasons() {
  return useQuery({
    queryKey: LOSS_REASONS_KEY,
    queryFn: async ({ signal }) => (await api.get<{ items: LossReason[] }>('/loss-reasons', undefined, signal)).items,
    staleTime: 60_000,
  });
}

/** Active users (for the owner filter and the owner picker). */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['deals', 'users'],
    queryFn: ({ signal }) => fetchAllPages<User>('/users', { active: true }, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useProductSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...PRODUCTS_KEY, 'search', q],
    queryFn: async ({ signal }) => (await api.get<Page<Product>>('/products', { q: q || undefined, limit: 20 }, signal)).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useClientSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: ['deals', 'clientSearch', q],
    queryFn: async ({ signal }) => (await api.get<Page<Client>>('/clients', { q: q || undefined, limit: 20 }, signal)).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useClient(id: string | null | undefined) {
  return useQuery({
    queryKey: ['deals', 'client', id],
    queryFn: ({ signal }) => api.get<Client>(`/clients/${enc(id!)}`, undefined, signal),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

// ── deals ──

export function useBoard(filters: DealFilters, enabled = true) {
  return useQuery({
    queryKey: [...DEALS_KEY, 'board', filters],
    queryFn: ({ signal }) => api.get<Board>('/deals/board', { ...filters, limitPerStage: 50 }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useDealList(filters: DealFilters & { sort: DealSort; q?: string; stageId?: string; status?: string }, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...DEALS_KEY, 'list', filters],
    queryFn: ({ signal, pageParam }) => api.get<Page<DealSummary>>('/deals', { ...filters, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function dealKey(id: string) {
  return [...DEALS_KEY, 'detail', id] as const;
}

export function useDeal(id: string) {
  return useQuery({
    queryKey: dealKey(id),
    queryFn: ({ signal }) => api.get<Deal>(`/deals/${enc(id)}`, undefined, signal),
    retry: (count, error) => !(error && 'status' in error && (error.status === 404 || error.status === 403)) && count < 2,
  });
}

export function useDealHistory(id: string) {
  return useQuery({
    queryKey: [...DEALS_KEY, 'history', id],
    queryFn: async ({ signal }) => (await api.get<{ items: StageHistoryEntry[] }>(`/deals/${enc(id)}/history`, undefined, signal)).items,
  });
}

export function useDealTasks(dealId: string) {
  return useQuery({
    queryKey: [...DEALS_KEY, 'tasks', dealId],
    queryFn: async ({ signal }) => (await api.get<Page<Task>>('/tasks', { dealId, limit: 100 }, signal)).items,
  });
}

export interface CreateDealInput {
  clientId: string;
  title: string;
  pipelineId?: string;
  stageId?: string;
  ownerId?: string;
  source?: string | null;
  items?: DealItemInput[];
  amount?: number;
}

function useInvalidateDeals() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: DEALS_KEY });
}

export function useCreateDeal() {
  const invalidate = useInvalidateDeals();
  return useMutation({ mutationFn: (input: CreateDealInput) => api.post<Deal>('/deals', input), onSuccess: invalidate });
}

/** Writes the answer into the card's cache at once, then refreshes the lists around it. */
function useDealMutation<V>(fn: (vars: V) => Promise<Deal>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (deal) => {
      queryClient.setQueryData(dealKey(deal.id), deal);
      void queryClient.invalidateQueries({
        queryKey: DEALS_KEY,
        predicate: (q) => q.queryKey[2] !== deal.id || q.queryKey[1] !== 'detail',
      });
    },
  });
}

export interface PatchDealInput {
  id: string;
  version: number;
  title?: string;
  ownerId?: string;
  source?: string | null;
  items?: DealItemInput[];
  amount?: number;
}

export function usePatchDeal() {
  return useDealMutation(({ id, ...patch }: PatchDealInput) => api.patch<Deal>(`/deals/${enc(id)}`, patch));
}

export function useMoveDeal() {
  return useDealMutation(({ id, ...body }: { id: string; stageId: string }) => api.post<Deal>(`/deals/${enc(id)}/move`, body));
}

export function useLoseDeal() {
  return useDealMutation(({ id, ...body }: { id: string; reasonId: string | null; comment: string }) =>
    api.post<Deal>(`/deals/${enc(id)}/lose`, body),
  );
}

export function useReopenDeal() {
  return useDealMutation(({ id, ...body }: { id: string; stageId?: string; version?: number }) =>
    api.post<Deal>(`/deals/${enc(id)}/reopen`, body),
  );
}

// ── settings: pipelines, stages ──

function useInvalidate(key: readonly unknown[]) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: key });
    if (key === PIPELINES_KEY) void queryClient.invalidateQueries({ queryKey: [...DEALS_KEY, 'board'] });
  };
}

export function useCreatePipeline() {
  const invalidate = useInvalidate(PIPELINES_KEY);
  return useMutation({ mutationFn: (input: { name: string }) => api.post<Pipeline>('/pipelines', input), onSuccess: invalidate });
}

export function usePatchPipeline() {
  const invalidate = useInvalidate(PIPELINES_KEY);
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; name?: string; archived?: boolean; isDefault?: boolean; version?: number }) =>
      api.patch<Pipeline>(`/pipelines/${enc(id)}`, patch),
    onSettled: invalidate,
  });
}

export function useCreateStage() {
  const invalidate = useInvalidate(PIPELINES_KEY);
  return useMutation({
    mutationFn: ({ pipelineId, ...input }: { pipelineId: string; name: string; kind?: StageKind }) =>
      api.post<Stage>(`/pipelines/${enc(pipelineId)}/stages`, input),
    onSuccess: invalidate,
  });
}

export function usePatchStage() {
  const invalidate = useInvalidate(PIPELINES_KEY);
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; name?: string; position?: number; archived?: boolean; version?: number }) =>
      api.patch<Stage>(`/stages/${enc(id)}`, patch),
    onSettled: invalidate,
  });
}

// ── settings: products ──

export function useProducts(q: string, archived: 'false' | 'true' | 'all') {
  return useInfiniteQuery({
    queryKey: [...PRODUCTS_KEY, 'list', q, archived],
    queryFn: ({ signal, pageParam }) =>
      api.get<Page<Product>>('/products', { q: q || undefined, archived, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export interface ProductInput {
  sku?: string | null;
  name?: string;
  price?: number;
  unit?: string;
  vatRate?: number | null;
  archived?: boolean;
  version?: number;
}

export function useSaveProduct() {
  const invalidate = useInvalidate(PRODUCTS_KEY);
  return useMutation({
    mutationFn: ({ id, ...input }: ProductInput & { id?: string }) =>
      id ? api.patch<Product>(`/products/${enc(id)}`, input) : api.post<Product>('/products', input),
    onSettled: invalidate,
  });
}

// ── settings: loss reasons ──

export function useCreateLossReason() {
  const invalidate = useInvalidate(LOSS_REASONS_KEY);
  return useMutation({ mutationFn: (input: { name: string }) => api.post<LossReason>('/loss-reasons', input), onSuccess: invalidate });
}

export function usePatchLossReason() {
  const invalidate = useInvalidate(LOSS_REASONS_KEY);
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; name?: string; archived?: boolean; position?: number }) =>
      api.patch<LossReason>(`/loss-reasons/${enc(id)}`, patch),
    onSettled: invalidate,
  });
}
