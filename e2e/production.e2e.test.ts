/**
 * Production, reviews and automation in a real browser. A manager's deal moved to «Производство» (API) appears on the
 * production worker's board in «Очередь»; «Взять в работу» → «Готово» moves the deal to «Сдано клиенту» and the
 * default rule gives the manager a «Собрать отзыв…» task due in 15 days (the job runner of the built server, polled).
 * The manager records a 1-star review in «Отзывы» → the client card gets the negative mark. The automation rules
 * page shows the seeded rules, the editor shows the server's validation under the field, the log shows the runs.
 * Screenshots: the board (desktop + 375 px), the order drawer, tasks, reviews, the client card, rules, editor, log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  e2eEnabled,
  launchBrowser,
  login as loginOnce,
  appServed,
  newPage,
  shot,
  startApp,
  type RunningApp,
  apiSession,
  type ApiCall,
} from './support.js';

/** Logs in; retried a few times, because another session may be rebuilding web/dist on this machine meanwhile. */
async function login(page: Page, base: string, email?: string, password?: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await loginOnce(page, base, email, password);
    } catch (error) {
      if (attempt >= 4) throw error;
      await appServed(base);
    }
  }
}

const MANAGER = { email: 'manager@voronka.test', password: 'Менеджер-пароль-2026', name: 'Мария Соколова' };
const WORKER = { email: 'ceh@voronka.test', password: 'Цех-пароль-2026', name: 'Пётр Токарев' };
const HEAD = { email: 'head@voronka.test', password: 'Руководитель-2026', name: 'Ольга Руднева' };

