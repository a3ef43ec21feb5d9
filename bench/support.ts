import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../e2e/support.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export interface Proc {
  url: string;
  proc: ChildProcess;
  startMs: number;
  stop(): Promise<void>;
}

/** Spawns a server process and waits until `healthPath` answers 200; reports the time it took. */
export async function spawnServer(args: string[], env: Record<string, string>, healthPath = '/api/health'): Promise<Proc> {
  const port = await freePort();
  const started = performance.now();
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', VORONKA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url + healthPath)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = performance.now() - started;
  return {
    url,
    proc,
    startMs,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-bench-'));
}

export async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ connections: 50, duration: 10, ...opts });
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const fmt = (n: number, digits = 0) => n.toLocaleString('ru-RU', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The PostgreSQL server the benches create their databases on (as the tests do). */
export const PG_ADMIN_URL =
  process.env.VORONKA_BENCH_PG_URL || process.env.VORONKA_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the admin connection (create / drop database). */
export async function pgAdmin(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

/** Whether the PostgreSQL server answers (a bench skips its PostgreSQL half, saying so, when it does not). */
export async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** «load average 0.4 / 0.6 / 0.9 on 2 cores»: printed first, since a figure means little on a busy machine. */
export const loadAverageLine = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} on ${os.cpus().length} cores`;
