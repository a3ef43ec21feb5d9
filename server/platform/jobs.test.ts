import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { testDialects, createTestDatabase } from '../test/databases.js';
import type { Tx } from './db/connect.js';
import { JobRunner, type NoPayload } from './jobs.js';

const log = pino({ level: 'silent' });

declare module './jobs.js' {
  interface Jobs {
    'test.echo': { n: number };
    'test.fail': NoPayload;
    'test.later': NoPayload;
    'test.reminder': { n: number };
    'test.long': NoPayload;
    'test.once': NoPayload;
    'test.outside': NoPayload;
  }
}

/** Polls `check` until it is true or the deadline passes (then fails). */
async function pollUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const dialect of testDialects()) {
  describe(`job runner [${dialect}]`, () => {
    it('runs an enqueued job once, inside a transaction with its effects', async () => {
      const t = await createTestDatabase(dialect, { migrated: true });
      try {
        const runner = new JobRunner(t.database, log);
        const seen: unknown[] = [];
        runner.register('test.echo', async (payload, { trx }) => {
          seen.push(payload);
          await trx
            .insertInto('settings')
            .values({ key: `k${seen.length}`, value: '1', updated_at: new Date().toISOString() })
            .execute();
        });
        await runner.enqueue(t.database.db, 'test.echo', { n: 1 });
        await runner.enqueue(t.database.db, 'test.echo', { n: 2 }, { dedupeKey: 'same' });
        await runner.enqueue(t.database.db, 'test.echo', { n: 3 }, { dedupeKey: 'same' });
        expect(await runner.runDue()).toBe(2);
        expect(await runner.runDue()).toBe(0);
        expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
        const settings = await t.database.db.selectFrom('settings').select('key').execute();
        expect(settings).toHaveLength(2);
      } finally {
        await t.drop();
      }
    });

    it('a long job runs outside a transaction and beside the loop: other jobs and queries go on meanwhile', async () => {
      const t = await createTestDatabase(dialect, { migrated: true });
      try {
        const runner = new JobRunner(t.database, log);
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        let started = false;
        runner.registerLong('test.outside', async (_p, { db }) => {
          started = true;
          await gate;
          await db.insertInto('settings').values({ key: 'long', value: '1', updated_at: new Date().toISOString() }).execute();
        });
        const echoed: unknown[] = [];
        runner.register('test.echo', async (payload) => void echoed.push(payload));
        await runner.enqueue(t.database.db, 'test.outside', {});
        expect(await runner.runDue()).toBe(1);
        expect(started).toBe(true);
        // While it waits, the database is free (no transaction held: on SQLite it would block this) and other jobs run.
        await runner.enqueue(t.database.db, 'test.echo', { n: 7 });
        expect(await runner.runDue()).toBe(1);
        expect(echoed).toEqual([{ n: 7 }]);
        const running = await t.database.db
          .selectFrom('jobs')
          .select('status')
          .where('type', '=', 'test.outside')
          .executeTakeFirstOrThrow();
        expect(running.status).toBe('running');
        release();
        await runner.idle();
        const done = await t.database.db.selectFrom('jobs').select('status').where('type', '=', 'test.outside').executeTakeFirstOrThrow();
        expect(done.status).toBe('done');
        expect(await t.database.db.selectFrom('settings').select('key').where('key', '=', 'long').executeTakeFirst()).toBeTruthy();
      } finally {
        await t.drop();
      }
    });

    it('a failing job rolls back its effects and is retried later, then marked failed', async () => {
      const t = await createTestDatabase(dialect, { migrated: true });
      try {
        const runner = new JobRunner(t.database, log);
        let calls = 0;
        runner.register('test.fail', async (_p, { trx }) => {
          calls++;
          await trx
            .insertInto('settings')
            .values({ key: `fail${calls}`, value: '1', updated_at: new Date().toISOString() })
            .execute();
          throw new Error('boom');
        });
        await runner.enqueue(t.database.db, 'test.fail', {}, { maxAttempts: 2 });
        await runner.runDue();
        let job = await t.database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
        expect(job.status).toBe('pending');
        expect(job.last_error).toBe('boom');
        expect(new Date(job.run_at).getTime()).toBeGreaterThan(Date.now());
        // Make it due again.
        await t.database.db
          .updateTable('jobs')
          .set({ run_at: new Date(0).toISOString() })
          .execute();
        await runner.runDue();
        job = await t.database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
        expect(job.status).toBe('failed');
        expect(calls).toBe(2);
        expect(await t.database.db.selectFrom('settings').selectAll().execute()).toHaveLength(0);
      } finally {
        await t.drop();
      }
    });

    it('jobs scheduled for later wait for their time', async () => {
      const t = await createTestDatabase(dialect, { migrated: true });
      try {
        const runner = new JobRunner(t.database, log);
        let ran = 0;
        runner.register('test.later', async () => {
          ran++;
        });
        await runner.enqueue(t.database.db, 'test.later', {}, { runAt: new Date(Date.now() + 60_000) });
        expect(await runner.runDue()).toBe(0);
        expect(ran).toBe(0);
      } finally {
        await t.drop();
      }
    });

    it('a job claimed by a runner that died is retaken once its short lease runs out, and runs once', async () => {
      const t = await createTestDatabase(dialect, { migrated: true });
      try {
        // The dead claimer: it took the job (status running, lease stamped now) and never renewed it.
        const dead = new JobRunner(t.database, log, { leaseMs: 1000 });
        dead.register('test.reminder', async () => {
          throw new Error('the dead runner never gets here');
        });
        await dead.enqueue(t.database.db, 'test.reminder', { n: 1 });
        const claimedAt = Date.now();
        await t.database.db
          .updateTable('jobs')
          .set({ status: 'running', locked_by: 'dead-host:1', locked_at: new Date(claimedAt).toISOString(), attempts: 1 })
          .execute();

        const alive = new JobRunner(t.database, log, { leaseMs: 1000 });
        const ran: number[] = [];
        alive.register('test.reminder', async () => {
          ran.push(Date.now());
        });
        expect(await alive.runDue()).toBe(0); // still leased
        await pollUntil(async () => (await alive.runDue()) > 0, 5_000);
        expect(ran).toHaveLength(1);
        expect(ran[0]! - claimedAt).toBeGreaterThanOrEqual(1000);
        expect(await alive.runDue()).toBe(0);
        const job = await t.database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
        expect(job).toMatchObject({ status: 'done', attempts: 2, locked_by: null });
      } finally {
        await t.drop();
      }
    });

    // On SQLite one connection is held by the running job's transaction, so no second claim can even start there:
    // these two exist on PostgreSQL only (registered there, not skipped here).
    if (dialect === 'postgres') {
      it('a long job that renews its lease is not taken by another runner', async () => {
        const t = await createTestDatabase(dialect, { migrated: true });
        try {
          let release!: () => void;
          const released = new Promise<void>((r) => (release = r));
          let calls = 0;
          const handler = async (_p: unknown, { trx }: { trx: Tx }) => {
            calls++;
            await trx
              .insertInto('settings')
              .values({ key: `long${calls}`, value: '1', updated_at: new Date().toISOString() })
              .execute();
            await released;
          };
          const a = new JobRunner(t.database, log, { leaseMs: 400 });
          const b = new JobRunner(t.database, log, { leaseMs: 400 });
          a.register('test.long', handler);
          b.register('test.long', handler);
          await a.enqueue(t.database.db, 'test.long', {});
          const running = a.runDue();
          await pollUntil(async () => calls === 1, 5_000);
          // Three leases long, the other runner finds nothing to take.
          const until = Date.now() + 1_200;
          while (Date.now() < until) expect(await b.runDue()).toBe(0);
          release();
          expect(await running).toBe(1);
          expect(calls).toBe(1);
          expect(await t.database.db.selectFrom('settings').select('key').where('key', 'like', 'long%').execute()).toEqual([
            { key: 'long1' },
          ]);
          expect((await t.database.db.selectFrom('jobs').select('status').executeTakeFirstOrThrow()).status).toBe('done');
        } finally {
          await t.drop();
        }
      });

      it('a runner that stalled past its lease loses the job: its transaction rolls back, effects land once', async () => {
        const t = await createTestDatabase(dialect, { migrated: true });
        try {
          let release!: () => void;
          const released = new Promise<void>((r) => (release = r));
          const runs: string[] = [];
          const make = (name: string, wait: boolean) => {
            // A heartbeat far longer than the lease: this runner stops renewing (as a frozen process would).
            const r = new JobRunner(t.database, log, { leaseMs: 200, heartbeatMs: wait ? 60_000 : 50 });
            r.register('test.once', async (_p, { trx }) => {
              runs.push(name);
              await trx
                .insertInto('settings')
                .values({ key: `once-${name}`, value: '1', updated_at: new Date().toISOString() })
                .execute();
              if (wait) await released;
            });
            return r;
          };
          const stalled = make('stalled', true);
          const other = make('other', false);
          await stalled.enqueue(t.database.db, 'test.once', {});
          const first = stalled.runDue();
          await pollUntil(async () => (await other.runDue()) > 0, 5_000);
          release();
          await first;
          expect(runs).toEqual(['stalled', 'other']);
          expect(await t.database.db.selectFrom('settings').select('key').where('key', 'like', 'once-%').execute()).toEqual([
            { key: 'once-other' },
          ]);
          const job = await t.database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
          expect(job.status).toBe('done');
        } finally {
          await t.drop();
        }
      });
    }
  });
}

describe('job types', () => {
  it('a wrong job name or payload does not compile (npm run typecheck fails when an expect-error stops erring)', () => {
    const never = (runner: JobRunner, exec: Parameters<JobRunner['enqueue']>[0]) => {
      // @ts-expect-error a job nobody declared
      runner.register('test.ecoh', async () => {});
      // @ts-expect-error a payload of the wrong shape
      void runner.enqueue(exec, 'test.echo', { n: '1' });
      // @ts-expect-error a payload missing
      void runner.enqueue(exec, 'tasks.remind', {});
      // @ts-expect-error a handler reading a field the payload does not have
      runner.register('leads.sla_check', async (p) => void p.taskId);
      // @ts-expect-error a scheduled job that needs a payload gets none
      runner.schedule('x', '* * * * *', 'automation.run');
      runner.schedule('x', '* * * * *', 'notifications.purge'); // needs none
      runner.register('tasks.remind', async (p) => void p.remindAt.slice(0));
    };
    expect(typeof never).toBe('function');
  });
});
