/**
 * «Экспорт» on a list in a real browser: the clients list filtered by region, «Экспорт» → «Excel (XLSX)» downloads a
 * file holding exactly the filtered clients (read back with exceljs), «CSV» the same rows in Russian Excel's dialect;
 * a screenshot of the open menu.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiSession, e2eEnabled, launchBrowser, login, newPage, ROOT, shot, startApp, type RunningApp } from './support.js';

const poll = expect.poll;

describe.runIf(e2eEnabled())('list export in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const call = await apiSession(app.url);
    for (const [name, region] of [
      ['ООО «Казанский хлеб»', 'Казань'],
      ['ООО «Волга»', 'Казань'],
      ['=HYPERLINK("http://evil.example","Жми")', 'Казань'],
      ['ООО «Арбат»', 'Москва'],
      ['ООО «Тверская»', 'Москва'],
    ])
      await call('POST', '/clients', { kind: 'company', name, region });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('exports the filtered clients list to Excel and CSV', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(`${app.url}/clients?region=${encodeURIComponent('Казань')}`);
    await poll(() => page.getByText('ООО «Волга»').count()).toBe(1);
    await poll(() => page.getByText('ООО «Арбат»').count()).toBe(0);

    await page.getByRole('button', { name: 'Экспорт' }).click();
    await poll(() => page.getByRole('menuitem', { name: 'Excel (XLSX)' }).isVisible()).toBe(true);
    await shot(page, 'exports-01-menu');

    const xlsxDownload = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Excel (XLSX)' }).click();
    const xlsx = await xlsxDownload;
    expect(xlsx.suggestedFilename()).toMatch(/^Клиенты \d{2}\.\d{2}\.\d{4}\.xlsx$/);
    const file = path.join(ROOT, 'artifacts', 'exports-e2e-clients.xlsx');
    await xlsx.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('Название');
    const names: string[] = [];
    const regions: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) {
        names.push(String(row.getCell(1).value));
        regions.push(String(row.getCell(9).value));
      }
    });
    expect(names.sort()).toEqual(['\'=HYPERLINK("http://evil.example","Жми")', 'ООО «Волга»', 'ООО «Казанский хлеб»'].sort());
    expect(new Set(regions)).toEqual(new Set(['Казань']));

    await page.getByRole('button', { name: 'Экспорт' }).click();
    const csvDownload = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const csvFile = path.join(ROOT, 'artifacts', 'exports-e2e-clients.csv');
    await csv.saveAs(csvFile);
    const rows = parse(fs.readFileSync(csvFile), { delimiter: ';', bom: true }) as string[][];
    expect(rows[0][0]).toBe('Название');
    expect(rows.length - 1).toBe(3);
    await context.close();
  });

  it('the menu fits a 375 px screen', async () => {
    const { context, page } = await newPage(browser, { width: 375, height: 760 });
    await login(page, app.url);
    await page.goto(`${app.url}/clients`);
    await poll(() => page.getByText('ООО «Арбат»').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Экспорт' }).click();
    await poll(() => page.getByRole('menuitem', { name: 'CSV' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
    await shot(page, 'exports-02-menu-phone');
    await context.close();
  });
});
