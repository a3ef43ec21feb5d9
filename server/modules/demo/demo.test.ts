/**
 * Demo data on both databases: a small load (300 clients, 1 500 deals) checked row by row — requisites valid,
 * derived data (search text, FTS rows, duplicate keys, amounts, stage history) exactly as the modules keep it,
 * determinism for a seed — and through the real API: search finds generated clients, a demo manager logs in
 * with the printed password and sees only his own clients and deals.
 * On SQLite the database is a file, so the load goes through the fast writer (own connection, multi-row INSERTs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from '../../app.js';
import { connect, type Database } from '../../platform/db/connect.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/databases.js';
import { TestClient, testConfig } from '../../test/harness.js';
import { validateAccount, validateCorrAccount, validateInn, validateKpp, validateOgrnOrOgrnip } from '../../../common/requisites.js';
import { lineTotal, vatFromGross } from '../../../common/money.js';
import { normalizePhone } from '../../../common/phone.js';
import { buildSearchText, normalizeWords } from '../clients/search-text.js';
import { normalizeText } from '../../platform/text.js';
import { normalizeRecurrence } from '../tasks/recurrence.js';
import { DEMO_PASSWORD, DemoError, finishDemo, loadDemo, prepareDemo, runDemo, type DemoPlan, type DemoSummary } from './demo.js';
import { DemoGenerator, iso } from './generator.js';
import { generateChunks } from './chunks.js';
import { tables } from './tables.js';

const CLIENTS = 300;
const DEALS = 1500;
const NOW = new Date('2026-03-18T09:30:00.000Z');

/** Rows of one table out of generated chunks, as objects. */
function generated(plan: DemoPlan, seed: number, table: 'clients' | 'deals' | 'deal_items') {
  const gen = new DemoGenerator(
    {
      seed,
      clients: plan.options.clients,
      deals: plan.options.deals,
      years: plan.options.years,
      now: plan.options.now,
      tz: plan.tz,
      idNonce: 1,
    },
    plan.ref,
  );
  const spec = tables[table];
  const out: Record<string, any>[] = [];
  for (const chunk of generateChunks(gen, plan.options.clients, plan.options.deals, 1000)) {
    const v = chunk.rows[table];
    for (let i = 0; i < v.length; i += spec.columns.length) out.push(Object.fromEntries(spec.columns.map((c, k) => [c, v[i + k]])));
  }
  return out;
}

const parse = (s: string) => JSON.parse(s) as string[];

