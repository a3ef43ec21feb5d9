/**
 * What the platform knows about the HTTP request being served (today: the client's IP), reachable from any
 * service without passing it through every call — the audit log records it. Fastify runs the hooks and the
 * handler of a request inside `requestContext.run`; a body is parsed on the socket's events, outside that
 * context, so preValidation re-enters it (the pattern of @fastify/request-context).
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

export interface RequestInfo {
  /** The client's address as Fastify resolves it (proxy headers only when the proxy is trusted). */
  ip: string | null;
}

const storage = new AsyncLocalStorage<RequestInfo>();
const resourceOf = new WeakMap<object, AsyncResource>();

/** The request being served, or undefined outside a request (jobs, CLI). */
export function currentRequest(): RequestInfo | undefined {
  return storage.getStore();
}

/** Runs `fn` as if inside a request with this info (tests, CLI). */
export function runInRequest<T>(info: RequestInfo, fn: () => T): T {
  return storage.run(info, fn);
}

/** Registers the hooks that make `currentRequest()` work inside routes. Register before any other onRequest hook. */
export function registerRequestContext(app: FastifyInstance<any, any, any, any, any>): void {
  app.addHook('onRequest', (req, _reply, done) => {
    storage.run({ ip: req.ip ?? null }, () => {
      const resource = new AsyncResource('voronka-request');
      resourceOf.set(req, resource);
      resource.runInAsyncScope(done, req.raw);
    });
  });
  app.addHook('preValidation', (req, _reply, done) => {
    const resource = resourceOf.get(req);
    if (resource) resource.runInAsyncScope(done, req.raw);
    else done();
  });
}
