/**
 * Deals in a real browser: a deal with two line items created through the UI (the total formatted the Russian way),
 * the kanban with drag and drop (mouse down/move/up so dnd-kit's sensor activates) — column counts and sums follow
 * and the server agrees —, a drop on «Отказ» that requires a reason, the deal card with its stage history; screenshots
 * at desktop and 375 px widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { e2eEnabled, launchBrowser, login, newPage, shot, startApp, type RunningApp, apiSession } from './support.js';

const NBSP = '\u00A0';

function column(page: Page, code: string): Locator {
  return page.locator(`[data-testid="kanban-column"][data-stage-code="${code}"]`);
}

/** Drags with real mouse events: press, a few small steps to pass the 6 px activation distance, then glide to the target. */
async function drag(page: Page, from: Locator, to: Locator, beforeDrop?: () => Promise<unknown>) {
  await from.scrollIntoViewIfNeeded();
  const a = (await from.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 8, a.y + a.height / 2 + 4, { steps: 4 });
  await to.waitFor({ state: 'visible' }); // the closing-stage zones appear once the drag has started
  const b = (await to.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 120), { steps: 20 });
  await expect.poll(() => to.getAttribute('data-over')).toBe('true'); // dnd-kit has the pointer over the target
  await beforeDrop?.();
  await page.mouse.up();
}

