import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../../api/client';
import type { Client } from '../../../../common/api/clients';
import type { DealSummary } from '../../../../common/api/deals';
import type { CreateReviewInput, Review, ReviewSource, ReviewsSummary, Sentiment } from '../../../../common/api/reviews';

/** Data of the review base. Keys are namespaced with `reviews`. */
export const REVIEWS_KEY = ['reviews'] as const;

const enc = encodeURIComponent;

export interface ReviewFilters {
  sentiment?: Sentiment;
  source?: ReviewSource;
  from?: string;
  to?: string;
  clientId?: string;
  dealId?: string;
}

export function useReviews(filters: ReviewFilters, limit = 30) {
  return useInfiniteQuery({
    queryKey: [...REVIEWS_KEY, 'list', filters, limit],
    queryFn: ({ signal, pageParam }) => api.get<Page<Review>>('/reviews', { ...filters, limit, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useReviewsSummary(filters: Pick<ReviewFilters, 'from' | 'to' | 'clientId'>) {
  return useQuery({
    queryKey: [...REVIEWS_KEY, 'summary', filters],
    queryFn: ({ signal }) => api.get<ReviewsSummary>('/reviews/summary', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCreateReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateReviewInput) => api.post<Review>('/reviews', input),
    onSuccess: (review) => {
      void queryClient.invalidateQueries({ queryKey: REVIEWS_KEY });
      // The client card (the negative mark, the timeline) and the deal (moved to «Отзыв получен») changed too.
      void queryClient.invalidateQueries({ predicate: (q) => ['clients', 'deals', 'tasks'].includes(String(q.queryKey[0])) });
      return review;
    },
  });
}

/** The client picker: GET /clients?q= (within the caller's scope). */
export function useClientSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...REVIEWS_KEY, 'clientSearch', q],
    queryFn: async ({ signal }) => (await api.get<Page<Client>>('/clients', { q: q || undefined, limit: 20 }, signal)).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useClientBrief(id: string | null | undefined) {
  return useQuery({
    queryKey: [...REVIEWS_KEY, 'client', id],
    queryFn: ({ signal }) => api.get<Client>(`/clients/${enc(id!)}`, undefined, signal),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

/** The deals of one client (the deal picker of «Новый отзыв»). */
export function useClientDeals(clientId: string | null | undefined) {
  return useQuery({
    queryKey: [...REVIEWS_KEY, 'clientDeals', clientId],
    queryFn: async ({ signal }) => (await api.get<Page<DealSummary>>('/deals', { clientId, limit: 100 }, signal)).items,
    enabled: Boolean(clientId),
    staleTime: 30_000,
  });
}
