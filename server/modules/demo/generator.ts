/**
 * Generates the demo rows: clients (companies, entrepreneurs, persons) with contacts, requisites, phones,
 * e-mails, search text and duplicate keys; deals with line items, stage history, tasks and timeline entries.
 * Pure: no database access. Deterministic for a seed: each client and each deal draws from its own PRNG
 * stream, so names, ИНН and amounts depend only on (seed, index); times are laid out relative to `now`.
 *
 * Derived data is written exactly as the modules keep it (see clients.repo refreshDerived, deals.service):
 * clients.search_text = buildSearchText(name, legal name, ИНН, ОГРН, phones and e-mails of the client and
 * its contacts), client_keys = ИНН + those phones + e-mails, deals.title_norm = normalizeText(title),
 * deal amount = Σ lineTotal(quantity, price), item VAT = vatFromGross(total, rate), one history row per stay
 * in a stage (the last one open), timeline entries for deal creation, every stage change and done tasks. *
 * Why one file over 500 lines: the generators of clients and of deals (with their items, history, tasks and timeline)
 * are written against the same derived-data rules above; dictionaries are dictionaries.ts, tables tables.ts, writing
 * writer.ts. Not split yet (issue 9): clients and deals could become two files.
 */
import {
  generateCorrAccount,
  generateValidAccount,
  generateValidInn,
  generateValidKpp,
  generateValidOgrn,
} from '../../../common/requisites.js';
import { lineTotal, vatFromGross } from '../../../common/money.js';
import { addDaysInZone, addDaysToDate, localDate, zonedMidnight } from '../../../common/dates.js';
import { buildSearchText } from '../clients/search-text.js';
import { normalizeText } from '../../platform/text.js';
import {
  banks,
  categories,
  commentTexts,
  companyMailboxes,
  companyPrefixes,
  companySuffixes,
  companyTails,
  companyWords,
  defaultLossComments,
  earlyTasks,
  femaleNames,
  femaleSurname,
  legalForms,
  lossComments,
  mailDomains,
  maleNames,
  mobileCodes,
  positions,
  refusalComments,
  regions,
  sources,
  stageTasks,
  streets,
  surnames,
  taskResults,
  translit,
} from './dictionaries.js';
import { leadingInts, Rng, streamSeed, weightTable, type WeightTable } from './random.js';
import { emptyRows, type Rows } from './tables.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// PRNG stream kinds.
const S_CLIENT = 1;
const S_DEAL = 2;
const S_TIME = 3;
const S_PHONE = 4;

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: string;
  departmentId: string | null;
}

export interface StageRef {
  id: string;
  code: string;
  name: string;
  kind: string;
}

export interface DemoReference {
  pipelineId: string;
  /** Stages of the default pipeline by code (not archived). */
  stages: Map<string, StageRef>;
  lossReasons: { id: string; name: string }[];
  products: { id: string; name: string; unit: string; price: number; vatRate: number | null; category: number }[];
  /** Who owns clients and deals, with a weight each (managers mostly, heads a little). */
  sellers: { user: DemoUser; weight: number }[];
  /** Heads of departments and the owner: their control tasks. */
  heads: DemoUser[];
  owner: DemoUser | null;
  /** Values already in the database (append mode): generated ИНН, phones and e-mails avoid them. */
  taken: { inns: Set<string>; phones: Set<string>; emails: Set<string> };
  /** Index of the first generated client / deal / phone (the counts already loaded, in append mode). */
  offsets: { clients: number; deals: number; phones: number };
  /** SQLite: the next FTS5 rowid of clients_fts / contacts_fts; null on PostgreSQL. */
  ftsRowid: { clients: number; contacts: number } | null;
}

export interface GeneratorOptions {
  seed: number;
  clients: number;
  deals: number;
  years: number;
  now: number;
  tz: string;
  /** Random per run: keeps ids unique when loading several times into one database. */
  idNonce: number;
}

// ── ids ──
const HEX4: string[] = Array.from({ length: 65536 }, (_, i) => i.toString(16).padStart(4, '0'));

/**
 * UUIDv7 strings: the record's own time in the first 48 bits, then a run counter (so ids are unique
 * within a run and ascend in generation order, which keeps index inserts appending), then a random
 * per-run nonce (unique across runs).
 */
export class IdGen {
  private counter = 0;
  private nonceHi: number;
  private nonceLo: string;

  constructor(nonce: number, nonceHigh: number) {
    this.nonceHi = nonceHigh & 0x3ff;
    this.nonceLo = HEX4[(nonce >>> 16) & 0xffff] + HEX4[nonce & 0xffff];
  }

