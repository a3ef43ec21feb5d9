import type { Executor } from '../../platform/db/connect.js';
import type { Department } from '../../../common/api/users.js';

const selectWithCount = (db: Executor) =>
  db
    .selectFrom('departments as d')
    .select(['d.id', 'd.name', 'd.head_id', 'd.version'])
    .select((eb) =>
      eb
        .selectFrom('users as u')
        .whereRef('u.department_id', '=', 'd.id')
        .where('u.active', '=', 1)
        .select(eb.fn.countAll<number>().as('n'))
        .as('member_count'),
    );

type Row = { id: string; name: string; head_id: string | null; version: number; member_count: number | string | null };

export const toDepartment = (r: Row): Department => ({
  id: r.id,
  name: r.name,
  headId: r.head_id,
  memberCount: Number(r.member_count ?? 0),
  version: r.version,
});

export const departmentsRepo = {
  list(db: Executor) {
    return selectWithCount(db).orderBy('d.name').execute();
  },
  findById(db: Executor, id: string) {
    return selectWithCount(db).where('d.id', '=', id).executeTakeFirst();
  },
  insert(db: Executor, row: { id: string; name: string; head_id: string | null; created_at: string; updated_at: string }) {
    return db.insertInto('departments').values(row).execute();
  },
  update(db: Executor, id: string, patch: { name?: string; head_id?: string | null; updated_at: string }, version?: number) {
    let q = db
      .updateTable('departments')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.executeTakeFirst();
  },
};
