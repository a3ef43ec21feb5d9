/**
 * «Журнал действий» in a real browser: a failed login and a successful one, a report exported as CSV,
 * then the admin opens Настройки → Журнал действий and sees them in Russian with time, user, IP; the action
 * filter and «Показать ещё» work; the page fits a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, apiSession, e2eEnabled, launchBrowser, login, newPage, shot, startApp, type RunningApp } from './support.js';

/** Polls with a deadline long enough for a loaded machine (a lazy page chunk, a refetch). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, ...opts });

describe.runIf(e2eEnabled())('audit log page in Chromium', () => {
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

  it('a failed login, a login and an export are listed; filters and «Показать ещё» work', async () => {
    // Enough earlier API logins for a second page (50 entries a page).
    for (let i = 0; i < 55; i++) await apiSession(app.url, ADMIN);

    const { context, page } = await newPage(browser);
    // A wrong password first.
    await page.goto(app.url + '/login');
    await page.getByLabel('E-mail').fill('intruder@example.com');
    await page.getByLabel('Пароль', { exact: true }).fill('подбираю-пароль-1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await poll(() => page.getByText('Неверный e-mail или пароль').count()).toBeGreaterThan(0);

    await login(page, app.url);
    // An export: a report as CSV from its page.
    await page.goto(app.url + '/reports/activity');
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV' }).click();
    expect((await downloadPromise).suggestedFilename()).toMatch(/\.csv$/);

    await page.goto(app.url + '/settings/audit');
    await poll(() => page.getByRole('heading', { name: 'Журнал действий' }).count()).toBeGreaterThan(0);
    // The navbar offers the page under Настройки.
    await poll(() => page.getByRole('link', { name: 'Журнал действий' }).count()).toBe(1);
    await poll(() => page.getByTestId('audit-row').count()).toBe(50);
    // Newest first: the export, the login, the failed login.
    const rows = page.getByTestId('audit-row');
    expect(await rows.nth(0).textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}АдминистраторЭкспортОтчёт «Активность».*CSV/);
    expect(await rows.nth(1).textContent()).toContain('Вход');
    expect(await rows.nth(2).textContent()).toContain('Неудачный вход');
    await shot(page, 'audit-01-desktop');

    await page.getByRole('button', { name: 'Показать ещё' }).click();
    await poll(() => page.getByTestId('audit-row').count()).toBe(58); // 55 + failed login + login + export
    await poll(() => page.getByRole('button', { name: 'Показать ещё' }).count()).toBe(0);

    // Only the failed login, by the action filter.
    await page.getByTestId('audit-action').click();
    await page.getByRole('option', { name: 'Неудачный вход' }).click();
    await poll(() => page.url()).toContain('action=login_failed');
    await poll(() => page.getByTestId('audit-row').count()).toBe(1);
    const failed = await page.getByTestId('audit-row').first().textContent();
    expect(failed).toContain('Не выполнен вход');
    expect(failed).toContain('intruder@example.com');
    expect(failed).toContain('127.0.0.1');
    expect(failed).toMatch(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/);
    await shot(page, 'audit-02-failed-login');

    await page.getByTestId('audit-action').click();
    await page.getByRole('option', { name: 'Экспорт' }).click();
    await poll(() => page.url()).toContain('action=export');
    // The failed-login row stays on screen until the new page of the list arrives: wait for the export row.
    await poll(() => page.getByTestId('audit-row').first().textContent()).toContain('Администратор');
    await poll(() => page.getByTestId('audit-row').count()).toBe(1);

    // A period with nothing in it, then back to everything.
    await page.goto(app.url + '/settings/audit?from=2020-01-01&to=2020-01-31');
    await poll(() => page.getByText('По этим условиям записей нет.').count()).toBe(1);
    await page.getByRole('button', { name: 'Сбросить' }).click();
    await poll(() => page.getByTestId('audit-row').count()).toBeGreaterThanOrEqual(50);
    await context.close();
  });

  it('works at phone width', async () => {
    const { context, page } = await newPage(browser, { width: 375, height: 760 });
    await login(page, app.url);
    await page.goto(app.url + '/settings/audit');
    await poll(() => page.getByTestId('audit-row').count()).toBe(50);
    expect(await page.getByTestId('audit-row').first().textContent()).toMatch(/^Вход\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(380);
    await shot(page, 'audit-03-phone');
    await context.close();
  });

  it('a manager is not offered the page and the API refuses him', async () => {
    const admin = await apiSession(app.url);
    await admin('POST', '/users', { email: 'm@firma.ru', name: 'Менеджер Иван', role: 'manager', password: 'Пароль-Ивана-2026' });
    const { context, page } = await newPage(browser);
    await login(page, app.url, 'm@firma.ru', 'Пароль-Ивана-2026');
    await page.goto(app.url + '/settings/audit');
    await poll(() => page.getByText('Недостаточно прав').count()).toBeGreaterThan(0);
    expect(await page.evaluate(async () => (await fetch('/api/audit')).status)).toBe(404);
    await context.close();
  });
});