  at(ms: number): string {
    const c = this.counter++ >>> 0;
    const t = Math.max(0, Math.floor(ms));
    const hi = Math.floor(t / 0x100000000);
    const lo = t >>> 0;
    return (
      HEX4[(hi >>> 0) & 0xffff] +
      HEX4[lo >>> 16] +
      '-' +
      HEX4[lo & 0xffff] +
      '-7' +
      HEX4[(c >>> 20) & 0xfff].slice(1) +
      '-' +
      HEX4[0x8000 | ((c >>> 6) & 0x3fff)] +
      '-' +
      HEX4[((c & 0x3f) << 10) | this.nonceHi] +
      this.nonceLo
    );
  }
}

// ── calendar ──
/** Local midnights of every day in a range, for fast "which day / what time" without Intl per row. */
class Days {
  readonly midnights: number[] = [];
  readonly dates: string[] = [];

  constructor(fromMs: number, toMs: number, tz: string) {
    let date = localDate(new Date(fromMs), tz);
    for (;;) {
      const m = zonedMidnight(date, tz).getTime();
      this.midnights.push(m);
      this.dates.push(date);
      if (m > toMs) break;
      date = addDaysToDate(date, 1);
    }
  }

  /** Index of the day holding ms (clamped to the range). */
  index(ms: number): number {
    const m = this.midnights;
    let i = Math.min(m.length - 1, Math.max(0, Math.floor((ms - m[0]) / DAY)));
    while (i > 0 && m[i] > ms) i--;
    while (i < m.length - 1 && m[i + 1] <= ms) i++;
    return i;
  }

  isWeekend(i: number): boolean {
    const dow = new Date(this.dates[i] + 'T12:00:00Z').getUTCDay();
    return dow === 0 || dow === 6;
  }

  /** A working-hours time (9:00–18:30, on the half hour) on the day of ms, or the next working day. */
  workTime(ms: number, rng: Rng, notBefore = -Infinity): number {
    let i = this.index(ms);
    while (i < this.midnights.length - 1 && this.isWeekend(i)) i++;
    let t = this.midnights[i] + 9 * HOUR + rng.int(0, 19) * 30 * 60_000;
    if (t < notBefore) t = Math.ceil(notBefore / (30 * 60_000)) * 30 * 60_000;
    return t;
  }
}

/**
 * `count` ascending instants in [fromMs, toMs], on working hours (9:00–19:00), weekdays ten times as busy
 * as weekends, and the business growing: the last days carry about twice the first days' load.
 */
function chronoTimes(count: number, fromMs: number, toMs: number, days: Days, rng: Rng): Float64Array {
  const out = new Float64Array(count);
  if (count === 0) return out;
  const first = days.index(fromMs);
  const last = days.index(toMs);
  const windows: { from: number; to: number; w: number }[] = [];
  let total = 0;
  for (let i = first; i <= last; i++) {
    const from = Math.max(days.midnights[i] + 9 * HOUR, fromMs);
    const to = Math.min(days.midnights[i] + 19 * HOUR, toMs);
    const span = Math.max(0, to - from);
    const growth = 0.65 + 0.7 * ((i - first) / Math.max(1, last - first));
    const w = (span / (10 * HOUR)) * (days.isWeekend(i) ? 0.1 : 1) * growth;
    windows.push({ from, to, w });
    total += w;
  }
  if (total === 0) {
    // A range without working hours: spread evenly.
    for (let k = 0; k < count; k++) out[k] = fromMs + ((k + rng.next()) / count) * (toMs - fromMs);
    return out;
  }
  let k = 0;
  let cum = 0;
  windows.forEach((win, wi) => {
    cum += win.w;
    const upto = wi === windows.length - 1 ? count : Math.min(count, Math.round((cum / total) * count));
    const n = upto - k;
    for (let j = 0; j < n; j++) out[k++] = win.from + ((j + rng.next()) / n) * (win.to - win.from);
  });
  return out;
}

// ── helpers ──
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/** Same text as new Date(ms).toISOString(), several times faster (millions of timestamps per load). */
export function iso(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let r = t - day * DAY;
  const h = Math.floor(r / HOUR);
  r -= h * HOUR;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const sec = Math.floor(r / 1000);
  return prefix + PAD2[h] + ':' + PAD2[m] + ':' + PAD2[sec] + '.' + PAD3[r - sec * 1000] + 'Z';
}
const json = (v: unknown) => JSON.stringify(v);

/** (a × b) mod m without losing precision (a, b, m < 2^31). */
function mulMod(a: number, b: number, m: number): number {
  const bh = Math.floor(b / 32768);
  const bl = b % 32768;
  return (((a * bh) % m) * 32768 + a * bl) % m;
}

