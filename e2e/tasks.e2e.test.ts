/**
 * «Задачи» in a real browser: the head's weekly control task created through the friendly recurrence editor
 * («Каждую неделю по пятницам»), completed with a result → the next one a week later; an overdue task in red;
 * a reminder in the bell opens the task; phone width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDaysToDate, localDate, monthNameGenitive, zonedDateTime } from '../common/dates.js';
import { ADMIN, e2eEnabled, launchBrowser, login, newPage, shot, startApp, type RunningApp } from './support.js';

const TZ = 'Europe/Moscow';
const TITLE = 'Прослушать 5 звонков каждого менеджера';

/** 'YYYY-MM-DD' → '27.11.2026'. */
const ru = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
/** 'YYYY-MM-DD' → the calendar's aria-label '27 ноября 2026'. */
const dayLabel = (date: string) => `${Number(date.slice(8, 10))} ${monthNameGenitive(Number(date.slice(5, 7)))} ${date.slice(0, 4)}`;

/** The first Friday strictly after today (Moscow). */
function nextFriday(): string {
  const today = localDate(new Date(), TZ);
  const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
  return addDaysToDate(today, (5 - dow + 7) % 7 || 7);
}

/** An API session of the admin (cookie + CSRF token), for test data. */
async function apiSession(baseUrl: string) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

async function openTab(page: Page, name: string) {
  await page.getByTestId('task-tabs').getByText(name, { exact: true }).click();
}

