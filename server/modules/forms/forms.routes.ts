import fs from 'node:fs';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import { createFormBody, formSchema, formSnippetSchema, patchFormBody, publicSubmitResponse } from '../../../common/api/forms.js';
import type { FormConfig } from './forms.repo.js';
import { RateLimiter } from './rate-limit.js';
import {
  MULTIPART_LIMITS,
  SUBMISSION_BODY_LIMIT,
  parseJsonSubmission,
  parseTextSubmission,
  parseUrlencodedSubmission,
  readMultipart,
  type Submission,
} from './submission.js';

const tokenParams = z.object({ token: z.string().min(1).max(200) });

/** Origins allowed to post from a browser: none listed (or `*`) means any. */
export function originAllowed(form: FormConfig, origin: string): boolean {
  const list = form.allowedOrigins;
  if (list.length === 0 || list.includes('*')) return true;
  return list.includes(origin.toLowerCase().replace(/\/+$/, ''));
}

function loadEmbedScript(rootDir: string): string | null {
  for (const file of [
    path.join(rootDir, 'server', 'modules', 'forms', 'embed.js'),
    path.join(path.dirname(new URL(import.meta.url).pathname), 'embed.js'),
  ]) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      /* try the next place */
    }
  }
  return null;
}

declare module 'fastify' {
  interface FastifyRequest {
    voronkaForm?: FormConfig;
  }
}

