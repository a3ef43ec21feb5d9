import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness.js';
import type { LiveEvent } from '../../platform/events.js';

/** Waits until `check` passes (live events on PostgreSQL travel through LISTEN/NOTIFY). */
async function eventually(check: () => void, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDialect('notifications', (h) => {
  it('notify() outside a transaction: rows are listed newest first with unreadCount, the live event reaches the user only', async () => {
    const anna = await h.user('manager', { name: 'Анна' });
    const boris = await h.user('manager', { name: 'Борис' });
    const ctx = h.server.ctx;
    const seenAnna: LiveEvent[] = [];
    const seenBoris: LiveEvent[] = [];
    const offA = ctx.events.subscribe(anna.user!, (e) => e.type === 'notification.created' && seenAnna.push(e));
    const offB = ctx.events.subscribe(boris.user!, (e) => e.type === 'notification.created' && seenBoris.push(e));
    try {
      const [first] = await ctx.services.notifications.notify(ctx.db, {
        userIds: [anna.user!.id],
        kind: 'test',
        title: 'Первое',
        text: 'Текст',
        link: '/tasks?open=1',
      });
      await pause(5);
      const ids = await ctx.services.notifications.notify(ctx.db, {
        userIds: [anna.user!.id, anna.user!.id, null],
        kind: 'test',
        title: 'Второе',
      });
      expect(ids).toHaveLength(1); // duplicates and empty ids dropped
      await eventually(() => expect(seenAnna).toHaveLength(2));
      expect(seenAnna[0]).toMatchObject({
        type: 'notification.created',
        audience: { userIds: [anna.user!.id] },
        data: { id: first, title: 'Первое', text: 'Текст', link: '/tasks?open=1', kind: 'test' },
      });
      expect(seenBoris).toHaveLength(0);

      const list = await anna.get('/api/notifications');
      expect(list.status).toBe(200);
      expect(list.body.unreadCount).toBe(2);
      expect(list.body.items.map((n: any) => n.title)).toEqual(['Второе', 'Первое']);
      expect(list.body.items[1]).toMatchObject({ id: first, kind: 'test', text: 'Текст', link: '/tasks?open=1', readAt: null });
      // Another user's bell is empty.
      const other = await boris.get('/api/notifications');
      expect(other.body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    } finally {
      offA();
      offB();
    }
  });

  it('notify() inside a transaction publishes only after commit (outbox job); a rollback leaves neither row nor event', async () => {
    const vera = await h.user('manager');
    const ctx = h.server.ctx;
    const seen: LiveEvent[] = [];
    const off = ctx.events.subscribe(vera.user!, (e) => e.type === 'notification.created' && seen.push(e));
    try {
      await expect(
        ctx.db.transaction().execute(async (trx) => {
          await ctx.services.notifications.notify(trx, { userIds: [vera.user!.id], kind: 'test', title: 'Откатится' });
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await ctx.db.transaction().execute(async (trx) => {
        await ctx.services.notifications.notify(trx, { userIds: [vera.user!.id], kind: 'test', title: 'Зафиксировано' });
      });
      await pause(100);
      expect(seen).toHaveLength(0); // not yet: the job runner is stopped in tests
      await ctx.jobs.runDue();
      await eventually(() => expect(seen.map((e: any) => e.data.title)).toEqual(['Зафиксировано']));
      const list = await vera.get('/api/notifications');
      expect(list.body.items.map((n: any) => n.title)).toEqual(['Зафиксировано']);
      expect(list.body.unreadCount).toBe(1);
    } finally {
      off();
    }
  });

  it('unread filter, cursor pages, read one, read all; another user\u2019s notification is 404', async () => {
    const gleb = await h.user('manager');
    const dina = await h.user('manager');
    const ctx = h.server.ctx;
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(...(await ctx.services.notifications.notify(ctx.db, { userIds: [gleb.user!.id], kind: 'test', title: `N${i}` })));
      await pause(3);
    }
    const p1 = await gleb.get('/api/notifications?limit=2');
    expect(p1.body.items.map((n: any) => n.title)).toEqual(['N5', 'N4']);
    expect(p1.body.nextCursor).toBeTruthy();
    const p2 = await gleb.get(`/api/notifications?limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items.map((n: any) => n.title)).toEqual(['N3', 'N2']);
    const p3 = await gleb.get(`/api/notifications?limit=2&cursor=${p2.body.nextCursor}`);
    expect(p3.body.items.map((n: any) => n.title)).toEqual(['N1']);
    expect(p3.body.nextCursor).toBeNull();

    const read = await gleb.post(`/api/notifications/${ids[0]}/read`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(ids[0]);
    expect(typeof read.body.readAt).toBe('string');
    // Idempotent: reading again keeps the first time.
    const again = await gleb.post(`/api/notifications/${ids[0]}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);

    const unread = await gleb.get('/api/notifications?unread=true');
    expect(unread.body.items.map((n: any) => n.title)).toEqual(['N5', 'N4', 'N3', 'N2']);
    expect(unread.body.unreadCount).toBe(4);

    expect((await dina.post(`/api/notifications/${ids[1]}/read`)).status).toBe(404);
    expect((await gleb.post('/api/notifications/nope/read')).status).toBe(404);
    expect((await gleb.get('/api/notifications?unread=maybe')).status).toBe(400);

    const all = await gleb.post('/api/notifications/read-all');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ updated: 4, unreadCount: 0 });
    expect((await gleb.get('/api/notifications?unread=true')).body.items).toEqual([]);
    expect((await gleb.get('/api/notifications')).body.items).toHaveLength(5);
  });

  it('needs a login', async () => {
    expect((await h.anon.get('/api/notifications')).status).toBe(401);
  });
});
