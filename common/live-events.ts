/**
 * THE map of live events (server-sent events at GET /api/events): event name → payload. The server emits only through
 * it (`ctx.events.emit(name, data, audience)` is typed by this map) and the web subscribes only through it
 * (`useLiveEvent(name, handler)`), so a renamed event or a changed payload does not compile on either side.
 *
 * One naming style: `<resource>.<what happened>` in lower case, dotted (`deal.updated`, `task.changed`); a
 * resource of two words keeps its underscore (`production_order.changed`); an event about many records of a kind or
 * about the reader's own list uses the plural (`clients.reassigned`, `notifications.read`).
 *
 * Payloads stay small (ids and a few fields; PostgreSQL NOTIFY carries at most 8000 bytes): a subscriber refetches
 * what it shows. Who receives an event is decided by the server's event bus against the permissions module: only users
 * who may see the record (docs/ARCHITECTURE.md «Live events»).
 */
import type { ImportStatus } from './api/imports.js';
import type { BackupStage } from './api/backups.js';
import type { InvoiceStatus } from './api/invoices.js';
import type { NotificationEvent } from './api/notifications.js';
import type { ProductionStatus } from './api/production.js';
import type { Sentiment } from './api/reviews.js';
import type { TaskStatus } from './api/tasks.js';

export interface LiveEventMap {
  /** A client card changed (fields, owner, refusal, merge target). */
  'client.changed': { id: string; version: number };
  /** A client was deleted, or merged into `mergedInto`. */
  'client.deleted': { id: string; mergedInto?: string };
  /** Something was added to a client's timeline (a comment). */
  'client.timeline': { clientId: string };
  /** «Менеджер уходит»: `count` clients went from one owner to another. */
  'clients.reassigned': { fromOwnerId: string; toOwnerId: string; count: number };
  /** A deal changed (stage, fields, items, owner). */
  'deal.updated': { id: string; stageId: string };
  /** A new lead; `alertUserId` (its assignee, or the head told about an unassigned lead) gets a toast. */
  'lead.created': {
    id: string;
    name: string | null;
    phone: string | null;
    formName: string | null;
    assigneeId: string | null;
    slaDueAt: string | null;
    alertUserId: string | null;
  };
  /** A lead changed (taken, assigned, converted, junked). */
  'lead.updated': { id: string };
  /** An invoice changed (issued, sent, paid, cancelled). */
  'invoice.updated': { id: string; status: InvoiceStatus; dealId: string | null };
  /** A task was created, changed, completed or deleted. */
  'task.changed': { id: string; action: 'created' | 'updated' | 'completed' | 'deleted'; assigneeId: string | null; status: TaskStatus };
  /** A new notification in the reader's bell. */
  'notification.created': NotificationEvent;
  /** The reader's notifications were read (some `ids`, or `all`). */
  'notifications.read': { ids?: string[]; all?: boolean; unreadCount: number };
  /** The reader's session was ended (deactivated): the web signs out. */
  'session.revoked': Record<string, never>;
  /** Company settings changed. */
  'settings.updated': { key: string; version: number };
  /** A review was added; `dealMoved`: its deal went on to «feedback». */
  'review.created': { id: string; clientId: string; dealId: string | null; sentiment: Sentiment; dealMoved: boolean };
  /** A production order changed (status, dates, comment). */
  'production_order.changed': { id: string; dealId: string; status: ProductionStatus; version: number };
  /** An import of the reader's advanced by a batch, finished, failed or was undone (to its importer only). */
  'import.progress': {
    id: string;
    status: ImportStatus;
    total: number;
    processed: number;
    created: number;
    updated: number;
    skipped: number;
    errors: number;
  };
  /** A backup ran on (stage, percent 0–100), finished (`done`) or failed (`failed`, with its error); to who reads backups. */
  'backup.progress': { id: string; stage: BackupStage; percent: number; error?: string };
}

export type LiveEventName = keyof LiveEventMap;

/** Every live event name (for documentation and tests; the map above is the source). */
export const liveEventNames = [
  'client.changed',
  'client.deleted',
  'client.timeline',
  'clients.reassigned',
  'deal.updated',
  'lead.created',
  'lead.updated',
  'invoice.updated',
  'task.changed',
  'notification.created',
  'notifications.read',
  'session.revoked',
  'settings.updated',
  'review.created',
  'production_order.changed',
  'import.progress',
  'backup.progress',
] as const satisfies readonly LiveEventName[];

// Compile-time check that the list names every event of the map.
type Missing = Exclude<LiveEventName, (typeof liveEventNames)[number]>;
const _complete: [Missing] extends [never] ? true : Missing = true;
void _complete;
