import type { App } from '../../platform/http.js';
import { actorOf } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';

/** Server-sent events for the logged-in user: notifications, reminders, live list updates. */
export function eventsRoutes(app: App, ctx: Ctx) {
  app.get('/events', { schema: { tags: ['Служебное'], summary: 'Поток событий (server-sent events)' } }, (req, reply) => {
    const actor = actorOf(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);
    const unsubscribe = ctx.events.subscribe(actor.id, (event) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data ?? null)}\n\n`);
      // A revoked session ends the stream; the client reconnects and gets 401.
      if (event.type === 'session_revoked') res.end();
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.raw.on('close', close);
    res.on('close', close);
  });
}
