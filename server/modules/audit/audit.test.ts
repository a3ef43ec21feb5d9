/**
 * The audit log through HTTP: every sensitive path writes who/when/what/IP, and GET /api/audit (admin, owner) lists
 * it newest first with filters (kind, user, entity, local days of the company zone) and keyset pages.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, TEST_PASSWORD, type TestClient } from '../../test/harness.js';
import { testCompany } from '../invoices/fixtures.js';
import { newId } from '../../platform/ids.js';

describeEachDialect('audit log', (h) => {
  let owner: TestClient;
  let manager: TestClient;

  beforeAll(async () => {
    owner = await h.user('owner');
    manager = await h.user('manager');
  });

  /** Newest entries of one stored action name (through the API, as the admin sees them). */
  const entries = async (query: string) => {
    const res = await h.admin.get(`/api/audit?limit=500&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as any[];
  };
  const latest = async (event: string, query = '') => (await entries(query)).find((e) => e.event === event);

  /** A login through the real route from a given address. */
  const loginFrom = (ip: string, email: string, password: string) =>
    h.server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });

  it('only the admin and the owner read it; the others get 404 as for any closed resource', async () => {
    expect((await h.admin.get('/api/audit')).status).toBe(200);
    expect((await owner.get('/api/audit')).status).toBe(200);
    for (const role of ['head', 'manager', 'accountant', 'production'] as const) {
      const c = await h.user(role);
      const res = await c.get('/api/audit');
      expect(res.status, role).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await h.anon.get('/api/audit')).status).toBe(401);
  });

  it('logins: success and failure with the e-mail tried and the IP; logout', async () => {
    const ok = await loginFrom('203.0.113.7', manager.user!.email.toUpperCase(), TEST_PASSWORD);
    expect(ok.statusCode).toBe(200);
    const bad = await loginFrom('198.51.100.9', 'Nobody@Example.com', 'не-тот-пароль-123');
    expect(bad.statusCode).toBe(401);
    const wrongPassword = await loginFrom('198.51.100.9', manager.user!.email, 'не-тот-пароль-123');
    expect(wrongPassword.statusCode).toBe(401);

    const logins = await entries('action=login');
    expect(logins[0]).toMatchObject({
      action: 'login',
      event: 'auth.login',
      userId: manager.user!.id,
      userName: manager.user!.name,
      entity: 'session',
      ip: '203.0.113.7',
      details: { email: manager.user!.email },
    });
    expect(Date.now() - Date.parse(logins[0].at)).toBeLessThan(60_000);
    const failed = await entries('action=login_failed');
    expect(failed.slice(0, 2)).toMatchObject([
      { action: 'login_failed', userId: null, ip: '198.51.100.9', details: { email: manager.user!.email } },
      { action: 'login_failed', userId: null, ip: '198.51.100.9', details: { email: 'nobody@example.com' } },
    ]);

    const cookie = String(ok.headers['set-cookie']).split(';')[0];
    const out = await h.server.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-csrf-token': JSON.parse(ok.body).csrfToken },
      remoteAddress: '203.0.113.7',
    });
    expect(out.statusCode).toBe(204);
    expect(await latest('auth.logout')).toMatchObject({ action: 'logout', userId: manager.user!.id, ip: '203.0.113.7' });
  });

  it('exports: every report file and the invoice register', async () => {
    const csv = await owner.get('/api/reports/sales?measure=deals&groupBy=manager&from=2026-01-01&to=2026-01-31&format=csv');
    expect(csv.status).toBe(200);
    const xlsx = await h.admin.get('/api/invoices?format=xlsx');
    expect(xlsx.status).toBe(200);
    const exports = await entries('action=export');
    expect(exports.slice(0, 2)).toMatchObject([
      { action: 'export', entity: 'invoice', userId: h.admin.user!.id, ip: '127.0.0.1', details: { format: 'xlsx' } },
      { action: 'export', entity: 'report', userId: owner.user!.id, details: { report: 'sales', format: 'csv' } },
    ]);
  });

  it('deletions and merges: a contact (was missing), a client, a merge', async () => {
    const head = (await h.department()).head;
    const client = (await head.post('/api/clients', { kind: 'company', name: 'ООО «Аудит»' })).body;
    const contact = await head.post(`/api/clients/${client.id}/contacts`, { name: 'Пётр Контактов', position: 'Директор' });
    expect(contact.status).toBe(201);
    expect((await head.delete(`/api/contacts/${contact.body.id}`)).status).toBe(204);
    expect(await latest('contact.delete', 'action=delete')).toMatchObject({
      action: 'delete',
      userId: head.user!.id,
      entity: 'contact',
      entityId: contact.body.id,
      details: { name: 'Пётр Контактов', clientId: client.id },
    });

    const other = (await head.post('/api/clients', { kind: 'company', name: 'ООО «Дубль»' })).body;
    expect((await head.post(`/api/clients/${client.id}/merge`, { sourceId: other.id })).status).toBe(200);
    expect((await entries('action=merge'))[0]).toMatchObject({ event: 'client.merge', entityId: client.id, userId: head.user!.id });

    expect((await head.delete(`/api/clients/${client.id}`)).status).toBe(204);
    expect(await latest('client.delete', 'action=delete')).toMatchObject({ entity: 'client', entityId: client.id });
  });

  it('role and permission changes: a new user, role / department / active changes, a department head', async () => {
    const created = await h.admin.post('/api/users', {
      email: 'audit.role@firma.ru',
      name: 'Роль Ролевна',
      role: 'manager',
      password: 'Конь-в-пальто-7',
    });
    expect(created.status).toBe(201);
    const dep = await h.admin.post('/api/departments', { name: 'Отдел аудита' });
    const changed = await h.admin.patch(`/api/users/${created.body.id}`, {
      role: 'head',
      departmentId: dep.body.id,
      active: false,
      version: 1,
    });
    expect(changed.status).toBe(200);
    await h.admin.patch(`/api/departments/${dep.body.id}`, { headId: created.body.id });

    const roleChanges = await entries('action=role_change');
    const ofUser = roleChanges.filter((e) => e.entityId === created.body.id);
    expect(ofUser.map((e) => e.event)).toEqual(['user.update', 'user.create']);
    expect(ofUser[0].details).toMatchObject({
      name: 'Роль Ролевна',
      role: { from: 'manager', to: 'head' },
      departmentId: { from: null, to: dep.body.id },
      active: { from: true, to: false },
    });
    expect(ofUser[1].details).toMatchObject({ role: 'manager', email: 'audit.role@firma.ru' });
    expect(roleChanges.find((e) => e.event === 'department.update' && e.entityId === dep.body.id)?.details).toMatchObject({
      headId: { from: null, to: created.body.id },
    });
    // Filtered by the user who acted and by the entity.
    const byAdmin = await entries(`userId=${h.admin.user!.id}&entity=user`);
    expect(byAdmin.length).toBeGreaterThanOrEqual(2);
    expect(byAdmin.every((e) => e.userId === h.admin.user!.id && e.entity === 'user')).toBe(true);
  });

  it('settings changes: company settings, pipelines and stages, automation rules', async () => {
    expect((await h.admin.put('/api/settings/company', testCompany())).status).toBe(200);
    const pipeline = await h.admin.post('/api/pipelines', { name: 'Воронка аудита' });
    expect(pipeline.status).toBe(201);
    const stage = await h.admin.post(`/api/pipelines/${pipeline.body.id}/stages`, { name: 'Проверка' });
    expect(stage.status).toBe(201);
    const renamed = await h.admin.patch(`/api/pipelines/${pipeline.body.id}`, { name: 'Воронка аудита 2', version: pipeline.body.version });
    expect(renamed.status).toBe(200);
    const settings = await entries('action=settings_change');
    const events = settings.map((e) => e.event);
    for (const ev of ['settings.company.update', 'pipeline.create', 'stage.create', 'pipeline.update']) expect(events).toContain(ev);
    expect(settings.find((e) => e.event === 'pipeline.update')).toMatchObject({
      entityId: pipeline.body.id,
      details: { name: 'Воронка аудита 2', changed: ['name'] },
    });
  });

  it('API tokens: issue and revoke', async () => {
    const token = await manager.post('/api/api-tokens', { name: 'Интеграция' });
    expect(token.status).toBe(201);
    expect((await manager.delete(`/api/api-tokens/${token.body.id}`)).status).toBe(204);
    // A request with a JSON body: its handler runs after the body is parsed, still with the request's IP.
    expect((await entries('action=token_create'))[0]).toMatchObject({
      entityId: token.body.id,
      userId: manager.user!.id,
      ip: '127.0.0.1',
      details: { name: 'Интеграция' },
    });
    expect((await entries('action=token_revoke'))[0]).toMatchObject({ entityId: token.body.id, userId: manager.user!.id });
    // The token itself is never written anywhere in the log.
    expect(JSON.stringify(await entries(''))).not.toContain(token.body.token);
  });

  it('newest first; keyset pages walk every entry once; days are local days of the company zone', async () => {
    // Two entries at the edges of 15.03.2026 in Moscow (UTC+3): 14.03 21:00 UTC is already the 15th there.
    const db = h.server.ctx.db;
    const rows = [
      { at: '2026-03-14T20:59:59.999Z', id: newId() }, // 14.03 23:59:59 MSK
      { at: '2026-03-14T21:00:00.000Z', id: newId() }, // 15.03 00:00 MSK
      { at: '2026-03-15T20:59:59.999Z', id: newId() }, // 15.03 23:59:59 MSK
      { at: '2026-03-15T21:00:00.000Z', id: newId() }, // 16.03 00:00 MSK
    ];
    for (const r of rows) {
      await db
        .insertInto('audit_log')
        .values({ ...r, user_id: owner.user!.id, action: 'export', entity: 'zone-test', entity_id: null, data: null, ip: '192.0.2.1' })
        .execute();
    }
    const day = await entries('entity=zone-test&from=2026-03-15&to=2026-03-15');
    expect(day.map((e) => e.at)).toEqual([rows[2].at, rows[1].at]);
    expect((await entries('entity=zone-test&from=2026-03-16')).map((e) => e.at)).toEqual([rows[3].at]);
    expect((await entries('entity=zone-test&to=2026-03-14')).map((e) => e.at)).toEqual([rows[0].at]);

    const all = await entries('');
    for (let i = 1; i < all.length; i++) expect(all[i - 1].at >= all[i].at).toBe(true);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await owner.get(`/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((e: any) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it('bad filters and forged cursors are 400 naming the field in Russian', async () => {
    const bad = async (q: string, field: string) => {
      const res = await h.admin.get(`/api/audit?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields ?? {}), q).toContain(field);
    };
    await bad('action=hack', 'action');
    await bad('from=2026-02-30', 'from');
    await bad('from=1800-01-01', 'from');
    await bad('to=9999-12-31', 'to');
    await bad('from=2026-03-02&to=2026-03-01', 'from');
    await bad('limit=0', 'limit');
    await bad(`entity=${'x'.repeat(65)}`, 'entity');
    for (const cursor of ['garbage!', Buffer.from('[[1],"x"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      await bad(`limit=2&cursor=${cursor}`, 'cursor');
    }
    // The extremes of the shared range are fine (and find nothing).
    expect((await entries('from=1900-01-01&to=2100-12-31')).length).toBeGreaterThan(0);
  });

  it('an entry written outside a request has no IP; an unknown stored action is listed as «other»', async () => {
    await h.server.ctx.audit.write({ userId: null, action: 'export', entity: 'job-test', data: { rows: 1 } });
    expect((await entries('entity=job-test'))[0]).toMatchObject({ ip: null, userId: null, userName: null, details: { rows: 1 } });
    await h.server.ctx.db
      .insertInto('audit_log')
      .values({
        id: newId(),
        at: new Date().toISOString(),
        user_id: null,
        action: 'legacy.thing',
        entity: 'legacy',
        entity_id: null,
        data: '"x"',
        ip: null,
      })
      .execute();
    expect((await entries('action=other'))[0]).toMatchObject({ action: 'other', event: 'legacy.thing', details: { value: 'x' } });
  });
});
