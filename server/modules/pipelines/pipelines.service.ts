import crypto from 'node:crypto';
import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, type Actor } from '../../platform/permissions.js';
import type { Pipeline, Stage, StageKind } from '../../../common/api/pipelines.js';
import { pipelinesRepo, toPipeline, toStage, type StageRow } from './pipelines.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    pipelines: PipelinesService;
  }
}

const isClosing = (kind: string) => kind === 'won' || kind === 'lost';

/**
 * Pipelines (воронки) and their stages. Everyone reads them; only the admin changes them.
 * Every pipeline keeps its closing stages (won, lost) last; stage codes never change.
 */
export class PipelinesService {
  constructor(private ctx: Ctx) {}

  async list(actor: Actor): Promise<Pipeline[]> {
    assertCan(actor, 'pipeline', 'read');
    const [pipelines, stages] = await Promise.all([pipelinesRepo.listPipelines(this.ctx.db), pipelinesRepo.listStages(this.ctx.db)]);
    return pipelines.map((p) => toPipeline(p, stages));
  }

  async get(actor: Actor, id: string): Promise<Pipeline> {
    assertCan(actor, 'pipeline', 'read');
    const p = await this.load(this.ctx.db, id);
    if (!p) throw notFound();
    return p;
  }

  /** A pipeline with its stages, no permission check (for other services). */
  async load(exec: Executor, id: string): Promise<Pipeline | null> {
    const row = await pipelinesRepo.findPipeline(exec, id);
    if (!row) return null;
    return toPipeline(row, await pipelinesRepo.listStages(exec, id));
  }

  async getDefault(exec: Executor = this.ctx.db): Promise<Pipeline> {
    const row = await pipelinesRepo.findDefault(exec);
    if (!row) throw ruleViolation('Нет основной воронки: назначьте её в настройках', undefined, 'There is no default pipeline');
    return toPipeline(row, await pipelinesRepo.listStages(exec, row.id));
  }

  async stage(exec: Executor, id: string): Promise<Stage | null> {
    const row = await pipelinesRepo.findStage(exec, id);
    return row ? toStage(row) : null;
  }

  async stageByCode(exec: Executor, pipelineId: string, code: string): Promise<Stage | null> {
    const row = await pipelinesRepo.findStageByCode(exec, pipelineId, code);
    return row ? toStage(row) : null;
  }

  async create(actor: Actor, input: { name: string }): Promise<Pipeline> {
    assertCan(actor, 'pipeline', 'write');
    const id = newId();
    const now = new Date().toISOString();
    await this.ctx.db.transaction().execute(async (trx) => {
      const position = (await pipelinesRepo.maxPipelinePosition(trx)) + 1;
      await pipelinesRepo.insertPipeline(trx, {
        id,
        name: input.name,
        is_default: 0,
        archived: 0,
        position,
        created_at: now,
        updated_at: now,
      });
      const system: { code: string; name: string; kind: StageKind }[] = [
        { code: 'new', name: 'Новый', kind: 'open' },
        { code: 'won', name: 'Успешно', kind: 'won' },
        { code: 'lost', name: 'Отказ', kind: 'lost' },
      ];
      await pipelinesRepo.insertStages(
        trx,
        system.map((s, i) => ({
          id: newId(),
          pipeline_id: id,
          name: s.name,
          code: s.code,
          kind: s.kind,
          position: i,
          archived: 0,
          created_at: now,
          updated_at: now,
        })),
      );
      await this.ctx.audit.write(
        { userId: actor.id, action: 'pipeline.create', entity: 'pipeline', entityId: id, data: { name: input.name } },
        trx,
      );
    });
    return this.get(actor, id);
  }

  async update(
    actor: Actor,
    id: string,
    patch: { name?: string; archived?: boolean; isDefault?: boolean; version?: number },
  ): Promise<Pipeline> {
    assertCan(actor, 'pipeline', 'write');
    const row = await this.ctx.db.transaction().execute(async (trx) => {
      const current = await pipelinesRepo.findPipeline(trx, id);
      if (!current) throw notFound();
      const archived = patch.archived ?? current.archived === 1;
      const isDefault = patch.isDefault ?? current.is_default === 1;
      if (current.is_default === 1 && patch.isDefault === false) {
        throw ruleViolation(
          'Основную воронку нельзя снять: назначьте основной другую воронку',
          { isDefault: 'Назначьте основной другую воронку' },
          'Make another pipeline the default instead',
        );
      }
      if (isDefault && archived) {
        throw ruleViolation(
          'Основную воронку нельзя архивировать',
          { archived: 'Основную воронку нельзя архивировать' },
          'The default pipeline cannot be archived',
        );
      }
      if (patch.archived === true && current.archived === 0) {
        const open = await pipelinesRepo.countDeals(trx, { pipelineId: id, openOnly: true });
        if (open > 0) {
          throw ruleViolation(
            `В воронке ${open} открытых сделок: закройте или перенесите их перед архивированием`,
            { archived: 'В воронке есть открытые сделки' },
            `The pipeline has ${open} open deals: close or move them before archiving it`,
          );
        }
      }
      const set: Parameters<typeof pipelinesRepo.updatePipeline>[2] = { updated_at: new Date().toISOString() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.archived !== undefined) set.archived = patch.archived ? 1 : 0;
      if (patch.isDefault !== undefined) set.is_default = patch.isDefault ? 1 : 0;
      const updated = await pipelinesRepo.updatePipeline(trx, id, set, patch.version);
      if (!updated) throw versionConflict();
      if (patch.isDefault === true) await pipelinesRepo.clearDefault(trx, id);
      const data = { name: updated.name, changed: Object.keys(patch).filter((k) => k !== 'version'), ...patch, version: undefined };
      await this.ctx.audit.write({ userId: actor.id, action: 'pipeline.update', entity: 'pipeline', entityId: id, data }, trx);
      return updated;
    });
    return this.get(actor, row.id);
  }

