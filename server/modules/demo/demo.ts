/**
 * `voronka demo`: fills the database with realistic Russian demo data, fast enough for 200 000 clients and
 * 1 000 000 deals in under two minutes on SQLite. Small reference data (departments, users, the product
 * catalogue) goes in through Kysely and the products service; the bulk is generated in chunks
 * (generator.ts) and written with multi-row statements in big transactions (writer.ts).
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Ctx, Services } from '../../platform/context.js';
import type { Database } from '../../platform/db/connect.js';
import { newId } from '../../platform/ids.js';
import { hashPassword } from '../auth/passwords.js';
import { products as catalogue, translit } from './dictionaries.js';
import { person, type DemoReference, type DemoUser } from './generator.js';
import { chunks } from './chunks.js';
import { Rng, streamSeed } from './random.js';
import { rowCount, tables, writeOrder, type TableName } from './tables.js';
import { openSink } from './writer.js';

export const DEMO_PASSWORD = 'Демо-пароль-2026';
export const DEMO_EMAIL_DOMAIN = 'demo.voronka';
const S_USERS = 5;
/** Clients or deals generated and written at a time, and chunks per transaction. */
const CHUNK = 1_000;
const TX_CHUNKS = 20;

export interface DemoOptions {
  clients: number;
  deals: number;
  seed?: number;
  /** Sales managers (default 10), split over one or two departments with a head each. */
  users?: number;
  /** Deals are spread over this many years back from now (default 2). */
  years?: number;
  /** Load into a database that already has clients. */
  append?: boolean;
  /** "Today" of the data (default: now). */
  now?: Date;
  onProgress?: (p: DemoProgress) => void;
}

export interface DemoProgress {
  /** 0..1 */
  fraction: number;
  clients: number;
  deals: number;
  rows: number;
  seconds: number;
}

export interface DemoSummary {
  seconds: number;
  rows: number;
  rowsPerSecond: number;
  counts: Record<TableName, number> & { users: number; departments: number; products: number };
  password: string;
  users: { email: string; name: string; role: string; department: string | null; created: boolean }[];
  writer: string;
}

/** Refusal to load (non-empty database, bad options): the CLI prints the message and exits with 1. */
export class DemoError extends Error {}

/** What the bulk load needs, read and created through the application (users, catalogue, pipeline). */
export interface DemoPlan {
  started: number;
  options: Required<Omit<DemoOptions, 'onProgress' | 'now'>> & { now: number };
  ref: DemoReference;
  tz: string;
  /** The database had no clients: the SQLite load may drop durability (journal off) for speed. */
  empty: boolean;
  roster: Awaited<ReturnType<typeof ensureRoster>>;
  products: number;
}

/** Prepares, loads and finishes in one go, on the server's database (tests, benchmarks). */
export async function runDemo(ctx: Ctx, options: DemoOptions): Promise<DemoSummary> {
  const plan = await prepareDemo(ctx, options);
  let summary: DemoSummary;
  try {
    summary = await loadDemo(ctx.database, plan, options);
  } finally {
    await finishDemo(ctx);
  }
  return summary;
}

const reportsOf = (ctx: Ctx) => (ctx.services as Partial<Services>).reports;

/**
 * After the load (also a stopped one: what was written stays): derived data kept by other modules from the
 * raw rows is recomputed — the report rollups, whose triggers prepareDemo paused. Returns the seconds it took.
 */
export async function finishDemo(ctx: Ctx): Promise<number> {
  const started = performance.now();
  await reportsOf(ctx)?.rebuild();
  return (performance.now() - started) / 1000;
}

