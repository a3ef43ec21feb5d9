/**
 * «Резервные копии» in a real browser: the admin opens Настройки → Резервные копии on an installation without a
 * passphrase and with one off-server target that refuses connections (a WebDAV URL on a closed local port): the page
 * says plainly that backups are unencrypted and, once a copy failed to reach the target, shows the red warning.
 * «Создать сейчас» shows the progress bar driven by the live event, then the row in the list (time, size in Russian
 * units, «Без шифрования», the target's copy retrying, «Готова»); the download is offered; the page fits 375 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { SHOTS, e2eEnabled, freePort, launchBrowser, login, newPage, shot, startApp, type RunningApp } from './support.js';

const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, ...opts });

describe.runIf(e2eEnabled())('backups page in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    // A port nobody listens on: the WebDAV target refuses, so the copy is retried and the page turns red.
    const closed = await freePort();
    app = await startApp({
      VORONKA_BACKUP_WEBDAV_URL: `http://voronka:secret@127.0.0.1:${closed}/backups/`,
      VORONKA_BACKUP_PASSPHRASE: '',
      VORONKA_BACKUP_SCHEDULE: 'off',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the admin creates a backup, sees the progress and then the row; warnings for no encryption and no off-server copy', async () => {
    const { context, page } = await newPage(browser);
    await login(page, app.url);
    await page.goto(app.url + '/settings/backups');
    await poll(() => page.getByRole('heading', { name: 'Резервные копии' }).count()).toBeGreaterThan(0);
    await poll(() => page.getByRole('link', { name: 'Резервные копии' }).count()).toBe(1);
    await poll(() => page.getByTestId('backup-unencrypted').count()).toBe(1);
    expect(await page.getByTestId('backup-unencrypted').textContent()).toContain('НЕ зашифрованы');
    // A target is configured and nothing has reached it yet: red.
    await poll(() => page.getByTestId('backup-stale').count()).toBe(1);
    expect(await page.getByTestId('backup-stale').textContent()).toContain('Ни одна копия');
    expect(await page.getByTestId('backup-no-targets').count()).toBe(0);
    await shot(page, 'backup-01-empty');
    fs.mkdirSync(SHOTS, { recursive: true });

    // Record whether the progress bar ever appears (a small database is backed up in a blink).
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress?: boolean };
      w.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="backup-progress"]')) w.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByTestId('backup-create').click();
    await poll(() => page.evaluate(() => (window as unknown as { sawProgress?: boolean }).sawProgress)).toBe(true);
    // While it is still on screen, the bar as it is (no waiting for the page to settle: it moves).
    if (await page.getByTestId('backup-progress').count()) await page.screenshot({ path: path.join(SHOTS, 'backup-02-progress.png') });

    await poll(() => page.getByTestId('backup-row').count()).toBe(1);
    await poll(() => page.getByTestId('backup-status').first().textContent()).toBe('Готова');
    await poll(() => page.getByTestId('backup-progress').count()).toBe(0);
    const row = page.getByTestId('backup-row').first();
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/);
    expect(text).toMatch(/\d+(,\d)? (КБ|МБ)/);
    expect(text).toContain('Без шифрования');
    expect(text).toContain('На сервере');
    // The refused copy is retried (its job backs off for a minute).
    await poll(() => page.getByTestId('backup-copy').first().textContent()).toMatch(/127\.0\.0\.1:\d+: (Повтор|В очереди|Копируется)/);
    await poll(() => page.getByTestId('backup-copy').first().textContent(), { timeout: 30_000 }).toContain('Повтор');
    expect(await page.getByTestId('backup-stale').count()).toBe(1);
    expect(await page.getByTestId('backup-download').count()).toBe(1);
    const download = page.waitForEvent('download');
    await page.getByTestId('backup-download').click();
    expect((await download).suggestedFilename()).toMatch(/^voronka-.*\.vbk$/);
    await shot(page, 'backup-03-list');

    // A phone.
    await page.setViewportSize({ width: 375, height: 800 });
    await poll(() => page.getByTestId('backup-list').count()).toBe(1);
    await shot(page, 'backup-04-phone');
    // No sideways scrolling once the layout has followed the new width.
    await poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(
      0,
    );
    await context.close();
  });
});
