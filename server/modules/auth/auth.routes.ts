import { z } from 'zod';
import { actorOf, credentialOf, SESSION_COOKIE, type App, type Authenticator } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { permissionsOf } from '../../platform/permissions.js';
import { idParams } from '../../../common/api/shared.js';
import { apiTokenSchema, createApiTokenBody, loginBody, sessionResponse, setupBody } from '../../../common/api/auth.js';
import { AppError } from '../../platform/errors.js';
import type { AuthService, SessionResult } from './auth.service.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S } from './known-device.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The request hook's authenticator: reads the bearer token or the session cookie from the request, lets the
 * service resolve it, and fills req.actor/authKind/sessionId/csrfToken. Never throws for a bad credential.
 */
export function requestAuthenticator(auth: AuthService): Authenticator {
  return async (req) => {
    const resolved = await auth.resolveCredential(credentialOf(req));
    if (!resolved) return;
    req.actor = resolved.actor;
    req.authKind = resolved.kind;
    req.sessionId = resolved.sessionId;
    req.csrfToken = resolved.csrfToken;
    req.authExpiresAt = resolved.expiresAt;
  };
}

export function authRoutes(app: App, ctx: Ctx) {
  const auth = ctx.services.auth;
  const tags = ['Вход'];
  const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] });
  const setCookie = (req: FastifyRequest, reply: FastifyReply, s: SessionResult) =>
    reply.setCookie(SESSION_COOKIE, s.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: req.protocol === 'https',
      expires: s.expiresAt,
    });

  app.post(
    '/auth/login',
    { config: { public: true }, schema: { tags, summary: 'Вход по e-mail и паролю', body: loginBody, response: { 200: sessionResponse } } },
    async (req, reply) => {
      let s: Awaited<ReturnType<typeof auth.login>>;
      try {
        s = await auth.login(req.body.email, req.body.password, { ...meta(req), device: req.cookies?.[DEVICE_COOKIE] });
      } catch (err) {
        const retryAfter = err instanceof AppError ? err.details?.retryAfter : undefined;
        if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
        throw err;
      }
      setCookie(req, reply, s);
      // The known-device cookie: lets this browser log in even while the account is attacked from elsewhere.
      reply.setCookie(DEVICE_COOKIE, s.deviceCookie, {
        path: '/api/auth',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        maxAge: DEVICE_COOKIE_MAX_AGE_S,
      });
      return { user: s.user, csrfToken: s.csrfToken, permissions: permissionsOf(s.user) };
    },
  );

  app.post(
    '/auth/logout',
    { config: { public: true }, schema: { tags, summary: 'Выход', response: { 204: z.null() } } },
    async (req, reply) => {
      if (req.authKind === 'session') {
        const sent = req.headers['x-csrf-token'];
        if (sent === req.csrfToken) await auth.logout(req.sessionId, req.actor);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    { schema: { tags, summary: 'Текущий пользователь и CSRF-токен', response: { 200: sessionResponse } } },
    async (req) => {
      const user = auth.me(req.actor);
      return { user, csrfToken: req.csrfToken ?? '', permissions: permissionsOf(user) };
    },
  );

  app.get(
    '/setup',
    {
      config: { public: true },
      schema: { tags, summary: 'Нужна ли первоначальная настройка', response: { 200: z.object({ needed: z.boolean() }) } },
    },
    async () => ({
      needed: await auth.setupNeeded(),
    }),
  );

  app.post(
    '/setup',
    {
      config: { public: true },
      schema: { tags, summary: 'Создать первого администратора', body: setupBody, response: { 201: sessionResponse } },
    },
    async (req, reply) => {
      const s = await auth.setup(req.body, meta(req));
      setCookie(req, reply, s);
      return reply.code(201).send({ user: s.user, csrfToken: s.csrfToken, permissions: permissionsOf(s.user) });
    },
  );

  const tokenTags = ['API-токены'];
  app.get(
    '/api-tokens',
    { schema: { tags: tokenTags, response: { 200: z.object({ items: z.array(apiTokenSchema), nextCursor: z.null() }) } } },
    async (req) => ({
      items: await auth.listTokens(actorOf(req)),
      nextCursor: null,
    }),
  );
  app.post(
    '/api-tokens',
    {
      schema: {
        tags: tokenTags,
        summary: 'Выпустить токен (показывается один раз)',
        body: createApiTokenBody,
        response: { 201: z.object({ id: z.string(), token: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await auth.createToken(actorOf(req), req.body.name)),
  );
  app.delete('/api-tokens/:id', { schema: { tags: tokenTags, params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await auth.revokeToken(actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
