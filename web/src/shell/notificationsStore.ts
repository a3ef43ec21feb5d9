import { useSyncExternalStore } from 'react';
import type { LiveNotification } from '../api/events';

/** Notifications received in this browser tab (from `notification` live events), newest first. */
export interface BellItem extends LiveNotification {
  id: string;
  receivedAt: string;
  read: boolean;
}

const MAX_ITEMS = 50;
let items: BellItem[] = [];
let seq = 0;
const listeners = new Set<() => void>();

function set(next: BellItem[]) {
  items = next;
  for (const listener of listeners) listener();
}

export const bellStore = {
  add(notification: LiveNotification) {
    const item: BellItem = {
      id: `n${++seq}`,
      title: String(notification.title ?? ''),
      text: String(notification.text ?? ''),
      link: typeof notification.link === 'string' ? notification.link : undefined,
      receivedAt: new Date().toISOString(),
      read: false,
    };
    set([item, ...items].slice(0, MAX_ITEMS));
  },
  markRead(id: string) {
    set(items.map((item) => (item.id === id ? { ...item, read: true } : item)));
  },
  markAllRead() {
    set(items.map((item) => (item.read ? item : { ...item, read: true })));
  },
  clear() {
    set([]);
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: () => items,
};

export function useBellItems(): BellItem[] {
  return useSyncExternalStore(bellStore.subscribe, bellStore.snapshot, bellStore.snapshot);
}