describe.runIf(e2eEnabled())('deals in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let call: Awaited<ReturnType<typeof apiSession>>;
  let dealId = '';

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    call = await apiSession(app.url);
    await call('POST', '/clients', { kind: 'company', name: 'ООО «Ромашка»', inn: '7707083893', region: 'Москва' });
    await call('POST', '/products', { sku: 'OKNO-1214', name: 'Окно ПВХ 1200×1400', price: 1234500, unit: 'шт', vatRate: 22 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('creates a deal with two line items, drags it across the kanban, loses it with a reason, shows its history', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/deals');
    await expect.poll(() => column(page, 'new').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Сделки' }).count()).toBeGreaterThan(0);

    // «Новая сделка»: client from the search, title, two lines — one from the catalogue, one typed by hand.
    await page.getByRole('button', { name: 'Новая сделка' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Клиент').fill('Ромаш');
    await page.getByRole('option', { name: /Ромашка/ }).click();
    await dialog.getByLabel('Название сделки').fill('Окна в офис');
    await dialog.getByRole('button', { name: 'Добавить позицию' }).click();
    await dialog.getByLabel('Товар или услуга 1').fill('Окно');
    await page.getByRole('option', { name: /Окно ПВХ 1200×1400/ }).click();
    await dialog.getByLabel('Кол-во 1').fill('3');
    await dialog.getByRole('button', { name: 'Добавить позицию' }).click();
    await dialog.getByLabel('Товар или услуга 2').fill('Монтаж окон');
    await dialog.getByLabel('Цена, ₽ 2').fill('15 000,50');
    await dialog.getByLabel('НДС 2').click();
    await page.getByRole('option', { name: 'Без НДС' }).click();
    // 3 × 12 345,00 + 15 000,50 = 52 035,50 ₽; VAT 22 % of 37 035,00 within = 6 678,44 ₽
    const total = dialog.getByTestId('deal-items-total');
    await expect.poll(() => total.textContent()).toBe(`52${NBSP}035,50${NBSP}₽`);
    await expect.poll(() => dialog.getByText(`в т.ч. НДС: 6${NBSP}678,44${NBSP}₽`).count()).toBe(1);
    await shot(page, 'deals-01-new-deal');
    await dialog.getByRole('button', { name: 'Создать сделку' }).click();

    await page.waitForURL(/\/deals\/[^/]+$/);
    dealId = page.url().split('/').pop()!;
    await expect.poll(() => page.getByTestId('deal-amount').textContent()).toBe(`52${NBSP}035,50${NBSP}₽`);
    const created = await call('GET', `/deals/${dealId}`);
    expect(created.amount).toBe(5203550);
    expect(created.items).toHaveLength(2);
    expect(created.stageCode).toBe('new');

    // The kanban: the card is in «Новый»; drag it to «Квалификация».
    await page.goto(app.url + '/deals');
    const card = column(page, 'new').getByTestId('deal-card').filter({ hasText: 'Окна в офис' });
    await expect.poll(() => card.count()).toBe(1);
    await expect.poll(() => column(page, 'new').getByTestId('column-summary').textContent()).toBe(`1 · 52${NBSP}036${NBSP}₽`);
    await drag(page, card, column(page, 'qualification'));
    await expect.poll(() => column(page, 'qualification').getByTestId('deal-card').filter({ hasText: 'Окна в офис' }).count()).toBe(1);
    await expect.poll(() => column(page, 'qualification').getByTestId('column-summary').textContent()).toBe(`1 · 52${NBSP}036${NBSP}₽`);
    await expect.poll(() => column(page, 'new').getByTestId('column-summary').textContent()).toBe(`0 · 0${NBSP}₽`);
    await expect.poll(async () => (await call('GET', `/deals/${dealId}`)).stageCode).toBe('qualification');
    await shot(page, 'deals-02-kanban'); // once the success toast has settled

    // While dragging, «Успешно» and «Отказ» wait at the bottom of the screen (the columns are far to the right).
    // A drop on «Отказ» asks for the reason; without one the form refuses.
    await drag(page, column(page, 'qualification').getByTestId('deal-card').first(), page.getByTestId('drop-zone-lost'), () =>
      shot(page, 'deals-03-dragging-to-lost'),
    );
    const lose = page.getByRole('dialog', { name: 'Отказ по сделке' });
    await expect.poll(() => lose.count()).toBe(1);
    await lose.getByRole('button', { name: 'Закрыть как отказ' }).click();
    await expect.poll(() => lose.getByText('Выберите причину отказа').count()).toBe(1);
    expect((await call('GET', `/deals/${dealId}`)).status).toBe('open');
    await lose.getByLabel('Причина отказа').click();
    await page.getByRole('option', { name: 'Дорого' }).click();
    await lose.getByLabel('Комментарий').fill('Конкурент предложил на 15 % дешевле');
    await shot(page, 'deals-04-lose-modal');
    await lose.getByRole('button', { name: 'Закрыть как отказ' }).click();
    await expect.poll(() => lose.count()).toBe(0);
    await expect.poll(async () => (await call('GET', `/deals/${dealId}`)).status).toBe('lost');
    await expect.poll(() => column(page, 'lost').getByTestId('deal-card').filter({ hasText: 'Окна в офис' }).count()).toBe(1);
    const lost = await call('GET', `/deals/${dealId}`);
    expect(lost.stageCode).toBe('lost');
    expect(lost.lossComment).toBe('Конкурент предложил на 15 % дешевле');

    // The deal card: status, the reason, the history of three stages.
    await column(page, 'lost').getByRole('link', { name: 'Окна в офис' }).click();
    await page.waitForURL(new RegExp(`/deals/${dealId}$`));
    await expect.poll(() => page.getByTestId('deal-status').textContent()).toBe('Отказ');
    await expect.poll(() => page.getByTestId('deal-loss').textContent()).toContain('Дорого');
    const history = page.getByTestId('deal-history');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(3);
    for (const stage of ['Новый', 'Квалификация', 'Отказ']) expect(await history.getByText(stage, { exact: true }).count()).toBe(1);
    await shot(page, 'deals-05-deal-card-lost');

    // An open deal on desktop: the items are editable; change a quantity and save (PATCH with the version).
    const open = await call('POST', '/deals', {
      clientId: created.clientId,
      title: 'Двери для цеха',
      items: [{ name: 'Дверь противопожарная', quantity: 2, price: 4590000, vatRate: 22 }],
    });
    await page.goto(app.url + `/deals/${open.id}`);
    await page.getByLabel('Кол-во 1').fill('4');
    await page.getByRole('button', { name: 'Сохранить позиции' }).click();
    await expect.poll(() => page.getByTestId('deal-amount').textContent()).toBe(`183${NBSP}600,00${NBSP}₽`);
    expect((await call('GET', `/deals/${open.id}`)).amount).toBe(18360000);
    // The manager edits while someone else changes the deal: the save is refused with the server's message.
    await page.getByLabel('Кол-во 1').fill('5');
    await call('PATCH', `/deals/${open.id}`, { title: 'Двери для цеха №2', version: (await call('GET', `/deals/${open.id}`)).version });
    await page.getByRole('button', { name: 'Сохранить позиции' }).click();
    await expect.poll(() => page.getByText(/изменил кто-то другой/).count()).toBeGreaterThan(0);
    await shot(page, 'deals-07-deal-card-conflict');
    await page.getByRole('button', { name: 'Загрузить свежие данные' }).click();
    await expect.poll(() => page.getByTestId('deal-title').textContent()).toBe('Двери для цеха №2');

    // The list view with the deals.
    await page.goto(app.url + '/deals/list');
    await expect.poll(() => page.getByTestId('deal-row').count()).toBe(2);
    await shot(page, 'deals-06-list');
    await context.close();
  });

  it('settings: a stage added and moved, a product created, a loss reason added', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/settings/pipelines');
    const pipeline = page.getByTestId('pipeline-card').first();
    await pipeline.getByLabel('Название нового этапа').fill('Замер');
    await pipeline.getByRole('button', { name: 'Добавить этап' }).click();
    const names = () => pipeline.getByTestId('stage-row').allInnerTexts();
    await expect.poll(async () => (await names()).findIndex((row) => row.includes('Замер'))).toBe(9); // before «Успешно»
    await pipeline.getByRole('button', { name: 'Выше: Замер' }).click();
    await expect.poll(async () => (await names()).findIndex((row) => row.includes('Замер'))).toBe(8);
    // The closing stages cannot be archived: no such button.
    expect(await pipeline.getByRole('button', { name: 'Убрать этап в архив: Успешно' }).count()).toBe(0);
    await shot(page, 'deals-10-settings-pipelines');
    const stages = (await call('GET', '/pipelines'))[0].stages.map((st: { name: string }) => st.name);
    expect(stages.indexOf('Замер')).toBe(8);

    await page.goto(app.url + '/settings/products');
    await page.getByRole('button', { name: 'Добавить товар' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Название').fill('Москитная сетка');
    await dialog.getByLabel('Артикул').fill('SET-01');
    await dialog.getByLabel('Цена с НДС, ₽').fill('2 490,90');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await expect.poll(() => page.getByRole('cell', { name: `2${NBSP}490,90${NBSP}₽` }).count()).toBe(1);
    await shot(page, 'deals-11-settings-products');
    const products = await call('GET', '/products?q=сетка');
    expect(products.items[0]).toMatchObject({ sku: 'SET-01', price: 249090, vatRate: 22 });

    await page.goto(app.url + '/settings/loss-reasons');
    await page.getByLabel(/Новая причина/).fill('Долгие сроки');
    await page.getByRole('button', { name: 'Добавить' }).click();
    await expect.poll(() => page.getByTestId('loss-reason-row').filter({ hasText: 'Долгие сроки' }).count()).toBe(1);
    await shot(page, 'deals-12-settings-loss-reasons');
    await context.close();
  });

  it('the kanban and the deal card at 375 px: the board scrolls sideways inside, the page does not', async () => {
    await call('POST', '/deals', {
      clientId: (await call('GET', '/clients?q=Ромашка')).items[0].id,
      title: 'Подоконники для склада',
      items: [{ name: 'Подоконник 300 мм', quantity: 12, price: 185000, vatRate: 22 }],
    });
    const { context, page } = await newPage(browser, { width: 375, height: 760 });
    await login(page, app.url);
    await page.goto(app.url + '/deals');
    await expect.poll(() => column(page, 'new').getByTestId('deal-card').filter({ hasText: 'Подоконники для склада' }).count()).toBe(1);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(380);
    const board = await page.getByTestId('kanban-board').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(board.scroll).toBeGreaterThan(board.client);
    await shot(page, 'deals-08-kanban-phone');
    await column(page, 'new').getByRole('link', { name: 'Подоконники для склада' }).click();
    await expect.poll(() => page.getByTestId('deal-history').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'deals-09-deal-card-phone');
    await context.close();
  });
});