export async function formsRoutes(app: App, ctx: Ctx) {
  const forms = ctx.services.forms;
  const tags = ['Веб-формы'];

  app.get(
    '/forms',
    { schema: { tags, summary: 'Веб-формы', querystring: pageQuery, response: { 200: listResponse(formSchema) } } },
    async (req) => forms.list(actorOf(req), req.query),
  );
  app.post(
    '/forms',
    { schema: { tags, summary: 'Создать веб-форму (администратор)', body: createFormBody, response: { 201: formSchema } } },
    async (req, reply) => reply.code(201).send(await forms.create(actorOf(req), req.body)),
  );
  app.get('/forms/:id', { schema: { tags, params: idParams, response: { 200: formSchema } } }, async (req) =>
    forms.get(actorOf(req), req.params.id),
  );
  app.patch('/forms/:id', { schema: { tags, params: idParams, body: patchFormBody, response: { 200: formSchema } } }, async (req) =>
    forms.update(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/forms/:id/rotate-token',
    { schema: { tags, summary: 'Новый токен формы (старый адрес перестаёт работать)', params: idParams, response: { 200: formSchema } } },
    async (req) => forms.rotateToken(actorOf(req), req.params.id),
  );
  app.get(
    '/forms/:id/snippet',
    { schema: { tags, summary: 'HTML-код формы и тег скрипта для сайта', params: idParams, response: { 200: formSnippetSchema } } },
    async (req) => forms.snippet(actorOf(req), req.params.id),
  );

  await app.register(async (scope) => publicRoutes(scope as App, ctx));
}

/**
 * The public side, in its own plugin scope: its own body parsers (raw text kept, charsets honoured),
 * multipart, CORS per form, rate limits and the embed script. No authentication.
 */
async function publicRoutes(scope: App, ctx: Ctx) {
  const forms = ctx.services.forms;
  const leads = ctx.services.leads;
  const limiter = new RateLimiter();
  const tags = ['Веб-формы: приём заявок'];
  const embed = loadEmbedScript(ctx.config.rootDir);

  await scope.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });
  scope.removeContentTypeParser(['application/json', 'text/plain', 'application/x-www-form-urlencoded']);
  const parser =
    (fn: (body: Buffer, contentType: string | undefined) => Submission) =>
    (req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      try {
        done(null, fn(body, req.headers['content-type']));
      } catch (err) {
        done(err as Error);
      }
    };
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser(parseJsonSubmission));
  scope.addContentTypeParser(/^application\/[\w.+-]*json$/i, { parseAs: 'buffer' }, parser(parseJsonSubmission));
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, parser(parseUrlencodedSubmission));
  scope.addContentTypeParser('text/plain', { parseAs: 'buffer' }, parser(parseTextSubmission));

  const cors = (req: FastifyRequest, reply: FastifyReply, form: FormConfig) => {
    const origin = req.headers.origin;
    reply.header('vary', 'Origin');
    if (!origin) return;
    if (!originAllowed(form, origin)) throw new AppError('origin_not_allowed');
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', 'Retry-After');
  };

  const findForm = async (req: FastifyRequest): Promise<FormConfig> => {
    const token = (req.params as { token?: string }).token ?? '';
    const form = token.length <= 200 ? await forms.byToken(token) : null;
    if (!form) throw new AppError('form_not_found');
    return form;
  };

  scope.get('/public/embed.js', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    if (!embed) throw new AppError('not_found');
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(embed);
  });

  // CORS preflight for browsers posting JSON (or with an Idempotency-Key header).
  scope.options('/public/forms/:token', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const form = await findForm(req);
    cors(req, reply, form);
    return reply
      .code(204)
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'Content-Type, Idempotency-Key, X-Requested-With')
      .header('access-control-max-age', '600')
      .send();
  });

  scope.post(
    '/public/forms/:token',
    {
      config: { public: true },
      bodyLimit: SUBMISSION_BODY_LIMIT,
      // Before the body is read: unknown token 404, foreign origin 403, rate limits 429.
      onRequest: async (req, reply) => {
        const form = await findForm(req);
        cors(req, reply, form);
        const ipKey = `${form.id}|${req.ip}`;
        let wait = limiter.take(ipKey, form.ratePerIp);
        if (!wait) {
          wait = limiter.take(form.id, form.ratePerForm);
          if (wait) limiter.refund(ipKey);
        }
        if (wait) {
          reply.header('retry-after', String(wait));
          throw new AppError('rate_limited');
        }
        req.voronkaForm = form;
      },
      schema: {
        tags,
        summary: 'Приём заявки с сайта (без входа): JSON, form-urlencoded или multipart',
        description:
          'Ответ 201 {leadId, message} — лид сохранён. Повтор с тем же Idempotency-Key или tranid (Tilda) — 200 с тем же leadId. ' +
          'Проверка подключения Tilda (test=test) — 200 «ok» без лида. Ошибки: 404 неизвестный токен, 400 нет имени, телефона и e-mail, ' +
          '403 сайт не в списке разрешённых, 413 слишком большой запрос, 429 превышен лимит, 503 перегрузка.',
        params: tokenParams,
        response: { 200: publicSubmitResponse.or(z.string()), 201: publicSubmitResponse },
      },
    },
    async (req, reply) => {
      const form = req.voronkaForm!;
      reply.header('cache-control', 'no-store');
      let sub: Submission;
      if (req.isMultipart()) sub = await readMultipart(req);
      else if (req.body && typeof req.body === 'object' && 'fields' in req.body) sub = req.body as Submission;
      else sub = { fields: {}, raw: '' };

      if (sub.fields.test === 'test' && Object.keys(sub.fields).every((k) => k === 'test' || !sub.fields[k].trim())) {
        // Tilda's connection check: success, and nothing stored.
        return reply.code(200).type('text/plain; charset=utf-8').send('ok');
      }
      if (!leads.tryEnter()) {
        reply.header('retry-after', '1');
        throw new AppError('unavailable');
      }
      try {
        const idem = req.headers['idempotency-key'];
        const res = await leads.intakeForm(form, {
          fields: sub.fields,
          raw: sub.raw,
          ip: req.ip,
          userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
          idempotencyKey: typeof idem === 'string' ? idem.slice(0, 200) : null,
        });
        return reply.code(res.created ? 201 : 200).send({ leadId: res.leadId, message: forms.thankYouText(form) });
      } finally {
        leads.leave();
      }
    },
  );
}