describe.runIf(e2eEnabled())('tasks in Chromium', () => {
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

  it('creates a weekly control task with the friendly editor, completes it and gets the next one a week later', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.getByRole('link', { name: 'Задачи' }).first().click();
    await page.waitForURL(/\/tasks/);
    await expect.poll(() => page.getByRole('heading', { name: 'Мои задачи' }).count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Новая задача' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Новая задача' });
    await dialog.getByLabel('Что сделать').fill(TITLE);
    await dialog.getByRole('combobox', { name: 'Тип' }).click();
    await page.getByRole('option', { name: 'Контроль' }).click();

    // Due: next Friday 16:00 in the date-time picker.
    const friday = nextFriday();
    await dialog.getByTestId('task-due').click();
    const today = localDate(new Date(), TZ);
    if (
      friday.slice(0, 7) !== today.slice(0, 7) &&
      !(await page.getByRole('button', { name: dayLabel(friday), exact: true }).isVisible())
    ) {
      await page.getByRole('button', { name: 'Следующий месяц' }).click();
    }
    await page.getByRole('button', { name: dayLabel(friday), exact: true }).click();
    await page.getByLabel('Часы').fill('16');
    await page.getByLabel('Минуты').fill('00');
    await page.getByRole('button', { name: 'Готово' }).click();
    await expect.poll(() => dialog.getByTestId('task-due').textContent()).toContain(`${ru(friday)} 16:00`);

    await dialog.getByRole('combobox', { name: 'Напоминание' }).click();
    await page.getByRole('option', { name: 'За 1 час' }).click();

    // Recurrence: every week — Friday is preselected from the due date; the preview says it in Russian.
    await dialog.getByRole('combobox', { name: 'Повторение' }).click();
    await page.getByRole('option', { name: 'Каждую неделю' }).click();
    expect(await dialog.getByRole('checkbox', { name: 'Пт' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Пн' }).isChecked()).toBe(false);
    await expect.poll(() => dialog.getByTestId('recurrence-preview').textContent()).toContain('Каждую неделю по пятницам');
    // two days and back: the sentence follows
    await dialog.getByText('Пн', { exact: true }).click();
    await expect.poll(() => dialog.getByTestId('recurrence-preview').textContent()).toContain('по понедельникам и пятницам');
    await dialog.getByText('Пн', { exact: true }).click();
    await expect.poll(() => dialog.getByTestId('recurrence-preview').textContent()).toContain('Каждую неделю по пятницам');
    await dialog.getByTestId('recurrence-preview').scrollIntoViewIfNeeded();
    await shot(page, 'tasks-01-new-recurring');

    await dialog.getByRole('button', { name: 'Создать' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Новая задача' }).count()).toBe(0);

    // The server stored the RRULE and Moscow 16:00.
    const api = await apiSession(app.url);
    const stored = await api<{ items: { title: string; recurrence: string; dueAt: string; type: string; remindBeforeMinutes: number }[] }>(
      'GET',
      '/tasks?status=open',
    );
    const created = stored.items.find((task) => task.title === TITLE)!;
    expect(created).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=FR', type: 'control', remindBeforeMinutes: 60 });
    expect(created.dueAt).toBe(zonedDateTime(friday, '16:00', TZ).toISOString());

    // «Все открытые»: the row with its due time, repeat and type.
    await openTab(page, 'Все открытые');
    const row = page.getByTestId('task-row').filter({ hasText: TITLE });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('task-due').textContent()).toBe(`${ru(friday)} 16:00`);
    expect(await row.getByTestId('task-repeat').textContent()).toContain('каждую пятницу');
    expect(await row.textContent()).toContain('Контроль');
    await shot(page, 'tasks-02-open-list');

    // Complete with a result: the next Friday's task is created.
    await row.getByRole('checkbox', { name: 'Отметить выполненной' }).click();
    const done = page.getByRole('dialog', { name: 'Результат' });
    await done.getByRole('textbox', { name: 'Результат' }).fill('Прослушано 25 звонков, замечания разобраны на планёрке');
    await shot(page, 'tasks-03-complete');
    await done.getByRole('button', { name: 'Выполнить' }).click();
    const nextFridayDate = addDaysToDate(friday, 7);
    await expect.poll(() => page.getByText(`Следующая задача создана на ${ru(nextFridayDate)} 16:00`).count()).toBeGreaterThan(0);
    await expect.poll(() => row.getByTestId('task-due').allTextContents()).toEqual([`${ru(nextFridayDate)} 16:00`]);
    await shot(page, 'tasks-04-next-occurrence');

    // «Выполненные» keeps the first one with its result.
    await openTab(page, 'Выполненные');
    const doneRow = page.getByTestId('task-row').filter({ hasText: TITLE });
    await expect.poll(() => doneRow.textContent()).toContain('Прослушано 25 звонков');
    expect(await doneRow.count()).toBe(1);
    expect(await doneRow.getByRole('checkbox').isChecked()).toBe(true);

    // Open the next one and check the editor parses the RRULE back.
    await openTab(page, 'Все открытые');
    await row.getByRole('button', { name: TITLE }).click();
    await page.waitForURL(/open=/);
    const edit = page.getByRole('dialog', { name: /Задача/ });
    await expect.poll(() => edit.getByTestId('recurrence-preview').textContent()).toContain('Каждую неделю по пятницам');
    expect(await edit.getByRole('checkbox', { name: 'Пт' }).isChecked()).toBe(true);
    await edit.getByRole('button', { name: 'Отмена' }).click();
    await context.close();
  });

  it('shows an overdue task in red, opens a reminder from the bell, and works at 375 px', async () => {
    const api = await apiSession(app.url);
    const client = await api<{ id: string }>('POST', '/clients', { kind: 'company', name: 'ООО «Ромашка»' });
    const yesterday = addDaysToDate(localDate(new Date(), TZ), -1);
    await api('POST', '/tasks', {
      title: 'Перезвонить по КП',
      type: 'call',
      dueAt: zonedDateTime(yesterday, '11:00', TZ).toISOString(),
      clientId: client.id,
    });
    await api('POST', '/tasks', {
      title: 'Отправить акт сверки',
      type: 'email',
      dueAt: zonedDateTime(yesterday, '15:30', TZ).toISOString(),
    });

    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/tasks');
    await expect.poll(() => page.getByTestId('count-overdue').textContent()).toBe('2');
    await openTab(page, 'Просроченные');
    const row = page.getByTestId('task-row').filter({ hasText: 'Перезвонить по КП' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-overdue')).not.toBeNull();
    expect(await row.getByTestId('task-overdue').textContent()).toMatch(/^просрочено на \d+ (дн|ч)$/);
    const color = await row.getByTestId('task-due').evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = color.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
    expect(await row.getByRole('link', { name: 'ООО «Ромашка»' }).getAttribute('href')).toBe(`/clients/${client.id}`);
    expect(await row.getByTestId('task-due').textContent()).toBe(`${ru(yesterday)} 11:00`);
    await shot(page, 'tasks-05-overdue');

    // Delete with a confirmation.
    const extra = page.getByTestId('task-row').filter({ hasText: 'Отправить акт сверки' });
    await extra.getByRole('button', { name: 'Действия с задачей' }).click();
    await page.getByRole('menuitem', { name: 'Удалить' }).click();
    await page.getByRole('dialog', { name: 'Удалить задачу?' }).getByRole('button', { name: 'Удалить' }).click();
    await expect.poll(() => extra.count()).toBe(0);
    await expect.poll(() => page.getByTestId('count-overdue').textContent()).toBe('1');

    // A reminder arrives live in the bell; clicking it opens the task.
    const reminded = await api<{ id: string }>('POST', '/tasks', {
      title: 'Встреча с директором ООО «Ромашка»',
      type: 'meeting',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      remindAt: new Date(Date.now() + 2_000).toISOString(),
      clientId: client.id,
    });
    await expect.poll(() => page.getByTestId('notification-bell').getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/: \d+/);
    await page.getByTestId('notification-bell').click();
    await page.getByRole('button', { name: /Напоминание: Встреча с директором/ }).click();
    await page.waitForURL((u) => u.searchParams.get('open') === reminded.id);
    const opened = page.getByRole('dialog', { name: /Задача/ });
    await expect.poll(() => opened.getByLabel('Что сделать').inputValue()).toBe('Встреча с директором ООО «Ромашка»');
    await shot(page, 'tasks-06-reminder-opened');

    // Someone else changes it meanwhile: saving says so in words, and the current version can be loaded.
    await api('PATCH', `/tasks/${reminded.id}`, { title: 'Встреча с директором и главбухом' });
    await opened.getByLabel('Описание').fill('Взять образцы');
    await opened.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => opened.getByText(/Запись изменил кто-то другой/).count()).toBe(1);
    await shot(page, 'tasks-07-conflict');
    await opened.getByRole('button', { name: 'Загрузить актуальную версию' }).click();
    await expect.poll(() => opened.getByLabel('Что сделать').inputValue()).toBe('Встреча с директором и главбухом');
    await opened.getByLabel('Описание').fill('Взять образцы');
    await opened.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: /Задача/ }).count()).toBe(0);
    expect(await api('GET', `/tasks/${reminded.id}`)).toMatchObject({
      title: 'Встреча с директором и главбухом',
      description: 'Взять образцы',
      version: 3,
    });
    await context.close();

    // Phone width: the list and the new-task form fit.
    const phone = await newPage(browser, { width: 375, height: 800 });
    await login(phone.page, app.url);
    await phone.page.goto(app.url + '/tasks?tab=overdue');
    await expect.poll(() => phone.page.getByTestId('task-row').count()).toBeGreaterThan(0);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(phone.page, 'tasks-08-phone-overdue');
    await phone.page.goto(app.url + '/tasks?tab=open');
    await expect.poll(() => phone.page.getByTestId('task-row').count()).toBeGreaterThan(1);
    await shot(phone.page, 'tasks-09-phone-open');
    await phone.page.getByRole('button', { name: 'Новая задача' }).first().click();
    const dialog = phone.page.getByRole('dialog', { name: 'Новая задача' });
    await dialog.getByRole('combobox', { name: 'Повторение' }).click();
    await phone.page.getByRole('option', { name: 'Каждый месяц' }).click();
    await expect.poll(() => dialog.getByTestId('recurrence-preview').textContent()).toMatch(/Каждый месяц, \d+-го числа/);
    await shot(phone.page, 'tasks-10-phone-form');
    await phone.context.close();
  });
});
