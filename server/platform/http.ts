/**
 * The Fastify app: plugins, the error contract (DESIGN §4), authentication and CSRF on every /api route,
 * OpenAPI from the route schemas, the built web UI with SPA fallback.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { TrustProxy } from '../config.js';
import type { Command } from 'commander';
import type { Boot } from './bootstrap.js';
import type { Ctx } from './context.js';
import { AppError, langOf, messageOf, statusOf, type ErrorCode, type Lang } from './errors.js';
import type { Actor } from './permissions.js';
import { fieldsFromValidation } from './validation.js';
import { registerRequestContext } from './request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** How the actor authenticated: cookie sessions need CSRF, bearer tokens do not. */
    authKind: 'session' | 'token' | null;
    sessionId: string | null;
    csrfToken: string | null;
    /** When the session ends (epoch ms); null for API tokens and anonymous requests. */
    authExpiresAt: number | null;
    lang: Lang;
  }
  interface FastifyContextConfig {
    /** Reachable without logging in. */
    public?: boolean;
  }
}

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>;

export interface ModuleDef {
  name: string;
  /** Creates the module's service(s) into ctx.services. */
  services?: (ctx: Ctx) => void;
  /** Registers routes under /api. */
  routes?: (app: App, ctx: Ctx) => void | Promise<void>;
  /** Registers job handlers and schedules. */
  jobs?: (ctx: Ctx) => void;
  /** Runs once after every service exists (seeding defaults, subscribing to events). */
  init?: (ctx: Ctx) => Promise<void>;
  /** The request hook's authenticator (exactly one module, auth, provides it). */
  authenticator?: (ctx: Ctx) => Authenticator;
  /** Adds `voronka` CLI commands; `boot` starts the whole application (platform/bootstrap.ts). */
  commands?: (program: Command, boot: Boot) => void;
}

/** Resolves the caller from a cookie or bearer token; provided by the auth module. */
export type Authenticator = (req: FastifyRequest) => Promise<void>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const SESSION_COOKIE = 'voronka_session';

/**
 * Content-Security-Policy of the web UI (and every other response). The built UI has no inline script: only
 * 'self' runs. Styles: Mantine puts its CSS variables and a few component styles in `<style>` elements it
 * creates at run time, so `<style>` elements need 'unsafe-inline' (style-src-elem); style attributes are
 * set by React through the CSSOM, which CSP does not govern, and none come in HTML (style-src-attr 'none').
 * Images: 'self' plus data: (the logo/stamp preview of company settings) and blob:.
 */
export const APP_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'style-src-elem': ["'self'", "'unsafe-inline'"],
  'style-src-attr': ["'none'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI at /api/docs: its bundle sets inline styles and uses data: images. */
const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; object-src 'none'; script-src 'self'; script-src-attr 'none'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'";

/** HSTS, sent only on responses served over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto). */
const HSTS = 'max-age=31536000; includeSubDomains';

export async function createHttpApp(ctx: Ctx, modules: ModuleDef[], authenticate: Authenticator): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.log,
    genReqId: (req) => (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID(),
    requestIdHeader: false,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: fastifyTrustProxy(ctx.config.trustProxy),
    // Per-request access lines only at debug level; errors are always logged with the request id.
    logController: new LogController({ disableRequestLogging: ctx.config.logLevel !== 'debug' && ctx.config.logLevel !== 'trace' }),
    // A malformed percent-escape (`/api/clients/%ZZ`) or an over-long path parameter fails before routing:
    // still answered in the contract's shape, in the caller's language.
    frameworkErrors: (err, req, reply) => sendFrameworkError(err, req, reply),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('authKind', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('authExpiresAt', null);
  app.decorateRequest('lang', 'ru');
  // First hook of every request: the client's IP for the audit log (platform/request-context.ts).
  registerRequestContext(app);

  // Security headers on every response (API, UI, 404s, errors): helmet's defaults with our CSP, no
  // `upgrade-insecure-requests` (a LAN install on plain http would break) and HSTS only over HTTPS.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: ctx.config.bodyLimit });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Voronka API', description: 'CRM «Воронка»: HTTP API (деньги — целые копейки)', version: ctx.config.version },
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ cookie: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });

  app.addHook('onRequest', async (req, reply) => {
    req.lang = langOf(req.headers['accept-language']);
    reply.header('x-request-id', req.id);
    if (!req.url.startsWith('/api/')) return;
    await authenticate(req);
    const isPublic = req.routeOptions.config?.public === true || req.url.startsWith('/api/docs');
    if (!isPublic && !req.routeOptions.url) return; // unknown route: the 404 handler answers
    if (!isPublic && !req.actor) throw new AppError('unauthenticated');
    if (req.authKind === 'session' && !SAFE_METHODS.has(req.method) && !isPublic) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== req.csrfToken) throw new AppError('csrf_failed');
    }
  });

  // NUL cannot be stored in PostgreSQL text and is never meaningful input: refuse it naming the field.
  app.addHook('preValidation', async (req) => {
    for (const part of [req.params, req.query, req.body]) {
      const path = findNul(part, '');
      if (path !== null) throw new AppError('validation_failed', { fields: { [path || '_']: 'Недопустимый символ NUL' } });
    }
  });

  app.setErrorHandler((err: any, req, reply) => sendError(err, req, reply));

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
      for (const mod of modules) if (mod.routes) await mod.routes(api as App, ctx);
    },
    { prefix: '/api' },
  );

  const webDir = path.join(ctx.config.rootDir, 'web', 'dist');
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    // wildcard: files are looked up per request, so a rebuilt UI is served without a restart.
    // Vite names files under /assets/ by their content hash: cache them for a year; everything else
    // (index.html, favicon) is revalidated on each use so a new build is picked up at once.
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: true,
      index: false,
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        const hashed = path.relative(webDir, filePath).split(path.sep)[0] === 'assets';
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.get('/', { schema: { hide: true } }, (_req, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html'),
    );
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api') {
      return sendError(new AppError('route_not_found'), req, reply);
    }
    if (hasWeb && (req.method === 'GET' || req.method === 'HEAD') && !req.url.startsWith('/assets/')) {
      // SPA fallback: deep links load the app, which routes on the client.
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .send(hasWeb ? 'Not found' : 'Веб-интерфейс не собран: выполните npm run build');
  });
  return app as App;
}

