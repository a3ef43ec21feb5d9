/**
 * Live events for the UI (server-sent events at GET /api/events). An event is addressed to users;
 * on PostgreSQL it is fanned out to every instance through LISTEN/NOTIFY, on SQLite it stays in-process.
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Database } from './db/connect.js';

export interface LiveEvent {
  type: string;
  /** Recipients; omit for everyone logged in. */
  userIds?: string[];
  data: unknown;
}

const CHANNEL = 'voronka_events';

export class EventBus {
  private emitter = new EventEmitter();
  private listener: pg.PoolClient | null = null;
  private closed = false;

  constructor(private database: Database) {
    this.emitter.setMaxListeners(0);
  }

  /** Starts listening on PostgreSQL; a no-op on SQLite. */
  async start(): Promise<void> {
    if (!this.database.pool) return;
    await this.listen();
  }

  private async listen(): Promise<void> {
    const client = await this.database.pool!.connect();
    this.listener = client;
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        this.emitter.emit('event', JSON.parse(msg.payload) as LiveEvent);
      } catch {
        /* a foreign payload on our channel is ignored */
      }
    });
    client.on('error', () => {
      // A client we already let go of (stop() or an earlier error) is not ours to release again.
      if (this.listener !== client) return;
      this.listener = null;
      try {
        client.release(true);
      } catch {
        /* already released */
      }
      // Reconnect after a dropped connection so live events keep flowing.
      if (!this.closed) setTimeout(() => this.listen().catch(() => {}), 1000);
    });
    await client.query(`LISTEN ${CHANNEL}`);
  }

  /** Publishes to every instance. PostgreSQL NOTIFY payloads must stay under 8000 bytes. */
  async publish(event: LiveEvent): Promise<void> {
    if (this.database.pool) {
      await this.database.pool.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
    } else {
      this.emitter.emit('event', event);
    }
  }

  /** Publishes without waiting; a failed live event never fails the business operation. */
  emit(event: LiveEvent): void {
    this.publish(event).catch(() => {});
  }

  /** Subscribes a user's connection; returns the unsubscribe function. */
  subscribe(userId: string, handler: (event: LiveEvent) => void): () => void {
    const fn = (event: LiveEvent) => {
      if (!event.userIds || event.userIds.includes(userId)) handler(event);
    };
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }

  /** Raw stream of every event reaching this instance (used by tests and the job runner wake-up). */
  onAny(handler: (event: LiveEvent) => void): () => void {
    this.emitter.on('event', handler);
    return () => this.emitter.off('event', handler);
  }

  async stop(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    if (listener) {
      try {
        await listener.query(`UNLISTEN ${CHANNEL}`);
      } catch {
        /* already gone */
      }
      // Destroy rather than pool the connection that was listening.
      try {
        listener.release(true);
      } catch {
        /* already released */
      }
    }
    this.emitter.removeAllListeners();
  }
}
