import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness.js';

describeEachDialect('users and departments', (h) => {
  it('admin creates a user; the list pages with a cursor', async () => {
    const res = await h.admin.post('/api/users', {
      email: 'Ivan.Petrov@Firma.ru',
      name: 'Иван Петров',
      role: 'manager',
      password: 'Конь-в-пальто-7',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'ivan.petrov@firma.ru',
      name: 'Иван Петров',
      role: 'manager',
      active: true,
      departmentId: null,
    });
    expect(typeof res.body.id).toBe('string');
    const page1 = await h.admin.get('/api/users?limit=1');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await h.admin.get(`/api/users?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
  });

  it('duplicate e-mail in any letter case is 409', async () => {
    await h.admin.post('/api/users', { email: 'dup@firma.ru', name: 'A', role: 'manager', password: 'Конь-в-пальто-7' });
    const res = await h.admin.post('/api/users', { email: 'DUP@Firma.RU', name: 'B', role: 'manager', password: 'Конь-в-пальто-7' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
    expect(res.body.error.message).toBe('Пользователь с таким e-mail уже есть');
  });

  it('unknown role is 400 naming the field', async () => {
    const res = await h.admin.post('/api/users', { email: 'r@firma.ru', name: 'R', role: 'boss', password: 'Конь-в-пальто-7' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields.role).toMatch(/Роль/);
  });

  it('weak password is 400 naming the field, in Russian; nothing is written', async () => {
    const res = await h.admin.post('/api/users', { email: 'weak@firma.ru', name: 'W', role: 'manager', password: 'qwerty' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.password).toBe('Пароль должен быть не короче 10 символов');
    const common = await h.admin.post('/api/users', { email: 'weak@firma.ru', name: 'W', role: 'manager', password: 'qwertyuiop' });
    expect(common.status).toBe(400);
    expect(common.body.error.fields.password).toMatch(/распространён/);
    const list = await h.admin.get('/api/users?limit=500');
    expect(list.body.items.map((u: any) => u.email)).not.toContain('weak@firma.ru');
  });

  it('invalid e-mail and missing name are reported per field', async () => {
    const res = await h.admin.post('/api/users', { email: 'not-an-email', name: '  ', role: 'manager', password: 'Конь-в-пальто-7' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.email).toBe('Некорректный e-mail');
    expect(res.body.error.fields.name).toBe('Обязательное поле');
  });

  it('only an admin creates or changes users', async () => {
    const manager = await h.user('manager');
    const res = await manager.post('/api/users', { email: 'x@firma.ru', name: 'X', role: 'admin', password: 'Конь-в-пальто-7' });
    expect(res.status).toBe(403);
    expect((await manager.patch(`/api/users/${manager.user!.id}`, { role: 'admin' })).status).toBe(403);
    // Everyone may read the user list (to pick assignees).
    expect((await manager.get('/api/users')).status).toBe(200);
  });

  it('a stale version is 409 and changes nothing', async () => {
    const u = (await h.admin.post('/api/users', { email: 'ver@firma.ru', name: 'Версия', role: 'manager', password: 'Конь-в-пальто-7' }))
      .body;
    const ok = await h.admin.patch(`/api/users/${u.id}`, { name: 'Первое', version: u.version });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(u.version + 1);
    const stale = await h.admin.patch(`/api/users/${u.id}`, { name: 'Второе', version: u.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect((await h.admin.get(`/api/users/${u.id}`)).body.name).toBe('Первое');
  });

  it('departments: create with a head, rename, member count, unknown head is 400', async () => {
    const head = await h.user('head');
    const res = await h.admin.post('/api/departments', { name: 'Отдел продаж Москва', headId: head.user!.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Отдел продаж Москва', headId: head.user!.id, memberCount: 1 });
    const renamed = await h.admin.patch(`/api/departments/${res.body.id}`, { name: 'Москва', version: res.body.version });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Москва');
    const bad = await h.admin.post('/api/departments', { name: 'X', headId: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.headId).toBeTruthy();
    expect((await h.admin.get('/api/departments/unknown')).status).toBe(404);
    const manager = await h.user('manager');
    expect((await manager.post('/api/departments', { name: 'Y' })).status).toBe(403);
  });
});
