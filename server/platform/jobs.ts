/**
 * Background jobs on a transactional outbox table. A service enqueues a job in the same transaction as
 * its data, so a job exists iff the change committed. Runners on every instance claim due jobs
 * (PostgreSQL: FOR UPDATE SKIP LOCKED) and run each handler inside a transaction that also marks the job
 * done: database effects happen exactly once even when a process dies mid-way (the job is re-claimed).
 * A claim is a short lease (`locked_at`, 20 s by default) that the runner renews while the handler runs; a job whose
 * claimer stopped renewing (the process died) is taken by another instance once the lease runs out. The completing
 * transaction checks that the lease is still ours, so a claimer that merely stalled past its lease rolls back
 * instead of committing a second time.
 * Periodic jobs come from croner; each tick enqueues a job with a dedupe key, under an advisory lock on
 * PostgreSQL, so N instances produce one run per tick.
 */
import os from 'node:os';
import { Cron } from 'croner';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database, Executor, Tx } from './db/connect.js';
import { newId } from './ids.js';

export interface JobRecord {
  id: string;
  type: string;
  payload: unknown;
  attempts: number;
}

/**
 * Job name → payload type. Each module declares its jobs by module augmentation, next to its job constants:
 *   declare module '../../platform/jobs.js' { interface Jobs { 'tasks.remind': { taskId: string; remindAt: string } } }
 * so register/enqueue/schedule with an unknown name or a wrong payload do not compile. Payloads are stored as JSON:
 * declare them with JSON types (an ISO string, not a Date).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Jobs {}

export type JobName = keyof Jobs;
/** The payload of a job that needs none (scheduled ticks enqueue `{}`). */
export type NoPayload = Record<string, never>;

/** Handlers must do their database work through `trx` (on SQLite another connection would wait on it). */
export type JobHandler<P = unknown> = (payload: P, ctx: { trx: Tx; job: JobRecord }) => Promise<void>;

/**
 * A handler of long work (a backup, an upload) that must not hold a transaction for minutes (on SQLite that would
 * hold the one connection): it runs outside any transaction, at least once (a retaken job runs again, so it must be
 * safe to repeat), and the job is marked done after it returns; a throw is retried with the usual backoff.
 */
export type LongJobHandler<P = unknown> = (payload: P, ctx: { db: Database['db']; job: JobRecord }) => Promise<void>;

/**
 * Called once when a job has failed its last attempt (its own transaction, after the job is marked failed): the place
 * to tell the user and leave the work's record in a state he can act on, instead of «running» forever.
 */
export type GiveUpHandler<P = unknown> = (payload: P, ctx: { trx: Tx; job: JobRecord; error: string }) => Promise<void>;

/** A scheduled job's payload: optional when the job's payload may be `{}`. */
type SchedulePayload<K extends JobName> = NoPayload extends Jobs[K] ? [payload?: Jobs[K]] : [payload: Jobs[K]];