/** Checks the options and the database, creates the team and the catalogue, reads the pipeline. */
export async function prepareDemo(ctx: Ctx, options: DemoOptions): Promise<DemoPlan> {
  const started = performance.now();
  const opts = {
    clients: options.clients,
    deals: options.deals,
    seed: options.seed ?? 1,
    users: options.users ?? 10,
    years: options.years ?? 2,
    append: options.append ?? false,
    now: (options.now ?? new Date()).getTime(),
  };
  for (const [k, v] of Object.entries({ clients: opts.clients, deals: opts.deals, users: opts.users, seed: opts.seed })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new DemoError(`--${k}: ожидается целое неотрицательное число`);
  }
  if (!(opts.years > 0 && opts.years <= 20)) throw new DemoError('--years: больше нуля и не больше 20 лет');
  if (opts.deals > 0 && opts.clients === 0) throw new DemoError('Сделкам нужны клиенты: укажите --clients больше нуля');
  const db = ctx.db;

  const existingClients = await count(ctx, 'clients');
  if (existingClients > 0 && !opts.append) {
    throw new DemoError(
      `В базе уже есть клиенты (${existingClients.toLocaleString('ru-RU')}). Демо-данные загружаются в пустую базу; чтобы добавить их к существующим, укажите --append`,
    );
  }

  const roster = await ensureRoster(ctx, opts.seed, opts.users, opts.now);
  const productIds = await ensureProducts(ctx);
  const pipeline = await ctx.services.pipelines.getDefault();
  const lossReasons = await db
    .selectFrom('loss_reasons')
    .select(['id', 'name'])
    .where('archived', '=', 0)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const stages = new Map(
    pipeline.stages.filter((s) => !s.archived).map((s) => [s.code, { id: s.id, code: s.code, name: s.name, kind: s.kind }]),
  );

  const taken = { inns: new Set<string>(), phones: new Set<string>(), emails: new Set<string>() };
  if (existingClients > 0) {
    const keys = await db.selectFrom('client_keys').select(['kind', 'value']).execute();
    for (const k of keys) {
      if (k.kind === 'inn') taken.inns.add(k.value);
      else if (k.kind === 'phone') taken.phones.add(k.value);
      else if (k.kind === 'email') taken.emails.add(k.value);
    }
  }
  let ftsRowid: DemoReference['ftsRowid'] = null;
  if (ctx.database.dialect === 'sqlite') {
    const max = async (table: string) =>
      Number((await sql<{ m: number | null }>`select max(rowid) as m from ${sql.table(table)}`.execute(db)).rows[0]?.m ?? 0);
    ftsRowid = { clients: await max('clients_fts'), contacts: await max('contacts_fts') };
  }
  const ref: DemoReference = {
    pipelineId: pipeline.id,
    stages,
    lossReasons,
    products: catalogue
      .filter((p) => productIds.has(p.sku))
      .map((p) => {
        const row = productIds.get(p.sku)!;
        return { id: row.id, name: row.name, unit: row.unit, price: row.price, vatRate: row.vatRate, category: p.category };
      }),
    sellers: roster.sellers,
    heads: roster.heads,
    owner: roster.owner,
    taken,
    offsets: { clients: existingClients, deals: await count(ctx, 'deals'), phones: taken.phones.size },
    ftsRowid,
  };
  // The reports module keeps rollups by triggers: paused for the bulk (committed), rebuilt by finishDemo.
  await reportsOf(ctx)?.pause();
  return { started, options: opts, ref, tz: ctx.config.tz, empty: existingClients === 0, roster, products: productIds.size };
}

/**
 * Generates and writes the bulk. On an SQLite file the load uses its own connection; `exclusive` (the
 * CLI, after closing the server) also turns the journal off while loading into an empty database.
 */
export async function loadDemo(
  database: Database,
  plan: DemoPlan,
  options: { onProgress?: (p: DemoProgress) => void; exclusive?: boolean; signal?: AbortSignal } = {},
): Promise<DemoSummary> {
  const { started, ref } = plan;
  const opts = plan.options;
  const genOptions = {
    seed: opts.seed,
    clients: opts.clients,
    deals: opts.deals,
    years: opts.years,
    now: opts.now,
    tz: plan.tz,
    idNonce: crypto.randomBytes(4).readUInt32BE(0),
  };

  const counts = Object.fromEntries(writeOrder.map((t) => [t, 0])) as Record<TableName, number>;
  let rows = 0;
  let clientsDone = 0;
  let dealsDone = 0;
  // Roughly the work of a client against a deal (rows written), for the progress fraction.
  const work = opts.clients * 0.45 + opts.deals || 1;
  let lastReport = 0;
  const report = (force = false) => {
    const t = performance.now();
    if (!options.onProgress || (!force && t - lastReport < 250)) return;
    lastReport = t;
    options.onProgress({
      fraction: Math.min(1, (clientsDone * 0.45 + dealsDone) / work),
      clients: clientsDone,
      deals: dealsDone,
      rows,
      seconds: (t - started) / 1000,
    });
  };
  const sink = openSink(database, { exclusive: options.exclusive === true && plan.empty });
  try {
    let inTransaction = 0;
    // Small chunks keep the generated rows short-lived (cheap garbage collection); transactions stay big.
    for await (const chunk of chunks(genOptions, ref, CHUNK)) {
      // Stopping between chunks keeps whole clients and deals: what was written stays consistent. The event
      // loop gets a turn here (the writes are synchronous), so Ctrl-C and the worker's messages come through.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) {
        throw new DemoError(
          `Загрузка остановлена: записано клиентов ${clientsDone.toLocaleString('ru-RU')}, сделок ${dealsDone.toLocaleString('ru-RU')}`,
        );
      }
      if (inTransaction === 0) await sink.begin();
      for (const t of writeOrder) {
        const values = chunk.rows[t];
        if (values.length === 0) continue;
        await sink.insert(tables[t], values);
        const n = rowCount(tables[t], values);
        counts[t] += n;
        rows += n;
      }
      if (chunk.clientsDone !== undefined) clientsDone = chunk.clientsDone;
      if (chunk.dealsDone !== undefined) dealsDone = chunk.dealsDone;
      if (++inTransaction >= TX_CHUNKS) {
        await sink.commit();
        inTransaction = 0;
      }
      report();
    }
    if (inTransaction > 0) await sink.commit();
    await sink.finish();
    report(true);
  } finally {
    await sink.close();
  }

  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    rows,
    rowsPerSecond: rows / seconds,
    counts: {
      ...counts,
      users: plan.roster.users.filter((u) => u.created).length,
      departments: plan.roster.departmentsCreated,
      products: plan.products,
    },
    password: DEMO_PASSWORD,
    users: plan.roster.users,
    writer: sink.kind,
  };
}

