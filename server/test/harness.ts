/**
 * Test harness: a real Voronka (all modules, real database) per test file and dialect, driven through
 * HTTP with app.inject. `describeEachDialect` runs a suite on SQLite and on PostgreSQL.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Config } from '../config.js';
import { createServer, type Server } from '../app.js';
import type { Dialect } from '../platform/db/connect.js';
import type { User } from '../../common/api/users.js';
import { createTestDatabase, testDialects, type TestDatabase } from './databases.js';
import { testConfig } from './config.js';

export { testConfig };

export const TEST_PASSWORD = 'Надёжный-пароль-42';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

/** An HTTP client bound to one logged-in user (session cookie + CSRF token), or anonymous. */
export class TestClient {
  constructor(
    private server: () => Server,
    public cookie: string | null = null,
    public csrfToken: string | null = null,
    public user: User | null = null,
  ) {}

  async request<T = any>(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrfToken;
    const opts: InjectOptions = { method, url, headers: h };
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) opts.payload = body;
      else opts.payload = body as object;
    }
    const res = await this.server().app.inject(opts);
    let parsed: unknown = res.body;
    if (String(res.headers['content-type'] ?? '').includes('json') && res.body) {
      try {
        parsed = JSON.parse(res.body);
      } catch {
        /* keep the text */
      }
    }
    return { status: res.statusCode, body: parsed as T, headers: res.headers, raw: res };
  }

  get<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('GET', url, undefined, headers);
  }
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body ?? {}, headers);
  }
  patch<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', url, body ?? {}, headers);
  }
  put<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', url, body ?? {}, headers);
  }
  delete<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', url, undefined, headers);
  }
}

export interface Harness {
  dialect: Dialect;
  server: Server;
  /** Anonymous client. */
  anon: TestClient;
  /** The admin created at start. */
  admin: TestClient;
  /** Creates a user of a role (optionally in a department) and returns a logged-in client. */
  user(role: User['role'], opts?: { departmentId?: string | null; name?: string; email?: string }): Promise<TestClient>;
  /** Creates a department, optionally with a head. */
  department(name?: string): Promise<{ id: string; head: TestClient }>;
  login(email: string, password: string): Promise<TestClient>;
}

let seq = 0;

export function createHarness(dialect: Dialect, opts: { config?: Partial<Config>; runJobs?: boolean } = {}) {
  let testDb: TestDatabase;
  const h = { dialect } as Harness;
  const serverRef = () => h.server;

  const start = async () => {
    testDb = await createTestDatabase(dialect, { migrated: true });
    h.server = await createServer(testConfig(opts.config), {
      database: testDb.database,
      logger: pino({ level: 'silent' }),
      runJobs: opts.runJobs ?? false,
    });
    h.anon = new TestClient(serverRef);
    h.login = async (email, password) => {
      const res = await h.anon.post('/api/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      return new TestClient(serverRef, cookie, res.body.csrfToken, res.body.user);
    };
    h.user = async (role, o = {}) => {
      const n = ++seq;
      const user = await h.server.ctx.services.users.createUnchecked({
        email: o.email ?? `${role}${n}@test.voronka`,
        name: o.name ?? `${role} ${n}`,
        role,
        password: TEST_PASSWORD,
        departmentId: o.departmentId ?? null,
      });
      // Sessions straight from the service: one argon2 verify per user is all the tests need.
      const s = await h.server.ctx.services.auth.startSession(user, { ip: '127.0.0.1' });
      return new TestClient(serverRef, `voronka_session=${s.token}`, s.csrfToken, user);
    };
    h.department = async (name) => {
      const res = await h.admin.post('/api/departments', { name: name ?? `Отдел ${++seq}` });
      const head = await h.user('head', { departmentId: res.body.id });
      await h.admin.patch(`/api/departments/${res.body.id}`, { headId: head.user!.id });
      return { id: res.body.id, head };
    };
    h.admin = await h.user('admin');
  };

  const stop = async () => {
    await h.server?.close();
    await testDb?.drop();
  };
  return { h, start, stop };
}

/** Runs `fn` once per dialect with a fresh database and server for the suite. */
export function describeEachDialect(name: string, fn: (h: Harness) => void, opts: { config?: Partial<Config>; runJobs?: boolean } = {}) {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => {
      const { h, start, stop } = createHarness(dialect, opts);
      beforeAll(start);
      afterAll(stop);
      fn(h);
    });
  }
}
