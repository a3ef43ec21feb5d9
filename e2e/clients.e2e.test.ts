/**
 * «Клиенты» in a real browser: create a company with requisites through the form (a wrong ИНН first, then a
 * duplicate), the phone shown as «+7 912 345-67-89» in the list, a comment on the timeline, the refusal mode
 * with a reason, the global search from the header, the card at phone width, and a manager who sees only
 * his own clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateCorrAccount, generateValidAccount } from '../common/requisites.js';
import { ADMIN, e2eEnabled, launchBrowser, login, newPage, shot, startApp, type RunningApp } from './support.js';

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** An API session (cookie + CSRF token) for creating test data. */
async function apiSession(url: string, email: string, password: string): Promise<Call> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method, path, body) => {
    const r = await fetch(`${url}/api${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

const BIK = '044525225';
const NAME = 'ООО «Ромашка»';

async function visible(page: Page, text: string | RegExp) {
  await expect.poll(() => page.getByText(text).first().isVisible()).toBe(true);
}

describe.runIf(e2eEnabled())('clients in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let clientId = '';

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('creates a client with requisites, comments, puts it into «Отказ» and finds it', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.getByRole('link', { name: 'Клиенты' }).first().click();
    await page.waitForURL(/\/clients$/);
    await visible(page, 'Клиентов пока нет');

    // The form: a wrong ИНН → the server's Russian message under the field.
    await page.getByRole('button', { name: 'Новый клиент' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Название/).fill(NAME);
    await dialog.getByLabel('ИНН', { exact: true }).fill('7707083894');
    await dialog.getByLabel('КПП', { exact: true }).fill('773601001');
    await dialog.getByLabel('Телефон', { exact: true }).fill('8 (912) 345-67-89');
    await dialog.getByLabel('E-mail', { exact: true }).fill('Info@Romashka.ru');
    await dialog.getByLabel('Регион', { exact: true }).fill('Свердловская область');
    await dialog.getByRole('button', { name: /Реквизиты/ }).click();
    await dialog.getByLabel('БИК', { exact: true }).fill(BIK);
    await dialog.getByLabel('Банк', { exact: true }).fill('ПАО Сбербанк');
    await dialog.getByLabel('Расчётный счёт', { exact: true }).fill(generateValidAccount(() => 0.37, BIK));
    await dialog.getByLabel('Корр. счёт', { exact: true }).fill(generateCorrAccount(BIK));
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await visible(page, 'Неверная контрольная сумма ИНН');
    expect(await dialog.getByLabel('ИНН', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'clients-01-inn-error');

    // The right ИНН: created, the card opens.
    await dialog.getByLabel('ИНН', { exact: true }).fill('7707083893');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await page.waitForURL(/\/clients\/[^/]+$/);
    clientId = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(() => page.getByRole('heading', { name: NAME }).isVisible()).toBe(true);
    await visible(page, '+7 912 345-67-89');
    await visible(page, 'info@romashka.ru');

    // A duplicate ИНН: «Клиент с таким ИНН уже есть», a link to it and (admin) «Создать всё равно».
    await page.goto(app.url + '/clients');
    await page.getByRole('button', { name: 'Новый клиент' }).click();
    await dialog.getByLabel(/^Название/).fill('Ромашка (дубль)');
    await dialog.getByLabel('ИНН', { exact: true }).fill('7707083893');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await visible(page, `Клиент с таким ИНН уже есть: «${NAME}»`);
    await expect.poll(() => dialog.getByRole('button', { name: 'Создать всё равно' }).isVisible()).toBe(true);
    expect(await dialog.getByRole('link', { name: 'Открыть карточку' }).getAttribute('href')).toBe(`/clients/${clientId}`);
    await shot(page, 'clients-02-duplicate');
    await dialog.getByRole('button', { name: 'Отмена' }).click();

    // The list: the phone in the Russian format.
    const row = page.getByRole('row', { name: /Ромашка/ });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('+7 912 345-67-89');
    expect(await row.innerText()).toContain('7707083893');
    await shot(page, 'clients-03-list');

    // The card: a comment lands on the timeline.
    await row.getByRole('link', { name: NAME }).click();
    await page.waitForURL(new RegExp(`/clients/${clientId}$`));
    await page.getByLabel('Комментарий').fill('Клиент просит КП на 40 окон до пятницы');
    await page.getByRole('button', { name: 'Добавить', exact: true }).click();
    await visible(page, 'Клиент просит КП на 40 окон до пятницы');
    await expect.poll(() => page.getByLabel('Комментарий').inputValue()).toBe('');

    // A contact and a quick task on the card.
    await page.getByRole('button', { name: 'Добавить контакт' }).click();
    const contact = page.getByRole('dialog');
    await contact.getByLabel(/^Имя/).fill('Анна Петрова');
    await contact.getByLabel('Должность').fill('Главный бухгалтер');
    await contact.getByLabel('Телефоны').fill('8 912 000-11-22');
    await contact.getByRole('button', { name: 'Создать' }).click();
    await visible(page, '+7 912 000-11-22');
    await page.getByRole('button', { name: 'Новая задача' }).click();
    const task = page.getByRole('dialog');
    await task.getByLabel(/^Что сделать/).fill('Отправить КП на 40 окон');
    await task.getByRole('button', { name: 'Создать' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Отправить КП на 40 окон' }).isVisible()).toBe(true);

    // «Реквизиты → Изменить» while someone else saves the card: 409 → «Запись изменил кто-то другой…», fresh data.
    await page.getByRole('button', { name: 'Изменить', exact: true }).first().click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('Источник').fill('Сайт');
    const admin = await apiSession(app.url, ADMIN.email, ADMIN.password);
    const current = await admin('GET', `/clients/${clientId}`);
    expect(
      (await admin('PATCH', `/clients/${clientId}`, { address: 'г. Екатеринбург, ул. Ленина, 1', version: current.body.version })).status,
    ).toBe(200);
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await visible(page, 'Запись изменил кто-то другой');
    await expect.poll(() => edit.getByLabel('Адрес').inputValue()).toBe('г. Екатеринбург, ул. Ленина, 1');
    await shot(page, 'clients-04a-stale');
    await edit.getByLabel('Источник').fill('Сайт');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.getByText('Сайт', { exact: true }).isVisible()).toBe(true);

    // «Отказ»: the reason is required, then the red banner.
    await page.getByRole('button', { name: 'Отказ', exact: true }).click();
    const refusal = page.getByRole('dialog');
    await refusal.getByRole('button', { name: 'Перевести в отказ' }).click();
    await visible(page, 'Выберите причину отказа');
    await refusal.getByLabel('Причина отказа').click();
    await page.getByRole('option', { name: 'Дорого' }).click();
    await refusal.getByLabel('Комментарий').fill('Бюджет урезали, вернуться в марте');
    await refusal.getByRole('button', { name: 'Перевести в отказ' }).click();
    await visible(page, 'Клиент в режиме отказа: Дорого');
    await visible(page, 'Бюджет урезали, вернуться в марте');
    await expect.poll(() => page.getByRole('button', { name: 'Вернуть в работу' }).isVisible()).toBe(true);
    await shot(page, 'clients-04-card-refused');

    // The list marks it «Отказ»; the «Отказ» filter keeps it.
    await page.getByRole('link', { name: 'Клиенты' }).first().click();
    await page.waitForURL(/\/clients$/);
    const refusedRow = page.getByRole('row', { name: /Ромашка/ });
    await expect.poll(() => refusedRow.getByText('Отказ', { exact: true }).isVisible()).toBe(true);
    await page.getByText(/^Отказ · 1$/).click();
    await expect.poll(() => page.getByRole('row', { name: /Ромашка/ }).count()).toBe(1);
    await shot(page, 'clients-05-list-refused');

    // The header search: «ромаш» finds the client.
    await page.getByRole('search').getByRole('searchbox').fill('ромаш');
    await page.getByRole('search').getByRole('searchbox').press('Enter');
    await page.waitForURL(/\/clients\/search\?q=/);
    const clientsGroup = page.getByRole('region', { name: 'Клиенты' });
    await expect.poll(() => clientsGroup.getByRole('link', { name: NAME }).isVisible()).toBe(true);
    await shot(page, 'clients-06-search');
    await clientsGroup.getByRole('link', { name: NAME }).click();
    await page.waitForURL(new RegExp(`/clients/${clientId}$`));

    // The server agrees.
    const saved = await page.evaluate(async (id) => (await fetch(`/api/clients/${id}`)).json(), clientId);
    expect(saved).toMatchObject({ status: 'refused', phones: ['+79123456789'], inn: '7707083893', bik: BIK });
    await context.close();
  });

  it('shows the card at phone width', async () => {
    const { context, page } = await newPage(browser, { width: 375, height: 800 });
    await login(page, app.url);
    await page.goto(`${app.url}/clients/${clientId}`);
    await visible(page, 'Клиент в режиме отказа: Дорого');
    await visible(page, 'Клиент просит КП на 40 окон до пятницы');
    // nothing wider than the screen
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot(page, 'clients-07-card-phone');
    await page.getByRole('tab', { name: 'Реквизиты' }).click();
    await visible(page, 'ПАО Сбербанк');
    await shot(page, 'clients-08-card-phone-requisites');
    await page.goto(`${app.url}/clients`);
    await visible(page, NAME);
    await shot(page, 'clients-09-list-phone');
    await context.close();
  });

  it('a manager sees only his own clients', async () => {
    const admin = await apiSession(app.url, ADMIN.email, ADMIN.password);
    const created = await admin('POST', '/users', {
      email: 'sidorov@firma.ru',
      name: 'Сидор Сидоров',
      role: 'manager',
      password: 'Пароль-Сидорова-1',
    });
    expect(created.status).toBe(201);
    const manager = await apiSession(app.url, 'sidorov@firma.ru', 'Пароль-Сидорова-1');
    const own = await manager('POST', '/clients', { kind: 'person', name: 'Иванов Иван Петрович', phones: ['+7 343 200-10-20'] });
    expect(own.status).toBe(201);

    const { context, page } = await newPage(browser);
    await login(page, app.url, 'sidorov@firma.ru', 'Пароль-Сидорова-1');
    await page.goto(app.url + '/clients');
    await expect.poll(() => page.getByRole('row', { name: /Иванов Иван Петрович/ }).count()).toBe(1);
    expect(await page.getByRole('row', { name: /Ромашка/ }).count()).toBe(0);
    expect(await page.getByRole('row').count()).toBe(2); // header + his client
    expect(await page.getByText('+7 343 200-10-20').count()).toBe(1);
    // no owner filter for a manager; the counts are his
    expect(await page.getByPlaceholder('Все ответственные').count()).toBe(0);
    await visible(page, /^Все · 1$/);
    await shot(page, 'clients-10-manager-list');
    // another manager's card is «not found»
    await page.goto(`${app.url}/clients/${clientId}`);
    await visible(page, 'Клиент не найден или у вас нет к нему доступа.');
    await page.getByRole('link', { name: 'К списку клиентов' }).click();
    await page.waitForURL(/\/clients$/);

    // The admin hands «Ромашка» over to him («Передать другому менеджеру»): now he sees it too.
    const adminTab = await newPage(browser);
    await login(adminTab.page, app.url);
    await adminTab.page.goto(`${app.url}/clients/${clientId}`);
    await adminTab.page.getByRole('button', { name: 'Ещё' }).click();
    await adminTab.page.getByRole('menuitem', { name: 'Передать другому менеджеру' }).click();
    const reassign = adminTab.page.getByRole('dialog');
    await reassign.getByLabel(/^Новый ответственный/).click();
    await adminTab.page.getByRole('option', { name: 'Сидор Сидоров' }).click();
    await reassign.getByRole('button', { name: 'Передать' }).click();
    await expect.poll(() => adminTab.page.getByText('Ответственный: Сидор Сидоров (был Администратор)').isVisible()).toBe(true);
    await adminTab.context.close();
    await page.reload();
    await expect.poll(() => page.getByRole('row', { name: /Ромашка/ }).count()).toBe(1);
    await visible(page, /^Все · 2$/);
    await context.close();
  });
});
