/**
 * Login throttling that an attacker cannot turn against the real user: delays per account + origin, per-IP and
 * per-account limits that a known device or a known IP passes, X-Forwarded-For ignored unless the proxy is trusted.
 */
import { describe, expect, it } from 'vitest';
import { describeEachDialect, TEST_PASSWORD, type Harness } from '../../test/harness.js';
import { LoginLimiter } from './login-limiter.js';

/** POST /api/auth/login from a given socket address, optionally with cookies and headers. */
async function login(h: Harness, email: string, password: string, from: { ip: string; cookie?: string; headers?: Record<string, string> }) {
  const res = await h.server.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: from.ip,
    headers: { ...(from.cookie ? { cookie: from.cookie } : {}), ...from.headers },
    payload: { email, password },
  });
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const device = setCookie.find((c) => c.startsWith('voronka_device='))?.split(';')[0];
  return { status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'], device, setCookie };
}

/** A user created without any session (so no IP is known for him yet). */
async function freshUser(h: Harness, email: string) {
  return h.server.ctx.services.users.createUnchecked({ email, name: 'Жертва Подбора', role: 'admin', password: TEST_PASSWORD });
}

describeEachDialect('login throttling', (h) => {
  it('an attacker from other addresses cannot lock out the user on his known device or known IP', async () => {
    const victim = await freshUser(h, 'chief@firma.ru');
    // The chief logs in once from the office (10.0.0.2) and once from his laptop at home (192.0.2.10).
    const office = await login(h, victim.email, TEST_PASSWORD, { ip: '10.0.0.2' });
    expect(office.status).toBe(200);
    const laptop = await login(h, victim.email, TEST_PASSWORD, { ip: '192.0.2.10' });
    expect(laptop.status).toBe(200);
    expect(laptop.device).toMatch(/^voronka_device=/);
    expect(laptop.setCookie.find((c) => c.startsWith('voronka_device='))).toMatch(/HttpOnly/i);

    // Someone who knows the e-mail guesses from two addresses: 5 free tries each, then 429 with Retry-After.
    for (const ip of ['203.0.113.1', '203.0.113.2']) {
      for (let i = 0; i < 5; i++) expect((await login(h, victim.email, `guess-${ip}-${i}`, { ip })).status).toBe(401);
      const slowed = await login(h, victim.email, 'guess-again-1', { ip });
      expect(slowed.status).toBe(429);
      expect(slowed.body.error.code).toBe('rate_limited');
      expect(Number(slowed.retryAfter)).toBeGreaterThan(0);
    }
    // Ten failures: the account is under attack. A third address is refused at once, as is a new, unknown
    // address even with the right password …
    expect((await login(h, victim.email, 'guess-3', { ip: '203.0.113.3' })).status).toBe(429);
    const stranger = await login(h, victim.email, TEST_PASSWORD, { ip: '198.51.100.7' });
    expect(stranger.status).toBe(429);
    // … but the chief gets in from the office (an IP he logged in from) …
    expect((await login(h, victim.email, TEST_PASSWORD, { ip: '10.0.0.2' })).status).toBe(200);
    // … and with his laptop's device cookie from any network (a café's address is new).
    expect((await login(h, victim.email, TEST_PASSWORD, { ip: '198.51.100.99', cookie: laptop.device })).status).toBe(200);
    // A device cookie of another account, or a forged one, is worth nothing.
    const other = await freshUser(h, 'other@firma.ru');
    const otherLogin = await login(h, other.email, TEST_PASSWORD, { ip: '10.0.0.3' });
    expect((await login(h, victim.email, TEST_PASSWORD, { ip: '198.51.100.98', cookie: otherLogin.device })).status).toBe(429);
    const forged = laptop.device!.replace(/\.[^.]+$/, '.AAAA');
    expect((await login(h, victim.email, TEST_PASSWORD, { ip: '198.51.100.97', cookie: forged })).status).toBe(429);
  });

  it('the attacker on the same address as the user is slowed per account, the user elsewhere is not', async () => {
    const victim = await freshUser(h, 'accountant@firma.ru');
    for (let i = 0; i < 5; i++) expect((await login(h, victim.email, `wrong-${i}`, { ip: '203.0.113.50' })).status).toBe(401);
    expect((await login(h, victim.email, TEST_PASSWORD, { ip: '203.0.113.50' })).status).toBe(429);
    expect((await login(h, victim.email, 'wrong-again', { ip: '203.0.113.50' })).status).toBe(429);
    // Five failures from one address are far from the account's limit: from another address the user gets in.
    expect((await login(h, victim.email, TEST_PASSWORD, { ip: '10.0.0.20' })).status).toBe(200);
    // The audit log has the five failures and one entry for the throttled attempts (not one per attempt).
    const failed = await h.admin.get('/api/audit?action=login_failed&limit=100');
    const mine = failed.body.items.filter((e: { details: { email?: string } }) => e.details.email === victim.email);
    expect(mine.map((e: { ip: string; details: { throttled?: boolean } }) => [e.ip, e.details.throttled ?? false])).toEqual([
      ['203.0.113.50', true],
      ...Array.from({ length: 5 }, () => ['203.0.113.50', false]),
    ]);
  });

  it('X-Forwarded-For is ignored while the proxy is not trusted: 20 failures from one socket give 429, whatever the header says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await login(h, `nobody${i}@firma.ru`, 'wrong-password-1', {
        ip: '198.18.0.1',
        headers: { 'x-forwarded-for': `100.64.${i}.${i + 1}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    // A real user who never logged in from there is refused too (the address is blocked for unknown origins).
    const user = await freshUser(h, 'fresh@firma.ru');
    expect((await login(h, user.email, TEST_PASSWORD, { ip: '198.18.0.1' })).status).toBe(429);
  });
});

describeEachDialect(
  'login throttling behind a trusted proxy',
  (h) => {
    it('X-Forwarded-For names the client when the proxy is trusted: each client has its own limit', async () => {
      for (let i = 0; i < 25; i++) {
        const res = await login(h, `nobody${i}@firma.ru`, 'wrong-password-1', {
          ip: '127.0.0.1',
          headers: { 'x-forwarded-for': `100.64.${i}.${i + 1}` },
        });
        expect(res.status).toBe(401);
      }
    });
  },
  { config: { trustProxy: ['127.0.0.1'] } },
);

describe('login limiter delays', () => {
  it('grow per failure of the account + origin: 5 free, then 30 s, 1 min, 2 min … at most 15 min', () => {
    const l = new LoginLimiter({ windowMs: 3_600_000 }); // a long window: no failure ages out during the test
    const o = { email: 'a@firma.ru', ip: '203.0.113.9' };
    let now = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(l.pairWait(o, now)).toBe(0);
      l.recordFailure(o, undefined, now);
    }
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const wait = l.pairWait(o, now);
      waits.push(wait);
      now += wait; // the attacker waits exactly as told, and fails again
      expect(l.pairWait(o, now)).toBe(0);
      l.recordFailure(o, undefined, now);
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
    // Another origin of the same account is not slowed by these delays; a success clears only its own pair.
    expect(l.pairWait({ ...o, ip: '10.0.0.1' }, now)).toBe(0);
    expect(l.pairWait({ ...o, deviceId: 'laptop' }, now)).toBe(0);
    l.recordSuccess(o);
    expect(l.pairWait(o, now)).toBe(0);
    expect(l.untrustedWait(o, now)).toBeGreaterThan(0); // 12 failures on the account: untrusted origins still wait
  });
});
