import type { Executor } from '../../platform/db/connect.js';
import type { BackupCopiesTable, BackupsTable } from '../../platform/db/schema.js';

export type BackupRow = BackupsTable;
export type BackupCopyRow = BackupCopiesTable;

export const backupRepo = {
  insert(db: Executor, row: BackupRow) {
    return db.insertInto('backups').values(row).execute();
  },

  get(db: Executor, id: string): Promise<BackupRow | undefined> {
    return db.selectFrom('backups').selectAll().where('id', '=', id).executeTakeFirst();
  },

  update(db: Executor, id: string, patch: Partial<Omit<BackupRow, 'id'>>) {
    return db.updateTable('backups').set(patch).where('id', '=', id).execute();
  },

  /** Newest first by (created_at, id), strictly older than `before`. */
  list(db: Executor, f: { limit: number; before?: { at: string; id: string } }): Promise<BackupRow[]> {
    let q = db.selectFrom('backups').selectAll();
    if (f.before) {
      const b = f.before;
      q = q.where((eb) => eb.or([eb('created_at', '<', b.at), eb.and([eb('created_at', '=', b.at), eb('id', '<', b.id)])]));
    }
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },

  /** A backup started after `since` and still running (a crashed one older than that no longer blocks). */
  running(db: Executor, since: string): Promise<BackupRow | undefined> {
    return db.selectFrom('backups').selectAll().where('status', '=', 'running').where('created_at', '>', since).executeTakeFirst();
  },

  /** Done backups whose local file is still kept, newest first. */
  kept(db: Executor): Promise<BackupRow[]> {
    return db
      .selectFrom('backups')
      .selectAll()
      .where('status', '=', 'done')
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  },

  lastDone(db: Executor): Promise<{ at: string | null } | undefined> {
    return db
      .selectFrom('backups')
      .select((eb) => eb.fn.max('finished_at').as('at'))
      .where('status', '=', 'done')
      .executeTakeFirst();
  },

  /** Failed runs beyond the newest `keep` (history of failures is trimmed like the files). */
  async trimFailed(db: Executor, keep: number) {
    const old = await db
      .selectFrom('backups')
      .select('id')
      .where('status', '=', 'failed')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(keep)
      .limit(1000)
      .execute();
    if (old.length)
      await db
        .deleteFrom('backups')
        .where(
          'id',
          'in',
          old.map((r) => r.id),
        )
        .execute();
  },

  insertCopies(db: Executor, rows: BackupCopyRow[]) {
    return rows.length ? db.insertInto('backup_copies').values(rows).execute() : Promise.resolve();
  },

  copiesOf(db: Executor, ids: string[]): Promise<BackupCopyRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('backup_copies').selectAll().where('backup_id', 'in', ids).orderBy('target').execute();
  },

  updateCopy(db: Executor, backupId: string, target: string, patch: Partial<Omit<BackupCopyRow, 'backup_id' | 'target'>>) {
    return db.updateTable('backup_copies').set(patch).where('backup_id', '=', backupId).where('target', '=', target).execute();
  },

  lastCopied(db: Executor, targets: string[]): Promise<{ at: string | null } | undefined> {
    if (!targets.length) return Promise.resolve(undefined);
    return db
      .selectFrom('backup_copies')
      .select((eb) => eb.fn.max('copied_at').as('at'))
      .where('status', '=', 'done')
      .where('target', 'in', targets)
      .executeTakeFirst();
  },

  /**
   * In a database just restored from a backup: that backup's own row (running at its snapshot) is done, and any other
   * run that was under way at the snapshot never finished there.
   */
  async settleAfterRestore(db: Executor, restored: { id?: string; size: number; at: string }) {
    if (restored.id) {
      await db
        .updateTable('backups')
        .set({ status: 'done', size: restored.size, finished_at: restored.at, error: null })
        .where('id', '=', restored.id)
        .where('status', '=', 'running')
        .execute();
    }
    await db
      .updateTable('backups')
      .set({ status: 'failed', error: 'Не завершилась к моменту снимка, из которого восстановлена база', finished_at: restored.at })
      .where('status', '=', 'running')
      .execute();
  },
};
