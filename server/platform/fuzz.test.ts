/**
 * Walks every operation of `/api/openapi.json` (so routes added later are covered without touching this file) and
 * sends it malformed input: bad ids in the path, wrong types, huge and deeply nested values, bad cursors, extreme
 * dates and limits, arrays where scalars are expected, garbage bodies. Bad input is a 4xx in the contract's shape,
 * never a 5xx (DESIGN §4). Values are sampled per parameter (rotating through the lists, deterministically), not
 * crossed, so a run stays within seconds per dialect.
 */
import { expect, it } from 'vitest';
import { generateValidAccount } from '../../common/requisites.js';
import { describeEachDialect, type TestClient } from '../test/harness.js';

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  op: Schema;
}
interface Case {
  who: 'admin' | 'anon';
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  label: string;
}

/** Operations that cannot be driven this way: the SSE stream never ends; logout would end the admin's session. */
const SKIP = new Set(['GET /api/events']);
const ANON_ONLY = new Set(['POST /api/auth/logout']);

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const NO_SUCH_ID = '01900000-0000-7000-8000-000000000000';

/** Path segments (already percent-encoded where needed). */
const badIds = [
  '%ZZ',
  'not-a-uuid',
  'x'.repeat(300),
  'x'.repeat(64),
  NO_SUCH_ID,
  '-1',
  '%00',
  "'%20OR%201%3D1--",
  '%ED%A0%80',
  '..%2F..%2Fetc%2Fpasswd',
  '%E2%80%AE',
];

/** Query values (raw, already encoded): `[name, value]` pairs are built from these. */
const badQueryValues = [
  '',
  'x'.repeat(3000),
  '-1',
  '0',
  '1e309',
  'NaN',
  '%ZZ',
  '%00',
  '%ED%A0%80',
  '[]',
  '{}',
  'true',
  '9999-12-31',
  '0001-01-01',
  '2026-02-30',
  '%3Cscript%3E',
  '99999999999999999999999',
  encodeURIComponent('2026-01-01T00:00:00+99:99'),
];
const badCursors = ['%%%', b64([[1], NO_SUCH_ID]), b64([{ a: 1 }, NO_SUCH_ID]), b64([true, NO_SUCH_ID]), b64('x'), b64([1e308, 5])];
const badLimits = ['0', '-5', 'abc', '1e9', '501', '2.5', ''];
const badDates = ['9999-12-31', '0001-01-01', '1900-01-01', '2100-12-31', '2026-13-01', '+275760-09-13', '2026-1-1'];

/** Body property values (JSON texts). */
const badBodyValues = [
  'null',
  '-1',
  '1e308',
  '1.5',
  'true',
  '[]',
  '{}',
  JSON.stringify('x'.repeat(60_000)),
  JSON.stringify('x'.repeat(600)),
  deepArray(5_000),
  deepObject(5_000),
  JSON.stringify(new Array(5_000).fill('x')),
  '"9999-12-31"',
  '"0001-01-01T00:00:00Z"',
  '"%ZZ"',
  '"\\ud800"',
  '"\\u0000"',
  '["a","b"]',
  '-9007199254740993',
  '"  "',
];

/** Strings that look like dates and instants but sit at or past the edges of the calendar. */
const edgeInstants = [
  '"9999-12-31T23:59:59.999Z"',
  '"0001-01-01T00:00:00Z"',
  '"+275760-09-13T00:00:00Z"',
  '"2026-02-30T10:00:00Z"',
  '"2026-05-05T10:00:00+14:00"',
  '"1969-12-31T23:59:59Z"',
];
const edgeDays = ['"9999-12-31"', '"0001-01-01"', '"2100-12-31"', '"1900-01-01"', '"2026-02-29"'];
const edgeRules = [
  '"FREQ=SECONDLY;COUNT=100000"',
  '"FREQ=DAILY;UNTIL=99991231T000000Z"',
  '"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"',
  '"RRULE:FREQ=DAILY;INTERVAL=0"',
];

