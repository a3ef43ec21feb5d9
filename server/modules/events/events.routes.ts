import type { App } from '../../platform/http.js';
import { actorOf, credentialOf } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import type { LiveEvent } from '../../platform/events.js';
import type { Actor } from '../../platform/permissions.js';

/** setTimeout takes at most 2^31-1 ms (~24.8 days); a longer session re-arms the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Server-sent events for the signed-in user: notifications, reminders, live list updates — only the events the event
 * bus lets through to this user (platform/events.ts). The stream lives no longer than its credential: on logout of that
 * session, deactivation, a new password, or when the session expires (checked on each event and by a timer) it sends
 * `session.revoked` and ends. Any other change of the user (role, department) ends it too: the browser reconnects
 * and is filtered with the new scope.
 */
export function eventsRoutes(app: App, ctx: Ctx) {
  app.get('/events', { schema: { tags: ['Служебное'], summary: 'Поток событий (server-sent events)' } }, (req, reply) => {
    let actor: Actor = actorOf(req);
    let expiresAt = req.authExpiresAt;
    const sessionId = req.sessionId;
    const authKind = req.authKind;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);

    let closed = false;
    let expiryTimer: ReturnType<typeof setTimeout> | null = null;
    const write = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data ?? null)}\n\n`);
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      if (expiryTimer) clearTimeout(expiryTimer);
      unsubscribe();
      offInternal();
      res.end();
    };
    /** The credential is gone: tell the browser (it signs out) and end. */
    const revoke = () => {
      if (closed) return;
      write('session.revoked', {});
      finish();
    };
    const expired = () => expiresAt !== null && Date.now() >= expiresAt;
    const armExpiry = () => {
      if (expiryTimer) clearTimeout(expiryTimer);
      expiryTimer = null;
      if (expiresAt === null || closed) return;
      expiryTimer = setTimeout(
        () => (expired() ? revoke() : armExpiry()),
        Math.min(Math.max(expiresAt - Date.now(), 0) + 50, MAX_TIMER_MS),
      );
    };

    const deliver = (event: LiveEvent) => {
      if (closed) return;
      if (expired()) return revoke();
      write(event.type, event.data);
      if (event.type === 'session.revoked') finish();
    };
    let unsubscribe = ctx.events.subscribe(actor, deliver);

    /** After an auth change that may concern this stream: resolve the credential again (the cache was dropped). */
    const recheck = async () => {
      const fresh = await ctx.services.auth.resolveCredential(credentialOf(req));
      if (closed) return;
      if (!fresh) return revoke();
      expiresAt = fresh.expiresAt;
      armExpiry();
      if (fresh.actor.role !== actor.role || fresh.actor.departmentId !== actor.departmentId) {
        // Another scope: the browser reconnects and is filtered anew.
        finish();
        return;
      }
      unsubscribe();
      actor = fresh.actor;
      unsubscribe = ctx.events.subscribe(actor, deliver);
    };
    const offInternal = ctx.events.onAny((event) => {
      if (event.type !== 'auth.invalidate' || closed) return;
      const d = (event.data ?? {}) as { userId?: string; sessionId?: string; tokenId?: string };
      const mine = d.userId === actor.id || (!!d.sessionId && d.sessionId === sessionId) || (!!d.tokenId && authKind === 'token');
      if (mine) recheck().catch(() => finish());
    });

    const heartbeat = setInterval(() => (expired() ? revoke() : res.write(': ping\n\n')), 25_000);
    armExpiry();
    req.raw.on('close', finish);
    res.on('close', finish);
  });
}
