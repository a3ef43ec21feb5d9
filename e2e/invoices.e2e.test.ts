/**
 * Invoices in a real browser: the company requisites filled in through Настройки → Реквизиты компании (a checksum
 * error under the field, a logo upload with preview, a version conflict), an invoice issued from the register for a
 * deal with items, its PDF (application/pdf, rendered to PNG with pdftoppm), «Отправить клиенту» without SMTP (the
 * hint how to configure it), a partial payment, an overpayment kept as the client's credit, status «Оплачен» and the
 * deal at «Оплачен», re-issue and cancel, the register's sums and the Excel export; screenshots at desktop and 375 px.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2eEnabled, launchBrowser, login, newPage, ROOT, settled, shot, SHOTS, startApp, type RunningApp, apiSession } from './support.js';

const NBSP = '\u00A0';
/** The server shares the CPU with other builds: give each UI round trip up to 10 s. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });
const rub = (text: string) => text.replace(/ /g, NBSP) + `${NBSP}₽`;

/** A small PNG logo drawn on a canvas in the page (no binary fixtures in the repository). */
async function drawLogo(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 360;
    canvas.height = 120;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#1c7ed6';
    g.beginPath();
    g.moveTo(20, 20);
    g.lineTo(100, 20);
    g.lineTo(70, 100);
    g.lineTo(50, 100);
    g.closePath();
    g.fill();
    g.fillStyle = '#212529';
    g.font = 'bold 44px sans-serif';
    g.fillText('ОКНА+', 120, 78);
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

describe.runIf(e2eEnabled())('invoices in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let call: Awaited<ReturnType<typeof apiSession>>;
  let clientId = '';
  let dealId = '';
  let invoiceId = '';

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    call = await apiSession(app.url);
    const client = await call('POST', '/clients', {
      kind: 'company',
      name: 'ООО «Ромашка»',
      inn: '7736207543',
      kpp: '773601001',
      address: '119021, г. Москва, ул. Льва Толстого, д. 16',
      emails: ['buh@romashka.example'],
    });
    clientId = client.id;
    // 3 × 12 345,00 (НДС 22 %) + 15 000,50 (без НДС) = 52 035,50 ₽; НДС 6 678,44 ₽
    const deal = await call('POST', '/deals', {
      clientId,
      title: 'Окна в офис',
      items: [
        { name: 'Окно ПВХ 1200×1400', quantity: 3, price: 1234500, vatRate: 22 },
        { name: 'Монтаж окон', quantity: 1, price: 1500050, vatRate: null },
      ],
    });
    dealId = deal.id;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('fills in the company requisites: checksum error under the field, logo preview, version conflict', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/settings/company');
    await poll(() => page.getByRole('heading', { name: 'Реквизиты компании' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Реквизиты компании' }).count()).toBeGreaterThan(0);
    await poll(() => page.getByTestId('company-missing').textContent()).toContain('ИНН');

    // A wrong checksum is shown under the field at once.
    await page.getByLabel('ИНН', { exact: true }).fill('7707083894');
    await page.getByLabel('КПП', { exact: true }).click();
    await poll(() => page.getByText('Неверная контрольная сумма ИНН').count()).toBe(1);

    await page.getByLabel('Название', { exact: true }).fill('ООО «Окна Плюс»');
    await page.getByLabel('ИНН', { exact: true }).fill('7707083893');
    await page.getByLabel('КПП', { exact: true }).fill('773601001');
    await page.getByLabel('ОГРН / ОГРНИП').fill('1027700132195');
    await page.getByLabel('Юридический адрес').fill('117997, г. Москва, ул. Вавилова, д. 19');
    await page.getByLabel('Руководитель', { exact: true }).fill('Петров П. П.');
    await page.getByLabel('Главный бухгалтер').fill('Сидорова А. В.');
    await page.getByLabel('Банк', { exact: true }).fill('ПАО Сбербанк, г. Москва');
    await page.getByLabel('БИК', { exact: true }).fill('044525225');
    await page.getByLabel('Расчётный счёт').fill('40702810400000000001');
    await page.getByLabel('Корр. счёт').click();
    await poll(() => page.getByText('Неверный контрольный ключ счёта (проверьте счёт и БИК)').count()).toBe(1);
    await page.getByLabel('Расчётный счёт').fill('40702810400000000005');
    // The correspondent account is offered from the БИК.
    await page.getByRole('button', { name: /Заполнить по БИК: 30101810400000000225/ }).click();
    expect(await page.getByLabel('Корр. счёт').inputValue()).toBe('30101810400000000225');
    await page.getByLabel('Префикс номера счёта').fill('СЧ-');
    await page.getByLabel('Срок оплаты, дней').fill('7');
    await poll(() => page.getByText('Номер в счёте: СЧ-17').count()).toBe(1);

    // The logo: PNG → data URL with a preview.
    const logo = await drawLogo(page);
    await page
      .getByTestId('company-logo')
      .locator('input[type="file"]')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logo });
    await poll(() => page.getByTestId('company-logo').locator('img').count()).toBe(1);
    // Too big a file is refused with a message, nothing is uploaded.
    await page
      .getByTestId('company-facsimile')
      .locator('input[type="file"]')
      .setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: Buffer.concat([logo, Buffer.alloc(520 * 1024)]) });
    await poll(() =>
      page
        .getByTestId('company-facsimile')
        .getByText(/Уменьшите изображение/)
        .count(),
    ).toBe(1);
    expect(await page.getByTestId('company-facsimile').locator('img').count()).toBe(0);

    await page.getByRole('button', { name: 'Сохранить' }).click();
    await poll(() => page.getByText('Реквизиты сохранены').count()).toBe(1);
    await poll(() => page.getByTestId('company-missing').count()).toBe(0);
    const saved = await call('GET', '/settings/company');
    expect(saved).toMatchObject({
      name: 'ООО «Окна Плюс»',
      inn: '7707083893',
      kpp: '773601001',
      bik: '044525225',
      account: '40702810400000000005',
      corrAccount: '30101810400000000225',
      invoicePrefix: 'СЧ-',
      paymentTermDays: 7,
      taxMode: 'vat22',
      version: 1,
    });
    expect(saved.logo).toMatch(/^data:image\/png;base64,/);
    await shot(page, 'invoices-01-company-settings');

    // Someone else saves meanwhile: our next save gets 409 and offers to reload.
    await call('PUT', '/settings/company', {
      ...saved,
      director: 'Петров Пётр Петрович',
      logo: undefined,
      facsimile: undefined,
      defaultVatRate: undefined,
      updatedAt: undefined,
    });
    await page.getByLabel('Срок оплаты, дней').fill('10');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await poll(() => page.getByTestId('company-conflict').count()).toBe(1);
    await page.getByRole('button', { name: 'Загрузить актуальные' }).click();
    await poll(() => page.getByLabel('Руководитель', { exact: true }).inputValue()).toBe('Петров Пётр Петрович');
    expect(await page.getByLabel('Срок оплаты, дней').inputValue()).toBe('7');
    await context.close();
  });

  it('issues an invoice from the register, opens and prints its PDF, records payments until «Оплачен», exports Excel', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/invoices');
    await poll(() => page.getByText(/Счетов пока нет/).count()).toBe(1);

    // «Новый счёт»: pick the deal, issue, the invoice opens.
    await page.getByRole('button', { name: 'Новый счёт' }).click();
    const issue = page.getByRole('dialog', { name: 'Выставить счёт по сделке' });
    await issue.getByLabel('Сделка').fill('Окна');
    await issue.getByRole('option', { name: /Окна в офис/ }).click();
    await shot(page, 'invoices-02-issue-modal');
    await issue.getByRole('button', { name: 'Выставить счёт' }).click();
    await page.waitForURL(/\/invoices\/[^/]+$/);
    invoiceId = page.url().split('/').pop()!;
    const today = await page.evaluate(() => new Date().toLocaleDateString('ru-RU'));
    await poll(() => page.getByTestId('invoice-title').textContent()).toBe(`Счёт № СЧ-1 от ${today}`);
    await poll(() => page.getByTestId('invoice-status').textContent()).toBe('Выставлен');
    await poll(() => page.getByTestId('invoice-total').textContent()).toBe(rub('52 035,50'));
    const totals = page.getByTestId('invoice-totals');
    expect(await totals.getByText('В том числе НДС (22 %)').count()).toBe(1);
    expect(await totals.getByText(rub('6 678,44')).count()).toBe(1);
    expect(await page.getByTestId('invoice-items').locator('tbody tr').count()).toBe(2);
    expect((await call('GET', `/deals/${dealId}`)).stageCode).toBe('invoiced');

    // «Открыть PDF» opens the PDF in a new tab; the response is a real PDF; render page 1 to PNG and keep it.
    const href = await page.getByRole('link', { name: 'Открыть PDF' }).getAttribute('href');
    expect(href).toBe(`/api/invoices/${invoiceId}/pdf`);
    expect(await page.getByRole('link', { name: 'Открыть PDF' }).getAttribute('target')).toBe('_blank');
    const pdf = await page.request.get(app.url + href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    const body = await pdf.body();
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfFile = path.join(ROOT, 'artifacts', 'invoice-e2e.pdf');
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(pdfFile, body);
    execFileSync('pdftoppm', ['-png', '-r', '90', '-singlefile', '-f', '1', pdfFile, path.join(SHOTS, 'invoices-03-pdf')]);
    expect(fs.statSync(path.join(SHOTS, 'invoices-03-pdf.png')).size).toBeGreaterThan(10_000);
    const popupPromise = page.waitForEvent('popup');
    await page.getByRole('link', { name: 'Открыть PDF' }).click();
    const popup = await popupPromise;
    expect(popup.url()).toContain(`/api/invoices/${invoiceId}/pdf`);
    await popup.close();

    // «Отправить клиенту» without SMTP: the e-mail is prefilled, the server's message and the hint are shown.
    await page.getByRole('button', { name: 'Отправить клиенту' }).click();
    const send = page.getByRole('dialog', { name: 'Отправить счёт клиенту' });
    await poll(() => send.getByLabel('E-mail клиента').inputValue()).toBe('buh@romashka.example');
    await send.getByRole('button', { name: 'Отправить' }).click();
    await poll(() => send.getByTestId('smtp-not-configured').count()).toBe(1);
    expect(await send.getByTestId('smtp-not-configured').textContent()).toContain('VORONKA_SMTP_URL');
    await shot(page, 'invoices-04-send-no-smtp');
    await send.getByRole('button', { name: 'Отмена' }).click();

    // A partial payment: 20 000 ₽ typed the Russian way.
    await page.getByRole('button', { name: 'Внести оплату' }).click();
    let pay = page.getByRole('dialog', { name: /Внести оплату по счёту № СЧ-1/ });
    expect(await pay.getByLabel(/Сумма, ₽/).inputValue()).toBe('52 035,50'.replace(/ /g, NBSP));
    await pay.getByLabel(/Сумма, ₽/).fill('20 000');
    await pay.getByLabel('Платёжное поручение').fill('п/п № 512');
    await shot(page, 'invoices-05-payment-modal');
    await pay.getByRole('button', { name: 'Внести оплату' }).click();
    await poll(() => pay.count()).toBe(0);
    await poll(() => page.getByTestId('invoice-status').textContent()).toBe('Частично оплачен');
    await poll(() => page.getByTestId('invoice-paid').textContent()).toBe(rub('20 000,00'));
    await poll(() => page.getByTestId('invoice-remaining').textContent()).toBe(rub('32 035,50'));

    // The rest plus 100 ₽ too much: 422 overpayment, offered as the client's credit.
    await page.getByRole('button', { name: 'Внести оплату' }).click();
    pay = page.getByRole('dialog', { name: /Внести оплату по счёту № СЧ-1/ });
    await pay.getByLabel(/Сумма, ₽/).fill('32 135,50');
    await pay.getByRole('button', { name: 'Внести оплату' }).click();
    await poll(() => pay.getByTestId('overpayment').count()).toBe(1);
    expect(await pay.getByTestId('overpayment').textContent()).toContain('Сумма оплаты больше остатка');
    await shot(page, 'invoices-06-overpayment');
    await pay.getByRole('button', { name: 'Зачесть переплату как аванс' }).click();
    await poll(() => pay.count()).toBe(0);
    await poll(() => page.getByTestId('invoice-status').textContent()).toBe('Оплачен');
    await poll(() => page.getByTestId('invoice-remaining').textContent()).toBe(rub('0,00'));
    await poll(() => page.getByTestId('invoice-payments').locator('tbody tr').count()).toBe(2);
    expect(
      await page
        .getByTestId('invoice-payments')
        .getByText(`аванс ${rub('100,00')}`)
        .count(),
    ).toBe(1);
    await poll(async () => (await call('GET', `/deals/${dealId}`)).stageCode).toBe('paid');
    expect((await call('GET', `/clients/${clientId}/credit`)).balance).toBe(10000);
    await shot(page, 'invoices-07-invoice-paid');

    // Re-issue and cancel: a second invoice for another deal.
    const deal2 = await call('POST', '/deals', {
      clientId,
      title: 'Подоконники',
      items: [{ name: 'Подоконник 300 мм', quantity: 12, price: 185000, vatRate: 22 }],
    });
    // …issued from the deal card this time: the «Счета» panel, «Выставить счёт», the invoice opens.
    await page.goto(app.url + `/deals/${deal2.id}`);
    const panel = page.getByTestId('deal-invoices');
    await poll(() => panel.getByText('По сделке ещё нет счетов.').count()).toBe(1);
    await panel.getByRole('button', { name: 'Выставить счёт' }).click();
    await page.waitForURL(/\/invoices\/[^/]+$/);
    await poll(() => page.getByTestId('invoice-title').textContent()).toContain('Счёт № СЧ-2');
    const second = await call('GET', `/invoices/${page.url().split('/').pop()}`);
    expect(second.number).toBe('СЧ-2');
    expect(second.dealId).toBe(deal2.id);
    await page.goto(app.url + `/deals/${deal2.id}`);
    await poll(() => panel.getByTestId('deal-invoice').count()).toBe(1);
    expect(await panel.getByTestId('deal-invoice').textContent()).toContain('СЧ-2');
    await shot(page, 'invoices-13-deal-card-panel');
    await page.goto(app.url + `/invoices/${second.id}`);
    await page.getByRole('button', { name: 'Ещё' }).click();
    await page.getByRole('menuitem', { name: 'Перевыставить' }).click();
    const reissue = page.getByRole('dialog', { name: 'Перевыставить счёт № СЧ-2?' });
    await reissue.getByLabel('Причина').fill('Клиент попросил изменить количество');
    await reissue.getByRole('button', { name: 'Перевыставить' }).click();
    await poll(() => page.getByTestId('invoice-title').textContent()).toContain('Счёт № СЧ-3');
    await poll(() => page.getByText('Счёт перевыставлен взамен отменённого.').count()).toBe(1);
    expect((await call('GET', `/invoices/${second.id}`)).status).toBe('cancelled');
    await page.getByRole('button', { name: 'Ещё' }).click();
    await page.getByRole('menuitem', { name: 'Отменить счёт' }).click();
    await page.getByRole('dialog', { name: 'Отменить счёт № СЧ-3?' }).getByRole('button', { name: 'Отменить счёт' }).click();
    await poll(() => page.getByTestId('invoice-status').textContent()).toBe('Отменён');

    // The register: three invoices, the sums leave cancelled ones out; Excel export.
    await page.goto(app.url + '/invoices');
    await poll(() => page.getByTestId('invoice-row').count()).toBe(3);
    await poll(() => page.getByTestId('summary-total').textContent()).toBe(rub('52 035,50'));
    expect(await page.getByTestId('summary-paid').textContent()).toBe(rub('52 035,50'));
    expect(await page.getByTestId('summary-outstanding').textContent()).toBe(rub('0,00'));
    await shot(page, 'invoices-08-register'); // once the donut is drawn
    // Filters: status and the overdue toggle.
    await page.getByRole('combobox', { name: 'Статус' }).click();
    await page.getByRole('option', { name: 'Отменён' }).click();
    await poll(() => page.getByTestId('invoice-row').count()).toBe(2);
    await page.getByRole('button', { name: 'Сбросить' }).first().click();
    await poll(() => page.getByTestId('invoice-row').count()).toBe(3);
    await page.getByPlaceholder('Номер счёта, клиент или ИНН').fill('Ромашка');
    await poll(() => page.url()).toContain('q=');
    await poll(() => page.getByTestId('invoice-row').count()).toBe(3);
    await page.getByRole('switch', { name: 'Просроченные' }).click();
    await poll(() => page.getByText('По этим условиям счетов нет.').count()).toBe(1);
    await page.getByRole('switch', { name: 'Просроченные' }).click();
    await poll(() => page.getByTestId('invoice-row').count()).toBe(3);

    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Экспорт' }).click();
    await page.getByRole('menuitem', { name: 'Excel (XLSX)' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const xlsx = path.join(ROOT, 'artifacts', 'invoices-e2e.xlsx');
    await download.saveAs(xlsx);
    const bytes = fs.readFileSync(xlsx);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    await context.close();
  });

  it('the register, the invoice card and the requisites at 375 px', async () => {
    const { context, page } = await newPage(browser, { width: 375, height: 760 });
    await login(page, app.url);
    await page.goto(app.url + '/invoices');
    await poll(() => page.getByTestId('invoice-row').count()).toBe(3);
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'invoices-09-register-phone');
    await page.goto(app.url + `/invoices/${invoiceId}`);
    await poll(() => page.getByTestId('invoice-status').textContent()).toBe('Оплачен');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'invoices-10-invoice-phone');
    await page.getByRole('button', { name: 'Отправить клиенту' }).click();
    await poll(() => page.getByRole('dialog', { name: 'Отправить счёт клиенту' }).count()).toBe(1);
    await shot(page, 'invoices-11-send-phone');
    await page.getByRole('dialog').getByRole('button', { name: 'Отмена' }).click();
    await page.goto(app.url + '/settings/company');
    await poll(() => page.getByLabel('ИНН', { exact: true }).inputValue()).toBe('7707083893');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'invoices-12-company-phone');
    await context.close();
  });

  it('the accountant reads the requisites without editing them and deletes a payment recorded by mistake', async () => {
    const accountant = { email: 'buh@voronka.test', password: 'Бухгалтер-2026!' };
    await call('POST', '/users', { ...accountant, name: 'Анна Бухгалтер', role: 'accountant' });
    const { context, page } = await newPage(browser);
    await login(page, app.url, accountant.email, accountant.password);
    await page.goto(app.url + '/settings/company');
    await poll(() => page.getByText('Изменять реквизиты может только администратор.').count()).toBe(1);
    expect(await page.getByLabel('ИНН', { exact: true }).getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: 'Сохранить' }).count()).toBe(0);

    await page.goto(app.url + `/invoices/${invoiceId}`);
    await poll(() => page.getByTestId('invoice-payments').locator('tbody tr').count()).toBe(2);
    await page.getByTestId('invoice-payments').locator('tbody tr').first().getByRole('button', { name: 'Удалить оплату' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить оплату' }).click();
    await poll(() => page.getByTestId('invoice-payments').locator('tbody tr').count()).toBe(1);
    await poll(() => page.getByTestId('invoice-status').textContent()).toBe('Частично оплачен');
    await poll(() => page.getByTestId('invoice-remaining').textContent()).toBe(rub('20 000,00'));
    expect((await call('GET', `/invoices/${invoiceId}`)).status).toBe('partially_paid');
    await context.close();
  });
});
