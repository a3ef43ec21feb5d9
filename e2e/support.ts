/**
 * Browser-test support: runs the BUILT app (`node dist/voronka.js serve`, as `npm start` does) on a free port
 * with a fresh SQLite data dir, and drives Debian's Chromium through playwright-core. Screenshots go to
 * artifacts/screenshots/ (kept by CI as test artifacts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.VORONKA_CHROMIUM || '/usr/bin/chromium';
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
export const ADMIN = { email: 'admin@voronka.test', password: 'Админ-пароль-2026' };

/** Browser tests run when Chromium and the build exist; VORONKA_E2E=required makes their absence a failure. */
export function e2eEnabled(): boolean {
  const ok =
    fs.existsSync(CHROMIUM) &&
    fs.existsSync(path.join(ROOT, 'dist', 'voronka.js')) &&
    fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'));
  if (!ok && process.env.VORONKA_E2E === 'required')
    throw new Error(`VORONKA_E2E=required, но нет Chromium (${CHROMIUM}) или сборки (npm run build)`);
  if (!ok) console.log('Браузерные тесты пропущены: нет Chromium или сборки.');
  return ok;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningApp {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-e2e-'));
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'voronka.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      VORONKA_DATA_DIR: dataDir,
      VORONKA_DATABASE_URL: '',
      VORONKA_ADMIN_EMAIL: ADMIN.email,
      VORONKA_ADMIN_PASSWORD: ADMIN.password,
      VORONKA_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dataDir,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function newPage(
  browser: Browser,
  opts: { width?: number; height?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 850 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * Waits until the page stands still (instead of a fixed pause): no finite CSS animation or transition is running
 * (toasts, modals, menus; endless spinners do not count) and every canvas (ECharts) drew the same picture at two
 * checks in a row, 100 ms apart.
 */
export async function settled(page: Page, timeout = 15_000): Promise<void> {
  // Polled from here with page.evaluate (CDP), not page.waitForFunction, whose in-page eval a strict CSP reports.
  const deadline = Date.now() + timeout;
  let last: string | null = null;
  for (let still = 0; ;) {
    const { moving, picture } = await page.evaluate(() => {
      const running = document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity);
      let hash = 0;
      for (const canvas of document.querySelectorAll('canvas')) {
        const data = canvas.toDataURL();
        for (let i = 0; i < data.length; i++) hash = (hash * 31 + data.charCodeAt(i)) | 0;
      }
      return { moving: running, picture: `${document.querySelectorAll('canvas').length}:${hash}` };
    });
    still = !moving && picture === last ? still + 1 : 0;
    last = picture;
    if (still >= 2) return;
    if (Date.now() > deadline) throw new Error('the page did not settle (animations or charts kept changing)');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A full-page screenshot once the page has settled. */
export async function shot(page: Page, name: string): Promise<string> {
  await settled(page);
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until the app's page and its script are served (another session may be rebuilding web/dist on this
 * machine meanwhile).
 */
export async function appServed(baseUrl: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const html = await (await fetch(`${baseUrl}/login`)).text();
      const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
      if (scripts.length > 0 && (await Promise.all(scripts.map((src) => fetch(new URL(src, baseUrl))))).every((r) => r.ok)) return;
    } catch {
      /* not served yet */
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl}: the web app is not served`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function login(page: Page, baseUrl: string, email = ADMIN.email, password = ADMIN.password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export type ApiCall = <T = any>(method: string, path: string, body?: unknown) => Promise<T>;

/** An API session from Node (admin by default): the session cookie and the CSRF token of POST /api/auth/login. */
export async function apiSession(base: string, who: { email: string; password: string } = ADMIN): Promise<ApiCall> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  if (res.status !== 200) throw new Error(`login ${who.email} → ${res.status}: ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T = any>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base}/api${path}`, {
      method,
      headers: { cookie, 'X-CSRF-Token': csrfToken, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