export interface Person {
  first: string;
  last: string;
  middle: string;
  female: boolean;
}

export function person(rng: Rng): Person {
  const female = rng.chance(0.45);
  const father = rng.pick(maleNames);
  const male = rng.pick(surnames);
  if (female) return { first: rng.pick(femaleNames), last: femaleSurname(male), middle: father[2], female };
  return { first: rng.pick(maleNames)[0], last: male, middle: father[1], female };
}

const fio = (p: Person) => `${p.last} ${p.first} ${p.middle}`;

// Stage flow of the default pipeline: chance to move on from each open stage, and the time spent there.
const FLOW = ['new', 'qualification', 'proposal', 'agreed', 'invoiced', 'paid', 'production', 'delivered', 'feedback'];
const ADVANCE: Record<string, number> = {
  new: 0.72,
  qualification: 0.62,
  proposal: 0.5,
  agreed: 0.85,
  invoiced: 0.88,
  paid: 0.98,
  production: 0.98,
  delivered: 1,
  feedback: 1,
};
/** Median days and spread in each stage. */
const DURATION: Record<string, [number, number]> = {
  new: [1, 0.8],
  qualification: [4, 0.7],
  proposal: [7, 0.7],
  agreed: [3, 0.6],
  invoiced: [5, 0.6],
  paid: [1.5, 0.5],
  production: [14, 0.4],
  delivered: [15, 0.08],
  feedback: [2, 0.5],
};
const LOSS_WEIGHTS: Record<string, number> = {
  Дорого: 30,
  'Выбрали конкурента': 25,
  'Нет бюджета': 20,
  'Не актуально': 15,
  'Не дозвонились': 10,
};
/** Deals younger than this show every stage change on the client's timeline. */
const RECENT_TIMELINE_DAYS = 120;
const TAGS = ['Постоянный', 'VIP', 'Тендер', 'Дилер', 'Госзаказ'];

export class DemoGenerator {
  readonly ids: IdGen;
  private rng = new Rng(0);
  private days: Days;
  private clientTimes: Float64Array;
  private dealTimes: Float64Array;
  // What deals need to know of the clients generated in this run.
  private clientId: string[] = [];
  private clientOwner: Uint16Array;
  private clientSource: Uint8Array;
  private clientRefusedAt: Float64Array;
  private clientPointer = 0;

  private sellerTable: WeightTable;
  private regionTable = weightTable(regions.map((r) => r.weight));
  private sourceTable = weightTable(sources.map((s) => s.weight));
  private formTable = weightTable(legalForms.map((f) => f.weight));
  private mailTable = weightTable(mailDomains.map((d) => d.weight));
  private lossTable: WeightTable;
  private flow: StageRef[];
  private stageJson = new Map<string, string>();

  private usedInns = new Set<string>();
  private usedEmails = new Set<string>();
  private emailCounters = new Map<string, number>();
  private domainCounters = new Map<string, number>();
  private phoneCounter: number;
  private phoneOffset: number;
  private ftsClients: number;
  private ftsContacts: number;

  constructor(
    private opts: GeneratorOptions,
    private ref: DemoReference,
  ) {
    this.ids = new IdGen(opts.idNonce, opts.idNonce >>> 22);
    const end = opts.now;
    const dealsFrom = end - Math.round(opts.years * 365 * DAY);
    const clientsFrom = dealsFrom - 90 * DAY;
    this.days = new Days(clientsFrom - 2 * DAY, end + 60 * DAY, opts.tz);
    const timeRng = new Rng(streamSeed(opts.seed, S_TIME, 0));
    this.clientTimes = chronoTimes(opts.clients, clientsFrom, end - DAY, this.days, timeRng);
    this.dealTimes = chronoTimes(opts.deals, dealsFrom, end - HOUR, this.days, timeRng);
    this.clientOwner = new Uint16Array(opts.clients);
    this.clientSource = new Uint8Array(opts.clients);
    this.clientRefusedAt = new Float64Array(opts.clients);

    if (ref.sellers.length === 0) throw new Error('demo: no sellers');
    this.sellerTable = weightTable(ref.sellers.map((s) => s.weight));
    this.lossTable = weightTable(ref.lossReasons.map((r) => LOSS_WEIGHTS[r.name] ?? 8));
    this.flow = FLOW.map((code) => ref.stages.get(code)).filter((s): s is StageRef => !!s);
    if (!ref.stages.get('new') || !ref.stages.get('won') || !ref.stages.get('lost'))
      throw new Error('demo: the default pipeline lacks new/won/lost stages');
    for (const s of ref.stages.values()) this.stageJson.set(s.code, json({ id: s.id, code: s.code, name: s.name }));
    for (const inn of ref.taken.inns) this.usedInns.add(inn);
    for (const e of ref.taken.emails) this.usedEmails.add(e);
    this.phoneCounter = ref.offsets.phones;
    this.phoneOffset = Math.floor(new Rng(streamSeed(opts.seed, S_PHONE, 0)).next() * PHONE_SPACE);
    this.ftsClients = ref.ftsRowid?.clients ?? 0;
    this.ftsContacts = ref.ftsRowid?.contacts ?? 0;
  }

