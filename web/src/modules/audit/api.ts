import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type Page } from '../../api/client';
import type { AuditEntry, AuditKind } from '../../../../common/api/audit';

export const AUDIT_KEY = ['audit'] as const;

export interface AuditFilters {
  action?: AuditKind;
  userId?: string;
  /** Local days of the company zone, both included. */
  from?: string;
  to?: string;
}

/** The audit log, newest first, a page at a time («Показать ещё»). */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: [...AUDIT_KEY, filters],
    queryFn: ({ signal, pageParam }) => api.get<Page<AuditEntry>>('/audit', { ...filters, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
