import iconv from 'iconv-lite';
import { expect, it } from 'vitest';
import { describeEachDialect, type Harness } from '../../test/harness.js';

const URLENC = { 'content-type': 'application/x-www-form-urlencoded' };
const enc = (o: Record<string, string>) => new URLSearchParams(o).toString();

async function makeForm(h: Harness, body: Record<string, unknown> = {}) {
  const manager = await h.user('manager');
  const res = await h.admin.post('/api/forms', {
    name: 'Заявка с сайта',
    assignment: { strategy: 'round_robin', userIds: [manager.user!.id] },
    slaMinutes: 15,
    rateLimit: { perIpPerMinute: 1000, perFormPerMinute: 10000 },
    ...body,
  });
  expect(res.status).toBe(201);
  return { form: res.body, manager };
}

const submit = (h: Harness, token: string, body: unknown, headers: Record<string, string> = {}) =>
  h.anon.post(`/api/public/forms/${token}`, body, headers);

async function leadCount(h: Harness): Promise<number> {
  const r = await h.server.ctx.db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function multipartBody(fields: Record<string, string>, file?: { field: string; name: string; content: string }) {
  const boundary = '----voronka' + Math.random().toString(16).slice(2);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`,
    );
  }
  parts.push(`--${boundary}--\r\n`);
  return { body: Buffer.from(parts.join(''), 'utf8'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDialect('web forms', (h) => {
  it('admin creates a form: token, endpoint URL, snippet; head reads, manager sees nothing, head cannot write', async () => {
    const { form, manager } = await makeForm(h);
    expect(form.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(form.endpointUrl).toBe(`${h.server.ctx.config.publicUrl}/api/public/forms/${form.token}`);
    expect(form).toMatchObject({
      name: 'Заявка с сайта',
      slaMinutes: 15,
      active: true,
      allowedOrigins: [],
      assignment: { strategy: 'round_robin', userIds: [manager.user!.id] },
    });

    const snippet = await h.admin.get(`/api/forms/${form.id}/snippet`);
    expect(snippet.status).toBe(200);
    expect(snippet.body.html).toContain(`data-voronka-form="${form.token}"`);
    expect(snippet.body.script).toBe(`<script src="${h.server.ctx.config.publicUrl}/api/public/embed.js" defer></script>`);

    const dep = await h.department();
    expect((await dep.head.get(`/api/forms/${form.id}`)).status).toBe(200);
    expect((await dep.head.post('/api/forms', { name: 'x', assignment: { strategy: 'round_robin', userIds: [] } })).status).toBe(403);
    expect((await manager.get('/api/forms')).status).toBe(404);
    expect((await manager.get(`/api/forms/${form.id}`)).status).toBe(404);
  });

  it('validates the pool, rules and origins; a stale version is 409', async () => {
    const bad = await h.admin.post('/api/forms', {
      name: 'Ф',
      assignment: { strategy: 'round_robin', userIds: ['nope'] },
      allowedOrigins: ['example.ru/path'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields['allowedOrigins.0']).toBeTruthy();
    const bad2 = await h.admin.post('/api/forms', { name: 'Ф', assignment: { strategy: 'round_robin', userIds: ['nope'] } });
    expect(bad2.status).toBe(400);
    expect(bad2.body.error.fields['assignment.userIds.0']).toMatch(/пользовател/);
    const noRules = await h.admin.post('/api/forms', { name: 'Ф', assignment: { strategy: 'rules', userIds: [] } });
    expect(noRules.status).toBe(400);
    const { form } = await makeForm(h);
    const ok = await h.admin.patch(`/api/forms/${form.id}`, { thankYouText: 'Спасибо!', version: form.version });
    expect(ok.status).toBe(200);
    expect(ok.body.thankYouText).toBe('Спасибо!');
    const stale = await h.admin.patch(`/api/forms/${form.id}`, { name: 'Другая', version: form.version });
    expect(stale.status).toBe(409);
  });

  it('serves the embed script: plain JS under 10 KB, cacheable, any origin', async () => {
    const res = await h.anon.get('/api/public/embed.js');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/javascript/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(Buffer.byteLength(res.body as string)).toBeLessThan(10 * 1024);
    expect(res.body).toContain('data-voronka-form');
    // ES2017: no optional chaining or nullish coalescing.
    expect(res.body).not.toMatch(/\?\.|\?\?/);
  });

  it('Tilda: urlencoded Name/Phone/Email, UTM from COOKIES; test=test answers ok without a lead; tranid is idempotent', async () => {
    const { form, manager } = await makeForm(h, { thankYouText: 'Спасибо, перезвоним!' });
    const before = await leadCount(h);
    const test = await submit(h, form.token, 'test=test', URLENC);
    expect(test.status).toBe(200);
    expect(test.body).toBe('ok');
    expect(await leadCount(h)).toBe(before);

    const payload = enc({
      Name: 'Ольга Смирнова',
      Phone: '+7 (912) 345-67-89',
      Email: 'Olga@Example.RU',
      Textarea: 'Нужен счёт',
      formid: 'form123456',
      formname: 'Cart',
      tranid: '3452345:7658765',
      COOKIES: 'tildauid=1; TILDAUTM=utm_source%3Dyandex%7C%7C%7Cutm_medium%3Dcpc%7C%7C%7Cutm_campaign%3Dspring%7C%7C%7C; _ym_uid=2',
    });
    const res = await submit(h, form.token, payload, URLENC);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ leadId: expect.any(String), message: 'Спасибо, перезвоним!' });
    const lead = await h.admin.get(`/api/leads/${res.body.leadId}`);
    expect(lead.body).toMatchObject({
      status: 'new',
      channel: 'form',
      name: 'Ольга Смирнова',
      phone: '+79123456789',
      email: 'olga@example.ru',
      comment: 'Нужен счёт',
      formId: form.id,
      formName: 'Заявка с сайта',
      utm: { source: 'yandex', medium: 'cpc', campaign: 'spring', term: null, content: null },
      assigneeId: manager.user!.id,
    });
    expect(lead.body.raw).toBe(payload);
    expect(lead.body.fields.tranid).toBe('3452345:7658765');

    const again = await submit(h, form.token, payload, URLENC);
    expect(again.status).toBe(200);
    expect(again.body.leadId).toBe(res.body.leadId);
    expect(await leadCount(h)).toBe(before + 1);
  });

  it('Contact Form 7 (urlencoded, your-*) and Elementor (form_fields[…] and fields[id][value])', async () => {
    const { form } = await makeForm(h);
    const cf7 = await submit(
      h,
      form.token,
      enc({
        _wpcf7: '42',
        _wpcf7_version: '5.9',
        'your-name': 'Пётр',
        'your-email': 'petr@firma.ru',
        'your-phone': '8 912 111-22-33',
        'your-message': 'Перезвоните',
      }),
      URLENC,
    );
    expect(cf7.status).toBe(201);
    const l1 = (await h.admin.get(`/api/leads/${cf7.body.leadId}`)).body;
    expect(l1).toMatchObject({ name: 'Пётр', email: 'petr@firma.ru', phone: '+79121112233', comment: 'Перезвоните' });

    const front = await submit(
      h,
      form.token,
      enc({
        'form_fields[name]': 'Анна',
        'form_fields[email]': 'anna@firma.ru',
        'form_fields[phone]': '89125556677',
        'form_fields[message]': 'Хочу КП',
        form_id: 'a1b2',
        form_name: 'Лендинг',
        post_id: '5',
      }),
      URLENC,
    );
    expect(front.status).toBe(201);
    const l2 = (await h.admin.get(`/api/leads/${front.body.leadId}`)).body;
    expect(l2).toMatchObject({ name: 'Анна', email: 'anna@firma.ru', phone: '+79125556677', comment: 'Хочу КП', source: 'Лендинг' });

    const advanced = await submit(
      h,
      form.token,
      enc({
        'form[id]': 'a1b2',
        'form[name]': 'Обратный звонок',
        'fields[name][id]': 'name',
        'fields[name][type]': 'text',
        'fields[name][title]': 'Имя',
        'fields[name][value]': 'Игорь',
        'fields[field_7c1][type]': 'tel',
        'fields[field_7c1][title]': 'Ваш номер',
        'fields[field_7c1][value]': '+7 912 000-11-22',
        'fields[field_9aa][title]': 'Почта',
        'fields[field_9aa][value]': 'igor@firma.ru',
        'meta[page_url][value]': 'https://firma.ru/zvonok',
      }),
      URLENC,
    );
    expect(advanced.status).toBe(201);
    const l3 = (await h.admin.get(`/api/leads/${advanced.body.leadId}`)).body;
    expect(l3).toMatchObject({
      name: 'Игорь',
      phone: '+79120001122',
      email: 'igor@firma.ru',
      pageUrl: 'https://firma.ru/zvonok',
      source: 'Обратный звонок',
    });
  });

  it('JSON with generic names and nested Elementor-style objects; multipart with a file', async () => {
    const { form } = await makeForm(h);
    const json = await submit(h, form.token, {
      fio: 'Иванов Иван',
      tel: '+7 912 765-43-21',
      'e-mail': 'IVANOV@mail.ru',
      text: 'Вопрос по доставке',
      utm_source: 'google',
      utm_term: 'купить станок',
      page_url: 'https://firma.ru/catalog?utm_source=google',
      referrer: 'https://www.google.com/',
    });
    expect(json.status).toBe(201);
    const l1 = (await h.admin.get(`/api/leads/${json.body.leadId}`)).body;
    expect(l1).toMatchObject({
      name: 'Иванов Иван',
      phone: '+79127654321',
      email: 'ivanov@mail.ru',
      comment: 'Вопрос по доставке',
      utm: { source: 'google', term: 'купить станок' },
      pageUrl: 'https://firma.ru/catalog?utm_source=google',
      referrer: 'https://www.google.com/',
    });
    expect(JSON.parse(l1.raw)).toMatchObject({ fio: 'Иванов Иван' });

    const nested = await submit(h, form.token, { fields: { name: { value: 'Мария' }, email: { value: 'maria@firma.ru', type: 'email' } } });
    expect(nested.status).toBe(201);
    expect((await h.admin.get(`/api/leads/${nested.body.leadId}`)).body).toMatchObject({ name: 'Мария', email: 'maria@firma.ru' });

    const mp = multipartBody(
      { name: 'Сергей', phone: '+79031234567', message: 'Прайс во вложении' },
      { field: 'file', name: 'прайс.txt', content: 'a'.repeat(1000) },
    );
    const multi = await submit(h, form.token, mp.body, mp.headers);
    expect(multi.status).toBe(201);
    const l3 = (await h.admin.get(`/api/leads/${multi.body.leadId}`)).body;
    expect(l3).toMatchObject({ name: 'Сергей', phone: '+79031234567', comment: 'Прайс во вложении' });
    expect(JSON.parse(l3.raw)._files[0]).toMatchObject({ field: 'file', filename: 'прайс.txt' });
  });

  it('windows-1251 bodies (declared or not) are decoded; control characters are stripped; HTML is stored verbatim', async () => {
    const { form } = await makeForm(h);
    const cp = Buffer.concat([
      Buffer.from('name='),
      Buffer.from(encodeURIComponentBytes(iconv.encode('Ёлкин Сергей', 'windows-1251'))),
      Buffer.from('&phone=89161234567'),
    ]);
    const declared = await submit(h, form.token, cp, { 'content-type': 'application/x-www-form-urlencoded; charset=windows-1251' });
    expect(declared.status).toBe(201);
    expect((await h.admin.get(`/api/leads/${declared.body.leadId}`)).body.name).toBe('Ёлкин Сергей');
    const undeclared = await submit(h, form.token, cp, URLENC);
    expect(undeclared.status).toBe(201);
    expect((await h.admin.get(`/api/leads/${undeclared.body.leadId}`)).body.name).toBe('Ёлкин Сергей');

    const html = '<script>alert("x")</script><b>жирный</b> & "кавычки"';
    const dirty = await submit(h, form.token, {
      name: 'Ив\u0007ан\u001b\u0000',
      email: 'x@firma.ru',
      comment: `${html}\r\nстрока 2\tтаб`,
      bad: '\ud800',
    });
    expect(dirty.status).toBe(201);
    const l = (await h.admin.get(`/api/leads/${dirty.body.leadId}`)).body;
    expect(l.name).toBe('Иван');
    expect(l.comment).toBe(`${html}\nстрока 2\tтаб`);
    expect(l.fields.bad).toBe('\ufffd');
  });

  it('bad input: unknown token 404, no contact 400, broken JSON 400, oversized 413, unknown type 415', async () => {
    const { form } = await makeForm(h);
    const before = await leadCount(h);
    const unknown = await submit(h, 'no-such-token', { name: 'A' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('form_not_found');
    const empty = await submit(h, form.token, { comment: 'только комментарий', utm_source: 'x' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('lead_contact_required');
    expect(empty.body.error.fields.phone).toBeTruthy();
    const badEmail = await submit(h, form.token, { email: 'не-почта' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.fields.email).toBeTruthy();
    const broken = await submit(h, form.token, '{"name": "A",', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('malformed_json');
    const big = await submit(h, form.token, { name: 'A', comment: 'я'.repeat(40_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const bigMp = multipartBody({ name: 'A', comment: 'x'.repeat(70_000) });
    expect((await submit(h, form.token, bigMp.body, bigMp.headers)).status).toBe(413);
    const xml = await submit(h, form.token, '<lead/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(await leadCount(h)).toBe(before);
  });

  it('Idempotency-Key header: a repeat returns the same lead with 200', async () => {
    const { form } = await makeForm(h);
    const key = { 'idempotency-key': 'abc-123' };
    const first = await submit(h, form.token, { name: 'Повтор', phone: '+79160000001' }, key);
    expect(first.status).toBe(201);
    const second = await submit(h, form.token, { name: 'Повтор', phone: '+79160000001' }, key);
    expect(second.status).toBe(200);
    expect(second.body.leadId).toBe(first.body.leadId);
    // The same key on another form is another lead.
    const { form: other } = await makeForm(h);
    const third = await submit(h, other.token, { name: 'Повтор', phone: '+79160000001' }, key);
    expect(third.status).toBe(201);
    expect(third.body.leadId).not.toBe(first.body.leadId);
  });

  it('honeypot: a filled hidden field gets a normal-looking 201 but the lead is stored as junk, unassigned, without a task', async () => {
    const { form } = await makeForm(h, { honeypotField: 'website' });
    const res = await submit(h, form.token, { name: 'Бот', phone: '+79160000002', website: 'http://spam.example' });
    expect(res.status).toBe(201);
    const lead = (await h.admin.get(`/api/leads/${res.body.leadId}`)).body;
    expect(lead).toMatchObject({ status: 'junk', assigneeId: null, slaDueAt: null, slaTaskId: null });
    expect(lead.junkReason).toMatch(/honeypot/);
    const human = await submit(h, form.token, { name: 'Человек', phone: '+79160000003', website: '' });
    expect((await h.admin.get(`/api/leads/${human.body.leadId}`)).body.status).toBe('new');
  });

  it('CORS: preflight and posts from an allowed origin pass, others are refused; no list means any origin', async () => {
    const { form } = await makeForm(h, { allowedOrigins: ['https://good.ru'] });
    const pre = await h.anon.request('OPTIONS', `/api/public/forms/${form.token}`, undefined, {
      origin: 'https://good.ru',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,idempotency-key',
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://good.ru');
    expect(String(pre.headers['access-control-allow-headers'])).toMatch(/Idempotency-Key/i);
    expect(String(pre.headers['access-control-allow-methods'])).toMatch(/POST/);

    const refused = await h.anon.request('OPTIONS', `/api/public/forms/${form.token}`, undefined, {
      origin: 'https://evil.ru',
      'access-control-request-method': 'POST',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    const before = await leadCount(h);
    const evilPost = await submit(h, form.token, { name: 'X' }, { origin: 'https://evil.ru' });
    expect(evilPost.status).toBe(403);
    expect(evilPost.body.error.code).toBe('origin_not_allowed');
    expect(await leadCount(h)).toBe(before);
    const goodPost = await submit(h, form.token, { name: 'Y' }, { origin: 'https://good.ru' });
    expect(goodPost.status).toBe(201);
    expect(goodPost.headers['access-control-allow-origin']).toBe('https://good.ru');
    // Server-to-server posts (Tilda, CF7 webhooks) carry no Origin and pass.
    expect((await submit(h, form.token, { name: 'Z' })).status).toBe(201);

    const { form: open } = await makeForm(h);
    const any = await h.anon.request('OPTIONS', `/api/public/forms/${open.token}`, undefined, {
      origin: 'https://whatever.example',
      'access-control-request-method': 'POST',
    });
    expect(any.status).toBe(204);
    expect(any.headers['access-control-allow-origin']).toBe('https://whatever.example');
  });

  it('rotating the token retires the old address; a disabled form is 404', async () => {
    const { form } = await makeForm(h);
    const rotated = await h.admin.post(`/api/forms/${form.id}/rotate-token`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(form.token);
    expect((await submit(h, form.token, { name: 'A' })).status).toBe(404);
    expect((await submit(h, rotated.body.token, { name: 'A' })).status).toBe(201);
    await h.admin.patch(`/api/forms/${form.id}`, { active: false });
    expect((await submit(h, rotated.body.token, { name: 'A' })).status).toBe(404);
  });

  it('overload: beyond the in-flight bound the endpoint answers 503 and stores nothing', async () => {
    const { form } = await makeForm(h);
    const leads = h.server.ctx.services.leads;
    const before = await leadCount(h);
    const saved = leads.maxInFlight;
    leads.maxInFlight = 0;
    try {
      const res = await submit(h, form.token, { name: 'Перегрузка', phone: '+79160000009' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      leads.maxInFlight = saved;
    }
    expect(await leadCount(h)).toBe(before);
  });
});

// Public forms are reached through a reverse proxy on 127.0.0.1 here, so X-Forwarded-For names the visitor
// (without VORONKA_TRUST_PROXY the header is ignored: see server/platform/security-headers.test.ts).
describeEachDialect(
  'web forms behind a trusted proxy',
  (h) => {
    it('rate limits per IP and per form answer 429 with Retry-After', async () => {
      const { form } = await makeForm(h, { rateLimit: { perIpPerMinute: 2, perFormPerMinute: 3 } });
      const ip = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
      expect((await submit(h, form.token, { name: 'A' }, ip(1))).status).toBe(201);
      expect((await submit(h, form.token, { name: 'B' }, ip(1))).status).toBe(201);
      const third = await submit(h, form.token, { name: 'C' }, ip(1));
      expect(third.status).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect((await submit(h, form.token, { name: 'D' }, ip(2))).status).toBe(201);
      const formLimit = await submit(h, form.token, { name: 'E' }, ip(3));
      expect(formLimit.status).toBe(429);
      expect(formLimit.body.error.code).toBe('rate_limited');
    });
  },
  { config: { trustProxy: ['127.0.0.1'] } },
);

/** Percent-encodes raw bytes (as a windows-1251 page's form would). */
function encodeURIComponentBytes(bytes: Buffer): string {
  return [...bytes].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}
