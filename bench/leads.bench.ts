/**
 * Lead intake over HTTP: `POST /api/public/forms/:token` against the built server (`node dist/voronka.js serve`)
 * with autocannon, 50 connections, ~30 s (VORONKA_BENCH_DURATION seconds), on SQLite and on PostgreSQL.
 * Prints accepted leads per second and p99 latency, then checks that the number of stored leads equals the
 * number of 201 answers (every acknowledged lead is stored, nothing else is).
 * The run is sized by request count (from a warm-up's rate), so every sent request gets its answer before
 * the count is compared.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import autocannon from 'autocannon';
import { fmt, spawnServer, tempDataDir, pgAdmin, pgAvailable, PG_ADMIN_URL } from './support.js';

const ADMIN = { email: 'bench@voronka.test', password: 'Бенчмарк-пароль-1' };

interface Api {
  url: string;
  cookie: string;
  csrf: string;
}

async function call(api: Api, method: string, p: string, body?: unknown) {
  const res = await fetch(api.url + p, {
    method,
    headers: { 'content-type': 'application/json', cookie: api.cookie, 'x-csrf-token': api.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function login(url: string): Promise<Api> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const json = await res.json();
  return { url, cookie: String(res.headers.get('set-cookie')).split(';')[0], csrf: json.csrfToken };
}

function count201(r: autocannon.Result): number {
  return Number((r.statusCodeStats as Record<string, { count?: number }> | undefined)?.['201']?.count ?? 0);
}

/** Fires `amount` unique submissions at the form; resolves when every one has its answer. */
function fire(url: string, token: string, opts: { amount: number }): Promise<autocannon.Result> {
  let seq = 0;
  const prefix = crypto.randomBytes(3).toString('hex');
  return autocannon({
    url,
    connections: 50,
    amount: opts.amount,
    requests: [
      {
        method: 'POST',
        path: `/api/public/forms/${token}`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: any) => {
          const n = ++seq;
          req.body = JSON.stringify({
            name: `Бенчмарк ${prefix}-${n}`,
            phone: `+7916${String(n % 10_000_000).padStart(7, '0')}`,
            email: `lead${n}@bench.example`,
            comment: 'Нужен расчёт стоимости',
            utm_source: 'yandex',
            page_url: 'https://firma.example/landing',
          });
          return req;
        },
      },
    ],
  });
}

async function runOne(label: string, env: Record<string, string>, countLeads: () => Promise<number>, duration: number) {
  const server = await spawnServer(['dist/voronka.js', 'serve'], {
    VORONKA_ADMIN_EMAIL: ADMIN.email,
    VORONKA_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  let accepted = 0;
  try {
    const api = await login(server.url);
    const userIds: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const u = await call(api, 'POST', '/api/users', {
        email: `m${i}@bench.voronka`,
        name: `Менеджер ${i}`,
        role: 'manager',
        password: 'Менеджер-пароль-1',
      });
      userIds.push(u.id);
    }
    const form = await call(api, 'POST', '/api/forms', {
      name: 'Бенчмарк',
      assignment: { strategy: 'round_robin', userIds },
      slaMinutes: 15,
      rateLimit: { perIpPerMinute: 1_000_000, perFormPerMinute: 10_000_000 },
    });

    // Warm-up (also measures the rate to size the main run).
    // Two warm-ups: the first warms the JIT and caches, the second measures the rate that sizes the main run.
    accepted += count201(await fire(server.url, form.token, { amount: 2000 }));
    const warmStart = performance.now();
    const warm = await fire(server.url, form.token, { amount: 3000 });
    accepted += count201(warm);
    const rate = Math.max(100, count201(warm) / ((performance.now() - warmStart) / 1000));
    const amount = Math.round(rate * duration);
    const started = performance.now();
    const main = await fire(server.url, form.token, { amount });
    const seconds = (performance.now() - started) / 1000;
    const ok = count201(main);
    accepted += ok;
    const other = main.non2xx + main.errors + main.timeouts;
    console.log(
      `${label}: ${fmt(ok / seconds)} accepted leads/s over ${fmt(seconds, 1)} s (50 connections), p99 ${main.latency.p99} ms, p50 ${main.latency.p50} ms` +
        (other ? `; non-201: ${main.non2xx}, errors: ${main.errors}, timeouts: ${main.timeouts}` : ''),
    );
  } finally {
    await server.stop();
  }
  const stored = await countLeads();
  console.log(
    `${label}: stored leads ${fmt(stored)}, 201 answers ${fmt(accepted)} → ${stored === accepted ? 'equal ✓' : `MISMATCH (${stored - accepted})`}`,
  );
}

export async function run() {
  const duration = Number(process.env.VORONKA_BENCH_DURATION || 30);

  const dataDir = tempDataDir();
  const file = path.join(dataDir, 'voronka.db');
  await runOne(
    'SQLite',
    { VORONKA_DATA_DIR: dataDir },
    async () => {
      const db = new SQLite(file, { readonly: true });
      try {
        return Number((db.prepare('select count(*) as n from leads').get() as { n: number }).n);
      } finally {
        db.close();
      }
    },
    duration,
  );
  console.log('goal on SQLite: ≥ 2 000 leads/s with p99 < 50 ms');

  if (!(await pgAvailable())) {
    console.log(`PostgreSQL: skipped (not reachable at ${PG_ADMIN_URL})`);
    return;
  }
  const name = `voronka_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  await pgAdmin(`create database ${name}`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  try {
    await runOne(
      'PostgreSQL',
      { VORONKA_DATA_DIR: tempDataDir(), VORONKA_DATABASE_URL: url },
      async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          return Number((await c.query('select count(*)::int as n from leads')).rows[0].n);
        } finally {
          await c.end();
        }
      },
      duration,
    );
  } finally {
    await pgAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    await pgAdmin(`drop database if exists ${name}`);
  }
}
