/**
 * Two Voronka instances on one PostgreSQL database (DESIGN §1 scale path): a live event published on
 * one reaches an SSE client of the other; a scheduled job runs once per tick, not once per instance;
 * concurrent runners never run the same job twice.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { inject } from 'vitest';
import { createServer, type Server } from '../app.js';
import { connect } from './db/connect.js';
import { createPgDatabaseUrl } from '../test/databases.js';
import { testConfig } from '../test/harness.js';
import type { NoPayload } from './jobs.js';

const pgUrl = inject('pgUrl');

declare module './jobs.js' {
  interface Jobs {
    'test.tick': NoPayload;
    'test.many': { i: number };
  }
}

describe.runIf(pgUrl)('two instances on one PostgreSQL', () => {
  let drop: () => Promise<void>;
  let a: Server;
  let b: Server;
  let portB: number;

  beforeAll(async () => {
    const created = await createPgDatabaseUrl();
    drop = created.drop;
    const config = testConfig({ databaseUrl: created.url });
    a = await createServer(config, { database: connect(created.url), logger: pino({ level: 'silent' }) });
    b = await createServer(config, { database: connect(created.url), logger: pino({ level: 'silent' }) });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    portB = (b.app.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await a?.ctx.database.close();
    await b?.ctx.database.close();
    await drop?.();
  });

  it('an event published on instance A reaches an SSE client of instance B', async () => {
    const user = await a.ctx.services.users.createUnchecked({
      email: 'sse@test.voronka',
      name: 'SSE',
      role: 'manager',
      password: 'Надёжный-пароль-42',
    });
    const session = await a.ctx.services.auth.startSession(user, { ip: '127.0.0.1' });
    const received = new Promise<string>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: portB, path: '/api/events', headers: { cookie: `voronka_session=${session.token}` } },
        (res) => {
          expect(res.statusCode).toBe(200);
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            if (buf.includes(': connected')) {
              // Connected on B: publish on A.
              if (!buf.includes('published')) {
                buf += 'published';
                a.ctx.events.emit(
                  'notification.created',
                  { id: 'n1', kind: 'test', title: 'Привет с A', text: null, link: null },
                  { userIds: [user.id] },
                );
              }
            }
            const m = buf.match(/event: notification\.created\ndata: (.*)\n/);
            if (m) {
              resolve(m[1]);
              req.destroy();
            }
          });
        },
      );
      req.on('error', (e) => (e.message.includes('socket hang up') ? null : reject(e)));
      setTimeout(() => reject(new Error('no event within 5 s')), 5000);
    });
    expect(JSON.parse(await received)).toEqual({ id: 'n1', kind: 'test', title: 'Привет с A', text: null, link: null });
  });

  it('deactivating a user on instance A ends his session on instance B at once', async () => {
    const user = await a.ctx.services.users.createUnchecked({
      email: 'gone@test.voronka',
      name: 'Уходит',
      role: 'manager',
      password: 'Надёжный-пароль-42',
    });
    const admin = await a.ctx.services.users.createUnchecked({
      email: 'adm@test.voronka',
      name: 'Адм',
      role: 'admin',
      password: 'Надёжный-пароль-42',
    });
    const session = await b.ctx.services.auth.startSession(user, { ip: '127.0.0.1' });
    const me = () => b.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `voronka_session=${session.token}` } });
    expect((await me()).statusCode).toBe(200); // now cached on B
    await a.ctx.services.users.update({ id: admin.id, email: admin.email, name: admin.name, role: 'admin', departmentId: null }, user.id, {
      active: false,
    });
    // B drops its cached credentials when A's change arrives through LISTEN/NOTIFY.
    await vi.waitFor(async () => expect((await me()).statusCode).toBe(401), { timeout: 5000, interval: 20 });
  });

  it('a job scheduled every second on both instances runs once per tick', async () => {
    const runsA: string[] = [];
    const runsB: string[] = [];
    for (const [s, runs] of [
      [a, runsA],
      [b, runsB],
    ] as const) {
      s.ctx.jobs.register('test.tick', async (_p, { job }) => {
        runs.push(job.id);
      });
      s.ctx.jobs.schedule('test.tick', '* * * * * *', 'test.tick');
      s.ctx.jobs.start();
    }
    // Until three ticks have run (about three seconds), whichever instance claimed them.
    await vi.waitFor(
      async () => {
        const done = await a.ctx.db.selectFrom('jobs').select('id').where('type', '=', 'test.tick').where('status', '=', 'done').execute();
        expect(done.length).toBeGreaterThanOrEqual(3);
      },
      { timeout: 15_000, interval: 100 },
    );
    await a.ctx.jobs.stop();
    await b.ctx.jobs.stop();
    const rows = await a.ctx.db.selectFrom('jobs').select(['dedupe_key', 'status']).where('type', '=', 'test.tick').execute();
    // Ticks happened (3 or more), each enqueued once, each ran once, on whichever instance claimed it.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const keys = new Set(rows.map((r) => r.dedupe_key));
    expect(keys.size).toBe(rows.length);
    const ran = [...runsA, ...runsB];
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran.length).toBe(rows.filter((r) => r.status === 'done').length);
  });

  it('two runners claiming concurrently never run a job twice', async () => {
    const seen: string[] = [];
    for (const s of [a, b]) {
      s.ctx.jobs.register('test.many', async (_p, { job }) => {
        seen.push(job.id);
        await new Promise((r) => setTimeout(r, 2));
      });
    }
    for (let i = 0; i < 60; i++) await a.ctx.jobs.enqueue(a.ctx.db, 'test.many', { i });
    const drain = async (s: Server) => {
      while ((await s.ctx.jobs.runDue()) > 0);
    };
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
  });
});
