/**
 * Invoices:
 * 1. PDF generation («Счёт на оплату», 5 lines, logo and facsimile): p50 / p95 over 200 renders, in process.
 * 2. Issuing: VORONKA_BENCH_INVOICES (1 000) invoices issued by 8 concurrent HTTP clients
 *    (`POST /api/deals/:id/invoices`, one deal each) against the built server (`node dist/voronka.js serve`),
 *    on SQLite and on PostgreSQL: invoices/s, p50 and p99 per request; then the numbers are checked to be exactly
 *    1..N (no gaps, no duplicates). Figures only, never asserted.
 */
import crypto from 'node:crypto';
import { fmt, spawnServer, tempDataDir, pgAdmin, PG_ADMIN_URL } from './support.js';
import { renderInvoicePdf } from '../server/modules/invoices/invoice-pdf.js';
import { testCompany, testFacsimile, testLogo } from '../server/modules/invoices/fixtures.js';
import type { Invoice } from '../common/api/invoices.js';

const ADMIN = { email: 'bench@voronka.test', password: 'Бенчмарк-пароль-1' };
const CLIENTS = 8;

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

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Runs `tasks` with `n` workers; returns each call's latency in ms. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await fn(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies;
}

function sampleInvoice(): Invoice {
  const c = testCompany();
  const items = [
    { name: 'Окно ПВХ двухстворчатое 1400×1200 мм', quantity: 3, unit: 'шт', price: 1234560, vatRate: 22, total: 3703680, vat: 667869 },
    { name: 'Подоконник 300 мм', quantity: 3, unit: 'шт', price: 123456, vatRate: 22, total: 370368, vat: 66788 },
    { name: 'Монтаж', quantity: 1, unit: 'усл.', price: 1500000, vatRate: 22, total: 1500000, vat: 270492 },
    { name: 'Крепёж', quantity: 1.5, unit: 'кг', price: 999, vatRate: 10, total: 1499, vat: 136 },
    { name: 'Доставка', quantity: 1, unit: 'усл.', price: 50000, vatRate: null, total: 50000, vat: 0 },
  ];
  const total = items.reduce((s, i) => s + i.total, 0);
  const vat = items.reduce((s, i) => s + i.vat, 0);
  return {
    id: 'bench',
    number: '1234',
    seq: 1234,
    year: 2026,
    date: '2026-11-26',
    dueDate: '2026-12-01',
    dealId: 'd',
    dealTitle: 'Окна в офис',
    clientId: 'c',
    clientName: 'ООО «Ромашка»',
    ownerId: null,
    subtotal: total - vat,
    vatAmount: vat,
    total,
    paidAmount: 0,
    status: 'issued',
    overdue: false,
    sentAt: null,
    sentTo: null,
    paidAt: null,
    cancelledAt: null,
    reissueOfId: null,
    replacedById: null,
    version: 1,
    createdAt: '',
    updatedAt: '',
    items,
    taxMode: 'vat22',
    seller: {
      name: c.name,
      inn: c.inn,
      kpp: c.kpp,
      ogrn: c.ogrn,
      address: c.address,
      bankName: c.bankName,
      bik: c.bik,
      account: c.account,
      corrAccount: c.corrAccount,
      director: c.director,
      chiefAccountant: c.chiefAccountant,
    },
    buyer: { name: 'ООО «Ромашка»', inn: '7736207543', kpp: '773601001', address: 'г. Москва, ул. Льва Толстого, д. 16' },
  };
}

async function pdfBench() {
  const inv = sampleInvoice();
  for (const [label, images] of [
    ['logo + facsimile', { logo: testLogo(), facsimile: testFacsimile() }],
    ['no images', {}],
  ] as const) {
    for (let i = 0; i < 10; i++) await renderInvoicePdf(inv, images);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      bytes = (await renderInvoicePdf(inv, images)).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `invoice PDF (5 lines, ${label}, ${fmt(bytes / 1024)} KB): p50 ${fmt(pct(times, 50), 1)} ms, p95 ${fmt(pct(times, 95), 1)} ms over 200 renders`,
    );
  }
}

async function issueBench(label: string, env: Record<string, string>, count: number) {
  const server = await spawnServer(['dist/voronka.js', 'serve'], {
    VORONKA_ADMIN_EMAIL: ADMIN.email,
    VORONKA_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  try {
    const api = await login(server.url);
    await call(api, 'PUT', '/api/settings/company', testCompany());
    const client = await call(api, 'POST', '/api/clients', { kind: 'company', name: 'ООО «Бенчмарк»', inn: '7736207543' });
    const dealIds: string[] = [];
    await pool(
      Array.from({ length: count }, (_, i) => i),
      CLIENTS,
      async (i) => {
        const d = await call(api, 'POST', '/api/deals', {
          clientId: client.id,
          title: `Сделка ${i + 1}`,
          items: [
            { name: 'Окно ПВХ', quantity: 2, price: 1234500 + i, vatRate: 22 },
            { name: 'Монтаж', quantity: 1, price: 500000, vatRate: 22 },
          ],
        });
        dealIds.push(d.id);
      },
    );
    const started = performance.now();
    const latencies = await pool(dealIds, CLIENTS, async (id) => {
      await call(api, 'POST', `/api/deals/${id}/invoices`, {});
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${label}: ${fmt(count)} invoices by ${CLIENTS} concurrent clients in ${fmt(seconds, 1)} s → ${fmt(count / seconds)} invoices/s; ` +
        `p50 ${fmt(pct(latencies, 50), 1)} ms, p99 ${fmt(pct(latencies, 99), 1)} ms per request`,
    );
    // Numbering: exactly 1..count.
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { seq: number }[]; nextCursor: string | null } = await call(
        api,
        'GET',
        `/api/invoices?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seqs.push(...page.items.map((i) => i.seq));
      cursor = page.nextCursor;
    } while (cursor);
    seqs.sort((a, b) => a - b);
    const exact = seqs.length === count && seqs.every((s, i) => s === i + 1);
    console.log(
      `${label}: numbers ${exact ? `1..${count} exactly ✓` : `NOT 1..${count}: ${seqs.length} invoices, first ${seqs.slice(0, 5)}, last ${seqs.slice(-5)}`}`,
    );
  } finally {
    await server.stop();
  }
}

export async function run() {
  const count = Number(process.env.VORONKA_BENCH_INVOICES || 1000);
  await pdfBench();
  await issueBench('SQLite', { VORONKA_DATA_DIR: tempDataDir() }, count);

  const name = `voronka_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  try {
    await pgAdmin(`create database ${name}`);
  } catch {
    console.log(`PostgreSQL: skipped (not reachable at ${PG_ADMIN_URL})`);
    return;
  }
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  try {
    await issueBench('PostgreSQL', { VORONKA_DATA_DIR: tempDataDir(), VORONKA_DATABASE_URL: u.toString() }, count);
  } finally {
    await pgAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    await pgAdmin(`drop database if exists ${name}`);
  }
}