  /** Adds a stage: an open one goes right before the closing stages, a closing one at the end. */
  async addStage(actor: Actor, pipelineId: string, input: { name: string; kind?: StageKind }): Promise<Stage> {
    assertCan(actor, 'pipeline', 'write');
    const kind = input.kind ?? 'open';
    const id = newId();
    await this.ctx.db.transaction().execute(async (trx) => {
      const pipeline = await pipelinesRepo.findPipeline(trx, pipelineId);
      if (!pipeline) throw notFound();
      const stages = await pipelinesRepo.listStages(trx, pipelineId);
      const now = new Date().toISOString();
      const taken = new Set(stages.map((s) => s.code));
      let code: string;
      do code = `s_${crypto.randomBytes(4).toString('hex')}`;
      while (taken.has(code));
      const firstClosing = stages.findIndex((s) => isClosing(s.kind));
      const at = kind === 'open' && firstClosing >= 0 ? firstClosing : stages.length;
      const row = {
        id,
        pipeline_id: pipelineId,
        name: input.name,
        code,
        kind,
        position: at,
        archived: 0,
        created_at: now,
        updated_at: now,
      };
      await pipelinesRepo.insertStages(trx, [row]);
      await this.renumber(trx, [...stages.slice(0, at), { ...row, version: 1 }, ...stages.slice(at)], id);
      const data = { name: input.name, kind, pipelineId, pipelineName: pipeline.name };
      await this.ctx.audit.write({ userId: actor.id, action: 'stage.create', entity: 'stage', entityId: id, data }, trx);
    });
    return (await this.stage(this.ctx.db, id))!;
  }

  /** Renames, reorders (position = the 0-based index wanted) or archives a stage. */
  async updateStage(
    actor: Actor,
    stageId: string,
    patch: { name?: string; position?: number; archived?: boolean; version?: number },
  ): Promise<Stage> {
    assertCan(actor, 'pipeline', 'write');
    await this.ctx.db.transaction().execute(async (trx) => {
      const stage = await pipelinesRepo.findStage(trx, stageId);
      if (!stage) throw notFound();
      const stages = await pipelinesRepo.listStages(trx, stage.pipeline_id);
      if (patch.archived === true && stage.archived === 0) {
        if (isClosing(stage.kind)) {
          throw ruleViolation(
            'Этапы «Успешно» и «Отказ» нельзя архивировать',
            { archived: 'Закрывающий этап нельзя архивировать' },
            'The «Won» and «Lost» stages cannot be archived',
          );
        }
        const deals = await pipelinesRepo.countDeals(trx, { stageId });
        if (deals > 0) {
          throw ruleViolation(
            `На этапе ${deals} сделок: перенесите их, прежде чем архивировать этап`,
            { archived: 'На этапе есть сделки' },
            `The stage has ${deals} deals: move them before archiving it`,
          );
        }
        const openLeft = stages.filter((s) => s.kind === 'open' && s.archived === 0 && s.id !== stageId).length;
        if (openLeft === 0)
          throw ruleViolation(
            'В воронке должен остаться хотя бы один открытый этап',
            { archived: 'Это последний открытый этап' },
            'A pipeline keeps at least one open stage',
          );
      }
      const set: Parameters<typeof pipelinesRepo.updateStage>[2] = { updated_at: new Date().toISOString() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.archived !== undefined) set.archived = patch.archived ? 1 : 0;
      const updated = await pipelinesRepo.updateStage(trx, stageId, set, patch.version);
      if (!updated) throw versionConflict();
      if (patch.position !== undefined) {
        const others = stages.filter((s) => s.id !== stageId);
        const at = Math.min(patch.position, others.length);
        const ordered = [...others.slice(0, at), stage, ...others.slice(at)];
        const firstClosing = ordered.findIndex((s) => isClosing(s.kind));
        if (firstClosing >= 0 && ordered.slice(firstClosing).some((s) => !isClosing(s.kind))) {
          throw ruleViolation(
            'Закрывающие этапы («Успешно», «Отказ») всегда стоят в конце воронки',
            { position: 'Открытый этап не может стоять после закрывающих' },
            'The closing stages («Won», «Lost») always come last',
          );
        }
        await this.renumber(trx, ordered, stageId);
      }
      const data = {
        name: updated.name,
        pipelineId: stage.pipeline_id,
        changed: Object.keys(patch).filter((k) => k !== 'version'),
        ...patch,
        version: undefined,
      };
      await this.ctx.audit.write({ userId: actor.id, action: 'stage.update', entity: 'stage', entityId: stageId, data }, trx);
    });
    return (await this.stage(this.ctx.db, stageId))!;
  }

  /** Writes positions 0..n-1 in the given order (only rows that change, plus `touched`). */
  private async renumber(trx: Executor, ordered: StageRow[], touched: string): Promise<void> {
    for (let i = 0; i < ordered.length; i++) {
      if (ordered[i].position !== i || ordered[i].id === touched) await pipelinesRepo.setStagePosition(trx, ordered[i].id, i);
    }
  }
}
