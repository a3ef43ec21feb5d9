import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { describeEachDialect } from '../../test/harness.js';
import { passwordProblem } from './passwords.js';

const COMMON = /распространён/;
const PERSONAL = /не должен совпадать с e-mail или именем/;

describe('password policy: a real list of common passwords', () => {
  it('refuses leaked passwords from the list, with decorations, leetspeak, the wrong keyboard layout and plain runs', () => {
    for (const p of ['12345678901', 'password12345', 'qwertyuiop', 'sunshine2026', 'P@ssw0rd2026!', 'Gfhjkm12345', 'йцукенгшщз']) {
      expect(passwordProblem(p), p).toMatch(COMMON);
    }
    for (const p of ['0987654321', 'abc1234567', 'qwertyqwerty', 'парольпароль', 'Пароль-2026']) {
      expect(passwordProblem(p), p).toMatch(COMMON);
    }
  });

  it('accepts long passphrases and the passwords the tests and demo use', () => {
    for (const p of ['Конь-в-пальто-7', 'Надёжный-пароль-42', 'Пароль-Петрова-2026', 'correct horse battery staple', 'Бухгалтер-2026!']) {
      expect(passwordProblem(p), p).toBeNull();
    }
  });

  it("refuses the user's own e-mail, its local part or his name, give or take digits and signs", () => {
    const who = { email: 'ivan.petrov@firma.ru', name: 'Иван Петров' };
    expect(passwordProblem('ivan.petrov@firma.ru', who)).toMatch(PERSONAL);
    expect(passwordProblem('ivan.petrov-2026', who)).toMatch(PERSONAL);
    expect(passwordProblem('Иван Петров 1990', who)).toMatch(PERSONAL);
    expect(passwordProblem('Петров-Иван-1990', who)).toBeNull(); // not the name as written
    expect(passwordProblem('Пароль-Петрова-2026', { email: 'petrova@firma.ru', name: 'Мария Петрова' })).toBeNull();
  });
});

describeEachDialect('password policy on every way a password is set', (h) => {
  it('creating a user: a common password or the e-mail is 400 naming the password field in Russian', async () => {
    const common = await h.admin.post('/api/users', { email: 'new1@firma.ru', name: 'Новый', role: 'manager', password: '12345678901' });
    expect(common.status).toBe(400);
    expect(common.body.error.code).toBe('validation_failed');
    expect(common.body.error.fields.password).toMatch(COMMON);
    const own = await h.admin.post('/api/users', {
      email: 'semenova.anna@firma.ru',
      name: 'Анна Семёнова',
      role: 'manager',
      password: 'semenova.anna2026',
    });
    expect(own.status).toBe(400);
    expect(own.body.error.fields.password).toMatch(PERSONAL);
    const name = await h.admin.post('/api/users', {
      email: 'anna@firma.ru',
      name: 'Анна Семёнова',
      role: 'manager',
      password: 'Анна-Семенова-1',
    });
    expect(name.status).toBe(400);
    expect(name.body.error.fields.password).toMatch(PERSONAL);
    const list = await h.admin.get('/api/users?limit=500');
    expect(list.body.items.map((u: { email: string }) => u.email)).not.toContain('new1@firma.ru');
  });

  it('changing a password: the list and the name are checked (also against a name changed in the same request)', async () => {
    const user = (await h.user('manager', { name: 'Олег Смирнов' })).user!;
    const common = await h.admin.patch(`/api/users/${user.id}`, { password: 'password12345' });
    expect(common.status).toBe(400);
    expect(common.body.error.fields.password).toMatch(COMMON);
    const renamed = await h.admin.patch(`/api/users/${user.id}`, { name: 'Кузнецов Олег', password: 'Кузнецов-Олег-2026' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.fields.password).toMatch(PERSONAL);
    const ok = await h.admin.patch(`/api/users/${user.id}`, { password: 'Синий-трактор-2026' });
    expect(ok.status).toBe(200);
  });

  it('setup and the create-user command (both create through createUnchecked) refuse them too', async () => {
    const users = h.server.ctx.services.users;
    const attempt = (password: string) =>
      users.createUnchecked({ email: 'cli.user@firma.ru', name: 'Из Консоли', role: 'manager', password }).then(
        () => null,
        (err: unknown) => err,
      );
    for (const [password, message] of [
      ['password12345', COMMON],
      ['cli.user-2026', PERSONAL],
    ] as const) {
      const err = await attempt(password);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).fields?.password).toMatch(message);
    }
  });
});
