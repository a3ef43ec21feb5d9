/**
 * Website → leads in a real browser (issue 5, item 7): a plain HTML page served from ANOTHER origin uses the embed
 * script; the visitor's submission shows the thank-you text and appears live (no reload) in the inbox of the manager
 * the form's round robin picked; the manager opens the card and converts the lead into a deal. HTML in a submitted
 * name is shown as text. The admin screens of Настройки → Веб-формы: a form created in the UI with rules, its token,
 * endpoint and snippets. Screenshots at desktop and 375 px.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2eEnabled, freePort, launchBrowser, login, newPage, shot, startApp, type RunningApp, apiSession } from './support.js';

const MANAGER = { email: 'lidy@firma.ru', name: 'Менеджер Лидов', password: 'Пароль-Менеджера-1' };
const THANKS = 'Спасибо! Менеджер перезвонит вам в течение 15 минут.';
const XSS = '<img src=x onerror=alert(1)>';

/** The company's site: a plain page on another origin with a form wired by the embed script. */
function sitePage(appUrl: string, token: string): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>ООО «Окна Плюс» — заявка</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:480px;margin:40px auto;padding:0 16px}
input,button{display:block;width:100%;margin:8px 0;padding:10px;font-size:16px;box-sizing:border-box}
.voronka-success{padding:16px;background:#e6f4ea;border-radius:8px;color:#1e4620}
.voronka-error{padding:16px;background:#fdecea;border-radius:8px;color:#611a15}</style></head>
<body><h1>Окна Плюс</h1><p>Оставьте заявку — перезвоним и посчитаем стоимость.</p>
<form data-voronka-form="${token}" id="request">
  <input name="name" placeholder="Ваше имя" aria-label="Имя">
  <input name="phone" type="tel" placeholder="Телефон" aria-label="Телефон">
  <input name="email" type="email" placeholder="E-mail" aria-label="E-mail">
  <input name="comment" placeholder="Что нужно?" aria-label="Комментарий">
  <button type="submit">Отправить заявку</button>
</form>
<script src="${appUrl}/api/public/embed.js" defer></script>
</body></html>`;
}

async function leadRow(page: Page, name: string) {
  return page.locator('[data-testid="lead-row"]').filter({ hasText: name });
}

describe.runIf(e2eEnabled())('website → leads in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let site: http.Server;
  let siteUrl = '';
  let call: Awaited<ReturnType<typeof apiSession>>;
  let managerId = '';
  let form: { id: string; token: string; name: string };

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    call = await apiSession(app.url);
    const manager = await call<{ id: string }>('POST', '/users', { ...MANAGER, role: 'manager' });
    managerId = manager.id;

    const port = await freePort();
    siteUrl = `http://127.0.0.1:${port}`;
    form = await call('POST', '/forms', {
      name: 'Заявка с сайта',
      assignment: { strategy: 'round_robin', userIds: [managerId] },
      slaMinutes: 15,
      allowedOrigins: [siteUrl],
      thankYouText: THANKS,
    });
    site = http.createServer((req, res) => {
      if (req.url?.startsWith('/favicon')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(sitePage(app.url, form.token));
    });
    await new Promise<void>((resolve) => site.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((r) => site?.close(r));
    await browser?.close();
    await app?.stop();
  });

  it('a submission on another site appears live in the manager’s «Новые»; he converts it into a deal', async () => {
    // The manager works in «Лиды».
    const manager = await newPage(browser);
    const dialogs: string[] = [];
    const errors: string[] = [];
    manager.page.on('pageerror', (e) => errors.push(e.message));
    manager.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await login(manager.page, app.url, MANAGER.email, MANAGER.password);
    await manager.page.goto(app.url + '/leads');
    await expect.poll(() => manager.page.getByTestId('leads-empty').count()).toBe(1);
    expect(await manager.page.getByTestId('leads-tab-new').textContent()).toContain('Новые');
    // a manager sees only his leads: no «Неразобранные» tab
    expect(await manager.page.getByTestId('leads-tab-unassigned').count()).toBe(0);

    // A visitor of the company's site (another origin) sends the form.
    const visitor = await newPage(browser);
    await visitor.page.goto(`${siteUrl}/okna?utm_source=yandex&utm_medium=cpc&utm_campaign=osen-2026`);
    await visitor.page.waitForFunction(() => Boolean((window as unknown as { Voronka?: unknown }).Voronka));
    await visitor.page.getByLabel('Имя').fill('Ольга Смирнова');
    await visitor.page.getByLabel('Телефон').fill('8 (912) 345-67-89');
    await visitor.page.getByLabel('E-mail').fill('olga@example.ru');
    await visitor.page.getByLabel('Комментарий').fill('Нужно 3 окна в квартиру');
    await visitor.page.getByRole('button', { name: 'Отправить заявку' }).click();
    await expect.poll(() => visitor.page.getByText(THANKS).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await visitor.page.getByLabel('Имя').isVisible()).toBe(false);
    await shot(visitor.page, 'leads-01-site-after-submit');

    // Live, without a reload: the lead appears in «Новые» of the round-robin's manager.
    const row = await leadRow(manager.page, 'Ольга Смирнова');
    try {
      await expect.poll(() => row.count(), { timeout: 10_000, interval: 250 }).toBe(1);
    } catch (e) {
      await shot(manager.page, 'leads-debug');
      console.log('page errors:', errors);
      throw e;
    }
    await expect.poll(() => manager.page.getByText('Новый лид: Ольга Смирнова').count()).toBeGreaterThan(0);
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('+7 912 345-67-89');
    expect(rowText).toContain('olga@example.ru');
    expect(rowText).toContain('Заявка с сайта');
    expect(rowText).toContain('Кампания: osen-2026');
    expect(rowText).toMatch(/осталось 1[45] мин/);
    expect(rowText).toContain(MANAGER.name);
    expect(rowText).toMatch(/\d\d\.\d\d\.\d{4} \d\d:\d\d/);
    expect(await row.getByTestId('lead-phone').getAttribute('href')).toBe('tel:+79123456789');
    expect(await row.locator('a[href="mailto:olga@example.ru"]').count()).toBeGreaterThan(0);
    await expect.poll(() => manager.page.getByTestId('tab-count-new').textContent()).toBe('1');
    await shot(manager.page, 'leads-02-inbox-live'); // once the toast has settled

    // The lead card: every field, UTM, page, the raw payload.
    await row.getByTestId('lead-name').click();
    await manager.page.waitForURL(/\/leads\/[^/]+$/);
    await expect.poll(() => manager.page.getByTestId('lead-title').textContent()).toBe('Ольга Смирнова');
    const card = manager.page.locator('main');
    await expect.poll(() => card.getByText('Нужно 3 окна в квартиру').count()).toBeGreaterThan(0);
    expect(await card.getByText('osen-2026').count()).toBeGreaterThan(0);
    expect(await card.getByRole('link', { name: `${siteUrl}/okna?utm_source=yandex&utm_medium=cpc&utm_campaign=osen-2026` }).count()).toBe(
      1,
    );
    const raw = (await manager.page.getByTestId('lead-raw').textContent()) ?? '';
    expect(raw).toContain('"name": "Ольга Смирнова"');
    expect(raw).toContain('"utm_campaign": "osen-2026"');
    await shot(manager.page, 'leads-03-card');

    // Convert: confirm, land on the new deal.
    await manager.page.getByRole('button', { name: 'Конвертировать' }).first().click();
    const dialog = manager.page.getByRole('dialog');
    await expect.poll(() => dialog.getByText('Заявка: Ольга Смирнова').count()).toBeGreaterThan(0);
    await shot(manager.page, 'leads-03b-convert-modal');
    await dialog.getByTestId('confirm-convert').click();
    await manager.page.waitForURL(/\/deals\/[^/]+$/);
    const dealId = manager.page.url().split('/').pop()!;
    await expect.poll(() => manager.page.getByText('Заявка: Ольга Смирнова').count()).toBeGreaterThan(0);
    await shot(manager.page, 'leads-04-deal');

    // The server agrees: the lead is converted, the deal is in the default pipeline's «new» stage.
    const lead = (await call<{ items: any[] }>('GET', '/leads?status=converted')).items[0];
    expect(lead).toMatchObject({ name: 'Ольга Смирнова', assigneeId: managerId, dealId, status: 'converted' });
    expect(lead.firstResponseAt).not.toBeNull();
    const deal = await call<{ stageCode: string; ownerId: string }>('GET', `/deals/${dealId}`);
    expect(deal).toMatchObject({ stageCode: 'new', ownerId: managerId });

    // HTML in a submitted name is text: shown as typed, never run.
    const res = await fetch(`${app.url}/api/public/forms/${form.token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: XSS, phone: '+7 916 000-11-22', comment: '<script>alert(2)</script>' }),
    });
    expect(res.status).toBe(201);
    await manager.page.goto(app.url + '/leads');
    const xssRow = await leadRow(manager.page, XSS);
    await expect.poll(() => xssRow.count(), { timeout: 10_000 }).toBe(1);
    expect(await manager.page.locator('main img[src="x"]').count()).toBe(0);
    await xssRow.getByTestId('lead-name').click();
    await expect.poll(() => manager.page.getByTestId('lead-title').textContent()).toBe(XSS);
    expect(await manager.page.getByText('<script>alert(2)</script>').count()).toBeGreaterThan(0);
    expect(await manager.page.locator('main img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);

    // «В мусор» requires a reason.
    await manager.page.getByRole('button', { name: 'В мусор' }).click();
    const junk = manager.page.getByRole('dialog');
    await junk.getByTestId('confirm-junk').click();
    await expect.poll(() => junk.getByText('Укажите причину', { exact: true }).count()).toBe(1);
    await junk.getByRole('textbox', { name: 'Причина' }).fill('Спам: HTML в имени');
    await junk.getByTestId('confirm-junk').click();
    await expect.poll(() => manager.page.getByTestId('lead-status').first().textContent()).toBe('Мусор');

    await visitor.context.close();
    await manager.context.close();

    // 375 px: the inbox becomes cards, with the countdown and one-tap call.
    const second = await fetch(`${app.url}/api/public/forms/${form.token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Name: 'Игорь Петров',
        Phone: '+7 903 111-22-33',
        utm_campaign: 'zima-2026',
        formname: 'Калькулятор окон',
      }),
    });
    expect(second.status).toBe(201);
    const phone = await newPage(browser, { width: 375, height: 800 });
    await login(phone.page, app.url, MANAGER.email, MANAGER.password);
    await phone.page.goto(app.url + '/leads');
    await expect.poll(() => phone.page.getByTestId('leads-cards').count()).toBe(1);
    const phoneCard = phone.page.locator('[data-testid="lead-row"]').filter({ hasText: 'Игорь Петров' });
    await expect.poll(() => phoneCard.count()).toBe(1);
    expect(await phoneCard.textContent()).toContain('+7 903 111-22-33');
    expect(await phoneCard.getByTestId('lead-sla').getAttribute('data-sla')).toBe('ok');
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(380);
    await shot(phone.page, 'leads-05-inbox-375');
    await phone.context.close();
  });

  it('admin: web forms in the settings — a form with rules created in the UI, its token and snippets', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/settings/forms');
    await expect.poll(() => page.getByRole('link', { name: 'Заявка с сайта' }).count()).toBe(1);
    await shot(page, 'leads-06-forms-list');

    await page.getByRole('link', { name: 'Создать форму' }).click();
    await page.waitForURL(/\/settings\/forms\/new$/);
    await page.getByLabel('Название формы').fill('Заявка с лендинга');
    await page.getByTestId('strategy-rules').click();
    await page.getByRole('button', { name: 'Добавить правило' }).click();
    const rule = page.getByTestId('rule-row');
    await rule.getByRole('textbox', { name: 'Значение' }).fill('Москва');
    await rule.getByRole('combobox', { name: 'Менеджер' }).click();
    await page.getByRole('option', { name: MANAGER.name }).click();
    await page.getByRole('combobox', { name: 'Сотрудники, получающие заявки' }).click();
    await page.getByRole('option', { name: MANAGER.name }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Срок реакции (SLA), минут').fill('30');
    await page.getByLabel('Сайты, с которых можно отправлять').fill('https://okna-plus.ru/landing');
    await page.getByRole('button', { name: 'Создать форму' }).click();
    // a path in an origin is refused under the field
    await expect.poll(() => page.getByText('Строка 1: нужен адрес вида https://site.ru без пути, или *').count()).toBe(1);
    await page.getByLabel('Сайты, с которых можно отправлять').fill('https://okna-plus.ru');
    await shot(page, 'leads-07-form-editor');
    await page.getByRole('button', { name: 'Создать форму' }).click();
    await page.waitForURL(/\/settings\/forms\/[0-9a-f-]{10,}$/);

    const token = (await page.getByTestId('form-token').textContent())!.trim();
    expect(token.length).toBeGreaterThan(10);
    expect(await page.getByTestId('form-endpoint').textContent()).toContain(`/api/public/forms/${token}`);
    await expect
      .poll(async () => (await page.getByTestId('form-html-snippet').textContent()) ?? '')
      .toContain(`data-voronka-form="${token}"`);
    expect(await page.getByTestId('form-script-snippet').textContent()).toContain('/api/public/embed.js');
    await shot(page, 'leads-08-form-page');

    const forms = await call<{ items: any[] }>('GET', '/forms');
    const created = forms.items.find((f) => f.name === 'Заявка с лендинга');
    expect(created).toMatchObject({
      slaMinutes: 30,
      allowedOrigins: ['https://okna-plus.ru'],
      assignment: { strategy: 'rules', userIds: [managerId], rules: [{ field: 'region', equals: 'Москва', userId: managerId }] },
    });

    // «Сменить токен»: confirm; the page shows the new one.
    await page.getByRole('button', { name: 'Сменить токен' }).click();
    await page.getByTestId('confirm-rotate').click();
    await expect.poll(async () => ((await page.getByTestId('form-token').textContent()) ?? '').trim()).not.toBe(token);

    // The admin's inbox: «Неразобранные» and the assignee filter; assigning from the card.
    await page.goto(app.url + '/leads');
    await expect.poll(() => page.getByTestId('leads-tab-unassigned').count()).toBe(1);
    const igor = page.locator('[data-testid="lead-row"]').filter({ hasText: 'Игорь Петров' });
    await expect.poll(() => igor.count()).toBe(1);
    await page.getByRole('combobox', { name: 'Ответственный' }).click();
    await page.getByRole('option', { name: MANAGER.name }).click();
    await expect.poll(() => page.url()).toContain('assignee=');
    await expect.poll(() => igor.count()).toBe(1);
    await shot(page, 'leads-09-inbox-admin');
    await igor.getByTestId('lead-name').click();
    await page.getByRole('button', { name: 'Назначить' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Назначить' }).click();
    await expect.poll(() => page.getByText('Ответственный: Менеджер Лидов').count()).toBeGreaterThan(0);
    await context.close();
  });
});
