import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { DealFilters } from './api';

/** Address parameters of the deals views. */
export type FilterParam = 'pipeline' | 'owner' | 'source' | 'from' | 'to' | 'q' | 'sort' | 'status' | 'stage' | 'new' | 'clientId';

/**
 * Filters of the kanban and the list live in the address (`?pipeline=…&owner=…&from=…&to=…&source=…`),
 * so a filtered board can be bookmarked or sent to a colleague, and the «Канбан / Список» toggle keeps them.
 */
export function useDealFilters() {
  const [params, setParams] = useSearchParams();
  const filters: DealFilters = useMemo(
    () => ({
      pipelineId: params.get('pipeline') || undefined,
      ownerId: params.get('owner') || undefined,
      source: params.get('source') || undefined,
      from: params.get('from') || undefined,
      to: params.get('to') || undefined,
    }),
    [params],
  );

  /** Sets several parameters in one navigation (two separate calls would overwrite each other). */
  const setFilters = useCallback(
    (values: Partial<Record<FilterParam, string | null | undefined>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(values)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const setFilter = useCallback((key: FilterParam, value: string | null | undefined) => setFilters({ [key]: value }), [setFilters]);

  const resetFilters = useCallback(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams();
        const pipeline = prev.get('pipeline');
        if (pipeline) next.set('pipeline', pipeline);
        return next;
      },
      { replace: true },
    );
  }, [setParams]);

  const active = Boolean(filters.ownerId || filters.source || filters.from || filters.to);
  return { filters, params, setFilter, setFilters, resetFilters, active, search: params.toString() };
}
