/**
 * Random report data for the equivalence tests: clients, deals with items and stage histories (owner changes,
 * losses, reopenings, moves between pipelines), invoices and payments, leads (converted, with campaigns),
 * tasks and reviews, at instants that favour the company zone's midnights — written with plain SQL so that the
 * database triggers maintain the rollups exactly as they do for the services' writes — and then random edits
 * of every kind the triggers must follow.
 */
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/connect.js';
import { newId } from '../../platform/ids.js';

export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface RandomDataOptions {
  seed: number;
  /** Sellers (owners, assignees). */
  userIds: string[];
  deals: number;
  /** Instants are spread over [from, to). */
  from: string;
  to: string;
}

export interface RandomData {
  pipelines: { id: string; stages: { id: string; code: string; kind: string }[] }[];
  clientIds: string[];
  productIds: string[];
  dealIds: string[];
  reasonIds: string[];
  userIds: string[];
}

const REGIONS = ['Москва', 'Санкт-Петербург', 'Казань', 'Новосибирск', '', null];
const SOURCES = ['site', 'Яндекс.Директ', 'звонок', 'рекомендация', null];
const CAMPAIGNS = ['spring', 'летняя-распродажа', 'brand', '', null];
const TASK_TYPES = ['call', 'meeting', 'email', 'control', 'other'];

const iso = (ms: number) => new Date(ms).toISOString();

/** An instant in [from, to): a third of them within half an hour of a Moscow midnight (21:00 UTC). */
export function randomInstant(rng: Prng, fromMs: number, toMs: number): number {
  const t = fromMs + Math.floor(rng.next() * (toMs - fromMs));
  if (rng.chance(0.35)) {
    const day = Math.floor(t / 86_400_000) * 86_400_000;
    const near = day + 21 * 3_600_000 + rng.int(-30 * 60, 30 * 60) * 1000 + rng.int(0, 999);
    if (near >= fromMs && near < toMs) return near;
  }
  return t;
}

