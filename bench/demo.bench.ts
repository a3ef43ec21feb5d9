/**
 * Demo data load: `node dist/voronka.js demo --clients N --deals M --seed 1` into a fresh SQLite data dir and a
 * fresh PostgreSQL database; prints the load time, rows written and rows per second. Size by
 * VORONKA_BENCH_DEMO_CLIENTS / VORONKA_BENCH_DEMO_DEALS (default 20 000 / 100 000; the goal is
 * 200 000 / 1 000 000 in under 2 minutes on SQLite). The machine's load average is printed too: the figure
 * means little when other work shares the cores.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fmt, ROOT, tempDataDir, pgAdmin, PG_ADMIN_URL, loadAverageLine } from './support.js';

const CLIENTS = Number(process.env.VORONKA_BENCH_DEMO_CLIENTS || 20_000);
const DEALS = Number(process.env.VORONKA_BENCH_DEMO_DEALS || 100_000);

interface Result {
  seconds: number;
  loadSeconds: number;
  reportsSeconds: number | null;
  rows: number;
  cpuSeconds: number | null;
  summary: string;
}

/** Runs the CLI and measures it from the outside (wall clock; CPU from /usr/bin/time when there is one). */
function runDemo(env: Record<string, string>): Promise<Result> {
  const args = ['dist/voronka.js', 'demo', '--clients', String(CLIENTS), '--deals', String(DEALS), '--seed', '1'];
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const cmd = timeBin ?? process.execPath;
  const argv = timeBin ? ['-f', 'cpu %U %S', process.execPath, ...args] : args;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: ROOT,
      env: { ...process.env, VORONKA_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`demo exited with ${code}: ${err.slice(-2000)}`));
      const line = out.split('\n').find((l) => l.startsWith('Демо-данные загружены')) ?? '';
      const rows = Number((/: ([\d\s\u00a0]+) строк,/.exec(line)?.[1] ?? '0').replace(/\D/g, ''));
      const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(err);
      const loadSeconds = Number(/загружены за ([\d.]+) с/.exec(line)?.[1] ?? seconds);
      const reports = /пересчитаны за ([\d.]+) с/.exec(out);
      resolve({
        seconds,
        loadSeconds,
        reportsSeconds: reports ? Number(reports[1]) : null,
        rows,
        cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null,
        summary: out.split('\n').slice(0, 2).join('\n'),
      });
    });
  });
}

function print(label: string, r: Result) {
  console.log(
    `${label}: load ${fmt(r.loadSeconds, 1)} s for ${fmt(CLIENTS)} clients / ${fmt(DEALS)} deals — ${fmt(r.rows)} rows, ${fmt(r.rows / r.loadSeconds)} rows/s` +
      (r.reportsSeconds !== null ? `; report rollups rebuilt in ${fmt(r.reportsSeconds, 1)} s` : '') +
      `; whole command ${fmt(r.seconds, 1)} s` +
      (r.cpuSeconds !== null ? `, CPU ${fmt(r.cpuSeconds, 1)} s` : ''),
  );
  console.log(r.summary.replace(/^/gm, '    '));
}

export async function run() {
  console.log(loadAverageLine());
  const dataDir = tempDataDir();
  try {
    print('SQLite', await runDemo({ VORONKA_DATA_DIR: dataDir }));
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
    print('PostgreSQL', await runDemo({ VORONKA_DATA_DIR: pgDir, VORONKA_DATABASE_URL: u.toString() }));
  } finally {
    fs.rmSync(pgDir, { recursive: true, force: true });
    await pgAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    await pgAdmin(`drop database if exists ${name}`);
  }
}