/** Whole bodies: [content type, text]. */
const badBodies: [string, string][] = [
  ['application/json', 'null'],
  ['application/json', '[]'],
  ['application/json', '"str"'],
  ['application/json', '123'],
  ['application/json', '{'],
  ['application/json', deepArray(10_000)],
  ['application/json', deepObject(10_000)],
  ['application/json', JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])))],
  ['text/plain', '{"a":' + deepArray(10_000) + '}'],
  ['application/x-www-form-urlencoded', 'a[b][c][d]=1&%ZZ=%ZZ&' + 'x=1&'.repeat(2_000)],
  ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--zz'],
  ['application/xml', '<a/>'],
  ['application/json; charset=bogus', '{}'],
  ['application/json; charset=utf-16le', '{"a":1}'],
  ['text/plain; charset=koi8-r', 'name=%FF%FE'],
];

/** Deterministic rotation: each parameter takes `n` values, the next parameter the following ones. */
function sampler<T>(values: T[]) {
  let at = 0;
  return (n: number): T[] => {
    const out: T[] = [];
    for (let i = 0; i < Math.min(n, values.length); i++) out.push(values[(at + i) % values.length]);
    at = (at + n) % values.length;
    return out;
  };
}

/** A plausible value for a JSON schema (valid enough to get past the first checks; realism is a bonus). */
function example(s: Schema | undefined, ids: (prop: string) => string | undefined, prop = '', depth = 0): unknown {
  if (!s || depth > 5) return undefined;
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return example(alt.find((x: Schema) => x.type !== 'null') ?? alt[0], ids, prop, depth);
  if (s.allOf) return example(s.allOf[0], ids, prop, depth);
  switch (s.type) {
    case 'string': {
      const id = ids(prop);
      if (id) return id;
      if (s.format === 'email' || /email/i.test(prop)) return 'fuzz@example.com';
      if (typeof s.pattern === 'string' && s.pattern.includes('\\d{4}-\\d{2}-\\d{2}')) return '2026-05-05';
      if (s.format === 'date-time' || /At$/.test(prop)) return '2026-05-05T10:00:00.000Z';
      const min = s.minLength ?? 1;
      return 'Тест'.padEnd(Math.max(min, 4), 'т').slice(0, s.maxLength ?? 100);
    }
    case 'integer':
    case 'number':
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return s.minItems ? [example(s.items, ids, prop, depth + 1)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = example(s.properties?.[key], ids, key, depth + 1);
      return out;
    }
    default:
      return undefined;
  }
}

/** A value at the edges the schema allows: numbers at their bounds, strings at full length, arrays full. */
function edge(s: Schema | undefined, ids: (prop: string) => string | undefined, prop = '', depth = 0, low = false): unknown {
  if (!s || depth > 5) return undefined;
  if (s.enum) return s.enum[s.enum.length - 1];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return edge(alt.find((x: Schema) => x.type !== 'null') ?? alt[0], ids, prop, depth, low);
  switch (s.type) {
    case 'string': {
      const id = ids(prop);
      if (id) return id;
      if (typeof s.pattern === 'string' && s.pattern.includes('\\d{4}-\\d{2}-\\d{2}')) return low ? '1900-01-01' : '2100-12-31';
      if (/At$/.test(prop)) return low ? '1900-01-01T00:00:00.000Z' : '2100-12-31T23:59:59.999Z';
      if (s.format === 'email' || /email/i.test(prop)) return `${'e'.repeat(60)}@example.com`;
      return '\u{1F600}ё'.repeat(Math.ceil(Math.min(s.maxLength ?? 5000, 20_000) / 3)).slice(0, Math.min(s.maxLength ?? 5000, 20_000));
    }
    case 'integer':
    case 'number':
      return low ? (s.minimum ?? -Number.MAX_SAFE_INTEGER) : (s.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return !low;
    case 'array': {
      const item = edge(s.items, ids, prop, depth + 1, low);
      return new Array(Math.min(s.maxItems ?? 20, 100)).fill(item);
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries<Schema>(s.properties ?? {})) out[key] = edge(sub, ids, key, depth + 1, low);
      return out;
    }
    default:
      return undefined;
  }
}

