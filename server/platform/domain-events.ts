/**
 * Domain events: what happened in one module that others react to, in-process and inside the emitter's
 * transaction. The one map below names every event and its payload, so a typo in a name or a wrong payload
 * does not compile. Modules subscribe in their `init` (`ctx.domain.on(...)`); the emitter calls
 * `ctx.domain.emit(trx, ...)` where its change happens. Handlers run one after another in subscription order
 * (= module order in server/modules/index.ts) and do their work through `trx`: a handler that throws rolls the
 * whole change back. Live events for the UI are another thing (platform/events.ts).
 */
import type { Deal } from '../../common/api/deals.js';
import type { Stage } from '../../common/api/pipelines.js';
import type { Tx } from './db/connect.js';

/** An invoice's event: which invoice, its deal and client, who did it (null: the system). */
export interface InvoiceEventPayload {
  invoiceId: string;
  dealId: string;
  clientId: string;
  actorId: string | null;
}

/** Every domain event → its payload. Who emits and who subscribes: docs/ARCHITECTURE.md «Domain events». */
export interface DomainEvents {
  /** `fromId` is merged into `toId` (deleted right after the handlers ran): rows of other modules follow the client. */
  'client.merged': { fromId: string; toId: string };
  /** The client's owner changed (the same owner again is an event too: handlers decide). */
  'client.reassigned': { clientId: string; fromOwnerId: string | null; toOwnerId: string; actorId: string };
  /** A deal entered a stage, creation included; `deal` is read after the move. */
  'deal.stage_entered': {
    deal: Deal;
    stage: Stage;
    /** null when the deal was just created. */
    previousStageId: string | null;
    /** null for a system move. */
    actorId: string | null;
  };
  /** Emitted before the invoice row is written, with its id. */
  'invoice.issued': InvoiceEventPayload;
  /** `at`: when it was sent (one occurrence per sending). */
  'invoice.sent': InvoiceEventPayload & { at: string };
  'invoice.paid': InvoiceEventPayload;
  'invoice.overdue': InvoiceEventPayload;
  /** A production order became `done` (its deal is not lost). */
  'production.done': { orderId: string; orderNumber: number; dealId: string; clientId: string; actorId: string; at: string };
  /** A review with a negative sentiment was recorded. */
  'review.negative': { reviewId: string; clientId: string; dealId: string | null; actorId: string; at: string };
}

export type DomainEventName = keyof DomainEvents;
export type DomainHandler<K extends DomainEventName> = (trx: Tx, payload: DomainEvents[K]) => Promise<void>;

export class DomainEventBus {
  private handlers: { [K in DomainEventName]?: DomainHandler<K>[] } = {};

  /** Subscribes `handler` to `name`; returns the function that unsubscribes it. */
  on<K extends DomainEventName>(name: K, handler: DomainHandler<K>): () => void {
    const list = (this.handlers[name] ??= []) as DomainHandler<K>[];
    list.push(handler);
    return () => {
      const i = list.indexOf(handler);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Whether anyone listens to `name`. */
  has(name: DomainEventName): boolean {
    return (this.handlers[name]?.length ?? 0) > 0;
  }

  /** Runs every handler of `name` in order inside `trx`; the first that throws stops the rest and rethrows. */
  async emit<K extends DomainEventName>(trx: Tx, name: K, payload: DomainEvents[K]): Promise<void> {
    const list = this.handlers[name] as DomainHandler<K>[] | undefined;
    if (!list) return;
    // A copy: a handler unsubscribing (tests) does not skip the next one.
    for (const handler of [...list]) await handler(trx, payload);
  }
}