/** expect.poll with room for a shared, busy machine (the default is one second). */
function poll<T>(fn: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

function column(page: Page, status: string): Locator {
  return page.locator(`[data-testid="production-column"][data-status="${status}"]`);
}

describe.runIf(e2eEnabled())('production, reviews and automation in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let admin: ApiCall;
  let manager: ApiCall;
  let clientId = '';
  let dealId = '';
  let managerId = '';

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    admin = await apiSession(app.url);
    const dept = await admin('POST', '/departments', { name: 'Отдел продаж' });
    const head = await admin('POST', '/users', {
      email: HEAD.email,
      name: HEAD.name,
      role: 'head',
      password: HEAD.password,
      departmentId: dept.id,
    });
    await admin('PATCH', `/departments/${dept.id}`, { headId: head.id });
    const m = await admin('POST', '/users', {
      email: MANAGER.email,
      name: MANAGER.name,
      role: 'manager',
      password: MANAGER.password,
      departmentId: dept.id,
    });
    managerId = m.id;
    await admin('POST', '/users', { email: WORKER.email, name: WORKER.name, role: 'production', password: WORKER.password });
    manager = await apiSession(app.url, MANAGER);
    const client = await admin('POST', '/clients', {
      kind: 'company',
      name: 'ООО «Северный ветер»',
      inn: '7707083893',
      region: 'Москва',
      ownerId: managerId,
    });
    clientId = client.id;
    const okno = await admin('POST', '/products', {
      sku: 'OKNO-1214',
      name: 'Окно ПВХ 1200×1400',
      price: 1234500,
      unit: 'шт',
      vatRate: 22,
    });
    const sill = await admin('POST', '/products', { sku: 'POD-300', name: 'Подоконник 300 мм', price: 185000, unit: 'м', vatRate: 22 });
    const deal = await admin('POST', '/deals', {
      clientId,
      title: 'Окна для нового офиса',
      ownerId: managerId,
      items: [
        { productId: okno.id, quantity: 6 },
        { productId: sill.id, quantity: 7.5 },
        { name: 'Монтаж под ключ', quantity: 1, price: 1500000, vatRate: null },
      ],
    });
    dealId = deal.id;
    await admin('POST', `/deals/${dealId}/move`, { stageCode: 'production' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the production worker takes the order and finishes it; the manager gets the 15-day feedback task', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url, WORKER.email, WORKER.password);
    await page.goto(app.url + '/production');
    const card = column(page, 'queued').getByTestId('order-card').filter({ hasText: 'Окна для нового офиса' });
    await poll(() => card.count()).toBe(1);
    expect(await card.textContent()).toContain('ООО «Северный ветер»');
    expect(await card.textContent()).toContain('6\u00A0шт');
    expect(await card.textContent()).toContain('7,5\u00A0м');
    expect(await card.textContent()).toContain('×\u00A01');
    await shot(page, 'production-01-board-queue');

    // The drawer: items with quantities, the manager, no prices.
    await card.click();
    const drawer = page.getByTestId('order-drawer');
    await poll(() => drawer.getByTestId('order-items').locator('tbody tr').count()).toBe(3);
    expect(await drawer.textContent()).toContain(MANAGER.name);
    expect(await drawer.textContent()).not.toContain('₽');
    await drawer.getByLabel('Комментарий').fill('Нужен замер проёмов до 5-го числа');
    await drawer.getByRole('button', { name: 'Сохранить комментарий' }).click();
    await poll(async () => (await admin('GET', `/production-orders?dealId=${dealId}`)).items[0].comment).toBe(
      'Нужен замер проёмов до 5-го числа',
    );
    await shot(page, 'production-02-order-drawer');
    await page.keyboard.press('Escape');
    await poll(() => drawer.count()).toBe(0);

    // Live refresh: the admin sets a due date elsewhere; the open board shows it without a reload.
    const queued = (await admin('GET', `/production-orders?dealId=${dealId}`)).items[0];
    await admin('PATCH', `/production-orders/${queued.id}`, { dueDate: '2030-03-15', version: queued.version });
    await poll(() => card.textContent()).toContain('15.03.2030');

    // «Взять в работу»: the card moves to «В работе», assigned to the worker.
    await card.getByRole('button', { name: 'Взять в работу' }).click();
    const working = column(page, 'in_progress').getByTestId('order-card').filter({ hasText: 'Окна для нового офиса' });
    await poll(() => working.count()).toBe(1);
    expect(await working.textContent()).toContain(WORKER.name);
    const order = (await admin('GET', `/production-orders?dealId=${dealId}`)).items[0];
    expect(order.status).toBe('in_progress');

    // «Готово» asks for confirmation, then the deal is «Сдано клиенту».
    await working.getByRole('button', { name: 'Готово' }).click();
    await page.getByRole('button', { name: 'Да, готово' }).click();
    const done = column(page, 'done').getByTestId('order-card').filter({ hasText: 'Окна для нового офиса' });
    await poll(() => done.count()).toBe(1);
    await poll(async () => (await admin('GET', `/deals/${dealId}`)).stageCode).toBe('delivered');
    await shot(page, 'production-03-board-done');

    await context.close();

    // The default rule «Сдача клиенту → задача собрать отзыв через 15 дней»: the job runner creates it within a second.
    const finished = await admin('GET', `/production-orders/${order.id}`);
    let task: any;
    await expect
      .poll(
        async () => {
          const tasks = (await manager('GET', `/tasks?dealId=${dealId}&limit=50`)).items as any[];
          task = tasks.find((x) => x.title.startsWith('Собрать отзыв'));
          return Boolean(task);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(task.title).toBe('Собрать отзыв: Окна для нового офиса');
    expect(task.assigneeId).toBe(managerId);
    expect(task.type).toBe('call');
    const days = (Date.parse(task.dueAt) - Date.parse(finished.doneAt)) / 86_400_000;
    expect(days).toBeGreaterThan(14.9);
    expect(days).toBeLessThan(15.1);
  });

  it('the board at 375 px: one column at a time, no sideways page scroll', async () => {
    // A second order in the queue, so the phone shot has something to work on.
    const deal = await admin('POST', '/deals', {
      clientId,
      title: 'Жалюзи в переговорную',
      ownerId: managerId,
      items: [{ name: 'Жалюзи вертикальные 2000×1800', quantity: 2, price: 650000, vatRate: 22 }],
    });
    await admin('POST', `/deals/${deal.id}/move`, { stageCode: 'production' });
    const { context, page } = await newPage(browser, { width: 375, height: 780 });
    await login(page, app.url, WORKER.email, WORKER.password);
    await page.goto(app.url + '/production');
    await poll(() => column(page, 'queued').getByTestId('order-card').count()).toBe(1);
    expect(await column(page, 'done').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'production-04-board-phone');
    await page
      .getByTestId('production-switch')
      .getByText(/^Готово/)
      .click();
    await poll(() => column(page, 'done').getByTestId('order-card').count()).toBe(1);
    await context.close();
  });

  it('the manager sees the task, records a negative review; the client card gets the mark', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url, MANAGER.email, MANAGER.password);

    // The feedback task in «Задачи».
    await page.goto(app.url + '/tasks?tab=open');
    await poll(() => page.getByText('Собрать отзыв: Окна для нового офиса').count(), 15_000).toBeGreaterThan(0);
    await shot(page, 'production-05-tasks');

    // The manager's board is read-only.
    await page.goto(app.url + '/production');
    await poll(() => column(page, 'done').getByTestId('order-card').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Взять в работу' }).count()).toBe(0);
    expect(await page.getByText('Только просмотр').count()).toBe(1);

    // «Отзывы» → «Новый отзыв»: client, deal, 1 star (sentiment becomes negative by itself), text, source.
    await page.goto(app.url + '/reviews');
    await poll(() => page.getByText('Отзывов пока нет', { exact: false }).count()).toBe(1);
    await page.getByRole('button', { name: 'Новый отзыв' }).click();
    const dialog = page.getByRole('dialog', { name: 'Новый отзыв' });
    await dialog.getByRole('button', { name: 'Сохранить отзыв' }).click();
    await poll(() => dialog.getByText('Выберите клиента').count()).toBe(1);
    await dialog.getByLabel('Клиент').fill('Северный');
    await page.getByRole('option', { name: /Северный ветер/ }).click();
    await dialog.getByLabel('Сделка').click();
    await page.getByRole('option', { name: /Окна для нового офиса/ }).click();
    // One star, clicked with the mouse as a person does.
    const star = (await dialog.getByTestId('rating-input').locator('.mantine-Rating-symbolGroup').first().boundingBox())!;
    await page.mouse.move(star.x + star.width / 2, star.y + star.height / 2, { steps: 3 });
    await page.mouse.click(star.x + star.width / 2, star.y + star.height / 2);
    await poll(() => dialog.getByText('После сохранения в карточке клиента появится отметка', { exact: false }).count()).toBe(1);
    await dialog.getByLabel('Текст отзыва').fill('Монтажники опоздали на два дня, на подоконнике царапина.');
    await shot(page, 'production-06-new-review');
    await dialog.getByRole('button', { name: 'Сохранить отзыв' }).click();
    await poll(() => dialog.count()).toBe(0);

    const list = page.getByTestId('review-item');
    await poll(() => list.count()).toBe(1);
    expect(await list.first().getByTestId('sentiment-badge').textContent()).toBe('Отрицательный');
    expect(await list.first().textContent()).toContain('Звонок');
    await poll(() => page.getByTestId('summary-count').textContent()).toBe('1');
    await poll(() => page.locator('[data-testid="reviews-summary"] canvas').count()).toBeGreaterThan(0);
    await shot(page, 'production-07-reviews'); // once the donut's animation has ended

    // Server side: the mark on the client; the deal moved «Сдано клиенту» → «Отзыв получен».
    await poll(async () => (await manager('GET', `/clients/${clientId}`)).negativeFeedback).toBe(true);
    expect((await manager('GET', `/deals/${dealId}`)).stageCode).toBe('feedback');
    const reviews = (await manager('GET', `/reviews?clientId=${clientId}`)).items;
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ rating: 1, sentiment: 'negative', source: 'call', dealId });

    // The client card shows the negative-feedback mark.
    await page.goto(app.url + `/clients/${clientId}`);
    await poll(() => page.getByText('Негативный отзыв', { exact: false }).count()).toBeGreaterThan(0);
    // «Отзывы» on the card (ClientReviewsPanel): the 1-star review with its badge.
    await poll(() => page.getByTestId('client-reviews').getByTestId('review-item').count()).toBe(1);
    expect(await page.getByTestId('client-reviews').getByTestId('sentiment-badge').textContent()).toBe('Отрицательный');
    await shot(page, 'production-08-client-card');

    // The 375 px review base.
    await page.setViewportSize({ width: 375, height: 780 });
    await page.goto(app.url + '/reviews');
    await poll(() => list.count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await poll(() => page.locator('[data-testid="reviews-summary"] canvas').count()).toBeGreaterThan(0);
    await shot(page, 'production-09-reviews-phone'); // once the donut's animation has ended
    await context.close();

    // The head got the control task of the negative-review rule.
    const head = await apiSession(app.url, HEAD);
    await expect
      .poll(
        async () =>
          ((await head('GET', `/tasks?clientId=${clientId}&limit=50`)).items as any[]).some(
            (x) => x.title === 'Разобрать отрицательный отзыв: ООО «Северный ветер»',
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
  });

  it('the admin sees the rules, the editor shows the server validation under the field, the log shows the runs', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/settings/automation');
    const rows = page.getByTestId('rule-row');
    await poll(() => rows.count()).toBe(3);
    const feedback = rows.filter({ hasText: 'Сдача клиенту → задача собрать отзыв через 15 дней' });
    expect(await feedback.textContent()).toContain('Заказ производства готов');
    expect(await feedback.textContent()).toContain('через 15 дней');
    await shot(page, 'production-10-rules');

    // A new rule with an unknown placeholder: the server's 400 appears under the title field.
    await page.getByRole('button', { name: 'Новое правило' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Название').fill('Согласие → позвонить');
    await dialog.getByLabel('Этап, на который перешла сделка').click();
    await page.getByRole('option', { name: 'Согласие', exact: true }).click();
    await dialog.getByLabel('Заголовок задачи').fill('Позвонить {client.phone}');
    await dialog.getByRole('button', { name: 'Создать правило' }).click();
    await poll(() => dialog.getByText('Неизвестная подстановка {client.phone}', { exact: false }).count()).toBe(1);
    await shot(page, 'production-11-rule-editor-error');
    await dialog.getByLabel('Заголовок задачи').fill('Позвонить: ');
    await dialog.getByRole('button', { name: '{client.name}' }).first().click();
    await dialog.getByRole('button', { name: 'Создать правило' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => rows.count()).toBe(4);
    const rules = (await admin('GET', '/automation/rules')).items as any[];
    const created = rules.find((r) => r.name === 'Согласие → позвонить');
    expect(created).toMatchObject({ trigger: 'deal.stage_entered', enabled: true, conditions: { stageCode: 'agreed' } });
    expect(created.actions[0]).toMatchObject({
      type: 'create_task',
      titleTemplate: 'Позвонить: {client.name}',
      dueOffset: { days: 1 },
      assignee: 'owner',
    });

    // The switch disables it.
    await rows.filter({ hasText: 'Согласие → позвонить' }).getByTestId('rule-enabled').click({ force: true });
    await poll(async () => ((await admin('GET', '/automation/rules')).items as any[]).find((r) => r.id === created.id).enabled).toBe(false);

    // The execution log: the feedback rule and the negative-review rule ran once each, ok.
    await page.getByRole('tab', { name: 'Журнал выполнения' }).click();
    await page.waitForURL(/\/settings\/automation\/runs/);
    await poll(() => page.getByTestId('run-row').count()).toBe(2);
    expect(await page.getByTestId('run-status').allTextContents()).toEqual(['Выполнено', 'Выполнено']);
    await shot(page, 'production-12-runs');

    await page.setViewportSize({ width: 375, height: 780 });
    await page.goto(app.url + '/settings/automation');
    await poll(() => rows.count()).toBe(4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'production-13-rules-phone');
    await context.close();
  });
});
