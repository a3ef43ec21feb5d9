import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { testDialects, createTestDatabase } from '../test/databases.js';
import { JobRunner, type NoPayload } from './jobs.js';

const log = pino({ level: 'silent' });

declare module './jobs.js' {
  interface Jobs {
    'test.echo': { n: number };
    'test.fail': NoPayload;
    'test.later': NoPayload;
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
