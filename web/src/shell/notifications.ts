import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { notifications as toasts } from '@mantine/notifications';
import { api, type Page } from '../api/client';
import { useLiveEvent } from '../api/events';

/**
 * The bell's data: the user's notifications from `GET /api/notifications` (newest first, with
 * `unreadCount`), kept current by the live events `notification` and `notifications_read`.
 */

export interface BellNotification {
  id: string;
  kind?: string;
  title: string;
  text: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface BellData {
  items: BellNotification[];
  unreadCount: number;
}

export const NOTIFICATIONS_KEY = ['notifications'] as const;
const LIST_LIMIT = 30;
/** Ids of notifications that only exist in this tab (a live event without an id). */
const LOCAL_PREFIX = 'local-';

const EMPTY: BellData = { items: [], unreadCount: 0 };

export function useBellData() {
  return useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: async ({ signal }): Promise<BellData> => {
      const page = await api.get<Page<BellNotification> & { unreadCount?: number }>('/notifications', { limit: LIST_LIMIT }, signal);
      const items = page.items ?? [];
      return { items, unreadCount: page.unreadCount ?? items.filter((item) => !item.readAt).length };
    },
    staleTime: 60_000,
    retry: false,
  });
}

function update(queryClient: QueryClient, fn: (data: BellData) => BellData) {
  queryClient.setQueryData<BellData>(NOTIFICATIONS_KEY, (old) => fn(old ?? EMPTY));
}

function markReadLocally(data: BellData, ids: readonly string[] | 'all', unreadCount?: number): BellData {
  const now = new Date().toISOString();
  const items = data.items.map((item) => (!item.readAt && (ids === 'all' || ids.includes(item.id)) ? { ...item, readAt: now } : item));
  return { items, unreadCount: unreadCount ?? items.filter((item) => !item.readAt).length };
}

let localSeq = 0;

/** Subscribes the bell to live events; shows a toast for each new notification. */
export function useBellLiveUpdates() {
  const queryClient = useQueryClient();

  useLiveEvent('notification.created', (data) => {
    if (!data || typeof data !== 'object' || typeof data.title !== 'string') return;
    const item: BellNotification = {
      id: data.id ?? `${LOCAL_PREFIX}${++localSeq}`,
      kind: data.kind,
      title: data.title,
      text: data.text ?? null,
      link: data.link ?? null,
      createdAt: new Date().toISOString(),
      readAt: null,
    };
    update(queryClient, (old) =>
      old.items.some((existing) => existing.id === item.id)
        ? old
        : { items: [item, ...old.items].slice(0, LIST_LIMIT), unreadCount: old.unreadCount + 1 },
    );
    toasts.show({ title: item.title, message: item.text ?? '', autoClose: 6000 });
  });

  // read in another tab or on another device
  useLiveEvent('notifications.read', (data) => {
    update(queryClient, (old) => markReadLocally(old, data?.all ? 'all' : (data?.ids ?? []), data?.unreadCount));
  });
}

export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      if (!id.startsWith(LOCAL_PREFIX)) await api.post(`/notifications/${encodeURIComponent(id)}/read`);
    },
    onMutate: (id) => update(queryClient, (old) => markReadLocally(old, [id])),
  });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/notifications/read-all'),
    onMutate: () => update(queryClient, (old) => markReadLocally(old, 'all', 0)),
  });
}