for (const dialect of testDialects()) {
  describe(`demo data [${dialect}]`, () => {
    let testDb: TestDatabase | null = null;
    let database: Database;
    let file: string | null = null;
    let server: Server;
    let admin: TestClient;
    let plan: DemoPlan;
    let summary: DemoSummary;
    const db = () => server.ctx.db;
    const login = async (email: string) => {
      const res = await new TestClient(() => server).post('/api/auth/login', { email, password: DEMO_PASSWORD });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return new TestClient(() => server, String(res.headers['set-cookie']).split(';')[0], res.body.csrfToken, res.body.user);
    };

    beforeAll(async () => {
      if (dialect === 'sqlite') {
        file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-demo-')), 'voronka.db');
        database = connect(`sqlite://${file}`);
      } else {
        testDb = await createTestDatabase('postgres', { migrated: true });
        database = testDb.database;
      }
      server = await createServer(testConfig(), { database, logger: pino({ level: 'silent' }), runJobs: false });
      plan = await prepareDemo(server.ctx, { clients: CLIENTS, deals: DEALS, seed: 7, users: 4, now: NOW });
      summary = await loadDemo(database, plan);
      await finishDemo(server.ctx);
      admin = await login(summary.users.find((u) => u.role === 'owner')!.email);
    }, 120_000);

    afterAll(async () => {
      await server?.close();
      if (testDb) await testDb.drop();
      else await database?.close();
      if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    });

    it('loads the requested numbers and reports them', async () => {
      expect(summary.counts.clients).toBe(CLIENTS);
      expect(summary.counts.deals).toBe(DEALS);
      expect(summary.writer).toBe(dialect === 'sqlite' ? 'sqlite-file' : 'postgres');
      for (const t of [
        'clients',
        'contacts',
        'client_keys',
        'deals',
        'deal_items',
        'deal_stage_history',
        'tasks',
        'timeline_entries',
      ] as const) {
        const n = await db()
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(n.n), t).toBe(summary.counts[t]);
        expect(summary.counts[t], t).toBeGreaterThan(0);
      }
      expect(summary.rows).toBe(
        Object.entries(summary.counts)
          .filter(([k]) => k in tables)
          .reduce((a, [, n]) => a + n, 0),
      );
      // 4 managers → two departments, each with a head; an owner, an accountant and a production user.
      const roles = summary.users.map((u) => u.role).sort();
      expect(roles).toEqual(['accountant', 'head', 'head', 'manager', 'manager', 'manager', 'manager', 'owner', 'production']);
      expect(summary.users.every((u) => u.email.endsWith('@demo.voronka'))).toBe(true);
      expect(summary.password).toBe(DEMO_PASSWORD);
      expect(summary.counts.products).toBe(50);
    });

    it('leaves the report rollups rebuilt from the loaded rows (same figures as the raw rows) and running', async () => {
      const state = await sql<{ paused: number }>`select paused from report_state where id = 1`.execute(db());
      expect(Number(state.rows[0].paused)).toBe(0);
      const reports = server.ctx.services.reports;
      const ownerRow = await db().selectFrom('users').selectAll().where('role', '=', 'owner').executeTakeFirstOrThrow();
      const actor = { id: ownerRow.id, email: ownerRow.email, name: ownerRow.name, role: 'owner' as const, departmentId: null };
      const q = { from: '2024-03-01', to: '2026-03-18', format: 'json' as const };
      const funnel = await reports.funnel(actor, q, { engine: 'rollup', now: NOW });
      expect(funnel).toEqual(await reports.funnel(actor, q, { engine: 'naive', now: NOW }));
      for (const measure of ['deals', 'won_amount'] as const) {
        const groupBy = ['month', 'manager'] as any;
        const rollup = await reports.sales(actor, { ...q, measure, groupBy }, { engine: 'rollup', now: NOW });
        expect(rollup.rows.some((r: any) => r.value)).toBe(true);
        expect(rollup).toEqual(await reports.sales(actor, { ...q, measure, groupBy }, { engine: 'naive', now: NOW }));
      }
    });

    it('is deterministic for a seed: same names, ИНН and amounts; another seed differs', async () => {
      const clients = await db()
        .selectFrom('clients')
        .select(['name', 'inn', 'kpp', 'ogrn', 'phones', 'region'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const deals = await db().selectFrom('deals').select(['title', 'amount', 'status']).orderBy('created_at').orderBy('id').execute();
      const again = generated(plan, 7, 'clients');
      expect(again.map((c) => [c.name, c.inn, c.kpp, c.ogrn, c.phones, c.region])).toEqual(
        clients.map((c) => [c.name, c.inn, c.kpp, c.ogrn, c.phones, c.region]),
      );
      const againDeals = generated(plan, 7, 'deals');
      expect(againDeals.map((d) => [d.title, d.amount, d.status])).toEqual(deals.map((d) => [d.title, Number(d.amount), d.status]));
      const other = generated(plan, 8, 'clients');
      const sameNames = other.filter((c, i) => c.name === clients[i].name).length;
      expect(sameNames).toBeLessThan(CLIENTS / 10);
      expect(other.filter((c, i) => c.inn !== null && c.inn === clients[i].inn)).toEqual([]);
      const otherDeals = generated(plan, 8, 'deals');
      expect(otherDeals.filter((d, i) => d.amount === Number(deals[i].amount)).length).toBeLessThan(DEALS / 10);
    });

    it('every ИНН, КПП, ОГРН, bank account and phone is valid, and no two clients share a key', async () => {
      const clients = await db().selectFrom('clients').selectAll().execute();
      let companies = 0;
      for (const c of clients) {
        if (c.inn) expect(validateInn(c.inn), c.inn).toBeNull();
        if (c.kpp) expect(validateKpp(c.kpp), c.kpp).toBeNull();
        if (c.ogrn) expect(validateOgrnOrOgrnip(c.ogrn), c.ogrn).toBeNull();
        if (c.account) {
          expect(validateAccount(c.bik!, c.account)).toBeNull();
          expect(validateCorrAccount(c.bik!, c.corr_account!)).toBeNull();
        }
        for (const p of parse(c.phones)) expect(normalizePhone(p)).toBe(p);
        for (const e of parse(c.emails)) expect(e).toMatch(/^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/);
        if (c.kind === 'company' && c.name.startsWith('ООО')) {
          companies++;
          expect(c.inn).toHaveLength(10);
          expect(c.kpp!.slice(0, 4)).toBe(c.inn!.slice(0, 4));
          expect(c.ogrn).toHaveLength(13);
        }
        if (c.name.startsWith('ИП ')) expect([c.inn?.length, c.ogrn?.length]).toEqual([12, 15]);
      }
      expect(companies).toBeGreaterThan(CLIENTS / 3);
      const dupes = await db()
        .selectFrom('client_keys')
        .select(['kind', 'value', (eb) => eb.fn.count<number>('client_id').distinct().as('n')])
        .groupBy(['kind', 'value'])
        .having((eb) => eb.fn.count('client_id').distinct(), '>', 1)
        .execute();
      expect(dupes).toEqual([]);
      const contacts = await db().selectFrom('contacts').selectAll().execute();
      for (const c of contacts) for (const p of parse(c.phones)) expect(normalizePhone(p)).toBe(p);
    });

    it('writes search text, FTS rows and duplicate keys exactly as the clients module derives them', async () => {
      const clients = await db().selectFrom('clients').selectAll().execute();
      const contacts = await db().selectFrom('contacts').selectAll().execute();
      const keys = await db().selectFrom('client_keys').selectAll().execute();
      const byClient = new Map<string, typeof contacts>();
      for (const c of contacts) byClient.set(c.client_id, [...(byClient.get(c.client_id) ?? []), c]);
      const keysOf = new Map<string, string[]>();
      for (const k of keys) keysOf.set(k.client_id, [...(keysOf.get(k.client_id) ?? []), `${k.kind}:${k.value}`]);
      for (const c of clients) {
        const phones = new Set(parse(c.phones));
        const emails = new Set(parse(c.emails));
        for (const ct of byClient.get(c.id) ?? []) {
          parse(ct.phones).forEach((p) => phones.add(p));
          parse(ct.emails).forEach((e) => emails.add(e));
          expect(ct.search_text).toBe(buildSearchText({ words: [ct.name], phones: parse(ct.phones), emails: parse(ct.emails) }));
        }
        expect(c.search_text).toBe(
          buildSearchText({ words: [c.name, c.legal_name], numbers: [c.inn, c.ogrn], phones: [...phones], emails: [...emails] }),
        );
        const expected = [
          ...(c.inn ? [`inn:${c.inn}`] : []),
          ...[...phones].map((p) => `phone:${p}`),
          ...[...emails].map((e) => `email:${e}`),
        ];
        expect((keysOf.get(c.id) ?? []).sort()).toEqual(expected.sort());
      }
      if (dialect === 'sqlite') {
        const fts = await sql<{ rowid: number; search_text: string }>`select rowid, search_text from clients_fts`.execute(db());
        const text = new Map(fts.rows.map((r) => [Number(r.rowid), r.search_text]));
        expect(text.size).toBe(clients.length);
        for (const c of clients) expect(text.get(c.search_rowid!)).toBe(c.search_text);
        const cfts = await sql<{ n: number }>`select count(*) as n from contacts_fts`.execute(db());
        expect(Number(cfts.rows[0].n)).toBe(contacts.length);
        const fk = await sql`pragma foreign_key_check`.execute(db());
        expect(fk.rows).toEqual([]);
      }
    });

    it('every reference points at an existing row (PostgreSQL loads with foreign-key triggers skipped)', async () => {
      const refs: [string, string, string][] = [
        ['clients', 'owner_id', 'users'],
        ['contacts', 'client_id', 'clients'],
        ['client_keys', 'client_id', 'clients'],
        ['deals', 'client_id', 'clients'],
        ['deals', 'owner_id', 'users'],
        ['deals', 'stage_id', 'stages'],
        ['deals', 'loss_reason_id', 'loss_reasons'],
        ['deal_items', 'deal_id', 'deals'],
        ['deal_items', 'product_id', 'products'],
        ['deal_stage_history', 'deal_id', 'deals'],
        ['tasks', 'assignee_id', 'users'],
        ['tasks', 'client_id', 'clients'],
        ['tasks', 'deal_id', 'deals'],
        ['timeline_entries', 'client_id', 'clients'],
        ['timeline_entries', 'deal_id', 'deals'],
      ];
      for (const [table, column, parent] of refs) {
        const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} t where t.${sql.ref(column)} is not null
          and not exists (select 1 from ${sql.table(parent)} p where p.id = t.${sql.ref(column)})`.execute(db());
        expect(Number(r.rows[0].n), `${table}.${column}`).toBe(0);
      }
    });

    it('deal amounts are the sums of their items; item totals and VAT as common/money computes them', async () => {
      const deals = await db().selectFrom('deals').select(['id', 'amount', 'title', 'title_norm']).execute();
      const items = await db().selectFrom('deal_items').selectAll().execute();
      const sum = new Map<string, number>();
      for (const it of items) {
        expect(Number(it.total)).toBe(lineTotal(Number(it.quantity), Number(it.price)));
        expect(Number(it.vat)).toBe(vatFromGross(Number(it.total), it.vat_rate === null ? null : Number(it.vat_rate)));
        sum.set(it.deal_id, (sum.get(it.deal_id) ?? 0) + Number(it.total));
      }
      for (const d of deals) {
        expect(Number(d.amount), d.id).toBe(sum.get(d.id) ?? 0);
        expect(d.title_norm).toBe(normalizeText(d.title));
      }
      expect(new Set(items.map((i) => (i.vat_rate === null ? null : Number(i.vat_rate))))).toEqual(new Set([22, 10, null]));
    });

    it('stage history is consistent: ordered stays, the last one is the current stage, closed deals closed', async () => {
      const stages = new Map((await db().selectFrom('stages').selectAll().execute()).map((s) => [s.id, s]));
      const deals = await db().selectFrom('deals').selectAll().execute();
      const history = await db().selectFrom('deal_stage_history').selectAll().orderBy('entered_at').orderBy('id').execute();
      const byDeal = new Map<string, typeof history>();
      for (const h of history) byDeal.set(h.deal_id, [...(byDeal.get(h.deal_id) ?? []), h]);
      const statuses = { open: 0, won: 0, lost: 0 } as Record<string, number>;
      const nowIso = NOW.toISOString();
      for (const d of deals) {
        const hs = byDeal.get(d.id)!;
        expect(hs.length, d.id).toBeGreaterThan(0);
        expect(hs[0].stage_code).toBe('new');
        expect(hs[0].entered_at).toBe(d.created_at);
        for (let i = 0; i < hs.length; i++) {
          const h = hs[i];
          expect(stages.get(h.stage_id)!.code).toBe(h.stage_code);
          expect(h.owner_id).toBe(d.owner_id);
          if (i < hs.length - 1) {
            expect(h.left_at).toBe(hs[i + 1].entered_at);
            expect(h.left_at! >= h.entered_at).toBe(true);
          } else expect(h.left_at).toBeNull();
          expect(h.entered_at <= nowIso).toBe(true);
        }
        const last = hs[hs.length - 1];
        expect(last.stage_id).toBe(d.stage_id);
        expect(d.stage_entered_at).toBe(last.entered_at);
        const kind = stages.get(d.stage_id)!.kind;
        expect(d.status).toBe(kind);
        statuses[d.status]++;
        if (d.status === 'open') expect(d.closed_at).toBeNull();
        else expect(d.closed_at).toBe(last.entered_at);
        if (d.status === 'lost') {
          expect(d.loss_reason_id).not.toBeNull();
          expect(d.loss_comment).toBeTruthy();
        } else expect(d.loss_reason_id).toBeNull();
        // The stages follow the pipeline's order.
        for (let i = 1; i < hs.length; i++) {
          const prev = stages.get(hs[i - 1].stage_id)!;
          const cur = stages.get(hs[i].stage_id)!;
          expect(cur.position).toBeGreaterThan(prev.position);
        }
      }
      // A realistic funnel: most lost or still early, some won.
      expect(statuses.lost).toBeGreaterThan(DEALS * 0.4);
      expect(statuses.won).toBeGreaterThan(DEALS * 0.05);
      expect(statuses.won).toBeLessThan(statuses.lost);
      expect(statuses.open).toBeGreaterThan(0);
      // Timeline entries of a deal's stage changes agree with its history.
      const lostEntries = await db()
        .selectFrom('timeline_entries')
        .select(['deal_id', 'at', 'data'])
        .where('kind', '=', 'deal_lost')
        .execute();
      expect(lostEntries.length).toBe(statuses.lost);
      const dealById = new Map(deals.map((d) => [d.id, d]));
      for (const e of lostEntries) {
        const d = dealById.get(e.deal_id!)!;
        expect(e.at).toBe(d.closed_at);
        expect(JSON.parse(e.data!).reasonId).toBe(d.loss_reason_id);
      }
    });

    it('tasks: some done, some overdue, some upcoming; heads have recurring control tasks', async () => {
      const tasks = await db().selectFrom('tasks').selectAll().execute();
      const nowIso = NOW.toISOString();
      const done = tasks.filter((t) => t.status === 'done');
      const open = tasks.filter((t) => t.status === 'open');
      expect(done.length).toBeGreaterThan(0);
      expect(done.every((t) => t.done_at !== null && t.done_at <= nowIso && t.result)).toBe(true);
      expect(open.filter((t) => t.due_at < nowIso).length).toBeGreaterThan(0);
      expect(open.filter((t) => t.due_at > nowIso).length).toBeGreaterThan(0);
      const recurring = tasks.filter((t) => t.recurrence);
      expect(recurring.length).toBeGreaterThanOrEqual(4);
      for (const t of recurring) {
        expect(normalizeRecurrence(t.recurrence!)).toBe(t.recurrence);
        expect(t.client_id).toBeNull();
      }
      expect(recurring.some((t) => t.title === 'Прослушать 5 звонков каждого менеджера' && t.recurrence === 'FREQ=WEEKLY;BYDAY=FR')).toBe(
        true,
      );
      // Feedback is collected 15 days after delivery (the regulation).
      const delivered = await db()
        .selectFrom('deals as d')
        .innerJoin('stages as s', 's.id', 'd.stage_id')
        .innerJoin('tasks as t', 't.deal_id', 'd.id')
        .select(['d.stage_entered_at', 't.due_at'])
        .where('s.code', '=', 'delivered')
        .where('t.status', '=', 'open')
        .execute();
      for (const r of delivered) expect(new Date(r.due_at).getTime() - new Date(r.stage_entered_at).getTime()).toBe(15 * 86_400_000);
    });

    it('search through the API finds generated clients by name prefix, ИНН and phone', async () => {
      const client = await db()
        .selectFrom('clients')
        .selectAll()
        .where('name', 'like', 'ООО «%')
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      const word = client.name.slice('ООО «'.length).match(/^\p{L}+/u)![0];
      const prefix = word.slice(0, Math.min(6, word.length));
      const byName = await admin.get(`/api/search?q=${encodeURIComponent(prefix)}&limit=50`);
      expect(byName.status).toBe(200);
      expect(byName.body.clients.length).toBeGreaterThan(0);
      const p = normalizeWords(prefix)[0];
      for (const c of byName.body.clients)
        expect(
          normalizeWords(c.name).some((w) => w.startsWith(p)),
          c.name,
        ).toBe(true);
      const exact = await admin.get(`/api/search?q=${encodeURIComponent(`${prefix} ${client.inn}`)}`);
      expect(exact.body.clients.map((c: any) => c.id)).toEqual([client.id]);
      const phone = parse(client.phones)[0];
      const typed = `8 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`;
      const byPhone = await admin.get(`/api/search?q=${encodeURIComponent(typed)}`);
      expect(byPhone.body.clients.map((c: any) => c.id)).toContain(client.id);
      // A contact is found by its name too.
      const contact = await db().selectFrom('contacts').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
      const byContact = await admin.get(`/api/search?q=${encodeURIComponent(contact.name)}`);
      expect(byContact.body.contacts.map((c: any) => c.id)).toContain(contact.id);
    });

    it('a demo manager logs in with the demo password and sees only his clients and deals', async () => {
      const me = await login(summary.users.find((u) => u.role === 'manager')!.email);
      const own = await db().selectFrom('clients').select('id').where('owner_id', '=', me.user!.id).execute();
      expect(own.length).toBeGreaterThan(0);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await me.get(`/api/clients?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        for (const c of res.body.items) {
          expect(c.ownerId).toBe(me.user!.id);
          seen.push(c.id);
        }
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(own.map((c) => c.id).sort());
      const deals = await me.get('/api/deals?limit=500');
      expect(deals.status).toBe(200);
      expect(deals.body.items.length).toBeGreaterThan(0);
      for (const d of deals.body.items) expect(d.ownerId).toBe(me.user!.id);
      const card = await me.get(`/api/clients/${own[0].id}/timeline`);
      expect(card.status).toBe(200);
      const foreign = await db().selectFrom('clients').select('id').where('owner_id', '<>', me.user!.id).limit(1).executeTakeFirstOrThrow();
      expect((await me.get(`/api/clients/${foreign.id}`)).status).toBe(404);
    });

    it('refuses a database with clients unless appending; appending adds new unique clients', async () => {
      await expect(runDemo(server.ctx, { clients: 10, deals: 10, seed: 7, now: NOW })).rejects.toThrow(DemoError);
      const before = await db()
        .selectFrom('clients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const more = await runDemo(server.ctx, { clients: 40, deals: 100, seed: 7, users: 4, append: true, now: NOW });
      expect(more.counts.clients).toBe(40);
      expect(more.users.every((u) => !u.created)).toBe(true); // the same team, reused
      const after = await db()
        .selectFrom('clients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n) + 40);
      const dupes = await db()
        .selectFrom('client_keys')
        .select(['kind', 'value'])
        .groupBy(['kind', 'value'])
        .having((eb) => eb.fn.count('client_id').distinct(), '>', 1)
        .execute();
      expect(dupes).toEqual([]);
      const ids = await db().selectFrom('deals').select('id').execute();
      expect(new Set(ids.map((r) => r.id)).size).toBe(ids.length);
    });
  });
}

describe('demo generator helpers', () => {
  it('iso() formats like Date.toISOString', () => {
    for (const ms of [0, 1_700_000_000_123.7, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 0, 0, 0, 1)]) {
      expect(iso(ms)).toBe(new Date(Math.floor(ms)).toISOString());
    }
  });
});
