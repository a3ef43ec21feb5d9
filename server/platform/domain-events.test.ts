import { describe, expect, it } from 'vitest';
import { DomainEventBus } from './domain-events.js';
import type { Tx } from './db/connect.js';

const trx = {} as Tx;

describe('domain events', () => {
  it('runs handlers in subscription order with the caller’s transaction; unsubscribing removes one', async () => {
    const bus = new DomainEventBus();
    const seen: string[] = [];
    bus.on('client.merged', async (t, e) => {
      expect(t).toBe(trx);
      seen.push(`a:${e.fromId}>${e.toId}`);
    });
    const off = bus.on('client.merged', async (_t, e) => {
      seen.push(`b:${e.fromId}`);
      off(); // unsubscribing inside a handler skips nobody
    });
    bus.on('client.merged', async () => {
      seen.push('c');
    });
    bus.on('client.reassigned', async () => {
      seen.push('other event');
    });
    expect(bus.has('client.merged')).toBe(true);
    expect(bus.has('invoice.paid')).toBe(false);
    await bus.emit(trx, 'client.merged', { fromId: '1', toId: '2' });
    expect(seen).toEqual(['a:1>2', 'b:1', 'c']);
    await bus.emit(trx, 'client.merged', { fromId: '3', toId: '4' });
    expect(seen).toEqual(['a:1>2', 'b:1', 'c', 'a:3>4', 'c']);
    await bus.emit(trx, 'invoice.paid', { invoiceId: 'i', dealId: 'd', clientId: 'c', actorId: null }); // nobody listens
  });

  it('a handler that throws stops the rest and rejects the emit (the caller’s transaction rolls back)', async () => {
    const bus = new DomainEventBus();
    const seen: string[] = [];
    bus.on('review.negative', async () => {
      throw new Error('boom');
    });
    bus.on('review.negative', async () => {
      seen.push('never');
    });
    await expect(
      bus.emit(trx, 'review.negative', { reviewId: 'r', clientId: 'c', dealId: null, actorId: 'u', at: new Date().toISOString() }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([]);
  });

  it('names and payloads are checked by the compiler (npm run typecheck fails when an expect-error stops erring)', () => {
    const bus = new DomainEventBus();
    const never = () => {
      // @ts-expect-error a typo in the event name
      bus.on('client.merge', async () => {});
      // @ts-expect-error a typo in the event name
      void bus.emit(trx, 'invoice.payed', { invoiceId: 'i', dealId: 'd', clientId: 'c', actorId: null });
      // @ts-expect-error a payload missing a field
      void bus.emit(trx, 'client.merged', { fromId: '1' });
      // @ts-expect-error a payload of another event
      void bus.emit(trx, 'client.reassigned', { fromId: '1', toId: '2' });
      // @ts-expect-error a wrong field type
      void bus.emit(trx, 'production.done', { orderId: 'o', orderNumber: '7', dealId: 'd', clientId: 'c', actorId: 'u', at: '' });
      // @ts-expect-error a handler reading a field the payload does not have
      bus.on('client.merged', async (_t, e) => void e.clientId);
    };
    expect(typeof never).toBe('function');
  });
});
