import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { PipelinesTable, StagesTable } from '../../platform/db/schema.js';
import type { Pipeline, Stage, StageKind } from '../../../common/api/pipelines.js';

export type PipelineRow = Selectable<PipelinesTable>;
export type StageRow = Selectable<StagesTable>;

export function toStage(r: StageRow): Stage {
  return {
    id: r.id,
    pipelineId: r.pipeline_id,
    name: r.name,
    code: r.code,
    kind: r.kind as StageKind,
    position: r.position,
    archived: r.archived === 1,
    version: r.version,
  };
}

export function toPipeline(r: PipelineRow, stages: StageRow[]): Pipeline {
  return {
    id: r.id,
    name: r.name,
    isDefault: r.is_default === 1,
    archived: r.archived === 1,
    version: r.version,
    stages: stages
      .filter((s) => s.pipeline_id === r.id)
      .sort((a, b) => a.position - b.position)
      .map(toStage),
  };
}

export const pipelinesRepo = {
  listPipelines(db: Executor) {
    return db
      .selectFrom('pipelines')
      .selectAll()
      .orderBy('is_default', 'desc')
      .orderBy('archived')
      .orderBy('position')
      .orderBy('created_at')
      .execute();
  },
  listStages(db: Executor, pipelineId?: string) {
    let q = db.selectFrom('stages').selectAll();
    if (pipelineId) q = q.where('pipeline_id', '=', pipelineId);
    return q.orderBy('pipeline_id').orderBy('position').execute();
  },
  findPipeline(db: Executor, id: string) {
    return db.selectFrom('pipelines').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findDefault(db: Executor) {
    return db.selectFrom('pipelines').selectAll().where('is_default', '=', 1).orderBy('created_at').executeTakeFirst();
  },
  findStage(db: Executor, id: string) {
    return db.selectFrom('stages').selectAll().where('id', '=', id).executeTakeFirst();
  },
  findStageByCode(db: Executor, pipelineId: string, code: string) {
    return db.selectFrom('stages').selectAll().where('pipeline_id', '=', pipelineId).where('code', '=', code).executeTakeFirst();
  },
  async maxPipelinePosition(db: Executor): Promise<number> {
    const r = await db
      .selectFrom('pipelines')
      .select((eb) => eb.fn.max<number>('position').as('m'))
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? -1 : Number(r.m);
  },
  insertPipeline(db: Executor, row: Omit<PipelineRow, 'version'>) {
    return db.insertInto('pipelines').values(row).execute();
  },
  updatePipeline(db: Executor, id: string, patch: Partial<Omit<PipelineRow, 'id' | 'version'>>, version?: number) {
    let q = db
      .updateTable('pipelines')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },
  clearDefault(db: Executor, exceptId: string) {
    return db
      .updateTable('pipelines')
      .set((eb) => ({ is_default: 0, version: eb('version', '+', 1) }))
      .where('is_default', '=', 1)
      .where('id', '!=', exceptId)
      .execute();
  },
  insertStages(db: Executor, rows: Omit<StageRow, 'version'>[]) {
    return db.insertInto('stages').values(rows).execute();
  },
  updateStage(db: Executor, id: string, patch: Partial<Omit<StageRow, 'id' | 'version'>>, version?: number) {
    let q = db
      .updateTable('stages')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst();
  },
  setStagePosition(db: Executor, id: string, position: number) {
    return db.updateTable('stages').set({ position }).where('id', '=', id).execute();
  },
  async countDeals(db: Executor, where: { stageId?: string; pipelineId?: string; openOnly?: boolean }): Promise<number> {
    let q = db.selectFrom('deals').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where.stageId) q = q.where('stage_id', '=', where.stageId);
    if (where.pipelineId) q = q.where('pipeline_id', '=', where.pipelineId);
    if (where.openOnly) q = q.where('status', '=', 'open');
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