describeEachDialect('fuzz: every operation in the OpenAPI document answers malformed input with a 4xx', (h) => {
  it('no 5xx, and every error in the contract shape', async () => {
    // A few real records, so that requests with real ids reach the services.
    const victim = await h.user('manager');
    const client = await h.admin.post('/api/clients', { kind: 'company', name: 'ООО Фазз', phones: ['+79990002233'] });
    expect(client.status).toBe(201);
    const deal = await h.admin.post('/api/deals', {
      clientId: client.body.id,
      title: 'Фазз-сделка',
      items: [{ name: 'Окно', quantity: 2, price: 150_000, vatRate: 22 }],
    });
    await h.admin.post(`/api/clients/${client.body.id}/contacts`, { name: 'Контакт Фазз' });
    await h.admin.post('/api/products', { name: 'Фазз-товар', price: 100 });
    await h.admin.post('/api/tasks', { title: 'Фазз-задача', type: 'call', dueAt: '2026-05-05T10:00:00.000Z', dealId: deal.body.id });
    await h.admin.post('/api/reviews', { clientId: client.body.id, rating: 2, text: 'Плохо' });
    await h.admin.post('/api/forms', {
      name: 'Фазз-форма',
      assignment: { strategy: 'round_robin', userIds: [victim.user!.id] },
      slaMinutes: 15,
      rateLimit: { perIpPerMinute: 100_000, perFormPerMinute: 100_000 },
    });
    await h.admin.post('/api/leads', { name: 'Лид Фазз', phone: '+79990003344' });
    const bik = '044525225';
    const company = await h.admin.put('/api/settings/company', {
      name: 'ООО «Фазз»',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      address: 'г. Москва',
      bankName: 'ПАО Сбербанк',
      bik,
      account: generateValidAccount(() => 0.5, bik),
      corrAccount: '30101810400000000225',
      director: 'Иванов И. И.',
      chiefAccountant: 'Петрова А. С.',
      taxMode: 'vat22',
      invoicePrefix: '',
      paymentTermDays: 5,
    });
    expect(company.status).toBe(200);
    const invoice = await h.admin.post(`/api/deals/${deal.body.id}/invoices`);
    expect(invoice.status).toBe(201);
    await h.admin.post(`/api/invoices/${invoice.body.id}/payments`, { amount: 100, paidAt: '2026-05-05' });

    const doc = (await h.anon.get('/api/openapi.json')).body;
    const ops: Operation[] = [];
    for (const [path, byMethod] of Object.entries<Schema>(doc.paths)) {
      for (const [method, op] of Object.entries<Schema>(byMethod)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        if (!SKIP.has(`${method.toUpperCase()} ${path}`)) ops.push({ method: method.toUpperCase(), path, op });
      }
    }
    expect(ops.length).toBeGreaterThan(100);

    // Real ids by the collection segment before a path parameter (`/api/clients/{id}` → clients), found by listing
    // every collection: parameterless lists first, then lists under a known record (a client's contacts, …).
    const real: Record<string, { id?: string; token?: string }> = {};
    /** The path with real ids (or `bad` for every parameter, or only for the one named `only`). */
    const fill = (path: string, bad: string | undefined, only?: string) =>
      path.replace(/\{(\w+)\}/g, (_m, name: string, at: number) => {
        if (bad !== undefined && (only === undefined || only === name)) return bad;
        const seg = path
          .slice(0, at - 1)
          .split('/')
          .pop()!;
        return (name === 'token' ? real[seg]?.token : real[seg]?.id) ?? NO_SUCH_ID;
      });
    for (let pass = 0; pass < 2; pass++) {
      for (const { method, path } of ops) {
        if (method !== 'GET' || path.endsWith('}') || (pass === 0 && path.includes('{'))) continue;
        const res = await h.admin.get(fill(path, undefined));
        const first = Array.isArray(res.body) ? res.body[0] : res.body?.items?.[0];
        if (first && typeof first.id === 'string') real[path.split('/').pop()!] ??= { id: first.id, token: first.token };
      }
    }
    // Never the admin himself (a PATCH could take his rights away mid-run): the victim manager instead.
    real.users = { id: victim.user!.id };
    real.deals = { id: deal.body.id };
    real.clients = { id: client.body.id };
    const idFor = (prop: string): string | undefined => {
      if (!/Id$/.test(prop)) return undefined;
      const base = prop.slice(0, -2);
      if (['owner', 'assignee', 'user', 'head', 'author'].includes(base)) return victim.user!.id;
      if (base === 'reason') return real['loss-reasons']?.id;
      return real[`${base}s`]?.id ?? real[`${base}es`]?.id;
    };

    const cases: Case[] = [];
    const pickId = sampler(badIds);
    const pickQuery = sampler(badQueryValues);
    const pickBody = sampler(badBodyValues);
    const pickWhole = sampler(badBodies);
    const pickCursor = sampler(badCursors);
    const pickLimit = sampler(badLimits);
    const pickDate = sampler(badDates);
    const pickInstant = sampler(edgeInstants);
    const pickDay = sampler(edgeDays);

    for (const { method, path, op } of ops) {
      const key = `${method} ${path}`;
      const who = ANON_ONLY.has(key) ? 'anon' : 'admin';
      const params: Schema[] = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const query = params.filter((p) => p.in === 'query');
      const bodySchema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema;
      const url = fill(path, undefined);
      const validBody = bodySchema ? (example(bodySchema, idFor) as Record<string, unknown>) : undefined;
      const validText = validBody === undefined ? undefined : JSON.stringify(validBody);
      const add = (c: Omit<Case, 'who'> & { who?: Case['who'] }) =>
        cases.push({ who, ...c, body: c.body ?? validText, contentType: c.contentType ?? (validText ? 'application/json' : undefined) });

      // Bad ids in each path parameter, the others real.
      for (const p of pathParams) {
        for (const bad of pickId(3)) add({ method, url: fill(path, bad, p.name), label: `path ${p.name}=${bad.slice(0, 40)}` });
      }
      // Each query parameter alone with bad values; arrays where a scalar is expected.
      for (const p of query) {
        const values =
          p.name === 'cursor'
            ? pickCursor(2)
            : p.name === 'limit'
              ? pickLimit(2)
              : /^(from|to)$/.test(p.name)
                ? pickDate(2)
                : p.name === 'period'
                  ? ['9999-12', '0000-01', '1900-01', '2100-12']
                  : pickQuery(2);
        for (const v of values) add({ method, url: `${url}?${p.name}=${v}`, label: `query ${p.name}=${v.slice(0, 40)}` });
        add({ method, url: `${url}?${p.name}=a&${p.name}=b`, label: `query ${p.name} twice` });
      }
      if (query.some((p) => p.name === 'from') && query.some((p) => p.name === 'to')) {
        add({ method, url: `${url}?from=1900-01-01&to=9999-12-31`, label: 'query from=1900-01-01&to=9999-12-31' });
        add({ method, url: `${url}?from=2026-12-31&to=2026-01-01`, label: 'query from > to' });
        // Valid but far from today's data: the bounds of the allowed years.
        add({ method, url: `${url}?from=1900-01-01&to=1900-12-31`, label: 'query the first allowed year' });
        add({ method, url: `${url}?from=2100-01-01&to=2100-12-31`, label: 'query the last allowed year' });
      }
      // The body: each property with bad values (the rest plausible), then garbage as a whole.
      if (bodySchema) {
        const props = Object.entries<Schema>(bodySchema.properties ?? {});
        for (const [name, schema] of props) {
          for (const v of pickBody(1)) {
            add({
              method,
              url,
              body: JSON.stringify({ ...validBody, [name]: '__V__' }).replace('"__V__"', v),
              label: `body ${name}=${v.slice(0, 40)}`,
            });
          }
          // One level down: arrays of objects (deal items, …) and nested objects.
          const inner: Schema | undefined = schema.type === 'array' ? schema.items : schema.type === 'object' ? schema : undefined;
          if (inner?.type === 'object' && inner.properties) {
            const base = example(inner, idFor) as Record<string, unknown>;
            for (const innerName of Object.keys(inner.properties).slice(0, 4)) {
              const v = pickBody(1)[0];
              const obj = JSON.stringify({ ...base, [innerName]: '__V__' }).replace('"__V__"', v);
              const wrapped = schema.type === 'array' ? `[${obj}]` : obj;
              add({
                method,
                url,
                body: JSON.stringify({ ...validBody, [name]: '__W__' }).replace('"__W__"', wrapped),
                label: `body ${name}.${innerName}=${v.slice(0, 40)}`,
              });
            }
          }
        }
        add({ method, url, label: 'body plausible' });
        // Everything at its edge at once (maxima, full-length strings, full arrays), then at its minimum.
        add({ method, url, body: JSON.stringify(edge(bodySchema, idFor)), label: 'body at its maxima' });
        add({ method, url, body: JSON.stringify(edge(bodySchema, idFor, '', 0, true)), label: 'body at its minima' });
        // Each property alone at its edge, and date-like properties past the calendar's edges.
        for (const [name, schema] of props) {
          add({ method, url, body: JSON.stringify({ ...validBody, [name]: edge(schema, idFor, name) }), label: `body ${name} at max` });
          const values = /At$/.test(name)
            ? pickInstant(2)
            : /date|day|period/i.test(name) || /from|to/.test(name)
              ? pickDay(2)
              : /recurrence|rrule/i.test(name)
                ? edgeRules
                : [];
          for (const v of values) {
            add({ method, url, body: JSON.stringify({ ...validBody, [name]: '__V__' }).replace('"__V__"', v), label: `body ${name}=${v}` });
          }
        }
      }
      if (method !== 'GET') {
        for (const [type, text] of pickWhole(bodySchema ? 3 : 1))
          add({ method, url, body: text, contentType: type, label: `whole body ${type} ${text.slice(0, 30)}` });
      }
      // Anonymous: the same operation with a bad id or a garbage body.
      cases.push({
        who: 'anon',
        method,
        url: pathParams.length ? fill(path, '%ZZ') : url,
        body: method === 'GET' ? undefined : deepArray(10_000),
        contentType: method === 'GET' ? undefined : 'application/json',
        label: 'anonymous',
      });
    }

    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    const slow: [number, string][] = [];
    const started = Date.now();
    for (const c of cases) {
      const client: TestClient = c.who === 'admin' ? h.admin : h.anon;
      const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {};
      const t0 = Date.now();
      const res = await client.request(c.method as any, c.url, c.body, headers);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (process.env.FUZZ_DEBUG) slow.push([Date.now() - t0, `${c.method} ${c.url.slice(0, 80)} [${c.label}] ${res.status}`]);
      const shaped =
        typeof res.body === 'object' && typeof res.body?.error?.code === 'string' && typeof res.body.error.message === 'string';
      if (res.status >= 500 || (res.status >= 400 && !shaped)) {
        failures.push(`${c.who} ${c.method} ${c.url.slice(0, 120)} [${c.label}] → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    const ms = Date.now() - started;
    console.log(
      `fuzz [${h.dialect}]: ${ops.length} operations, ${cases.length} requests in ${ms} ms; statuses ${JSON.stringify(statuses)}`,
    );
    if (process.env.FUZZ_DEBUG)
      console.log(
        slow
          .sort((a, b) => b[0] - a[0])
          .slice(0, 25)
          .map(([t, l]) => `${t} ms ${l}`)
          .join('\n'),
      );
    expect(failures).toEqual([]);
    // The admin's session survived the run (so the requests above were not all refused at the door).
    expect((await h.admin.get('/api/auth/me')).status).toBe(200);
  }, 180_000);
});