async function count(ctx: Ctx, table: 'clients' | 'deals'): Promise<number> {
  const r = await ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The demo team, the same for a seed: an owner, one or two sales departments (heads + managers),
 * an accountant and a production user, all with the demo password. Users whose e-mail already exists
 * with the same name and role (an earlier run) are reused.
 */
async function ensureRoster(ctx: Ctx, seed: number, managers: number, nowMs: number) {
  const db = ctx.db;
  const rng = new Rng(streamSeed(seed, S_USERS, 0));
  const deptNames = managers >= 4 ? ['Отдел продаж — Москва', 'Отдел продаж — Регионы'] : ['Отдел продаж'];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const createdAt = new Date(nowMs - 800 * 86_400_000).toISOString();
  const usedEmails = new Set<string>();
  const users: DemoSummary['users'] = [];
  let departmentsCreated = 0;

  const departments: { id: string; name: string; headId: string | null }[] = [];
  for (const name of deptNames) {
    const existing = await db.selectFrom('departments').select(['id', 'name', 'head_id']).where('name', '=', name).executeTakeFirst();
    if (existing) departments.push({ id: existing.id, name, headId: existing.head_id });
    else {
      const id = newId();
      await db.insertInto('departments').values({ id, name, head_id: null, created_at: createdAt, updated_at: createdAt }).execute();
      departments.push({ id, name, headId: null });
      departmentsCreated++;
    }
  }

  const add = async (role: string, departmentId: string | null): Promise<DemoUser> => {
    const p = person(rng);
    // Staff names without patronymic, as in a CRM's user list.
    const name = `${p.last} ${p.first}`;
    const base = translit(p.last) || 'user';
    for (let n = 1; ; n++) {
      const email = `${base}${n > 1 ? n : ''}@${DEMO_EMAIL_DOMAIN}`;
      if (usedEmails.has(email)) continue;
      const existing = await db
        .selectFrom('users')
        .select(['id', 'name', 'role', 'department_id'])
        .where('email', '=', email)
        .executeTakeFirst();
      if (existing && (existing.name !== name || existing.role !== role)) continue;
      usedEmails.add(email);
      const department = departments.find((d) => d.id === departmentId)?.name ?? null;
      if (existing) {
        users.push({ email, name, role, department, created: false });
        return { id: existing.id, email, name, role, departmentId: existing.department_id };
      }
      const id = newId();
      await db
        .insertInto('users')
        .values({
          id,
          email,
          name,
          role,
          department_id: departmentId,
          password_hash: passwordHash,
          active: 1,
          created_at: createdAt,
          updated_at: createdAt,
        })
        .execute();
      users.push({ email, name, role, department, created: true });
      return { id, email, name, role, departmentId };
    }
  };

  const owner = await add('owner', null);
  const heads: DemoUser[] = [];
  const sellers: { user: DemoUser; weight: number }[] = [];
  for (const d of departments) {
    const head = await add('head', d.id);
    heads.push(head);
    if (!d.headId) await db.updateTable('departments').set({ head_id: head.id }).where('id', '=', d.id).execute();
    sellers.push({ user: head, weight: 0.3 });
  }
  for (let i = 0; i < managers; i++) {
    const d = departments[i % departments.length];
    sellers.push({ user: await add('manager', d.id), weight: 0.6 + rng.next() * 0.8 });
  }
  await add('accountant', null);
  await add('production', null);
  return { owner, heads, sellers, users, departmentsCreated };
}

/** The demo catalogue: products missing by SKU are created through the products service; existing ones are used as they are. */
async function ensureProducts(ctx: Ctx) {
  const existing = await ctx.db
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'unit', 'price', 'vat_rate', 'archived'])
    .where(
      'sku',
      'in',
      catalogue.map((p) => p.sku),
    )
    .execute();
  const bySku = new Map<string, { id: string; name: string; unit: string; price: number; vatRate: number | null }>();
  for (const r of existing) {
    if (r.sku && !r.archived)
      bySku.set(r.sku, {
        id: r.id,
        name: r.name,
        unit: r.unit,
        price: Number(r.price),
        vatRate: r.vat_rate === null ? null : Number(r.vat_rate),
      });
  }
  for (const p of catalogue) {
    if (bySku.has(p.sku) || existing.some((r) => r.sku === p.sku)) continue;
    const { product } = await ctx.services.products.upsertBySku(ctx.db, {
      sku: p.sku,
      name: p.name,
      price: Math.round(p.rub * 100),
      unit: p.unit,
      vatRate: p.vat,
    });
    bySku.set(p.sku, { id: product.id, name: product.name, unit: product.unit, price: product.price, vatRate: product.vatRate });
  }
  return bySku;
}