  // ── unique values ──

  /** A +7 9xx mobile number: a permutation of a run counter, so no two generated numbers are equal. */
  private phone(): string {
    for (;;) {
      const k = (this.phoneCounter++ % PHONE_SPACE) >>> 0;
      const p = (mulMod(k, PHONE_MULTIPLIER, PHONE_SPACE) + this.phoneOffset) % PHONE_SPACE;
      const code = mobileCodes[p % mobileCodes.length];
      const sub = Math.floor(p / mobileCodes.length);
      const e164 = `+7${code}${String(sub).padStart(7, '0')}`;
      if (!this.ref.taken.phones.has(e164)) return e164;
    }
  }

  private email(local: string, domain: string): string {
    const base = `${local}@${domain}`;
    if (!this.usedEmails.has(base)) {
      this.usedEmails.add(base);
      return base;
    }
    let n = this.emailCounters.get(base) ?? 2;
    let e = `${local}${n}@${domain}`;
    while (this.usedEmails.has(e)) e = `${local}${++n}@${domain}`;
    this.emailCounters.set(base, n + 1);
    this.usedEmails.add(e);
    return e;
  }

  private domain(core: string): string {
    const base = translit(core) || 'company';
    const tld = this.rng.chance(0.88) ? 'ru' : this.rng.chance(0.6) ? 'com' : 'su';
    const key = `${base}.${tld}`;
    const n = this.domainCounters.get(key) ?? 0;
    this.domainCounters.set(key, n + 1);
    return n === 0 ? key : `${base}${n + 1}.${tld}`;
  }

  private personalEmail(p: Person): string {
    const f = translit(p.first);
    const l = translit(p.last);
    const r = this.rng.next();
    const local = r < 0.35 ? `${f}.${l}` : r < 0.6 ? `${l}.${f}` : r < 0.8 ? `${f[0]}${l}` : `${l}${this.rng.int(60, 99) % 100}`;
    return this.email(local, mailDomains[this.rng.weighted(this.mailTable)].domain);
  }

  private inn(kind: 'company' | 'person', regionCode: number): string {
    for (;;) {
      const inn = generateValidInn(leadingInts(this.rng, [{ value: regionCode, min: 1, max: 89 }]), kind);
      if (!this.usedInns.has(inn)) {
        this.usedInns.add(inn);
        return inn;
      }
    }
  }

  private ogrn(kind: 'company' | 'person', regionCode: number): string {
    const year = this.rng.int(3, 24);
    return generateValidOgrn(
      leadingInts(this.rng, [
        { value: year, min: 2, max: 25 },
        { value: regionCode, min: 1, max: 89 },
      ]),
      kind,
    );
  }

  private companyCore(): string {
    const r = this.rng.next();
    if (r < 0.5) {
      const prefix = this.rng.pick(companyPrefixes);
      let suffix = this.rng.pick(companySuffixes);
      if (suffix === prefix) suffix = 'Сервис';
      return prefix + suffix;
    }
    const word = this.rng.pick(companyWords);
    return r < 0.8 ? word : word + this.rng.pick(companyTails);
  }

  // ── clients ──