export async function loadRandomData(db: Db, o: RandomDataOptions): Promise<RandomData> {
  const rng = new Prng(o.seed);
  const fromMs = Date.parse(o.from);
  const toMs = Date.parse(o.to);
  const now = iso(fromMs);
  const users = [...o.userIds, null];

  // A second pipeline with its own stages.
  const defaultPipeline = await db.selectFrom('pipelines').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow();
  const p2 = newId();
  await db
    .insertInto('pipelines')
    .values({ id: p2, name: 'Тендеры', is_default: 0, archived: 0, position: 1, created_at: now, updated_at: now })
    .execute();
  const p2stages = [
    { code: 'new', kind: 'open' },
    { code: 'bid', kind: 'open' },
    { code: 'won', kind: 'won' },
    { code: 'lost', kind: 'lost' },
  ].map((s, i) => ({ id: newId(), ...s, position: i }));
  await db
    .insertInto('stages')
    .values(
      p2stages.map((s) => ({
        id: s.id,
        pipeline_id: p2,
        name: `Т: ${s.code}`,
        code: s.code,
        kind: s.kind,
        position: s.position,
        archived: 0,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const stages1 = await db
    .selectFrom('stages')
    .select(['id', 'code', 'kind'])
    .where('pipeline_id', '=', defaultPipeline.id)
    .orderBy('position')
    .execute();
  const pipelines = [
    { id: defaultPipeline.id, stages: stages1 },
    { id: p2, stages: p2stages.map((s) => ({ id: s.id, code: s.code, kind: s.kind })) },
  ];
  const reasonIds = (await db.selectFrom('loss_reasons').select('id').execute()).map((r) => r.id);

  const productIds: string[] = [];
  for (let i = 0; i < 5; i++) {
    const id = newId();
    productIds.push(id);
    await db
      .insertInto('products')
      .values({
        id,
        sku: `RND-${o.seed}-${i}`,
        name: `Товар ${i + 1}`,
        search_text: `товар ${i + 1}`,
        price: 100_00 * (i + 1),
        unit: 'шт',
        vat_rate: 22,
        archived: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  const clientIds: string[] = [];
  for (let i = 0; i < Math.max(10, Math.floor(o.deals / 6)); i++) {
    const id = newId();
    clientIds.push(id);
    const at = iso(randomInstant(rng, fromMs, toMs));
    await db
      .insertInto('clients')
      .values({
        id,
        kind: 'company',
        name: `Клиент ${i + 1}`,
        phones: '[]',
        emails: '[]',
        tags: '[]',
        region: rng.pick(REGIONS),
        source: rng.pick(SOURCES),
        owner_id: rng.pick(users),
        status: 'active',
        negative_feedback: 0,
        search_text: `клиент ${i + 1}`,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }

  const dealIds: string[] = [];
  let seq = 0;
  for (let i = 0; i < o.deals; i++) {
    const id = newId();
    dealIds.push(id);
    const pipeline = rng.chance(0.8) ? pipelines[0] : pipelines[1];
    const open = pipeline.stages.filter((s) => s.kind === 'open');
    const created = randomInstant(rng, fromMs, toMs);
    const owner = rng.pick(users);
    const clientId = rng.pick(clientIds);
    // The way through the stages.
    const path: { stage: { id: string; code: string; kind: string }; at: number }[] = [{ stage: open[0], at: created }];
    let t = created;
    const steps = rng.int(0, open.length - 1);
    for (let s = 1; s <= steps; s++) {
      t += rng.int(0, 12 * 86_400) * 1000 + rng.int(0, 999);
      path.push({ stage: rng.chance(0.85) ? open[s] : rng.pick(open), at: t });
    }
    const end = rng.next();
    let status = 'open';
    let reason: string | null = null;
    if (end < 0.35) {
      t += rng.int(0, 20 * 86_400) * 1000;
      path.push({ stage: pipeline.stages.find((s) => s.kind === 'won')!, at: t });
      status = 'won';
    } else if (end < 0.6) {
      t += rng.int(0, 20 * 86_400) * 1000;
      path.push({ stage: pipeline.stages.find((s) => s.kind === 'lost')!, at: t });
      status = 'lost';
      reason = rng.chance(0.9) ? rng.pick(reasonIds) : null;
    }
    const last = path[path.length - 1];
    const nItems = rng.int(0, 3);
    const items = Array.from({ length: nItems }, (_, k) => {
      const q = rng.int(1, 5);
      const price = rng.int(1, 5_000_00);
      return {
        id: newId(),
        deal_id: id,
        position: k,
        product_id: rng.chance(0.8) ? rng.pick(productIds) : null,
        name: `Позиция ${k}`,
        quantity: q,
        price,
        vat_rate: 22,
        total: q * price,
        vat: Math.round((q * price * 22) / 122),
      };
    });
    const amount = nItems ? items.reduce((s, it) => s + it.total, 0) : rng.int(0, 300_000_00);
    await db
      .insertInto('deals')
      .values({
        id,
        client_id: clientId,
        title: `Сделка ${i}`,
        title_norm: `сделка ${i}`,
        amount,
        pipeline_id: pipeline.id,
        stage_id: last.stage.id,
        status,
        owner_id: owner,
        source: rng.pick(SOURCES),
        loss_reason_id: reason,
        loss_comment: reason ? 'нет' : null,
        closed_at: status === 'open' ? null : iso(last.at),
        stage_entered_at: iso(last.at),
        created_by: owner,
        created_at: iso(created),
        updated_at: iso(last.at),
      })
      .execute();
    if (items.length) await db.insertInto('deal_items').values(items).execute();
    await db
      .insertInto('deal_stage_history')
      .values(
        path.map((p, k) => ({
          id: newId(),
          deal_id: id,
          pipeline_id: pipeline.id,
          stage_id: p.stage.id,
          stage_code: p.stage.code,
          entered_at: iso(p.at),
          left_at: k < path.length - 1 ? iso(path[k + 1].at) : null,
          owner_id: owner,
          by_user_id: owner,
        })),
      )
      .execute();
    // Invoices and payments for some.
    if (rng.chance(0.45)) {
      const invoiceId = newId();
      const day = iso(randomInstant(rng, created, Math.max(created + 1, Math.min(toMs, created + 60 * 86_400_000)))).slice(0, 10);
      seq++;
      await db
        .insertInto('invoices')
        .values({
          id: invoiceId,
          deal_id: id,
          client_id: clientId,
          year: 2000 + (o.seed % 50),
          seq,
          number: String(seq),
          date: day,
          due_date: day,
          status: 'issued',
          tax_mode: 'vat22',
          seller: '{}',
          buyer: '{}',
          client_name: 'Клиент',
          deal_title: `Сделка ${i}`,
          search_text: String(seq),
          subtotal: amount,
          vat_amount: 0,
          total: amount,
          created_at: iso(created),
          updated_at: iso(created),
        })
        .execute();
      for (let k = rng.int(1, 3); k > 0; k--) await addPayment(db, rng, invoiceId, clientId, fromMs, toMs);
    }
  }

  // Leads: some converted into deals (the deal's campaign), some answered.
  for (let i = 0; i < Math.floor(o.deals / 2); i++) {
    const created = randomInstant(rng, fromMs, toMs);
    const responded = rng.chance(0.7) ? created + rng.int(0, 3 * 86_400) * 1000 + rng.int(0, 999) : null;
    const converted = rng.chance(0.3);
    await db
      .insertInto('leads')
      .values({
        id: newId(),
        status: converted ? 'converted' : rng.pick(['new', 'in_work', 'junk']),
        channel: 'form',
        region: rng.pick(REGIONS),
        source: rng.pick(SOURCES),
        utm_campaign: rng.pick(CAMPAIGNS),
        fields: '{}',
        assignee_id: rng.pick(users),
        first_response_at: responded === null ? null : iso(responded),
        deal_id: converted ? rng.pick(dealIds) : null,
        search_text: '',
        created_at: iso(created),
        updated_at: iso(created),
      })
      .execute();
  }

  for (let i = 0; i < o.deals; i++) await addTask(db, rng, o.userIds, fromMs, toMs, dealIds);

  for (let i = 0; i < Math.floor(o.deals / 4); i++) {
    const rating = rng.int(1, 5);
    await db
      .insertInto('reviews')
      .values({
        id: newId(),
        client_id: rng.pick(clientIds),
        deal_id: null,
        rating,
        sentiment: rating <= 2 ? 'negative' : rating === 3 ? 'neutral' : 'positive',
        text: 'Отзыв',
        source: 'call',
        author_id: null,
        created_at: iso(randomInstant(rng, fromMs, toMs)),
      })
      .execute();
  }
  return { pipelines, clientIds, productIds, dealIds, reasonIds, userIds: o.userIds };
}

async function addPayment(db: Executor, rng: Prng, invoiceId: string, clientId: string, fromMs: number, toMs: number) {
  const at = iso(randomInstant(rng, fromMs, toMs));
  await db
    .insertInto('payments')
    .values({
      id: newId(),
      invoice_id: invoiceId,
      client_id: clientId,
      amount: rng.int(1, 200_000_00),
      credit: 0,
      paid_at: at.slice(0, 10),
      created_at: at,
    })
    .execute();
}

async function addTask(db: Executor, rng: Prng, userIds: string[], fromMs: number, toMs: number, dealIds: string[]) {
  const due = randomInstant(rng, fromMs, toMs);
  const done = rng.chance(0.6);
  const doneAt = done ? due + rng.int(-5 * 86_400, 5 * 86_400) * 1000 : null;
  await db
    .insertInto('tasks')
    .values({
      id: newId(),
      title: 'Задача',
      type: rng.pick(TASK_TYPES),
      due_at: iso(due),
      assignee_id: rng.pick(userIds),
      deal_id: rng.chance(0.5) ? rng.pick(dealIds) : null,
      status: done ? 'done' : 'open',
      done_at: doneAt === null ? null : iso(doneAt),
      created_at: iso(due - 86_400_000),
      updated_at: iso(due - 86_400_000),
    })
    .execute();
}

/** Random edits of every kind the triggers follow; returns how many of each were made. */
export async function mutateRandomly(
  db: Db,
  data: RandomData,
  o: { seed: number; count: number; from: string; to: string },
): Promise<Record<string, number>> {
  const rng = new Prng(o.seed);
  const fromMs = Date.parse(o.from);
  const toMs = Date.parse(o.to);
  const users = [...data.userIds, null];
  const done: Record<string, number> = {};
  const ops: [string, () => Promise<boolean>][] = [
    [
      'deal owner',
      async () => {
        const id = rng.pick(data.dealIds);
        const owner = rng.pick(users);
        const r = await db.updateTable('deals').set({ owner_id: owner }).where('id', '=', id).executeTakeFirst();
        await db
          .updateTable('deal_stage_history')
          .set({ owner_id: owner })
          .where('deal_id', '=', id)
          .where('left_at', 'is', null)
          .execute();
        return Number(r.numUpdatedRows) > 0;
      },
    ],
    [
      'deal amount',
      async () =>
        Number(
          (
            await db
              .updateTable('deals')
              .set({ amount: rng.int(0, 500_000_00) })
              .where('id', '=', rng.pick(data.dealIds))
              .executeTakeFirst()
          ).numUpdatedRows,
        ) > 0,
    ],
    [
      'deal source',
      async () =>
        Number(
          (
            await db
              .updateTable('deals')
              .set({ source: rng.pick(SOURCES) })
              .where('id', '=', rng.pick(data.dealIds))
              .executeTakeFirst()
          ).numUpdatedRows,
        ) > 0,
    ],
    [
      'stage move',
      async () => {
        const deal = await db.selectFrom('deals').selectAll().where('id', '=', rng.pick(data.dealIds)).executeTakeFirst();
        if (!deal) return false;
        const pipeline = rng.chance(0.9) ? data.pipelines.find((p) => p.id === deal.pipeline_id)! : rng.pick(data.pipelines);
        const stage = rng.pick(pipeline.stages);
        if (stage.id === deal.stage_id) return false;
        const last = await db
          .selectFrom('deal_stage_history')
          .select('entered_at')
          .where('deal_id', '=', deal.id)
          .orderBy('entered_at', 'desc')
          .executeTakeFirst();
        const at = iso(Math.max(Date.parse(last?.entered_at ?? deal.created_at) + rng.int(0, 10 * 86_400) * 1000, fromMs));
        const closing = stage.kind !== 'open';
        await db
          .updateTable('deal_stage_history')
          .set({ left_at: at })
          .where('deal_id', '=', deal.id)
          .where('left_at', 'is', null)
          .execute();
        await db
          .insertInto('deal_stage_history')
          .values({
            id: newId(),
            deal_id: deal.id,
            pipeline_id: pipeline.id,
            stage_id: stage.id,
            stage_code: stage.code,
            entered_at: at,
            left_at: null,
            owner_id: deal.owner_id,
            by_user_id: null,
          })
          .execute();
        await db
          .updateTable('deals')
          .set({
            pipeline_id: pipeline.id,
            stage_id: stage.id,
            status: stage.kind,
            closed_at: closing ? at : null,
            loss_reason_id: stage.kind === 'lost' ? rng.pick([...data.reasonIds, null]) : null,
            stage_entered_at: at,
          })
          .where('id', '=', deal.id)
          .execute();
        return true;
      },
    ],
    [
      'deal created_at',
      async () => {
        const r = await db
          .updateTable('deals')
          .set({ created_at: iso(randomInstant(rng, fromMs, toMs)) })
          .where('id', '=', rng.pick(data.dealIds))
          .executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      },
    ],
    [
      'deal client',
      async () =>
        Number(
          (
            await db
              .updateTable('deals')
              .set({ client_id: rng.pick(data.clientIds) })
              .where('id', '=', rng.pick(data.dealIds))
              .executeTakeFirst()
          ).numUpdatedRows,
        ) > 0,
    ],
    [
      'deal delete',
      async () => {
        const id = rng.pick(data.dealIds);
        if (await db.selectFrom('invoices').select('id').where('deal_id', '=', id).executeTakeFirst()) return false;
        await db.updateTable('tasks').set({ deal_id: null }).where('deal_id', '=', id).execute();
        const r = await db.deleteFrom('deals').where('id', '=', id).executeTakeFirst();
        data.dealIds = data.dealIds.filter((x) => x !== id);
        return Number(r.numDeletedRows) > 0;
      },
    ],
    [
      'client region',
      async () =>
        Number(
          (
            await db
              .updateTable('clients')
              .set({ region: rng.pick(REGIONS) })
              .where('id', '=', rng.pick(data.clientIds))
              .executeTakeFirst()
          ).numUpdatedRows,
        ) > 0,
    ],
    [
      'client owner',
      async () =>
        Number(
          (
            await db
              .updateTable('clients')
              .set({ owner_id: rng.pick(users) })
              .where('id', '=', rng.pick(data.clientIds))
              .executeTakeFirst()
          ).numUpdatedRows,
        ) > 0,
    ],
    [
      'item edit',
      async () => {
        const item = await db.selectFrom('deal_items').selectAll().where('deal_id', '=', rng.pick(data.dealIds)).executeTakeFirst();
        if (!item) return false;
        const k = rng.int(0, 2);
        if (k === 0) await db.deleteFrom('deal_items').where('id', '=', item.id).execute();
        else if (k === 1)
          await db
            .updateTable('deal_items')
            .set({ total: rng.int(1, 900_000), product_id: rng.pick([...data.productIds, null]) })
            .where('id', '=', item.id)
            .execute();
        else {
          await db
            .insertInto('deal_items')
            .values({
              ...item,
              id: newId(),
              position: item.position + 10,
              product_id: rng.pick([...data.productIds, null]),
              total: rng.int(1, 900_000),
            })
            .execute();
        }
        return true;
      },
    ],
    [
      'history edit',
      async () => {
        const h = await db
          .selectFrom('deal_stage_history')
          .selectAll()
          .where('deal_id', '=', rng.pick(data.dealIds))
          .where('left_at', 'is not', null)
          .executeTakeFirst();
        if (!h) return false;
        if (rng.chance(0.5)) await db.deleteFrom('deal_stage_history').where('id', '=', h.id).execute();
        else
          await db
            .updateTable('deal_stage_history')
            .set({ left_at: iso(Date.parse(h.entered_at) + rng.int(0, 30 * 86_400) * 1000) })
            .where('id', '=', h.id)
            .execute();
        return true;
      },
    ],
    [
      'payment',
      async () => {
        const p = await db.selectFrom('payments').selectAll().orderBy('id').limit(1).offset(rng.int(0, 20)).executeTakeFirst();
        if (!p) return false;
        const k = rng.int(0, 3);
        if (k === 0) await db.deleteFrom('payments').where('id', '=', p.id).execute();
        else if (k === 1)
          await db
            .updateTable('payments')
            .set({ amount: rng.int(1, 100_000_00), paid_at: iso(randomInstant(rng, fromMs, toMs)).slice(0, 10) })
            .where('id', '=', p.id)
            .execute();
        else if (k === 2)
          await db
            .updateTable('payments')
            .set({ client_id: rng.pick(data.clientIds) })
            .where('id', '=', p.id)
            .execute();
        else await addPayment(db, rng, p.invoice_id, p.client_id, fromMs, toMs);
        return true;
      },
    ],
    [
      'lead',
      async () => {
        const l = await db.selectFrom('leads').selectAll().orderBy('id').limit(1).offset(rng.int(0, 40)).executeTakeFirst();
        if (!l) return false;
        const k = rng.int(0, 4);
        if (k === 0)
          await db
            .updateTable('leads')
            .set({ deal_id: rng.pick([...data.dealIds, null]), status: 'converted', utm_campaign: rng.pick(CAMPAIGNS) })
            .where('id', '=', l.id)
            .execute();
        else if (k === 1)
          await db
            .updateTable('leads')
            .set({ first_response_at: iso(Date.parse(l.created_at) + rng.int(0, 86_400) * 1000) })
            .where('id', '=', l.id)
            .execute();
        else if (k === 2)
          await db
            .updateTable('leads')
            .set({ assignee_id: rng.pick(users), region: rng.pick(REGIONS), source: rng.pick(SOURCES) })
            .where('id', '=', l.id)
            .execute();
        else if (k === 3)
          await db
            .updateTable('leads')
            .set({ utm_campaign: rng.pick(CAMPAIGNS) })
            .where('id', '=', l.id)
            .execute();
        else await db.deleteFrom('leads').where('id', '=', l.id).execute();
        return true;
      },
    ],
    [
      'task',
      async () => {
        const t = await db.selectFrom('tasks').selectAll().orderBy('id').limit(1).offset(rng.int(0, 40)).executeTakeFirst();
        if (!t) return false;
        const k = rng.int(0, 4);
        if (k === 0)
          await db
            .updateTable('tasks')
            .set({ status: 'done', done_at: iso(Date.parse(t.due_at) + rng.int(-86_400, 86_400) * 1000) })
            .where('id', '=', t.id)
            .execute();
        else if (k === 1) await db.updateTable('tasks').set({ status: 'open', done_at: null }).where('id', '=', t.id).execute();
        else if (k === 2)
          await db
            .updateTable('tasks')
            .set({ assignee_id: rng.pick(data.userIds), type: rng.pick(TASK_TYPES) })
            .where('id', '=', t.id)
            .execute();
        else if (k === 3)
          await db
            .updateTable('tasks')
            .set({ due_at: iso(randomInstant(rng, fromMs, toMs)) })
            .where('id', '=', t.id)
            .execute();
        else await db.deleteFrom('tasks').where('id', '=', t.id).execute();
        return true;
      },
    ],
    [
      'review',
      async () => {
        const r = await db.selectFrom('reviews').selectAll().orderBy('id').limit(1).offset(rng.int(0, 10)).executeTakeFirst();
        if (!r) return false;
        if (rng.chance(0.3)) await db.deleteFrom('reviews').where('id', '=', r.id).execute();
        else
          await db
            .updateTable('reviews')
            .set({ rating: rng.int(1, 5), sentiment: rng.pick(['positive', 'neutral', 'negative']), client_id: rng.pick(data.clientIds) })
            .where('id', '=', r.id)
            .execute();
        return true;
      },
    ],
  ];
  for (let i = 0; i < o.count; i++) {
    const [name, op] = rng.pick(ops);
    if (await op()) done[name] = (done[name] ?? 0) + 1;
  }
  return done;
}

/** Every rollup's non-zero rows, sorted: trigger-maintained and rebuilt rollups must match exactly. */
export async function rollupSnapshot(db: Executor, tables: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db)).rows;
    out[t] = rows
      .filter(
        (r) =>
          Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && !['stays', 'items'].includes(k)) || !t.startsWith('r_'),
      )
      .map((r) =>
        JSON.stringify(
          Object.fromEntries(
            Object.keys(r)
              .sort()
              .map((k) => [k, r[k] === null ? null : typeof r[k] === 'number' ? r[k] : String(r[k])]),
          ),
        ),
      )
      .sort();
  }
  return out;
}
