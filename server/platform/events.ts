/**
 * Live events for the UI (server-sent events at GET /api/events), fanned out to every instance through PostgreSQL
 * LISTEN/NOTIFY (on SQLite they stay in-process).
 *
 * Every event names its audience, and ONE filter here decides delivery against the permissions module:
 * - `{ record: { resource, ownerIds } }`: everyone who may read a record of that resource owned by one of `ownerIds`
 *   (`mayRead`: own / department / all by role; null = unassigned), optionally narrowed to `userIds`;
 * - `{ userIds }`: only those users (their own bell, their own session);
 * - `{ everyone: true }`: every signed-in user — only for what everybody may read (company settings).
 * Names and payloads come from the one typed map in `common/live-events.ts`. Messages without an audience
 * (`publishInternal`: `auth.invalidate`, `forms.invalidate`) reach no browser, only `onAny` listeners on every instance.
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Database } from './db/connect.js';
import type { LiveEventMap, LiveEventName } from '../../common/live-events.js';
import { mayRead, scopeOf, type Actor, type Resource } from './permissions.js';

/** A record an event is about: its resource and owner(s) (e.g. the new and the previous owner; null = unassigned). */
export interface LiveRecord {
  resource: Resource;
  ownerIds: (string | null)[];
}

export type Audience = { record: LiveRecord; userIds?: string[] } | { userIds: string[]; record?: undefined } | { everyone: true };

/** What travels on the bus (and through NOTIFY). */
export interface LiveEvent {
  type: string;
  data: unknown;
  /** Who receives it in the browser; absent: nobody (a cluster-internal message). */
  audience?: Audience;
}

/** Cluster-internal messages (no browser receives them). */
export type InternalEventName = 'auth.invalidate' | 'forms.invalidate';

const CHANNEL = 'voronka_events';

export class EventBus {
  private emitter = new EventEmitter();
  private listener: pg.PoolClient | null = null;
  private closed = false;
  /** user id → department id, for the department scope of heads; dropped when any user changes (auth.invalidate). */
  private departments: Map<string, string | null> | null = null;
  private loadingDepartments: Promise<Map<string, string | null>> | null = null;
  /** Bumped on every drop, so that a load still in flight does not bring back what it read before. */
  private departmentsGeneration = 0;

  constructor(private database: Database) {
    this.emitter.setMaxListeners(0);
    this.emitter.on('event', (event: LiveEvent) => {
      if (event.type === 'auth.invalidate' && (event.data as { userId?: string } | null)?.userId) {
        this.departments = null;
        this.loadingDepartments = null;
        this.departmentsGeneration++;
      }
    });
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

  /** A live event to the browsers of its audience, awaited (e.g. in a job handler). */
  async send<K extends LiveEventName>(type: K, data: LiveEventMap[K], audience: Audience): Promise<void> {
    await this.publish({ type, data, audience });
  }

  /** A live event to the browsers of its audience, after commit, without waiting: it never fails the business operation. */
  emit<K extends LiveEventName>(type: K, data: LiveEventMap[K], audience: Audience): void {
    this.publish({ type, data, audience }).catch(() => {});
  }

  /** A cluster-internal message: every instance's `onAny` listeners get it, no browser does. */
  async publishInternal(type: InternalEventName, data: Record<string, unknown>): Promise<void> {
    await this.publish({ type, data });
  }

  /**
   * Subscribes a signed-in user's connection: `handler` gets, in order, exactly the events whose audience includes
   * `actor` (see the top of this file). Returns the unsubscribe function.
   */
  subscribe(actor: Actor, handler: (event: LiveEvent) => void): () => void {
    let queue: Promise<void> | null = null;
    const fn = (event: LiveEvent) => {
      if (!event.audience) return;
      if (!queue) {
        const verdict = this.mayReceive(actor, event.audience);
        if (typeof verdict === 'boolean') {
          if (verdict) handler(event);
          return;
        }
        queue = verdict.then((ok) => void (ok && handler(event)));
      } else {
        // An earlier event still waits for the departments: keep the order.
        queue = queue.then(async () => void ((await this.mayReceive(actor, event.audience!)) && handler(event)));
      }
      const mine = (queue = queue.catch(() => {}));
      void mine.then(() => {
        if (queue === mine) queue = null;
      });
    };
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }

  /** THE delivery filter: may `actor` receive an event with this audience? Async only while departments load. */
  mayReceive(actor: Actor, audience: Audience): boolean | Promise<boolean> {
    if ('everyone' in audience) return audience.everyone === true;
    if (audience.userIds && !audience.userIds.includes(actor.id)) return false;
    const record = audience.record;
    if (!record) return true;
    const decide = (departments: Map<string, string | null> | null) =>
      mayRead(
        actor,
        record.resource,
        record.ownerIds.map((userId) => ({ userId, departmentId: userId ? (departments?.get(userId) ?? null) : null })),
      );
    // Only a department scope needs to know the owners' departments.
    const needsDepartments =
      scopeOf(actor, record.resource, 'read') === 'department' && record.ownerIds.some((id) => id && id !== actor.id);
    if (!needsDepartments) return decide(null);
    const known = this.departments;
    if (known && record.ownerIds.every((id) => !id || known.has(id))) return decide(known);
    return this.loadDepartments().then(decide);
  }

  /** Loads user → department once (a new user missing from it triggers a reload). Never waits on a caller's transaction. */
  private loadDepartments(): Promise<Map<string, string | null>> {
    if (this.loadingDepartments) return this.loadingDepartments;
    const generation = this.departmentsGeneration;
    const loading = this.database.db
      .selectFrom('users')
      .select(['id', 'department_id'])
      .execute()
      .then((rows) => {
        const map = new Map(rows.map((r) => [r.id, r.department_id] as const));
        if (generation === this.departmentsGeneration) this.departments = map;
        return map;
      })
      .finally(() => {
        if (this.loadingDepartments === loading) this.loadingDepartments = null;
      });
    this.loadingDepartments = loading;
    return loading;
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
