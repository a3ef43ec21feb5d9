/**
 * Backup and restore: on SQLite and PostgreSQL, demo data (`voronka demo`, VORONKA_BENCH_BACKUP_CLIENTS /
 * VORONKA_BENCH_BACKUP_DEALS, default 200 000 / 1 000 000 as in the issue), then a server: p99 latency of a simple
 * authenticated GET (`/api/clients?limit=20`) idle for VORONKA_BENCH_BACKUP_SECONDS (10), then the same load while a
 * backup runs (started by POST /api/backups, until its row is done): backup time, archive size, p99 against idle. Then
 * the server stops and `voronka restore FILE --force` is timed. Figures only, never assertions.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { fmt, ROOT, spawnServer, tempDataDir, pgAdmin, PG_ADMIN_URL, loadAverageLine } from './support.js';

const CLIENTS = Number(process.env.VORONKA_BENCH_BACKUP_CLIENTS || 200_000);
const DEALS = Number(process.env.VORONKA_BENCH_BACKUP_DEALS || 1_000_000);
const SECONDS = Number(process.env.VORONKA_BENCH_BACKUP_SECONDS || 10);
const ADMIN = { email: 'bench@voronka.test', password: 'Бенч-пароль-2026' };
const PASSPHRASE = 'фраза для замера резервных копий';

function cli(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/voronka.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, VORONKA_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${args[0]}: ${code} ${err.slice(-2000)}`)),
    );
  });
}

async function session(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: String(res.headers.get('set-cookie')).split(';')[0], csrf: body.csrfToken };
}

/** Load on a simple GET; `until` ends it early (the backup finished), else after SECONDS. */
function load(url: string, cookie: string, until?: Promise<unknown>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `${url}/api/clients?limit=20`, headers: { cookie }, connections: 10, duration: until ? 3600 : SECONDS },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    void until?.then(() => instance.stop());
  });
}

async function measure(label: string, env: Record<string, string>, dataDir: string) {
  const demoSeconds = await cli(['demo', '--clients', String(CLIENTS), '--deals', String(DEALS), '--seed', '1'], env);
  const server = await spawnServer(['dist/voronka.js', 'serve'], env);
  let file: string | undefined;
  try {
    const { cookie, csrf } = await session(server.url);
    const idle = await load(server.url, cookie);
    const started = await fetch(`${server.url}/api/backups`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    const { id } = (await started.json()) as { id: string };
    const done = (async () => {
      for (;;) {
        const list = (await (await fetch(`${server.url}/api/backups`, { headers: { cookie } })).json()) as {
          items: { id: string; status: string; size: number; fileName: string; createdAt: string; finishedAt: string; error: string }[];
        };
        const row = list.items.find((b) => b.id === id);
        if (row && row.status !== 'running') return row;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const busy = await load(server.url, cookie, done);
    const row = await done;
    if (row.status !== 'done') throw new Error(`backup failed: ${row.error}`);
    file = path.join(dataDir, 'backups', row.fileName);
    const backupSeconds = (Date.parse(row.finishedAt) - Date.parse(row.createdAt)) / 1000;
    console.log(
      `${label}: demo ${fmt(CLIENTS)} clients / ${fmt(DEALS)} deals loaded in ${fmt(demoSeconds, 1)} s; backup ${fmt(backupSeconds, 1)} s, ` +
        `archive ${fmt(row.size / 1024 / 1024, 1)} MB (encrypted)`,
    );
    console.log(
      `    GET /api/clients p99: idle ${fmt(idle.latency.p99, 1)} ms (${fmt(idle.requests.average)} req/s), during the backup ` +
        `${fmt(busy.latency.p99, 1)} ms (${fmt(busy.requests.average)} req/s) — ×${fmt(busy.latency.p99 / Math.max(idle.latency.p99, 0.001), 2)}`,
    );
  } finally {
    await server.stop();
  }
  if (!file) return;
  const restoreSeconds = await cli(['restore', file, '--force'], env);
  console.log(`    restore ${fmt(restoreSeconds, 1)} s (whole command: verify, build beside, migrate, swap)`);
}

export async function run() {
  console.log(loadAverageLine());
  const base = {
    VORONKA_ADMIN_EMAIL: ADMIN.email,
    VORONKA_ADMIN_PASSWORD: ADMIN.password,
    VORONKA_BACKUP_PASSPHRASE: PASSPHRASE,
    VORONKA_BACKUP_SCHEDULE: 'off',
  };
  const dataDir = tempDataDir();
  try {
    await measure('SQLite', { ...base, VORONKA_DATA_DIR: dataDir, VORONKA_DATABASE_URL: '' }, dataDir);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    await pgAdmin('select 1');
  } catch {
    console.log(`PostgreSQL: skipped (not reachable at ${PG_ADMIN_URL})`);
    return;
  }
  const name = `voronka_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  await pgAdmin(`create database ${name}`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const pgDir = tempDataDir();
  try {
    await measure('PostgreSQL', { ...base, VORONKA_DATA_DIR: pgDir, VORONKA_DATABASE_URL: u.toString() }, pgDir);
  } finally {
    fs.rmSync(pgDir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
        `${name.slice(0, 40)}%`,
      ]);
      for (const r of rows) {
        await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [r.datname]);
        await c.query(`drop database if exists "${r.datname}"`);
      }
    } finally {
      await c.end();
    }
  }
}
