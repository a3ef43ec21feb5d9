import { expect, it } from 'vitest';
import { describeEachDialect } from '../test/harness.js';

describeEachDialect('HTTP error contract', (h) => {
  it('unknown API route is 404 JSON', async () => {
    const res = await h.admin.get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'route_not_found', message: 'Такого адреса API нет' });
    expect((await h.anon.post('/api/nothing/here', {})).status).toBe(404);
  });

  it('malformed JSON is 400', async () => {
    const res = await h.admin.request('POST', '/api/departments', '{"name": "broken', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('unsupported content type is 415', async () => {
    const res = await h.admin.request('POST', '/api/departments', '<x/>', { 'content-type': 'application/xml' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('a body over the limit is 413', async () => {
    const res = await h.admin.request('POST', '/api/departments', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('validation errors list fields; English on Accept-Language: en', async () => {
    const ru = await h.admin.post('/api/users', { email: 5, role: 'manager' });
    expect(ru.status).toBe(400);
    expect(Object.keys(ru.body.error.fields)).toEqual(expect.arrayContaining(['email', 'name', 'password']));
    expect(ru.body.error.message).toBe('Проверьте введённые данные');
    const en = await h.admin.post('/api/users', { email: 5, role: 'manager' }, { 'accept-language': 'en' });
    expect(en.body.error.message).toBe('Please check the data you entered');
    expect(en.body.error.fields.name).toMatch(/expected string/i);
  });

  it('garbage of any kind never produces a 5xx', async () => {
    const bodies: [string, string][] = [
      ['application/json', 'null'],
      ['application/json', '[]'],
      ['application/json', '"str"'],
      ['application/json', '{"name": {"$gt": ""}}'],
      ['application/json', '\u0000\u0001'],
      ['application/x-www-form-urlencoded', 'name=%E0%A4%A'],
      ['text/plain', 'hello'],
      ['application/json', ''],
    ];
    for (const [type, body] of bodies) {
      for (const url of ['/api/departments', '/api/users', '/api/auth/login', '/api/setup', '/api/api-tokens']) {
        const res = await h.admin.request('POST', url, body, { 'content-type': type });
        expect(res.status, `${url} ${type} ${body}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.error.code).toBeTruthy();
      }
    }
    for (const url of [
      '/api/users?limit=0',
      '/api/users?limit=abc',
      '/api/users?cursor=%%%',
      '/api/users/%00',
      '/api/departments/' + 'x'.repeat(300),
    ]) {
      const res = await h.admin.get(url);
      expect(res.status, url).toBeLessThan(500);
    }
  });

  it('request id is echoed and OpenAPI is generated from the routes', async () => {
    const res = await h.anon.get('/api/health', { 'x-request-id': 'abc-123' });
    expect(res.headers['x-request-id']).toBe('abc-123');
    const doc = await h.anon.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/api/users'].post).toBeTruthy();
    expect(doc.body.paths['/api/auth/login'].post.requestBody).toBeTruthy();
    const ui = await h.anon.get('/api/docs/');
    expect([200, 302]).toContain(ui.status);
  });
});

describeEachDialect('web UI serving', (h) => {
  it('serves the app at / and deep links, but 404s a missing asset', async () => {
    const built = (await import('node:fs')).existsSync(`${h.server.ctx.config.rootDir}/web/dist/index.html`);
    const root = await h.anon.get('/');
    const deep = await h.anon.get('/clients/some-id');
    const asset = await h.anon.get('/assets/missing-file.js');
    if (built) {
      expect(root.status).toBe(200);
      expect(root.body).toContain('<html lang="ru"');
      expect(deep.status).toBe(200);
      expect(deep.body).toContain('<html lang="ru"');
      expect(asset.status).toBe(404);
    } else {
      expect(root.status).toBe(404);
      expect(root.body).toContain('npm run build');
    }
  });
});
