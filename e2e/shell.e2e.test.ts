/**
 * The shell in a real browser: setup-less start with an env admin, log in, the Russian shell, create a
 * department and a user in the admin screens, a deep link, phone width, log out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { e2eEnabled, launchBrowser, login, newPage, shot, startApp, type RunningApp } from './support.js';

describe.runIf(e2eEnabled())('web shell in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('logs in, shows the Russian shell, creates a department and a user, logs out', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(app.url + '/');
    await page.waitForURL(/\/login/);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await shot(page, 'shell-01-login');

    // A wrong password shows the server's Russian message.
    await page.getByLabel('E-mail').fill('admin@voronka.test');
    await page.getByLabel('Пароль').fill('неправильный-пароль');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => page.getByText('Неверный e-mail или пароль').count()).toBeGreaterThan(0);

    await login(page, app.url);
    await expect.poll(() => page.getByText('Настройки').first().isVisible()).toBe(true);
    await shot(page, 'shell-02-home');

    // Departments: create «Отдел продаж».
    await page.goto(app.url + '/settings/departments');
    await page.getByRole('button', { name: 'Добавить отдел' }).click();
    await page.getByRole('dialog').getByLabel('Название').fill('Отдел продаж');
    await page.getByRole('dialog').getByRole('button', { name: 'Создать' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Отдел продаж' }).count()).toBeGreaterThan(0);
    await shot(page, 'shell-03-departments');

    // Users: create a manager in that department.
    await page.goto(app.url + '/settings/users');
    await page.getByRole('button', { name: 'Добавить пользователя' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('E-mail').fill('petrov@firma.ru');
    await dialog.getByLabel('Имя').fill('Пётр Петров');
    await dialog.getByRole('combobox', { name: 'Роль' }).click();
    await page.getByRole('option', { name: 'Менеджер по продажам' }).click();
    await dialog.getByRole('combobox', { name: 'Отдел' }).click();
    await page.getByRole('option', { name: 'Отдел продаж' }).click();
    await dialog.getByLabel('Пароль', { exact: true }).fill('Пароль-Петрова-1');
    await shot(page, 'shell-04-user-form');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Пётр Петров' }).count()).toBeGreaterThan(0);
    await shot(page, 'shell-05-users');

    // The server agrees.
    const users = await page.evaluate(async () => (await fetch('/api/users')).json());
    expect(users.items.map((u: { email: string }) => u.email)).toContain('petrov@firma.ru');

    // Log out through the user menu.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Выйти' }).click();
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    await context.close();
  });

  it('the new manager logs in; a deep link loads; the shell works at phone width', async () => {
    const { context, page } = await newPage(browser, { width: 375, height: 760 });
    await login(page, app.url, 'petrov@firma.ru', 'Пароль-Петрова-1');
    await page.goto(app.url + '/settings/api-tokens');
    await expect.poll(() => page.getByRole('heading', { name: 'API-токены' }).count()).toBeGreaterThan(0);
    await shot(page, 'shell-06-phone-deeplink');
    // The admin-only users page is not offered to a manager.
    await page.goto(app.url + '/settings/users');
    await expect.poll(() => page.getByText('Недостаточно прав').count()).toBeGreaterThan(0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(380);
    await shot(page, 'shell-07-phone-forbidden');
    await context.close();
  });

  it('the built UI and the API docs run under the Content-Security-Policy without a single violation', async () => {
    const { context, page } = await newPage(browser);
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy|CSP-VIOLATION/.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    const res = await page.goto(app.url + '/login');
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await login(page, app.url);
    const sections = ['/clients', '/deals', '/tasks', '/leads', '/invoices', '/production', '/reviews', '/reports'];
    const settings = ['/settings/company', '/settings/users', '/settings/forms', '/settings/automation', '/settings/pipelines'];
    for (const path of [...sections, ...settings]) {
      await page.goto(app.url + path);
      // Loaded: the page's lazy chunk rendered something in <main> and no loader spins.
      await expect
        .poll(
          async () =>
            (await page.locator('main').innerText()).trim().length > 0 && (await page.locator('.mantine-Loader-root').count()) === 0,
          {
            message: path,
            timeout: 15_000,
          },
        )
        .toBe(true);
    }
    await page.goto(app.url + '/api/docs');
    await expect.poll(() => page.locator('.swagger-ui .info .title').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(page, 'shell-08-api-docs');
    expect(violations).toEqual([]);
    await context.close();
  });
});
