/**
 * «Импорт» in a real browser: the admin opens it from the clients list, drops an XLSX of clients, checks the preview
 * and the guessed mapping (changes one field by hand), chooses «Дополнить», loads it, watches the progress come to the
 * result with its error rows, and undoes the import; the history lists it. The page fits a phone.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  apiSession,
  e2eEnabled,
  launchBrowser,
  login,
  newPage,
  settled,
  shot,
  startApp,
  type ApiCall,
  type RunningApp,
} from './support.js';

const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, ...opts });

describe.runIf(e2eEnabled())('imports page in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  let api: ApiCall;
  let file: string;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    api = await apiSession(app.url);
    // An existing client that the file repeats by ИНН (updated by «Дополнить»).
    await api('POST', '/clients', { kind: 'company', name: 'ООО «Старый клиент»', inn: '7707083893' });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Клиенты');
    ws.addRow(['Компания', 'ИНН', 'Телефон', 'Почта', 'Населённый пункт', 'Контактное лицо', 'Должность']);
    ws.addRow(['ООО «Ромашка»', '7736207543', '+7 495 123-45-67', 'info@romashka.ru', 'Москва', 'Анна Петрова', 'Закупщик']);
    ws.addRow(['ООО «Лютик»', '7710140679', '8 (812) 555-01-02', 'hello@lutik.ru', 'Санкт-Петербург', '', '']);
    ws.addRow(['ООО «Старый клиент»', '7707083893', '+7 495 000-00-01', '', 'Тверь', '', '']);
    ws.addRow(['ООО «Ошибка ИНН»', '7707083890', '', '', '', '', '']);
    ws.addRow(['ИП Сидоров', '', '12', '', '', '', '']);
    file = path.join(app.dataDir, 'клиенты.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('imports an XLSX of clients with a mapping, shows the result and undoes it', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/clients');
    await page.getByRole('link', { name: 'Импорт' }).first().click();
    await poll(() => page.url()).toContain('/settings/imports');
    await poll(() => page.getByRole('heading', { name: 'Импорт', exact: true }).count()).toBeGreaterThan(0);

    await page.getByTestId('import-file').setInputFiles(file);
    await poll(() => page.getByTestId('import-preview').count()).toBe(1);
    expect(await page.getByTestId('import-preview').textContent()).toContain('ООО «Ромашка»');
    // Guesses from the headers.
    expect(await page.getByTestId('map-name').inputValue()).toBe('1. Компания');
    expect(await page.getByTestId('map-inn').inputValue()).toBe('2. ИНН');
    expect(await page.getByTestId('map-contactName').inputValue()).toBe('6. Контактное лицо');
    // «Населённый пункт» is not guessed as the region: map it by hand.
    await page.getByTestId('map-region').click();
    await page.getByRole('option', { name: '5. Населённый пункт' }).click();
    await poll(() => page.getByTestId('map-region').inputValue()).toBe('5. Населённый пункт');
    await page.getByText('Дополнить').click();
    await settled(page);
    await shot(page, 'imports-01-preview');

    await page.getByRole('button', { name: 'Загрузить' }).click();
    await poll(() => page.getByTestId('import-status').textContent()).toBe('Готово');
    const result = page.getByTestId('import-result');
    await poll(() => result.textContent()).toContain('Обработано 5 из 5');
    const counters = await result.textContent();
    expect(counters).toMatch(/Создано2/);
    expect(counters).toMatch(/Обновлено1/);
    expect(counters).toMatch(/Ошибки2/);
    const errors = await page.getByTestId('import-errors').textContent();
    expect(errors).toContain('5ИНН');
    expect(errors).toContain('6Телефон');
    await settled(page);
    await shot(page, 'imports-02-result');

    // The clients are there, with their contact and region.
    const list = await api<{ items: { name: string; region: string | null }[] }>('GET', '/clients?q=Ромашка');
    expect(list.items[0]).toMatchObject({ name: 'ООО «Ромашка»', region: 'Москва' });
    const old = await api<{ items: { region: string | null }[] }>('GET', '/clients?q=7707083893');
    expect(old.items[0].region).toBe('Тверь');

    // The report downloads as XLSX.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Скачать отчёт' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

    await page.getByRole('button', { name: 'Отменить импорт' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Отменить импорт' }).click();
    await poll(() => page.getByTestId('import-status').textContent()).toBe('Отменён');
    expect((await api<{ items: unknown[] }>('GET', '/clients?q=Ромашка')).items).toHaveLength(0);
    expect((await api<{ items: { region: string | null }[] }>('GET', '/clients?q=7707083893')).items[0].region).toBeNull();
    await poll(() => page.getByTestId('import-history').textContent()).toContain('клиенты.xlsx');
    expect(await page.getByTestId('import-history').textContent()).toContain('Отменён');
    await settled(page);
    await shot(page, 'imports-03-undone');
    await context.close();

    // A phone: the page fits 375 px (tables scroll inside their own area).
    const phone = await newPage(browser, { width: 375, height: 812 });
    await login(phone.page, app.url);
    await phone.page.goto(app.url + '/settings/imports');
    await poll(() => phone.page.getByTestId('import-history').count()).toBe(1);
    await phone.page.getByTestId('import-file').setInputFiles(file);
    await poll(() => phone.page.getByTestId('import-preview').count()).toBe(1);
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await settled(phone.page);
    await shot(phone.page, 'imports-04-phone');
    await phone.context.close();
  });
});