  /** Rows of clients [from, to) of this run (indexes within the run). */
  clients(from: number, to: number): Rows {
    const rows = emptyRows();
    const rng = this.rng;
    for (let i = from; i < to; i++) {
      const g = this.ref.offsets.clients + i;
      rng.reseed(streamSeed(this.opts.seed, S_CLIENT, g));
      const created = this.clientTimes[i];
      const id = this.ids.at(created);
      const createdIso = iso(created);
      const sellerIdx = rng.weighted(this.sellerTable);
      const owner = this.ref.sellers[sellerIdx].user;
      const region = regions[rng.weighted(this.regionTable)];
      const sourceIdx = rng.weighted(this.sourceTable);
      const city = rng.pick(region.cities);
      const street = `${rng.pick(streets)}, д. ${rng.int(1, 160)}`;
      const cityPart = `${region.area ? region.area + ', ' : ''}г. ${city}`;

      let kind: 'company' | 'person';
      let name: string;
      let legalName: string | null = null;
      let inn: string | null = null;
      let kpp: string | null = null;
      let ogrn: string | null = null;
      let bik: string | null = null;
      let account: string | null = null;
      let corr: string | null = null;
      let bankName: string | null = null;
      let address: string | null = null;
      const phones: string[] = [];
      const emails: string[] = [];
      let domain: string | null = null;
      const isPerson = rng.chance(0.15);
      if (isPerson) {
        kind = 'person';
        const p = person(rng);
        name = fio(p);
        if (rng.chance(0.35)) inn = this.inn('person', region.innCode);
        phones.push(this.phone());
        if (rng.chance(0.7)) emails.push(this.personalEmail(p));
        if (rng.chance(0.5)) address = `${cityPart}, ${street}, кв. ${rng.int(1, 280)}`;
      } else {
        kind = 'company';
        const form = legalForms[rng.weighted(this.formTable)];
        if (form.kind === 'entrepreneur') {
          const p = person(rng);
          name = `ИП ${fio(p)}`;
          legalName = `${form.long} ${fio(p)}`;
          inn = this.inn('person', region.innCode);
          ogrn = this.ogrn('person', region.innCode);
          phones.push(this.phone());
          if (rng.chance(0.8)) emails.push(this.personalEmail(p));
        } else {
          const core = this.companyCore();
          name = `${form.short} «${core}»`;
          legalName = `${form.long} «${core}»`;
          inn = this.inn('company', region.innCode);
          kpp = generateValidKpp(rng.next, inn);
          ogrn = this.ogrn('company', region.innCode);
          phones.push(this.phone());
          if (rng.chance(0.25)) phones.push(this.phone());
          domain = this.domain(core);
          if (rng.chance(0.9)) emails.push(this.email(rng.pick(companyMailboxes), domain));
        }
        if (rng.chance(0.9)) address = `${cityPart}, ${street}${rng.chance(0.6) ? `, оф. ${rng.int(1, 450)}` : ''}`;
        if (rng.chance(0.6)) {
          const bank = rng.pick(banks);
          bik = bank.bik;
          bankName = bank.name;
          account = generateValidAccount(rng.next, bank.bik);
          corr = generateCorrAccount(bank.bik);
        }
      }

      // Contacts of a company (not of an entrepreneur or a person).
      const allPhones = [...phones];
      const allEmails = [...emails];
      if (domain !== null) {
        const r = rng.next();
        const count = r < 0.15 ? 0 : r < 0.7 ? 1 : r < 0.92 ? 2 : 3;
        for (let c = 0; c < count; c++) {
          const p = person(rng);
          const cPhones = rng.chance(0.9) ? [this.phone()] : [];
          const cEmails = rng.chance(0.6) ? [this.email(`${translit(p.first)}.${translit(p.last)}`, domain)] : [];
          const contactName = fio(p);
          const text = buildSearchText({ words: [contactName], phones: cPhones, emails: cEmails });
          const rowid = this.ref.ftsRowid ? ++this.ftsContacts : null;
          rows.contacts.push(
            this.ids.at(created),
            id,
            contactName,
            rng.pick(positions),
            json(cPhones),
            json(cEmails),
            text,
            rowid,
            1,
            createdIso,
            createdIso,
          );
          if (rowid !== null) rows.contacts_fts.push(rowid, text);
          for (const ph of cPhones) if (!allPhones.includes(ph)) allPhones.push(ph);
          for (const e of cEmails) if (!allEmails.includes(e)) allEmails.push(e);
        }
      }

      // Refusal mode for a few clients, some months after they came.
      let status = 'active';
      let refusalReason: string | null = null;
      let refusalComment: string | null = null;
      this.clientRefusedAt[i] = Infinity;
      if (this.ref.lossReasons.length && rng.chance(0.04)) {
        const at = created + rng.int(30, 400) * DAY;
        if (at < this.opts.now) {
          const reason = this.ref.lossReasons[rng.weighted(this.lossTable)];
          status = 'refused';
          refusalReason = reason.id;
          refusalComment = rng.pick(refusalComments);
          this.clientRefusedAt[i] = at;
          rows.timeline_entries.push(
            this.ids.at(created),
            id,
            null,
            'refusal',
            iso(at),
            owner.id,
            refusalComment,
            json({ reasonId: reason.id, reasonName: reason.name }),
          );
        }
      }

      const tags = rng.chance(0.08) ? json([rng.pick(TAGS)]) : '[]';
      const searchText = buildSearchText({ words: [name, legalName], numbers: [inn, ogrn], phones: allPhones, emails: allEmails });
      const rowid = this.ref.ftsRowid ? ++this.ftsClients : null;
      rows.clients.push(
        id,
        kind,
        name,
        legalName,
        inn,
        kpp,
        ogrn,
        bik,
        account,
        corr,
        bankName,
        json(phones),
        json(emails),
        region.name,
        address,
        sources[sourceIdx].name,
        tags,
        owner.id,
        status,
        refusalReason,
        refusalComment,
        0,
        searchText,
        rowid,
        1,
        createdIso,
        status === 'refused' ? iso(this.clientRefusedAt[i]) : createdIso,
      );
      if (rowid !== null) rows.clients_fts.push(rowid, searchText);
      if (inn) rows.client_keys.push(id, 'inn', inn);
      for (const ph of allPhones) rows.client_keys.push(id, 'phone', ph);
      for (const e of allEmails) rows.client_keys.push(id, 'email', e);

      this.clientId[i] = id;
      this.clientOwner[i] = sellerIdx;
      this.clientSource[i] = sourceIdx;
    }
    return rows;
  }

