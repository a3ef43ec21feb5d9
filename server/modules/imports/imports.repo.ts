import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { ImportRowsTable, ImportsTable } from '../../platform/db/schema.js';

export type ImportRow = Selectable<ImportsTable> & { user_name?: string | null };
export type ImportRowRecord = Selectable<ImportRowsTable>;

export type RowOutcome = 'pending' | 'created' | 'updated' | 'skipped' | 'error';

export interface OutcomeUpdate {
  rowNo: number;
  outcome: Exclude<RowOutcome, 'pending'>;
  recordId?: string | null;
  contactId?: string | null;
  field?: string | null;
  message?: string | null;
  previous?: unknown;
  versionAfter?: number | null;
}

export const importsRepo = {
  insert(db: Executor, row: Omit<ImportRow, 'total' | 'processed' | 'created' | 'updated' | 'skipped' | 'errors' | 'user_name'>) {
    return db.insertInto('imports').values(row).execute();
  },

  find(db: Executor, id: string) {
    return db
      .selectFrom('imports as i')
      .leftJoin('users as u', 'u.id', 'i.user_id')
      .selectAll('i')
      .select('u.name as user_name')
      .where('i.id', '=', id)
      .executeTakeFirst() as Promise<ImportRow | undefined>;
  },

  list(db: Executor, f: { userId?: string; before?: { at: string; id: string }; limit: number }) {
    let q = db.selectFrom('imports as i').leftJoin('users as u', 'u.id', 'i.user_id').selectAll('i').select('u.name as user_name');
    if (f.userId) q = q.where('i.user_id', '=', f.userId);
    if (f.before) {
      const b = f.before;
      q = q.where((eb) => eb.or([eb('i.created_at', '<', b.at), eb.and([eb('i.created_at', '=', b.at), eb('i.id', '<', b.id)])]));
    }
    return q.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(f.limit).execute() as Promise<ImportRow[]>;
  },

  update(db: Executor, id: string, set: Partial<Omit<ImportRow, 'id' | 'user_name'>>) {
    return db.updateTable('imports').set(set).where('id', '=', id).execute();
  },

  delete(db: Executor, id: string) {
    return db.deleteFrom('imports').where('id', '=', id).execute();
  },

  async stageRows(db: Executor, importId: string, rows: { rowNo: number; cells: string[] }[]) {
    if (rows.length === 0) return;
    await db
      .insertInto('import_rows')
      .values(
        rows.map((r) => ({
          import_id: importId,
          row_no: r.rowNo,
          cells: JSON.stringify(r.cells),
          outcome: 'pending',
          record_id: null,
          contact_id: null,
          field: null,
          message: null,
          previous: null,
          version_after: null,
        })),
      )
      .execute();
  },

  pending(db: Executor, importId: string, limit: number) {
    return db
      .selectFrom('import_rows')
      .select(['row_no', 'cells'])
      .where('import_id', '=', importId)
      .where('outcome', '=', 'pending')
      .orderBy('row_no')
      .limit(limit)
      .execute();
  },

  async saveOutcome(db: Executor, importId: string, u: OutcomeUpdate) {
    await db
      .updateTable('import_rows')
      .set({
        outcome: u.outcome,
        record_id: u.recordId ?? null,
        contact_id: u.contactId ?? null,
        field: u.field ?? null,
        message: u.message ?? null,
        previous: u.previous === undefined ? null : JSON.stringify(u.previous),
        version_after: u.versionAfter ?? null,
        cells: sql<string>`cells`,
      })
      .where('import_id', '=', importId)
      .where('row_no', '=', u.rowNo)
      .execute();
  },

  /** Counters add the batch's outcomes. */
  async addCounts(db: Executor, id: string, c: { processed: number; created: number; updated: number; skipped: number; errors: number }) {
    await db
      .updateTable('imports')
      .set((eb) => ({
        processed: eb('processed', '+', c.processed),
        created: eb('created', '+', c.created),
        updated: eb('updated', '+', c.updated),
        skipped: eb('skipped', '+', c.skipped),
        errors: eb('errors', '+', c.errors),
      }))
      .where('id', '=', id)
      .execute();
  },

  errors(db: Executor, importId: string, limit: number) {
    return db
      .selectFrom('import_rows')
      .select(['row_no', 'field', 'message'])
      .where('import_id', '=', importId)
      .where('outcome', '=', 'error')
      .orderBy('row_no')
      .limit(limit)
      .execute();
  },

  /** Created and updated rows, newest first, below `beforeRowNo` (the undo walks them backwards). */
  changedDesc(db: Executor, importId: string, beforeRowNo: number, limit: number) {
    return db
      .selectFrom('import_rows')
      .selectAll()
      .where('import_id', '=', importId)
      .where('row_no', '<', beforeRowNo)
      .where('outcome', 'in', ['created', 'updated'])
      .orderBy('row_no', 'desc')
      .limit(limit)
      .execute();
  },

  /** The row of this import that already created or updated this record, if any. */
  async touchedBy(db: Executor, importId: string, recordId: string): Promise<number | null> {
    const r = await db
      .selectFrom('import_rows')
      .select('row_no')
      .where('import_id', '=', importId)
      .where('record_id', '=', recordId)
      .where('outcome', 'in', ['created', 'updated'])
      .limit(1)
      .executeTakeFirst();
    return r?.row_no ?? null;
  },

  /** Rows in order, a page at a time (the report, the undo). */
  rowsPage(db: Executor, importId: string, afterRowNo: number, limit: number, outcomes?: RowOutcome[]) {
    let q = db.selectFrom('import_rows').selectAll().where('import_id', '=', importId).where('row_no', '>', afterRowNo);
    if (outcomes) q = q.where('outcome', 'in', outcomes);
    return q.orderBy('row_no').limit(limit).execute();
  },
};