export interface EnqueueOptions {
  runAt?: Date;
  /** A second enqueue with the same key is ignored: exactly-once scheduling. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** How long a claim holds without renewal; a due job of a dead process is retaken at most this (plus a poll) late. */
const DEFAULT_LEASE_MS = 20_000;

/** The job was retaken by another runner while this one ran it: its transaction must not commit. */
class LeaseLost extends Error {}

export class JobRunner {
  private handlers = new Map<string, JobHandler<any>>();
  private longHandlers = new Map<string, LongJobHandler<any>>();
  private giveUpHandlers = new Map<string, GiveUpHandler<any>>();
  /** Long jobs running beside the loop (they never hold it up). */
  private longRunning = new Set<Promise<void>>();
  private crons: Cron[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private kicked = false;
  readonly workerId = `${os.hostname()}:${process.pid}:${newId().slice(-6)}`;

  constructor(
    private database: Database,
    private log: Logger,
    private opts: {
      pollMs?: number;
      batch?: number;
      tz?: string;
      /** Lease of a claim in ms (default 20 s). */
      leaseMs?: number;
      /** How often a running job's lease is renewed (default a quarter of the lease). */
      heartbeatMs?: number;
    } = {},
  ) {}

  register<K extends JobName>(type: K, handler: JobHandler<Jobs[K]>, options: { onGiveUp?: GiveUpHandler<Jobs[K]> } = {}): void {
    this.handlers.set(type, handler);
    if (options.onGiveUp) this.giveUpHandlers.set(type, options.onGiveUp);
  }

  /** Registers a handler run outside a transaction (see `LongJobHandler`). */
  registerLong<K extends JobName>(type: K, handler: LongJobHandler<Jobs[K]>): void {
    this.longHandlers.set(type, handler);
  }

  /** Inserts a job; call with the transaction of the change it belongs to. */
  async enqueue<K extends JobName>(exec: Executor, type: K, payload: Jobs[K], options: EnqueueOptions = {}): Promise<void> {
    const now = new Date().toISOString();
    await exec
      .insertInto('jobs')
      .values({
        id: newId(),
        type,
        payload: JSON.stringify(payload ?? null),
        status: 'pending',
        run_at: (options.runAt ?? new Date()).toISOString(),
        max_attempts: options.maxAttempts ?? 5,
        dedupe_key: options.dedupeKey ?? null,
        last_error: null,
        locked_by: null,
        locked_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
    this.kick();
  }

  /**
   * Runs `type` on a cron pattern (croner syntax, company time zone). Each tick becomes one job for the
   * whole cluster.
   */
  schedule<K extends JobName>(name: string, pattern: string, type: K, ...[payload = {} as Jobs[K]]: SchedulePayload<K>): void {
    const withSeconds = pattern.trim().split(/\s+/).length >= 6;
    const cron = new Cron(pattern, { timezone: this.opts.tz, protect: true, paused: this.stopped }, async () => {
      const tick = new Date();
      tick.setMilliseconds(0);
      if (!withSeconds) tick.setSeconds(0);
      try {
        await this.enqueueTick(name, type, payload, tick);
      } catch (err) {
        this.log.error({ err, name }, 'scheduler tick failed');
      }
    });
    this.crons.push(cron);
  }

  private async enqueueTick<K extends JobName>(name: string, type: K, payload: Jobs[K], tick: Date): Promise<void> {
    const dedupeKey = `cron:${name}:${tick.toISOString()}`;
    if (this.database.dialect === 'postgres') {
      await this.database.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtext(${'voronka:cron:' + name})) as ok`.execute(
          trx,
        );
        if (!rows[0]?.ok) return; // another instance is enqueuing this tick
        await this.enqueue(trx, type, payload, { dedupeKey });
      });
    } else {
      await this.enqueue(this.database.db, type, payload, { dedupeKey });
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const cron of this.crons) cron.resume();
    this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cron of this.crons) cron.stop();
    this.crons = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Let a batch in progress finish so no transaction is cut by the pool closing.
    while (this.running) await new Promise((r) => setTimeout(r, 10));
    await this.idle();
  }

  /** Asks the loop to look for work now (after an enqueue in this process). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.kicked = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.loop(), 0);
  }

  private async loop(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    try {
      let n: number;
      do {
        this.kicked = false;
        n = await this.runDue();
      } while (!this.stopped && (n > 0 || this.kicked));
    } catch (err) {
      this.log.error({ err }, 'job loop failed');
    } finally {
      this.running = false;
    }
    if (!this.stopped) this.timer = setTimeout(() => this.loop(), this.opts.pollMs ?? 1000);
  }

  /** Claims and runs due jobs once; returns how many ran. Public for tests and the CLI. */
  async runDue(): Promise<number> {
    const claimed = await this.claim(this.opts.batch ?? 10);
    for (const job of claimed) {
      if (this.longHandlers.has(job.type)) {
        // A long job runs beside the loop, so a backup does not delay the other jobs for minutes.
        const running: Promise<void> = this.runOne(job).finally(() => this.longRunning.delete(running));
        this.longRunning.add(running);
      } else await this.runOne(job);
    }
    return claimed.length;
  }

  /** Resolves when the long jobs started so far have ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.longRunning.size) await Promise.allSettled([...this.longRunning]);
  }

  private async claim(limit: number): Promise<JobRecord[]> {
    const now = new Date();
    const staleBefore = new Date(now.getTime() - this.leaseMs).toISOString();
    return this.database.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('jobs')
        .select(['id', 'type', 'payload', 'attempts'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now.toISOString())]),
            eb.and([eb('status', '=', 'running'), eb('locked_at', '<', staleBefore)]),
          ]),
        )
        .orderBy('run_at')
        .limit(limit);
      if (this.database.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('jobs')
        .set({
          status: 'running',
          locked_by: this.workerId,
          locked_at: now.toISOString(),
          attempts: sql`attempts + 1`,
          updated_at: now.toISOString(),
        })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({ id: r.id, type: r.type, payload: JSON.parse(r.payload), attempts: r.attempts + 1 }));
    });
  }

  private get leaseMs(): number {
    return this.opts.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Renews the lease of a running job until stopped. On SQLite the renewal waits for the handler's transaction
   * (one connection), which is harmless: there another process cannot claim while that transaction is open.
   */
  private heartbeat(jobId: string): () => void {
    let inFlight = false;
    const timer = setInterval(
      () => {
        if (inFlight) return;
        inFlight = true;
        const now = new Date().toISOString();
        this.database.db
          .updateTable('jobs')
          .set({ locked_at: now })
          .where('id', '=', jobId)
          .where('locked_by', '=', this.workerId)
          .where('status', '=', 'running')
          .execute()
          .catch((err) => this.log.warn({ err, jobId }, 'job lease renewal failed'))
          .finally(() => (inFlight = false));
      },
      this.opts.heartbeatMs ?? Math.max(Math.floor(this.leaseMs / 4), 10),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  private async runOne(job: JobRecord): Promise<void> {
    const handler = this.handlers.get(job.type);
    const db = this.database.db;
    const stopHeartbeat = this.heartbeat(job.id);
    try {
      const long = this.longHandlers.get(job.type);
      if (long) {
        await long(job.payload, { db, job });
        await db
          .updateTable('jobs')
          .set({ status: 'done', locked_by: null, locked_at: null, updated_at: new Date().toISOString() })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.workerId)
          .execute();
        return;
      }
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      await db.transaction().execute(async (trx) => {
        await handler(job.payload, { trx, job });
        const done = await trx
          .updateTable('jobs')
          .set({ status: 'done', locked_by: null, locked_at: null, updated_at: new Date().toISOString() })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.workerId)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) throw new LeaseLost();
      });
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.log.warn({ jobId: job.id, type: job.type }, 'job lease lost to another runner: its effects were rolled back');
        return;
      }
      const row = await db.selectFrom('jobs').select(['max_attempts']).where('id', '=', job.id).executeTakeFirst();
      const failed = job.attempts >= (row?.max_attempts ?? 5);
      const backoffMs = Math.min(60_000 * 2 ** (job.attempts - 1), 3_600_000);
      const error = String((err as Error)?.message ?? err).slice(0, 2000);
      this.log.warn({ err, jobId: job.id, type: job.type, attempts: job.attempts }, failed ? 'job failed' : 'job will retry');
      const giveUp = failed ? this.giveUpHandlers.get(job.type) : undefined;
      const mark = async (exec: Executor) => {
        const result = await exec
          .updateTable('jobs')
          .set({
            status: failed ? 'failed' : 'pending',
            last_error: error,
            run_at: new Date(Date.now() + backoffMs).toISOString(),
            locked_by: null,
            locked_at: null,
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.workerId)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      };
      if (!giveUp) {
        await mark(db);
      } else {
        try {
          // Marked failed and given up in one transaction: the give-up runs once, by the runner that held the job.
          await db.transaction().execute(async (trx) => {
            if (await mark(trx)) await giveUp(job.payload, { trx, job, error });
          });
        } catch (giveUpErr) {
          this.log.error({ err: giveUpErr, jobId: job.id, type: job.type }, 'job give-up handler failed');
          await mark(db);
        }
      }
    } finally {
      stopHeartbeat();
    }
  }
}
