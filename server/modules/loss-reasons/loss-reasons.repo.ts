import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { LossReasonsTable } from '../../platform/db/schema.js';
import type { LossReason } from '../../../common/api/clients.js';

export type LossReasonRow = Selectable<LossReasonsTable>;

export function toLossReason(r: LossReasonRow): LossReason {
  return { id: r.id, name: r.name, archived: r.archived === 1, position: r.position };
}

export const lossReasonsRepo = {
  list(db: Executor) {
    return db.selectFrom('loss_reasons').selectAll().orderBy('position').orderBy('name').execute();
  },
  findById(db: Executor, id: string) {
    return db.selectFrom('loss_reasons').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findByName(db: Executor, name: string) {
    return db.selectFrom('loss_reasons').selectAll().where('name', '=', name).executeTakeFirst();
  },
  async nextPosition(db: Executor): Promise<number> {
    const r = await db
      .selectFrom('loss_reasons')
      .select((eb) => eb.fn.max('position').as('p'))
      .executeTakeFirst();
    return Number(r?.p ?? 0) + 1;
  },
  insert(db: Executor, row: Omit<LossReasonRow, 'version'>) {
    return db.insertInto('loss_reasons').values(row).returningAll().executeTakeFirstOrThrow();
  },
  update(db: Executor, id: string, patch: Updateable<LossReasonsTable>) {
    return db
      .updateTable('loss_reasons')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },
};
