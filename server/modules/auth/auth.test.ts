import { describe, expect, it } from 'vitest';
import { describeEachDialect, TEST_PASSWORD } from '../../test/harness.js';
import { passwordProblem } from './passwords.js';
import { LoginLimiter } from './login-limiter.js';

describeEachDialect('auth', (h) => {
  it('health answers without login and names the database', async () => {
    const res = await h.anon.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: h.dialect });
    expect(typeof res.body.version).toBe('string');
  });

  it('logs in with e-mail in any case, returns user and csrf token, sets an HttpOnly SameSite=Lax cookie', async () => {
    const manager = await h.user('manager', { email: 'Login.Case@Test.Voronka' });
    expect(manager.user!.email).toBe('login.case@test.voronka');
    const res = await h.anon.post('/api/auth/login', { email: 'LOGIN.case@test.voronka', password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'login.case@test.voronka', role: 'manager', active: true });
    expect(res.body.csrfToken.length).toBeGreaterThan(20);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/voronka_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(res.body.user).not.toHaveProperty('passwordHash');
  });

  it('me returns the user and the same csrf token; anonymous me is 401 JSON', async () => {
    const c = await h.user('head');
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(c.user!.id);
    expect(me.body.csrfToken).toBe(c.csrfToken);
    const anon = await h.anon.get('/api/auth/me');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
    expect(anon.body.error.message).toBe('Требуется вход в систему');
  });

  it('a wrong password is 401 in Russian, and English on request', async () => {
    const c = await h.user('manager');
    const ru = await h.anon.post('/api/auth/login', { email: c.user!.email, password: 'неверный-пароль-1' });
    expect(ru.status).toBe(401);
    expect(ru.body.error.message).toBe('Неверный e-mail или пароль');
    const en = await h.anon.post(
      '/api/auth/login',
      { email: c.user!.email, password: 'wrong-password-1' },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(en.body.error.message).toBe('Wrong e-mail or password');
  });

  it('locks an account after repeated failures with 429, even with the right password', async () => {
    const c = await h.user('manager');
    for (let i = 0; i < 5; i++) {
      const r = await h.anon.post('/api/auth/login', { email: c.user!.email, password: `wrong-password-${i}` });
      expect(r.status).toBe(401);
    }
    const blocked = await h.anon.post('/api/auth/login', { email: c.user!.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
  });

  it('logout ends the session', async () => {
    await h.user('manager', { email: 'logout@test.voronka' });
    const c = await h.login('logout@test.voronka', TEST_PASSWORD);
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('a cookie-authenticated mutation without the CSRF token is 403', async () => {
    const c = await h.user('admin');
    const res = await c.request('POST', '/api/departments', { name: 'Без токена' }, { 'x-csrf-token': '' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
    // A cross-site form post: urlencoded body, cookie, no token.
    const form = await h.anon.request('POST', '/api/departments', 'name=Evil', {
      cookie: c.cookie!,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(403);
    const list = await h.admin.get('/api/departments');
    expect(list.body.items.map((d: any) => d.name)).not.toContain('Evil');
  });

  it('api tokens: shown once, hashed at rest, work without CSRF, revocable', async () => {
    const c = await h.user('manager');
    const created = await c.post('/api/api-tokens', { name: 'Интеграция' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    const stored = await h.server.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);
    const me = await h.anon.get('/api/auth/me', { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(c.user!.id);
    const list = await c.get('/api/api-tokens');
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token);
    // Bearer mutation needs no CSRF token.
    const t2 = await h.anon.request('POST', '/api/api-tokens', { name: 'Второй' }, { authorization: `Bearer ${token}` });
    expect(t2.status).toBe(201);
    expect((await c.delete(`/api/api-tokens/${created.body.id}`)).status).toBe(204);
    expect((await h.anon.get('/api/auth/me', { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await c.delete(`/api/api-tokens/${created.body.id}`)).status).toBe(404);
  });

  it('a deactivated user cannot log in and loses his sessions and tokens at once', async () => {
    await h.user('manager', { email: 'leaver@test.voronka' });
    const c = await h.login('leaver@test.voronka', TEST_PASSWORD);
    const token = (await c.post('/api/api-tokens', { name: 't' })).body.token;
    const res = await h.admin.patch(`/api/users/${c.user!.id}`, { active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await h.anon.get('/api/auth/me', { authorization: `Bearer ${token}` })).status).toBe(401);
    const login = await h.anon.post('/api/auth/login', { email: 'leaver@test.voronka', password: TEST_PASSWORD });
    expect(login.status).toBe(401);
    expect(login.body.error.message).toBe('Учётная запись отключена администратором');
  });

  it('setup is refused once users exist', async () => {
    expect((await h.anon.get('/api/setup')).body).toEqual({ needed: false });
    const res = await h.anon.post('/api/setup', { email: 'x@y.ru', name: 'X', password: 'Очень-надёжный-1' });
    expect(res.status).toBe(409);
  });
});

describe('password policy', () => {
  it('needs 10 characters and refuses common passwords', () => {
    expect(passwordProblem('short')).toMatch(/не короче 10/);
    expect(passwordProblem('1234567890')).toMatch(/распространён/);
    expect(passwordProblem('ЙЦУКЕНГШЩЗ')).toMatch(/распространён/);
    expect(passwordProblem('aaaaaaaaaaaaa')).toMatch(/распространён/);
    expect(passwordProblem('Конь-в-пальто-7')).toBeNull();
  });
});

describe('login limiter', () => {
  it('blocks an IP after 20 failures across accounts and forgets after the window', () => {
    const l = new LoginLimiter({ perAccount: 5, perIp: 20, windowMs: 1000 });
    for (let i = 0; i < 20; i++) l.recordFailure(`u${i}@x.ru`, '1.2.3.4', 0);
    expect(l.isBlocked('fresh@x.ru', '1.2.3.4', 10)).toBe(true);
    expect(l.isBlocked('fresh@x.ru', '5.6.7.8', 10)).toBe(false);
    expect(l.isBlocked('fresh@x.ru', '1.2.3.4', 2000)).toBe(false);
  });
});
