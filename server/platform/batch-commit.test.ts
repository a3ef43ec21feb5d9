import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from './db/connect.js';
import { GroupCommit, TickBatcher } from './batch-commit.js';

describe('batch commit (platform/batch-commit.ts)', () => {
  let database: Database;
  beforeAll(async () => {
    database = connect('sqlite::memory:');
    await sql`create table t (id integer primary key, v text not null)`.execute(database.db);
  });
  afterAll(() => database.close());

  it('GroupCommit: work queued together shares one transaction; a failing item is rolled back alone', async () => {
    const commits = new GroupCommit(database.db, 100);
    const txs = new Set<unknown>();
    const write = (id: number, fail = false) =>
      commits.run(async (trx) => {
        txs.add(trx);
        await sql`insert into t (id, v) values (${id}, 'x')`.execute(trx);
        if (fail) throw new Error(`item ${id} fails`);
        return id;
      });
    const results = await Promise.allSettled([write(1), write(2, true), write(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('item 2 fails');
    expect(txs.size).toBe(1);
    const rows = await sql<{ id: number }>`select id from t order by id`.execute(database.db);
    expect(rows.rows.map((r) => r.id)).toEqual([1, 3]);
  });

  it('GroupCommit: at most `max` items per transaction', async () => {
    const commits = new GroupCommit(database.db, 2);
    const txs = new Set<unknown>();
    await Promise.all([10, 11, 12, 13, 14].map(() => commits.run(async (trx) => void txs.add(trx))));
    expect(txs.size).toBe(3);
  });

  it('TickBatcher: the takes of one tick are served by one call, in order', async () => {
    let counter = 0;
    const calls: number[] = [];
    const turns = new TickBatcher(async (_key, n) => {
      calls.push(n);
      counter += n;
      return counter;
    });
    expect(await Promise.all([turns.take('f'), turns.take('f'), turns.take('f')])).toEqual([1, 2, 3]);
    expect(await turns.take('f')).toBe(4);
    expect(calls).toEqual([3, 1]);
  });
});