  // ── deals ──

  /** Rows of deals [from, to) of this run; every client of the run must have been generated first. */
  deals(from: number, to: number): Rows {
    const rows = emptyRows();
    const rng = this.rng;
    const now = this.opts.now;
    const nClients = this.opts.clients;
    const stages = this.ref.stages;
    const won = stages.get('won')!;
    const lost = stages.get('lost')!;
    for (let j = from; j < to; j++) {
      const g = this.ref.offsets.deals + j;
      rng.reseed(streamSeed(this.opts.seed, S_DEAL, g));
      const created = this.dealTimes[j];
      const id = this.ids.at(created);

      // A client who already existed: half the time any of them, half the time a recent one.
      while (this.clientPointer < nClients && this.clientTimes[this.clientPointer] <= created) this.clientPointer++;
      const known = Math.max(1, this.clientPointer);
      let c = 0;
      for (let attempt = 0; attempt < 4; attempt++) {
        c = rng.chance(0.5) ? Math.floor(rng.next() * known) : known - 1 - Math.floor(rng.next() * Math.max(1, Math.floor(known * 0.1)));
        if (this.clientRefusedAt[c] > created) break;
      }
      const clientId = this.clientId[c];
      const owner = this.ref.sellers[this.clientOwner[c]].user.id;
      const source = rng.chance(0.8) ? sources[this.clientSource[c]].name : sources[rng.weighted(this.sourceTable)].name;

      // Line items: mostly from one category, often with a delivery or installation service.
      const products = this.ref.products;
      let amount = 0;
      const r = rng.next();
      const nItems = products.length === 0 ? 0 : r < 0.45 ? 1 : r < 0.75 ? 2 : r < 0.9 ? 3 : 4;
      const chosen: number[] = [];
      let title = '';
      for (let k = 0; k < nItems; k++) {
        let p = 0;
        for (let attempt = 0; attempt < 5; attempt++) {
          if (k === 0 || rng.chance(0.35)) p = Math.floor(rng.next() * products.length);
          else {
            const cat = products[chosen[0]].category;
            const same = rng.chance(0.6) ? cat : categories.length - 1;
            p = Math.floor(rng.next() * products.length);
            for (let s = 0; s < products.length && products[p].category !== same; s++) p = (p + 1) % products.length;
          }
          if (!chosen.includes(p)) break;
        }
        if (chosen.includes(p)) continue;
        chosen.push(p);
        const product = products[p];
        if (k === 0) title = rng.pick(categories[Math.min(product.category, categories.length - 1)].titles);
        const quantity = demoQuantity(rng, product.unit);
        const price = rng.chance(0.7) ? product.price : Math.round((product.price * (1 - rng.int(3, 15) / 100)) / 100) * 100;
        const total = lineTotal(quantity, price);
        amount += total;
        rows.deal_items.push(
          this.ids.at(created),
          id,
          chosen.length - 1,
          product.id,
          product.name,
          quantity,
          price,
          product.vatRate,
          total,
          vatFromGross(total, product.vatRate),
        );
      }
      if (!title) title = rng.pick(categories[0].titles);
      if (rng.chance(0.3)) title += `, заявка № ${10_000 + g}`;

      // The way through the pipeline.
      const history: { stage: StageRef; at: number }[] = [{ stage: stages.get('new')!, at: created }];
      let t = created;
      let finalStatus: 'open' | 'won' | 'lost' = 'open';
      let lossReason: { id: string; name: string } | null = null;
      let lossComment: string | null = null;
      const flow = this.flow;
      for (let s = 0; s < flow.length; s++) {
        const stage = flow[s];
        if (s > 0) history.push({ stage, at: t });
        const [median, sigma] = DURATION[stage.code] ?? [3, 0.6];
        const stay = Math.max(HOUR, rng.logNormal(median, sigma) * DAY);
        const advances = rng.chance(ADVANCE[stage.code] ?? 0.8);
        if (t + stay > now) break; // still in this stage today
        if (!advances) {
          if (rng.chance(0.12) || this.ref.lossReasons.length === 0) break; // stuck: nobody closed it
          t += stay;
          lossReason = this.ref.lossReasons[rng.weighted(this.lossTable)];
          lossComment = rng.pick(lossComments[lossReason.name] ?? defaultLossComments);
          history.push({ stage: lost, at: t });
          finalStatus = 'lost';
          break;
        }
        t += stay;
        const last = s === flow.length - 1;
        // After delivery, about a third close without waiting for the feedback stage.
        const skipFeedback = stage.code === 'delivered' && rng.chance(0.3);
        if (last || skipFeedback) {
          history.push({ stage: won, at: t });
          finalStatus = 'won';
          break;
        }
      }

      const current = history[history.length - 1];
      const closedAt = finalStatus === 'open' ? null : current.at;
      const end = closedAt ?? now;
      for (let h = 0; h < history.length; h++) {
        const e = history[h];
        const next = history[h + 1];
        rows.deal_stage_history.push(
          this.ids.at(created),
          id,
          this.ref.pipelineId,
          e.stage.id,
          e.stage.code,
          iso(e.at),
          next ? iso(next.at) : null,
          owner,
          owner,
        );
      }
      const createdIso = iso(created);
      rows.deals.push(
        id,
        clientId,
        title,
        normalizeText(title),
        amount,
        this.ref.pipelineId,
        current.stage.id,
        finalStatus,
        owner,
        source,
        lossReason?.id ?? null,
        lossComment,
        closedAt === null ? null : iso(closedAt),
        iso(current.at),
        owner,
        1,
        createdIso,
        iso(current.at),
      );

      // Timeline: creation, stage changes, comments. Open and recent deals show every move; older closed
      // deals their outcome only (their whole way stays in the stage history, where reports read it).
      const newStage = history[0].stage;
      rows.timeline_entries.push(
        this.ids.at(created),
        clientId,
        id,
        'deal_created',
        createdIso,
        owner,
        `Сделка «${title}»`,
        json({ title, amount, stage: { id: newStage.id, code: newStage.code, name: newStage.name } }),
      );
      const everyMove = finalStatus === 'open' || now - created < RECENT_TIMELINE_DAYS * DAY;
      for (let h = everyMove ? 1 : Math.max(1, history.length - 1); h < history.length; h++) {
        const fromStage = history[h - 1].stage;
        const to = history[h].stage;
        const data = `{"from":${this.stageJson.get(fromStage.code)},"to":${this.stageJson.get(to.code)}`;
        if (to.kind === 'lost') {
          rows.timeline_entries.push(
            this.ids.at(created),
            clientId,
            id,
            'deal_lost',
            iso(history[h].at),
            owner,
            `Сделка «${title}»: отказ — ${lossReason!.name}. ${lossComment}`,
            `${data},"reason":${json(lossReason!.name)},"reasonId":${json(lossReason!.id)},"comment":${json(lossComment)}}`,
          );
        } else if (to.kind === 'won') {
          rows.timeline_entries.push(
            this.ids.at(created),
            clientId,
            id,
            'deal_won',
            iso(history[h].at),
            owner,
            `Сделка «${title}» успешно закрыта`,
            data + '}',
          );
        } else {
          rows.timeline_entries.push(
            this.ids.at(created),
            clientId,
            id,
            'stage_changed',
            iso(history[h].at),
            owner,
            `Сделка «${title}»: ${fromStage.name} → ${to.name}`,
            data + '}',
          );
        }
      }
      const comments = rng.chance(0.35) ? (rng.chance(0.3) ? 2 : 1) : 0;
      for (let k = 0; k < comments; k++) {
        const at = created + rng.next() * (end - created);
        rows.timeline_entries.push(this.ids.at(created), clientId, id, 'comment', iso(at), owner, rng.pick(commentTexts), null);
      }

      // Tasks: a first call done early; the open deal's next step (overdue, today or upcoming).
      if (rng.chance(0.45)) {
        const [taskTitle, type] = rng.pick(earlyTasks);
        const due = this.days.workTime(created + rng.next() * 2 * DAY, rng, created + HOUR);
        const doneAt = Math.max(created, due - rng.next() * 4 * HOUR);
        if (doneAt < Math.min(end, now)) {
          const result = rng.pick(taskResults);
          const taskId = this.ids.at(created);
          rows.tasks.push(
            taskId,
            taskTitle,
            type,
            null,
            iso(due),
            owner,
            owner,
            clientId,
            id,
            'done',
            result,
            iso(doneAt),
            owner,
            null,
            null,
            null,
            null,
            null,
            null,
            1,
            createdIso,
            iso(doneAt),
          );
          rows.timeline_entries.push(
            this.ids.at(created),
            clientId,
            id,
            'task_done',
            iso(doneAt),
            owner,
            taskTitle,
            json({ taskId, title: taskTitle, type, result }),
          );
        }
      }
      if (finalStatus === 'open') {
        const options = stageTasks[current.stage.code] ?? stageTasks.new;
        const [taskTitle, type] = rng.pick(options);
        let due: number;
        if (current.stage.code === 'delivered') {
          // The regulation: feedback is collected exactly 15 days after delivery.
          due = addDaysInZone(new Date(current.at), 15, this.opts.tz).getTime();
        } else {
          const stale = now - current.at > 45 * DAY;
          const r2 = rng.next();
          const offsetDays = r2 < (stale ? 0.7 : 0.3) ? -rng.int(1, 20) : r2 < (stale ? 0.8 : 0.45) ? 0 : rng.int(1, 14);
          due = this.days.workTime(now + offsetDays * DAY, rng);
        }
        const taskCreated = Math.min(now, Math.max(current.at, due - 3 * DAY));
        rows.tasks.push(
          this.ids.at(created),
          taskTitle,
          type,
          null,
          iso(due),
          owner,
          owner,
          clientId,
          id,
          'open',
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          1,
          iso(taskCreated),
          iso(taskCreated),
        );
      }
    }
    return rows;
  }

