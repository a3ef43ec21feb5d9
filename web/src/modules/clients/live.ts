import { useQueryClient } from '@tanstack/react-query';
import { useLiveEvent } from '../../api/events';
import { CLIENTS_KEY, clientKeys } from './api';

/**
 * Live refresh of the section over SSE: the server emits `client.changed`, `client.timeline`,
 * `client.deleted`, `clients.reassigned`; deals, tasks, invoices and reviews write to the card too.
 * Queries also refetch when the window regains focus (set per query).
 */
export function useClientsLiveRefresh() {
  const queryClient = useQueryClient();
  const invalidate = (...key: unknown[]) => void queryClient.invalidateQueries({ queryKey: [...CLIENTS_KEY, ...key] });

  useLiveEvent('client.changed', (data) => {
    invalidate('list');
    invalidate('counts');
    if (data?.id) {
      void queryClient.invalidateQueries({ queryKey: clientKeys.one(data.id) });
      void queryClient.invalidateQueries({ queryKey: clientKeys.timeline(data.id) });
    }
  });
  useLiveEvent('client.timeline', (data) => {
    if (data?.clientId) void queryClient.invalidateQueries({ queryKey: clientKeys.timeline(data.clientId) });
  });
  useLiveEvent('client.deleted', () => {
    invalidate('list');
    invalidate('counts');
    invalidate('search');
  });
  useLiveEvent('clients.reassigned', () => invalidate());
  useLiveEvent('deal.updated', () => {
    invalidate('deals');
    invalidate('timeline');
  });
  useLiveEvent('task.changed', () => {
    invalidate('tasks');
    invalidate('timeline');
  });
  useLiveEvent('invoice.updated', () => invalidate('timeline'));
  useLiveEvent('review.created', (data) => {
    if (!data?.clientId) return;
    void queryClient.invalidateQueries({ queryKey: clientKeys.one(data.clientId) });
    void queryClient.invalidateQueries({ queryKey: clientKeys.timeline(data.clientId) });
  });
}
