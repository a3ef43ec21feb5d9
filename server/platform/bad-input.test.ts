/**
 * Bad input that once gave a 5xx (issue 9): forged cursors, extreme date ranges, deeply nested or huge public form
 * bodies, malformed percent-escapes in a path. Each is a 4xx in the contract's shape, in Russian.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../test/harness.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Cursors no list ever hands out: wrong key types, wrong shapes, not base64 or not JSON. */
const badCursors = [
  b64([[1, 2], '01900000-0000-7000-8000-000000000000']),
  b64([{ a: 1 }, '01900000-0000-7000-8000-000000000000']),
  b64([true, '01900000-0000-7000-8000-000000000000']),
  b64([null, '01900000-0000-7000-8000-000000000000']),
  b64(['2026-01-01T00:00:00.000Z', 5]),
  b64(['2026-01-01T00:00:00.000Z', { id: 1 }]),
  b64(['2026-01-01T00:00:00.000Z']),
  b64('just a string'),
  b64({ key: 1, id: 'x' }),
  b64(['2026-01-01T00:00:00.000Z', 'x', 'extra']),
  Buffer.from('[1,').toString('base64url'),
  '%%%',
  '!!!',
  'a.b.c',
];

describeEachDialect('bad input gives a 4xx', (h) => {
  it('a forged cursor on every list is 400 naming `cursor`, a real one still pages', async () => {
    const client = await h.admin.post('/api/clients', { kind: 'person', name: 'Курсоров Кирилл', phones: ['+79990001122'] });
    expect(client.status).toBe(201);
    const deal = await h.admin.post('/api/deals', { clientId: client.body.id, title: 'Сделка для курсоров', amount: 100 });
    expect(deal.status).toBe(201);
    await h.admin.post('/api/deals', { clientId: client.body.id, title: 'Вторая сделка', amount: 200 });

    // Every list that takes a cursor, found in the OpenAPI document (lists added later are covered too).
    const doc = (await h.anon.get('/api/openapi.json')).body;
    const lists: string[] = [];
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      if (ops.get?.parameters?.some((p: any) => p.in === 'query' && p.name === 'cursor')) lists.push(path);
    }
    expect(lists).toEqual(
      expect.arrayContaining(['/api/deals', '/api/clients', '/api/users', '/api/invoices', '/api/leads', '/api/tasks']),
    );
    expect(lists.length).toBeGreaterThanOrEqual(14);

    const failures: string[] = [];
    for (const path of lists) {
      const url = path
        .replace('/api/clients/{id}', `/api/clients/${client.body.id}`)
        .replace('/api/deals/{id}', `/api/deals/${deal.body.id}`);
      expect(url, 'a list with a path parameter this test does not know').not.toContain('{');
      const sorts = path === '/api/deals' ? ['', '&sort=amount', '&sort=-title', '&sort=createdAt'] : [''];
      for (const sort of sorts) {
        for (const cursor of badCursors) {
          const res = await h.admin.get(`${url}?cursor=${encodeURIComponent(cursor)}${sort}`);
          if (res.status !== 400 || !res.body?.error?.fields?.cursor) failures.push(`${url}${sort} ${cursor} → ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);

    const res = await h.admin.get(`/api/deals?cursor=${b64([['x'], 'y'])}`);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', fields: { cursor: expect.stringContaining('курсор') } });

    // A key of the wrong type for the sort (a created-at cursor on the amount sort) is refused too.
    const first = await h.admin.get(`/api/deals?clientId=${client.body.id}&limit=1`);
    expect(first.body.nextCursor).toBeTruthy();
    expect((await h.admin.get(`/api/deals?clientId=${client.body.id}&limit=1&sort=amount&cursor=${first.body.nextCursor}`)).status).toBe(
      400,
    );
    // …while the cursor a page hands out still gives the next page, for every sort.
    for (const sort of ['-createdAt', 'amount', '-title']) {
      const p1 = await h.admin.get(`/api/deals?clientId=${client.body.id}&limit=1&sort=${sort}`);
      const p2 = await h.admin.get(`/api/deals?clientId=${client.body.id}&limit=1&sort=${sort}&cursor=${p1.body.nextCursor}`);
      expect(p2.status, sort).toBe(200);
      expect(p2.body.items).toHaveLength(1);
      expect(p2.body.items[0].id).not.toBe(p1.body.items[0].id);
    }
  });

  it('a deal with a long Cyrillic title still pages by title (its cursor fits the cursor limit)', async () => {
    const client = await h.admin.post('/api/clients', { kind: 'person', name: 'Длинный Заголовок', phones: ['+79990001133'] });
    for (const n of [1, 2]) {
      const r = await h.admin.post('/api/deals', { clientId: client.body.id, title: `${n} ${'Щ'.repeat(297)}`, amount: 1 });
      expect(r.status).toBe(201);
    }
    const p1 = await h.admin.get(`/api/deals?clientId=${client.body.id}&limit=1&sort=title`);
    expect(p1.body.nextCursor.length).toBeGreaterThan(500);
    const p2 = await h.admin.get(`/api/deals?clientId=${client.body.id}&limit=1&sort=title&cursor=${p1.body.nextCursor}`);
    expect(p2.status).toBe(200);
    expect(p2.body.items[0].title.startsWith('2 ')).toBe(true);
  });

  it('extreme or reversed date ranges are 400 naming the field; valid ranges still answer', async () => {
    const urls = ['/api/deals', '/api/deals/board', '/api/reviews', '/api/reviews/summary', '/api/invoices', '/api/reports/funnel'];
    for (const url of urls) {
      const extreme = await h.admin.get(`${url}?from=1900-01-01&to=9999-12-31`);
      expect(extreme.status, url).toBe(400);
      expect(extreme.body.error.fields.to, url).toBe('Год от 1900 до 2100');

      const ancient = await h.admin.get(`${url}?from=0001-01-01`);
      expect(ancient.status, url).toBe(400);
      expect(ancient.body.error.fields.from, url).toBe('Год от 1900 до 2100');

      const future = await h.admin.get(`${url}?to=2101-01-01`);
      expect(future.status, url).toBe(400);
      expect(future.body.error.fields.to, url).toBeTruthy();

      const reversed = await h.admin.get(`${url}?from=2026-03-01&to=2026-02-01`);
      expect(reversed.status, url).toBe(400);
      expect(reversed.body.error.fields.from, url).toBe('Начало периода позже его конца');

      const noSuchDay = await h.admin.get(`${url}?from=2026-02-30`);
      expect(noSuchDay.status, url).toBe(400);
      expect(noSuchDay.body.error.fields.from, url).toBe('Нет такой даты');

      for (const ok of ['?from=2026-01-01&to=2026-12-31', '?from=2026-05-05&to=2026-05-05', '?from=2025-01-01', '?to=2026-06-30']) {
        const res = await h.admin.get(url + ok);
        expect(res.status, url + ok).toBe(200);
      }
    }
    // Instants in bodies are bounded the same way (a task due in 9999 once broke the rollup trigger's local day).
    const task = await h.admin.post('/api/tasks', { title: 'Далёкий срок', type: 'call', dueAt: '9999-12-31T23:59:59.999Z' });
    expect(task.status).toBe(400);
    expect(task.body.error.fields.dueAt).toBe('Год от 1900 до 2100');
    const remind = await h.admin.post('/api/tasks', {
      title: 'Срок',
      type: 'call',
      dueAt: '2026-05-05T10:00:00Z',
      remindAt: '1899-12-31T10:00:00Z',
    });
    expect(remind.body.error.fields.remindAt).toBe('Год от 1900 до 2100');
    const paid = await h.admin.post('/api/invoices/01900000-0000-7000-8000-000000000000/payments', {
      amount: 1,
      paidAt: '9999-12-31T00:00:00Z',
    });
    expect(paid.status).toBe(400);
    expect(paid.body.error.fields.paidAt).toBe('Год от 1900 до 2100');
    expect((await h.admin.post('/api/tasks', { title: 'Крайний срок', type: 'call', dueAt: '2100-12-31T20:59:59Z' })).status).toBe(201);

    // The edges of the bounds are still days one may ask for.
    expect((await h.admin.get('/api/deals?from=1900-01-01&to=2100-12-31')).status).toBe(200);
    expect((await h.admin.get('/api/reviews/summary?from=1900-01-01&to=2100-12-31')).status).toBe(200);
  });

  it('public form: 10,000-deep JSON or text/plain and a huge key count are 400, an ordinary lead is accepted as before', async () => {
    const manager = await h.user('manager');
    const created = await h.admin.post('/api/forms', {
      name: 'Глубина',
      assignment: { strategy: 'round_robin', userIds: [manager.user!.id] },
      slaMinutes: 15,
      rateLimit: { perIpPerMinute: 1000, perFormPerMinute: 10000 },
    });
    expect(created.status).toBe(201);
    const url = `/api/public/forms/${created.body.token}`;

    const deepObject = '{"a":'.repeat(10_000) + '"x"' + '}'.repeat(10_000);
    const deepArray = '{"name":"Иван","phone":"+79990000000","x":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}';
    const deep5000 = '{"name":"Иван","phone":"+79990000000","x":' + '{"b":'.repeat(5_000) + '1' + '}'.repeat(5_000) + '}';
    for (const body of [deepObject, deepArray, deep5000]) {
      for (const type of ['application/json', 'text/plain', 'text/plain; charset=utf-8']) {
        const res = await h.anon.request('POST', url, body, { 'content-type': type });
        expect(res.status, `${type} ${body.length}`).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.fields._).toContain('вложен');
      }
    }

    // ~6,000 keys in one object, or 20,000 values in one array (within the 64 KiB body limit).
    const many: Record<string, string> = { name: 'Иван', phone: '+79990000000' };
    for (let i = 0; i < 6_000; i++) many[i.toString(36)] = '';
    const manyValues = JSON.stringify({ name: 'Иван', phone: '+79990000000', x: new Array(20_000).fill(1) });
    for (const body of [JSON.stringify(many), manyValues]) {
      expect(body.length).toBeLessThan(64 * 1024);
      for (const type of ['application/json', 'text/plain']) {
        const res = await h.anon.request('POST', url, body, { 'content-type': type });
        expect(res.status, type).toBe(400);
        expect(res.body.error.fields._).toContain('полей');
      }
    }
    // The same as urlencoded pairs (and as text/plain holding them).
    const pairs = 'name=Ivan&phone=%2B79990000000&' + Array.from({ length: 9_000 }, (_, i) => `k${i}=`).join('&');
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const res = await h.anon.request('POST', url, pairs, { 'content-type': type });
      expect(res.status, type).toBe(400);
      expect(res.body.error.fields._).toContain('полей');
    }
    // One repeated key thousands of times is one field with many values: too many values as well.
    const repeated = 'name=Ivan&phone=%2B79990000000&' + Array.from({ length: 9_000 }, () => `a=1`).join('&');
    expect((await h.anon.request('POST', url, repeated, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);

    // Nothing above was stored.
    const before = await h.admin.get('/api/leads?limit=500');
    expect(before.body.items.filter((l: any) => l.formId === created.body.id)).toHaveLength(0);

    // Ordinary submissions, nested ones (Elementor's form_fields[...], deeper than the flattening keeps) included.
    const nested = {
      form_fields: { name: 'Пётр', phone: '+7 999 000-11-22' },
      meta: { a: { b: { c: { d: { e: { f: { g: { h: { i: 'deep' } } } } } } } } },
    };
    const ok1 = await h.anon.request('POST', url, JSON.stringify(nested), { 'content-type': 'application/json' });
    expect(ok1.status).toBe(201);
    const wide: Record<string, string> = { name: 'Анна', email: 'anna@example.com' };
    for (let i = 0; i < 600; i++) wide[`f${i}`] = 'v';
    const ok2 = await h.anon.request('POST', url, JSON.stringify(wide), { 'content-type': 'text/plain' });
    expect(ok2.status).toBe(201);
    const ok3 = await h.anon.request('POST', url, 'name=%D0%9E%D0%BB%D1%8F&phone=%2B79990001111&tags[]=a&tags[]=b', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(ok3.status).toBe(201);
    const lead = await h.admin.get(`/api/leads/${ok1.body.leadId}`);
    expect(lead.body.name).toBe('Пётр');
  });

  it('a malformed percent-escape in a path is 400 in the contract shape, in Russian', async () => {
    for (const url of ['/api/clients/%ZZ', '/api/deals/%E0%A4%A', '/api/users/%', '/api/clients/%ZZ/timeline']) {
      const res = await h.admin.get(url);
      expect(res.status, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body.error.code, url).toBe('bad_request');
      expect(res.body.error.message, url).toMatch(/адрес/i);
      const en = await h.admin.get(url, { 'accept-language': 'en' });
      expect(en.body.error.message).toMatch(/address|URL/i);
    }
    const anon = await h.anon.request('POST', '/api/public/forms/%ZZ', '{}', { 'content-type': 'application/json' });
    expect(anon.status).toBe(400);
    expect(anon.body.error.code).toBe('bad_request');
  });
});