  /** Recurring control tasks of the heads (the seed's «прослушать звонки по пятницам») and the owner. */
  managementTasks(): Rows {
    const rows = emptyRows();
    const rng = new Rng(streamSeed(this.opts.seed, S_TIME, 1));
    const now = this.opts.now;
    const nowIso = iso(now);
    const weekly = (user: DemoUser, title: string, byDay: string, dow: number, hour: number, type: string) => {
      // The next such weekday at `hour`, in the company zone.
      let i = this.days.index(now);
      for (;;) {
        const d = new Date(this.days.dates[i] + 'T12:00:00Z').getUTCDay();
        const at = this.days.midnights[i] + hour * HOUR;
        if (d === dow && at > now) break;
        i++;
      }
      const due = this.days.midnights[i] + hour * HOUR;
      rows.tasks.push(
        this.ids.at(now),
        title,
        type,
        null,
        iso(due),
        user.id,
        user.id,
        null,
        null,
        'open',
        null,
        null,
        null,
        `FREQ=WEEKLY;BYDAY=${byDay}`,
        iso(due),
        null,
        null,
        null,
        null,
        1,
        nowIso,
        nowIso,
      );
    };
    for (const head of this.ref.heads) {
      weekly(head, 'Прослушать 5 звонков каждого менеджера', 'FR', 5, 16, 'control');
      weekly(head, 'Звонки удовлетворённости: 3 клиента с закрытыми сделками', 'WE', 3, 11, 'control');
      if (rng.chance(0.5)) weekly(head, 'Тайный покупатель: проверить скорость ответа на заявку', 'TU', 2, 10, 'control');
    }
    if (this.ref.owner) weekly(this.ref.owner, 'Просмотреть отчёт по воронке продаж', 'MO', 1, 10, 'other');
    return rows;
  }
}

const PHONE_SPACE = mobileCodes.length * 10_000_000;
/** Coprime with PHONE_SPACE (= 82 · 10^7 = 2^8 · 5^7 · 41): multiplying by it permutes the space. */
const PHONE_MULTIPLIER = 387_420_489; // 3^18

function demoQuantity(rng: Rng, unit: string): number {
  switch (unit) {
    case 'м':
      return Math.max(5, Math.round(rng.logNormal(120, 1) / 5) * 5);
    case 'кг':
      return Math.max(1, Math.round(rng.logNormal(180, 1.1) * 2) / 2);
    case 'усл.':
      return rng.chance(0.85) ? 1 : rng.int(2, 6);
    default:
      return Math.max(1, Math.min(500, Math.round(rng.logNormal(4, 1))));
  }
}
