import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { TimelineEntriesTable } from '../../platform/db/schema.js';
import type { TimelineEntry } from '../../../common/api/timeline.js';

export type TimelineRow = Selectable<TimelineEntriesTable> & { author_name: string | null };

export function toTimelineEntry(r: TimelineRow): TimelineEntry {
  let data: unknown = null;
  if (r.data !== null) {
    try {
      data = JSON.parse(r.data);
    } catch {
      data = null;
    }
  }
  return {
    id: r.id,
    kind: r.kind,
    at: r.at,
    authorId: r.author_id,
    authorName: r.author_name,
    text: r.text,
    data,
    dealId: r.deal_id,
  };
}

export const timelineRepo = {
  insert(db: Executor, row: Selectable<TimelineEntriesTable>) {
    return db.insertInto('timeline_entries').values(row).execute();
  },
  /** Newest first: (at desc, id desc), keyset after the given (at, id). */
  list(
    db: Executor,
    clientId: string,
    opts: { limit: number; before?: { at: string; id: string }; hiddenKinds?: string[] },
  ): Promise<TimelineRow[]> {
    let q = db
      .selectFrom('timeline_entries as t')
      .leftJoin('users as u', 'u.id', 't.author_id')
      .selectAll('t')
      .select('u.name as author_name')
      .where('t.client_id', '=', clientId);
    if (opts.hiddenKinds?.length) q = q.where('t.kind', 'not in', opts.hiddenKinds);
    if (opts.before) {
      const { at, id } = opts.before;
      q = q.where((eb) => eb.or([eb('t.at', '<', at), eb.and([eb('t.at', '=', at), eb('t.id', '<', id)])]));
    }
    return q
      .orderBy('t.at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(opts.limit + 1)
      .execute();
  },
  /** Moves every entry of one client to another (merge). */
  removeDeal(db: Executor, dealId: string) {
    return db.deleteFrom('timeline_entries').where('deal_id', '=', dealId).execute();
  },
  moveClient(db: Executor, fromId: string, toId: string) {
    return db.updateTable('timeline_entries').set({ client_id: toId }).where('client_id', '=', fromId).execute();
  },
};
