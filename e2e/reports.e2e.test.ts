/**
 * Reports in a real browser: data seeded through the API (a department, a head and two managers, clients, deals moved
 * through the stages, one lost with a reason, an invoice with its payment, calls done, a negative review), then
 * «Отчёты → Воронка» (the table with stage names and counts, «График» drawn on a canvas, the XLSX export parsed with
 * exceljs, the printable A4 view rendered to PDF), the sales builder (a friendly message for an unsupported
 * combination), «План/факт» (targets set in the grid, percent and forecast), every other report as a chart, and the
 * dashboards of the owner and of a manager at 375 px.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { e2eEnabled, launchBrowser, login, newPage, ROOT, settled, shot, SHOTS, startApp, type RunningApp, apiSession } from './support.js';

/** The server shares the CPU with other builds: give each UI round trip up to 15 s. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const NBSP = '\u00A0';

/** Non-transparent pixels of the first canvas under a test id (sampled): > 0 means ECharts drew something. */
async function canvasInk(page: Page, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement | null;
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < data.length; i += 4 * 7) if (data[i] > 0) ink++;
    return ink;
  }, testId);
}

const MANAGER = { email: 'petrov@okna.test', password: 'Пароль-Петрова-2026', name: 'Иван Петров' };

describe.runIf(e2eEnabled())('reports in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let call: Awaited<ReturnType<typeof apiSession>>;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    call = await apiSession(app.url);

    const dept = await call('POST', '/departments', { name: 'Отдел продаж' });
    await call('POST', '/users', {
      email: 'head@okna.test',
      name: 'Ольга Руководитель',
      role: 'head',
      password: 'Пароль-Ольги-2026',
      departmentId: dept.id,
    });
    const ivan = await call('POST', '/users', { ...MANAGER, role: 'manager', departmentId: dept.id });
    const maria = await call('POST', '/users', {
      email: 'smirnova@okna.test',
      name: 'Мария Смирнова',
      role: 'manager',
      password: 'Пароль-Марии-2026',
      departmentId: dept.id,
    });

    await call('PUT', '/settings/company', {
      name: 'ООО «Окна Плюс»',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      address: '117997, г. Москва, ул. Вавилова, д. 19',
      bankName: 'ПАО Сбербанк, г. Москва',
      bik: '044525225',
      account: '40702810400000000005',
      corrAccount: '30101810400000000225',
      director: 'Петров П. П.',
      chiefAccountant: 'Сидорова А. В.',
      taxMode: 'vat22',
      invoicePrefix: 'СЧ-',
      paymentTermDays: 5,
    });

    const client = (name: string, region: string, ownerId: string, source: string) =>
      call('POST', '/clients', { kind: 'company', name, region, ownerId, source });
    const romashka = await client('ООО «Ромашка»', 'Москва', ivan.id, 'Сайт');
    const vasilek = await client('ООО «Василёк»', 'Тверь', ivan.id, 'Яндекс.Директ');
    const lutik = await client('ООО «Лютик»', 'Казань', maria.id, 'Сайт');
    const klever = await client('ИП Клеверов', 'Москва', maria.id, 'Рекомендация');

    const deal = (clientId: string, ownerId: string, title: string, price: number, quantity = 1) =>
      call('POST', '/deals', { clientId, ownerId, title, items: [{ name: title, quantity, price, vatRate: 22 }] });
    const walk = async (id: string, codes: string[]) => {
      for (const stageCode of codes) await call('POST', `/deals/${id}/move`, { stageCode });
    };
    const d1 = await deal(romashka.id, ivan.id, 'Окна в офис', 2_500_000, 2); // 50 000,00 ₽
    const d2 = await deal(vasilek.id, ivan.id, 'Остекление балкона', 4_800_000);
    const d3 = await deal(lutik.id, maria.id, 'Окна на склад', 12_000_000);
    await deal(klever.id, maria.id, 'Подоконники', 900_000);
    const d5 = await deal(klever.id, ivan.id, 'Двери ПВХ', 3_100_000);
    await walk(d1.id, ['qualification', 'proposal', 'agreed', 'invoiced']);
    await walk(d2.id, ['qualification', 'proposal']);
    await walk(d3.id, ['qualification']);
    await walk(d5.id, ['qualification', 'proposal', 'agreed', 'invoiced', 'paid', 'production', 'delivered', 'feedback', 'won']);
    const reasons = await call<{ items: { id: string; name: string }[] }>('GET', '/loss-reasons');
    const expensive = reasons.items.find((r) => r.name === 'Дорого')!;
    await call('POST', `/deals/${d3.id}/lose`, { reasonId: expensive.id, comment: 'Нашли дешевле у конкурента' });

    const invoice = await call('POST', `/deals/${d1.id}/invoices`);
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
    await call('POST', `/invoices/${invoice.id}/payments`, { amount: invoice.total, paidAt: today, reference: 'п/п 17' });

    // three calls done by Иван, one by Мария, one overdue task
    const due = new Date(Date.now() + 3600_000).toISOString();
    for (const [who, n] of [
      [ivan.id, 3],
      [maria.id, 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const task = await call('POST', '/tasks', {
          title: `Позвонить клиенту ${i + 1}`,
          type: 'call',
          dueAt: due,
          assigneeId: who,
          clientId: romashka.id,
        });
        await call('POST', `/tasks/${task.id}/complete`, { result: 'Дозвонились' });
      }
    }
    await call('POST', '/tasks', {
      title: 'Встреча на замер',
      type: 'meeting',
      dueAt: new Date(Date.now() - 86_400_000).toISOString(),
      assigneeId: maria.id,
      clientId: lutik.id,
    });
    await call('POST', '/reviews', { clientId: lutik.id, rating: 2, text: 'Долго везли окна', source: 'call' });
    await call('POST', '/reviews', { clientId: romashka.id, rating: 5, text: 'Всё отлично, спасибо', source: 'call' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the funnel: table with stages and counts, the chart on a canvas, XLSX export, the A4 print view', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.getByRole('link', { name: 'Отчёты' }).first().click();
    await poll(() => page.url()).toContain('/reports/funnel');
    const table = page.getByTestId('funnel-table');
    await poll(() => table.getByRole('row').count()).toBeGreaterThan(5);
    const rowOf = (name: string) => table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
    await poll(() => rowOf('Новый').locator('td').nth(1).textContent()).toBe('5');
    expect(await rowOf('Квалификация').locator('td').nth(1).textContent()).toBe('4');
    expect(await rowOf('Счёт выставлен').locator('td').nth(1).textContent()).toBe('2');
    expect(await rowOf('Успешно').locator('td').nth(1).textContent()).toBe('1');
    // refusals by reason, money in Russian format
    const lost = page.getByTestId('funnel-lost-table');
    await poll(() => lost.getByRole('cell', { name: 'Дорого' }).count()).toBe(1);
    expect(await lost.textContent()).toContain(`120${NBSP}000,00${NBSP}₽`);
    await shot(page, 'reports-01-funnel-table');

    await page.getByText('График', { exact: true }).click();
    await poll(() => page.url()).toContain('view=chart');
    await poll(() => page.locator('[data-testid="report-chart"][data-rendered]').count()).toBe(1);
    await poll(() => canvasInk(page, 'report-chart')).toBeGreaterThan(500);
    await shot(page, 'reports-02-funnel-chart');

    // Excel: a real XLSX with the header row
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Excel' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const xlsx = path.join(ROOT, 'artifacts', 'reports-funnel-e2e.xlsx');
    fs.mkdirSync(path.dirname(xlsx), { recursive: true });
    await download.saveAs(xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const sheet = wb.worksheets[0];
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text ?? cell.value))));
    expect(cells).toContain('Этап');
    expect(cells).toContain('Новый');
    expect(cells.join(' ')).toContain('Воронка продаж');

    // «Печать»: the A4 view (print media) — no shell, the title, the period, the chart and the table
    await page.evaluate(() => {
      (window as unknown as { print: () => void; __printed?: boolean }).print = () => {
        (window as unknown as { __printed?: boolean }).__printed = true;
      };
    });
    await page.getByRole('button', { name: 'Печать' }).click();
    await poll(() => page.evaluate(() => Boolean((window as unknown as { __printed?: boolean }).__printed))).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.mantine-AppShell-navbar').isVisible()).toBe(false);
    await poll(() => page.getByText(/^Период: \d\d\.\d\d\.\d{4} — \d\d\.\d\d\.\d{4}$/).isVisible()).toBe(true);
    expect(await page.getByTestId('funnel-table').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="report-chart"] canvas').count()).toBe(1);
    // as Ctrl+P does: the charts redraw at the width of the paper
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const pdfFile = path.join(ROOT, 'artifacts', 'reports-funnel-print.pdf');
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', pdfFile, path.join(SHOTS, 'reports-03-funnel-print-a4')]);
    expect(fs.statSync(path.join(SHOTS, 'reports-03-funnel-print-a4-1.png')).size).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });

  it('the sales builder: revenue by manager, and a friendly message for an unsupported grouping', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/reports/sales?measure=revenue&by=manager');
    const table = page.getByTestId('sales-table');
    await poll(() => table.getByRole('cell', { name: 'Иван Петров' }).count()).toBe(1);
    expect(await table.textContent()).toContain(`50${NBSP}000,00${NBSP}₽`);
    await shot(page, 'reports-04-sales-table');
    await page.getByText('График', { exact: true }).click();
    await poll(() => canvasInk(page, 'report-chart')).toBeGreaterThan(200);
    await shot(page, 'reports-05-sales-chart');

    // tasks done cannot be split by region: the server's 400 becomes a hint, not a crash
    await page.getByRole('combobox', { name: 'Показатель' }).click();
    await page.getByRole('option', { name: 'Задачи выполнены' }).click();
    await page.getByRole('combobox', { name: 'Группировка', exact: true }).click();
    await page.getByRole('option', { name: /^Регион/ }).click();
    await poll(() => page.getByTestId('report-bad-request').count()).toBe(1);
    expect(await page.getByTestId('report-bad-request').textContent()).toContain('Регион');
    await shot(page, 'reports-06-sales-bad-combination');
    await context.close();
  });

  it('plan/fact: the head of sales sets targets in the grid and sees percent and forecast', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url, 'head@okna.test', 'Пароль-Ольги-2026');
    await page.goto(app.url + '/reports/plan-fact');
    await poll(() => page.getByTestId('plan-editor-grid').count()).toBe(1);
    await poll(() => page.getByText('На этот месяц планов ещё нет — задайте их ниже').count()).toBe(1);
    await page.getByLabel('Выручка: Иван Петров').fill('100000');
    await page.getByLabel('Звонки: Иван Петров').fill('10');
    await page.getByLabel('Выручка: Мария Смирнова').fill('80000');
    await page.getByRole('button', { name: 'Сохранить 3 изменения' }).click();
    await poll(() => page.getByTestId('plan-fact-row').count()).toBe(3);
    const rows = page.getByTestId('plan-fact-row');
    const ivanRevenue = rows.filter({ hasText: 'Иван Петров' }).filter({ hasText: 'Выручка' });
    await poll(() => ivanRevenue.getByTestId('plan-fact-percent').textContent()).toBe(`50${NBSP}%`);
    expect(await ivanRevenue.textContent()).toContain(`100${NBSP}000,00${NBSP}₽`);
    const calls = rows.filter({ hasText: 'Звонки' });
    expect(await calls.getByTestId('plan-fact-percent').textContent()).toBe(`30${NBSP}%`);
    await shot(page, 'reports-07-plan-fact');
    await page.getByText('График', { exact: true }).click();
    await poll(() => canvasInk(page, 'report-chart')).toBeGreaterThan(200);
    await shot(page, 'reports-08-plan-fact-chart');
    await context.close();
  });

  it('every other report draws its chart', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    const reports = ['activity', 'client-base', 'loss-reasons', 'sources', 'reviews', 'correlation'];
    for (const [i, key] of reports.entries()) {
      await page.goto(`${app.url}/reports/${key}?view=chart${key === 'correlation' ? '&x=tasks_done&y=won_amount' : ''}`);
      await poll(() => page.locator('[data-testid="report-chart"][data-rendered]').count()).toBe(1);
      await poll(() => canvasInk(page, 'report-chart')).toBeGreaterThan(100);
      await shot(page, `reports-${String(9 + i).padStart(2, '0')}-${key}`);
    }
    await page.goto(`${app.url}/reports/activity`);
    await poll(() => page.getByTestId('activity-table').getByRole('cell', { name: 'Иван Петров' }).count()).toBe(1);
    await shot(page, 'reports-15-activity-table');
    await context.close();
  });

  it('the dashboards at 375 px: the owner (plan, funnel, managers, overdue) and a manager (my plan, tasks, leads)', async () => {
    const { context, page } = await newPage(browser, { width: 375, height: 800 });
    await login(page, app.url);
    await poll(() => page.getByTestId('owner-dashboard').count()).toBe(1);
    await poll(() => page.getByTestId('plan-percent').textContent()).toContain('%');
    await poll(() => page.locator('[data-testid="dash-funnel-chart"][data-rendered]').count()).toBe(1);
    await poll(() => page.locator('[data-testid="dash-managers-chart"][data-rendered]').count()).toBe(1);
    await poll(() => page.getByTestId('metric-overdue-tasks').textContent()).toContain('1');
    expect(await page.getByTestId('metric-negative-reviews').textContent()).toContain(`50${NBSP}%`);
    expect(await page.getByTestId('metric-overdue-leads').locator('xpath=ancestor::a').getAttribute('href')).toBe('/leads?tab=overdue');
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'reports-16-dashboard-owner-phone');

    // the reports section on a phone: the report picker is a select, tables scroll sideways
    await page.goto(app.url + '/reports/plan-fact');
    await poll(() => page.getByTestId('plan-fact-row').count()).toBe(3);
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'reports-17-plan-fact-phone');
    await context.close();

    const desk = await newPage(browser);
    await login(desk.page, app.url);
    await poll(() => desk.page.locator('[data-testid="dash-managers-chart"][data-rendered]').count()).toBe(1);
    await shot(desk.page, 'reports-18-dashboard-owner');
    await desk.context.close();

    const mgr = await newPage(browser, { width: 375, height: 800 });
    await login(mgr.page, app.url, MANAGER.email, MANAGER.password);
    await poll(() => mgr.page.getByTestId('manager-dashboard').count()).toBe(1);
    await poll(() => mgr.page.getByTestId('my-plan-row').count()).toBe(2);
    expect(await mgr.page.getByTestId('dash-my-plan').textContent()).toContain(`50${NBSP}%`);
    await settled(mgr.page);
    expect(await mgr.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(mgr.page, 'reports-19-dashboard-manager-phone');
    // a manager sees his own plan read-only: no editor
    await mgr.page.goto(app.url + '/reports/plan-fact');
    await poll(() => mgr.page.getByTestId('plan-fact-row').count()).toBe(2);
    expect(await mgr.page.getByTestId('plan-editor').count()).toBe(0);
    await mgr.context.close();
  });
});