/**
 * VORONKA_TRUST_PROXY for Fastify. A hop count becomes proxy-addr's "trust the n nearest hops" function
 * (Fastify 5 itself now ignores a number); like `true`, it is safe only when no client can reach the port
 * directly. A list of proxy addresses is the safer choice.
 */
export function fastifyTrustProxy(value: TrustProxy): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof value === 'number') return value > 0 ? (_addr, hop) => hop < value : false;
  return value;
}

/** Renders any error in the `{error:{code,message,fields}}` shape; only unknown failures are 5xx. */
export function sendError(err: any, req: FastifyRequest, reply: FastifyReply) {
  const lang = req.lang ?? langOf(req.headers['accept-language']);
  let code: ErrorCode;
  let fields: Record<string, string> | undefined;
  let message: string | undefined;
  let details: Record<string, unknown> | undefined;

  if (err instanceof AppError) {
    code = err.code;
    fields = err.fields;
    details = err.details;
    if (err.customMessage) message = lang === 'en' ? err.customMessage.en : err.customMessage.ru;
  } else if (hasZodFastifySchemaValidationErrors(err)) {
    code = 'validation_failed';
    fields = fieldsFromValidation(err.validation as any, lang);
  } else if (err?.validation) {
    code = 'validation_failed';
  } else if (err?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err?.statusCode === 413) {
    code = 'payload_too_large';
  } else if (err?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err?.statusCode === 415) {
    code = 'unsupported_media_type';
  } else if (err?.code === 'FST_ERR_RATE_LIMIT' || err?.statusCode === 429) {
    code = 'rate_limited';
  } else if (err?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError || err?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    code = 'malformed_json';
  } else if (typeof err?.code === 'string' && /^22/.test(err.code) && err.severity) {
    // PostgreSQL data exceptions (bad encoding, out of range, …) are bad input, not a server fault.
    code = 'bad_request';
  } else if (typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    code =
      err.statusCode === 404
        ? 'not_found'
        : err.statusCode === 401
          ? 'unauthenticated'
          : err.statusCode === 403
            ? 'forbidden'
            : 'bad_request';
  } else {
    code = 'internal';
    const log = isResponseSerializationError(err) ? { err, issues: (err as any).cause?.issues } : { err };
    req.log.error(log, 'unhandled error');
  }
  const status = statusOf(code);
  if (status === 401 && reply.request.authKind === null) reply.header('www-authenticate', 'Bearer');
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message: message ?? messageOf(code, lang), ...(fields ? { fields } : {}), ...(details ? { details } : {}) } });
}

/** Errors Fastify raises before routing (bad URL, over-long parameter): 400 `bad_request` naming the address. */
function sendFrameworkError(err: { code?: string }, req: FastifyRequest, reply: FastifyReply) {
  req.lang = langOf(req.headers['accept-language']);
  reply.header('x-request-id', req.id);
  const badUrl = err.code === 'FST_ERR_BAD_URL' || err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  if (!badUrl) return sendError(err, req, reply);
  const long = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  return sendError(
    new AppError('bad_request', {
      message: long ? 'Некорректный адрес запроса: слишком длинный параметр' : 'Некорректный адрес запроса: неверная %-последовательность',
      messageEn: long ? 'Malformed request address: a parameter is too long' : 'Malformed request address: invalid percent-encoding',
    }),
    req,
    reply,
  );
}

function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (!value || typeof value !== 'object' || depth > 20) return null;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return path;
    const found = findNul(v, path ? `${path}.${key}` : key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** The credential a request carries: `Authorization: Bearer …` (wins) or the session cookie. */
export function credentialOf(req: FastifyRequest): { bearer: string | null; cookie: string | null | undefined } {
  const header = req.headers.authorization;
  return { bearer: header?.startsWith('Bearer ') ? header.slice(7).trim() : null, cookie: req.cookies?.[SESSION_COOKIE] };
}

/** The authenticated actor of a route that is not public. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated');
  return req.actor;
}
