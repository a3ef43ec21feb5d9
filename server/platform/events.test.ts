import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { connect } from './db/connect.js';
import { createPgDatabaseUrl } from '../test/databases.js';
import { EventBus } from './events.js';

const pgUrl = inject('pgUrl');

describe.runIf(pgUrl)('event bus on PostgreSQL', () => {
  it('survives its listening connection being killed: reconnects, and a stopped bus ignores late errors', async () => {
    const created = await createPgDatabaseUrl();
    const database = connect(created.url);
    const bus = new EventBus(database);
    const dbName = new URL(created.url).pathname.slice(1);
    const kill = async () => {
      const admin = new pg.Client({ connectionString: pgUrl! });
      await admin.connect();
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
      await admin.end();
    };
    try {
      await bus.start();
      const got: unknown[] = [];
      bus.onAny((e) => got.push(e.data));
      await kill();
      // The bus reconnects within about a second and delivers again.
      for (let i = 0; i < 40 && got.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await bus.publish({ type: 't', data: i }).catch(() => {});
      }
      expect(got.length).toBeGreaterThan(0);
      await bus.stop();
      // Errors on the released connection after stop() must not throw (the double release once crashed a run).
      await kill();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await database.close();
      await created.drop();
    }
  });
});
