/**
 * Import rate: a CSV of N new clients (VORONKA_BENCH_IMPORT_ROWS, default 100,000; windows-1251, «;», a contact on every
 * fourth row) uploaded to the built server (`node dist/voronka.js serve`) through `POST /api/imports`, on SQLite and on
 * PostgreSQL. Prints the upload + staging time (until 202), the processing time (the job batches, until `done`), rows
 * per second overall, and the server's peak resident memory (VmHWM of /proc/<pid>/status) against its memory at rest,
 * with the file's size for scale. Figures only, never asserted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { generateValidInn } from '../common/requisites.js';
import { fmt, spawnServer, tempDataDir, pgAdmin, pgAvailable, PG_ADMIN_URL } from './support.js';

const ADMIN = { email: 'bench@voronka.test', password: 'Бенчмарк-пароль-1' };
const ROWS = Number(process.env.VORONKA_BENCH_IMPORT_ROWS || 100_000);

/** The CSV, written line by line (windows-1251). */
async function writeCsv(file: string, rows: number): Promise<void> {
  let state = 7;
  const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const used = new Set<string>();
  const out = fs.createWriteStream(file);
  const write = (line: string) => (out.write(iconv.encode(line + '\r\n', 'win1251')) ? null : new Promise((r) => out.once('drain', r)));
  await write('Название;ИНН;Телефон;E-mail;Регион;Адрес;Контактное лицо;Должность');
  for (let i = 0; i < rows; i++) {
    let inn = generateValidInn(rand, 'company');
    while (used.has(inn)) inn = generateValidInn(rand, 'company');
    used.add(inn);
    const phone = `+7 9${String(10 + (i % 89))} ${String(1_000_000 + i)
      .slice(-7)
      .replace(/(\d{3})(\d{2})(\d{2})/, '$1-$2-$3')}`;
    const contact = i % 4 === 0 ? `Иванов Иван ${i};Менеджер по закупкам` : ';';
    const p = write(`ООО «Бенч ${i}»;${inn};${phone};office${i}@bench.example;Москва;г. Москва, ул. Тестовая, д. ${i % 300};${contact}`);
    if (p) await p;
  }
  await new Promise<void>((r) => out.end(r));
}

function rssKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

async function runOne(label: string, env: Record<string, string>, file: string) {
  const server = await spawnServer(['dist/voronka.js', 'serve'], {
    VORONKA_ADMIN_EMAIL: ADMIN.email,
    VORONKA_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  try {
    const pid = server.proc.pid!;
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie: String(login.headers.get('set-cookie')).split(';')[0], 'x-csrf-token': csrfToken };
    const restKb = rssKb(pid, 'VmRSS');

    const form = new FormData();
    form.append('entity', 'clients');
    form.append('dedupe', 'skip');
    form.append('mapping', 'auto');
    form.append('file', await fs.openAsBlob(file), path.basename(file));
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/imports`, { method: 'POST', headers, body: form });
    if (res.status !== 202) throw new Error(`POST /api/imports → ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const t1 = performance.now();
    let imp: { status: string; processed: number; created: number; errorCount: number; total: number };
    for (;;) {
      imp = await (await fetch(`${server.url}/api/imports/${id}`, { headers })).json();
      if (imp.status !== 'queued' && imp.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const t2 = performance.now();
    const peakKb = rssKb(pid, 'VmHWM');
    const total = (t2 - t0) / 1000;
    console.log(
      `${label}: ${fmt(imp.total)} rows (${imp.status}: created ${fmt(imp.created)}, errors ${fmt(imp.errorCount)}) — ` +
        `upload + staging ${fmt((t1 - t0) / 1000, 1)} s, processing ${fmt((t2 - t1) / 1000, 1)} s, ` +
        `${fmt(imp.total / total)} rows/s overall (${fmt(imp.total / ((t2 - t1) / 1000))} rows/s processing); ` +
        `server RSS at rest ${fmt(restKb / 1024)} MB, peak ${fmt(peakKb / 1024)} MB (file ${fmt(fs.statSync(file).size / 1024 / 1024, 1)} MB)`,
    );
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<void> {
  const dir = tempDataDir();
  const file = path.join(dir, `clients-${ROWS}.csv`);
  await writeCsv(file, ROWS);
  try {
    await runOne('SQLite', { VORONKA_DATA_DIR: tempDataDir() }, file);
    if (!(await pgAvailable())) {
      console.log(`PostgreSQL: skipped (not reachable at ${PG_ADMIN_URL})`);
      return;
    }
    const name = `voronka_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    await pgAdmin(`create database ${name}`);
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    try {
      await runOne('PostgreSQL', { VORONKA_DATA_DIR: tempDataDir(), VORONKA_DATABASE_URL: u.toString() }, file);
    } finally {
      await pgAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
      await pgAdmin(`drop database if exists ${name}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
