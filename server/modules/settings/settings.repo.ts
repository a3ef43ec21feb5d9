import type { Executor } from '../../platform/db/connect.js';

/** Rows of the key/value `settings` table (value is JSON text). */
export const settingsRepo = {
  get(db: Executor, key: string) {
    return db.selectFrom('settings').select(['key', 'value', 'version', 'updated_at']).where('key', '=', key).executeTakeFirst();
  },

  getMany(db: Executor, keys: string[]) {
    return db.selectFrom('settings').select(['key', 'value', 'version', 'updated_at']).where('key', 'in', keys).execute();
  },

  /** Inserts the key when absent (version 1). Returns false when it already exists. */
  async insert(db: Executor, key: string, value: string, now: string): Promise<boolean> {
    const r = await db
      .insertInto('settings')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /** Updates the value when `version` matches (or always without one); returns whether a row changed. */
  async update(db: Executor, key: string, value: string, now: string, version?: number): Promise<boolean> {
    let q = db
      .updateTable('settings')
      .set((eb) => ({ value, updated_at: now, version: eb('version', '+', 1) }))
      .where('key', '=', key);
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** Writes a value regardless of version (images stored beside the 'company' row). */
  async put(db: Executor, key: string, value: string, now: string): Promise<void> {
    await db
      .insertInto('settings')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  },

  async delete(db: Executor, key: string): Promise<void> {
    await db.deleteFrom('settings').where('key', '=', key).execute();
  },
};
