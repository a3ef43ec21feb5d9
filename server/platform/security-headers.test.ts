/**
 * Security headers on every kind of response (API, errors, the UI, its assets, 404s), caching of the built
 * UI, HSTS only over HTTPS, and VORONKA_TRUST_PROXY parsing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../config.js';
import { describeEachDialect, type Response } from '../test/harness.js';

/** A stand-in for web/dist: an index.html, a favicon and one content-hashed asset. */
function fakeRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-headers-'));
  fs.mkdirSync(path.join(root, 'web', 'dist', 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'web', 'dist', 'index.html'),
    '<!doctype html><title>Воронка</title><script type="module" src="/assets/index-AbC123.js"></script>',
  );
  fs.writeFileSync(path.join(root, 'web', 'dist', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(root, 'web', 'dist', 'assets', 'index-AbC123.js'), 'console.log(1)');
  return root;
}

function expectSecurityHeaders(res: Response, what: string) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toMatch(/script-src 'self'(;|$)/);
  expect(csp, what).not.toContain('upgrade-insecure-requests');
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['referrer-policy'], what).toBe('same-origin');
  expect(res.headers['x-frame-options'], what).toBe('DENY');
  expect(res.headers['strict-transport-security'], `${what}: no HSTS over plain http`).toBeUndefined();
}

const root = fakeRoot();

describeEachDialect(
  'security headers',
  (h) => {
    it('on API answers, API errors and API 404s', async () => {
      expectSecurityHeaders(await h.anon.get('/api/health'), 'health');
      expectSecurityHeaders(await h.admin.get('/api/users'), 'users');
      const denied = await h.anon.get('/api/users');
      expect(denied.status).toBe(401);
      expectSecurityHeaders(denied, '401');
      const missing = await h.admin.get('/api/no-such-route');
      expect(missing.status).toBe(404);
      expectSecurityHeaders(missing, 'api 404');
      const bad = await h.anon.request('POST', '/api/auth/login', '{', { 'content-type': 'application/json' });
      expect(bad.status).toBe(400);
      expectSecurityHeaders(bad, '400');
    });

    it('the UI: index.html and the SPA fallback are no-cache, hashed assets are immutable for a year', async () => {
      const index = await h.anon.get('/');
      expect(index.status).toBe(200);
      expect(index.headers['cache-control']).toBe('no-cache');
      expectSecurityHeaders(index, 'index');
      const deep = await h.anon.get('/clients/0190c0de-0000-7000-8000-000000000000');
      expect(deep.status).toBe(200);
      expect(deep.body).toContain('<title>Воронка</title>');
      expect(deep.headers['cache-control']).toBe('no-cache');
      expectSecurityHeaders(deep, 'spa fallback');
      const asset = await h.anon.get('/assets/index-AbC123.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expectSecurityHeaders(asset, 'asset');
      const favicon = await h.anon.get('/favicon.svg');
      expect(favicon.headers['cache-control']).toBe('no-cache');
      const noAsset = await h.anon.get('/assets/index-Missing.js');
      expect(noAsset.status).toBe(404);
      expect(noAsset.headers['cache-control']).toBeUndefined();
      expectSecurityHeaders(noAsset, 'asset 404');
    });

    it('X-Forwarded-Proto is ignored while the proxy is not trusted: no HSTS', async () => {
      const res = await h.anon.get('/api/health', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('API docs keep working with their own policy; the embed script stays loadable by other sites', async () => {
      const docs = await h.anon.get('/api/docs');
      expect(docs.status).toBe(200);
      expect(docs.body).toContain('swagger-ui');
      const csp = String(docs.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(docs.headers['x-content-type-options']).toBe('nosniff');
      const embed = await h.anon.get('/api/public/embed.js');
      expect(embed.status).toBe(200);
      expect(embed.headers['access-control-allow-origin']).toBe('*');
      expect(embed.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(embed.headers['x-content-type-options']).toBe('nosniff');
    });
  },
  { config: { rootDir: root } },
);

describeEachDialect(
  'behind a trusted proxy',
  (h) => {
    it('HSTS is sent when the trusted proxy says the request came over HTTPS, and only then', async () => {
      const https = await h.anon.get('/api/health', { 'x-forwarded-proto': 'https' });
      expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const http = await h.anon.get('/api/health', { 'x-forwarded-proto': 'http' });
      expect(http.headers['strict-transport-security']).toBeUndefined();
    });
  },
  { config: { trustProxy: ['127.0.0.1'] } },
);

describe('VORONKA_TRUST_PROXY', () => {
  it('is off by default and accepts booleans, a hop count or a list of addresses and subnets', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.1, 192.168.0.0/16,::1,loopback')).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'loopback']);
    expect(() => parseTrustProxy('proxy.local')).toThrow(/VORONKA_TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/10.0.0.0\/33/);
  });
});
