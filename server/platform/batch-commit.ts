/**
 * Batching for hot write paths (the leads intake): many callers, few transactions or round trips.
 * - `GroupCommit`: SQLite group commit. Work arriving while a transaction runs is written together in the next one,
 *   each inside its own savepoint (a failing item is rolled back alone); every caller is answered only after the
 *   commit that holds its work.
 * - `TickBatcher`: the requests for a key made in one event-loop tick are served by one call that takes `n` at once
 *   (e.g. one atomic `counter + n`), and handed out in order.
 */
import { sql } from 'kysely';
import type { Db, Tx } from './db/connect.js';

interface Pending {
  fn: (trx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit {
  private pending: Pending[] = [];
  private flushing = false;

  /** `max`: most items written in one transaction. */
  constructor(
    private db: Db,
    private max = 100,
  ) {}

  run<R>(fn: (trx: Tx) => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ fn: fn as (trx: Tx) => Promise<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests already read from the sockets reach the queue first.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.max);
        const results: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            if (batch.length === 1) {
              results.push({ ok: true, value: await batch[0].fn(trx) });
              return;
            }
            for (const item of batch) {
              await sql`savepoint group_commit_item`.execute(trx);
              try {
                const value = await item.fn(trx);
                await sql`release savepoint group_commit_item`.execute(trx);
                results.push({ ok: true, value });
              } catch (err) {
                await sql`rollback to savepoint group_commit_item`.execute(trx);
                await sql`release savepoint group_commit_item`.execute(trx);
                results.push({ ok: false, err });
              }
            }
          });
        } catch (err) {
          // A single item's own error, or a failed commit: then nothing of the batch is stored.
          for (const item of batch) item.reject(err);
          if (this.pending.length) await new Promise((r) => setImmediate(r));
          continue;
        }
        batch.forEach((item, i) => {
          const r = results[i];
          if (r.ok) item.resolve(r.value);
          else item.reject(r.err);
        });
        if (this.pending.length) await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.flushing = false;
    }
  }
}

export class TickBatcher {
  private waiters = new Map<string, { resolve: (n: number) => void; reject: (e: unknown) => void }[]>();

  /** `takeMany(key, n)` takes n at once and returns the last one taken (the others are the n − 1 before it). */
  constructor(private takeMany: (key: string, n: number) => Promise<number>) {}

  take(key: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let waiters = this.waiters.get(key);
      if (!waiters) {
        waiters = [];
        this.waiters.set(key, waiters);
        setImmediate(() => void this.flush(key));
      }
      waiters.push({ resolve, reject });
    });
  }

  private async flush(key: string): Promise<void> {
    const waiters = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    try {
      const last = await this.takeMany(key, waiters.length);
      waiters.forEach((w, i) => w.resolve(last - waiters.length + 1 + i));
    } catch (err) {
      for (const w of waiters) w.reject(err);
    }
  }
}
