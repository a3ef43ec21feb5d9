import { useEffect, useRef } from 'react';
import type { LiveEventMap, LiveEventName } from '../../../common/live-events';
import { API_BASE } from './client';

export type { LiveEventMap, LiveEventName };

/**
 * Live events over Server-Sent Events: one shared EventSource on `/api/events`, opened while
 * at least one subscriber exists. Both SSE styles are understood:
 *  - named events (`event: notification.created` + `data: {…}`), delivered to subscribers of that type;
 *  - unnamed messages whose data is `{ "type": "notification.created", "data": {…} }`.
 * Names and payloads are typed by the one map in `common/live-events.ts` (the server emits through the same map).
 */

export type LiveEventHandler<T = unknown> = (data: T) => void;

const EVENTS_URL = `${API_BASE}/events`;
const MAX_RETRY_MS = 30_000;

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

class LiveEvents {
  private source: EventSource | null = null;
  private readonly handlers = new Map<string, Set<LiveEventHandler>>();
  private readonly attached = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs = 1000;

  subscribe(type: string, handler: LiveEventHandler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    this.open();
    this.attach(type);
    return () => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(type);
      if (this.handlers.size === 0) this.close();
    };
  }

  private dispatch(type: string, data: unknown) {
    for (const handler of [...(this.handlers.get(type) ?? [])]) {
      try {
        handler(data);
      } catch (error) {
        console.error(`live event handler for "${type}" failed`, error);
      }
    }
  }

  private attach(type: string) {
    if (!this.source || this.attached.has(type) || type === 'message') return;
    this.attached.add(type);
    this.source.addEventListener(type, (event) => this.dispatch(type, parse((event as MessageEvent<string>).data)));
  }

  private open() {
    if (this.source || this.retryTimer || typeof EventSource === 'undefined') return;
    const source = new EventSource(EVENTS_URL, { withCredentials: true });
    this.source = source;
    this.attached.clear();
    source.onopen = () => {
      this.retryMs = 1000;
    };
    source.onmessage = (event: MessageEvent<string>) => {
      const payload = parse(event.data);
      this.dispatch('message', payload);
      if (payload && typeof payload === 'object' && typeof (payload as { type?: unknown }).type === 'string') {
        const { type, data } = payload as { type: string; data?: unknown };
        this.dispatch(type, data ?? payload);
      }
    };
    source.onerror = () => {
      // The browser retries by itself unless the stream was refused (e.g. 401/5xx): then we back off.
      if (source.readyState !== EventSource.CLOSED) return;
      this.source = null;
      if (this.handlers.size === 0) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.open();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    };
    for (const type of this.handlers.keys()) this.attach(type);
  }

  private close() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
    this.attached.clear();
  }
}

export const liveEvents = new LiveEvents();

/** Calls `handler` with the payload of each live event `type` (typed by `common/live-events.ts`) while mounted. */
export function useLiveEvent<K extends LiveEventName>(type: K, handler: LiveEventHandler<LiveEventMap[K]>, enabled = true) {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    if (!enabled) return;
    return liveEvents.subscribe(type, (data) => ref.current(data as LiveEventMap[K]));
  }, [type, enabled]);
}

/** The payload of a `notification.created` live event (the bell). `link` is a path inside the web app. */
export type LiveNotification = LiveEventMap['notification.created'];
