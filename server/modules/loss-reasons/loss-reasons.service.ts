import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertRole, type Actor } from '../../platform/permissions.js';
import type { LossReason } from '../../../common/api/clients.js';
import { lossReasonsRepo, toLossReason } from './loss-reasons.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    lossReasons: LossReasonsService;
  }
}

const nameTaken = () => new AppError('validation_failed', { fields: { name: 'Такая причина уже есть' } });

/** Reasons for a refusal or a lost deal («Причина отказа»). Seeded by migration 002; admins edit the list. */
export class LossReasonsService {
  constructor(private ctx: Ctx) {}

  /** Every reason, archived ones too (the UI offers only active ones for new refusals). Any signed-in user. */
  async list(_actor: Actor): Promise<LossReason[]> {
    return (await lossReasonsRepo.list(this.ctx.db)).map(toLossReason);
  }

  /** A reason by id, or null. Used by clients (refusal) and deals (lose). */
  async get(id: string, exec: Executor = this.ctx.db): Promise<LossReason | null> {
    const row = await lossReasonsRepo.findById(exec, id);
    return row ? toLossReason(row) : null;
  }

  async create(actor: Actor, input: { name: string }): Promise<LossReason> {
    assertRole(actor, 'admin');
    const name = input.name.trim();
    if (await lossReasonsRepo.findByName(this.ctx.db, name)) throw nameTaken();
    const now = new Date().toISOString();
    const row = await this.ctx.db.transaction().execute(async (trx) =>
      lossReasonsRepo.insert(trx, {
        id: newId(),
        name,
        archived: 0,
        position: await lossReasonsRepo.nextPosition(trx),
        created_at: now,
        updated_at: now,
      }),
    );
    return toLossReason(row);
  }

  async update(actor: Actor, id: string, patch: { name?: string; archived?: boolean; position?: number }): Promise<LossReason> {
    assertRole(actor, 'admin');
    const current = await lossReasonsRepo.findById(this.ctx.db, id);
    if (!current) throw notFound();
    const set: Parameters<typeof lossReasonsRepo.update>[2] = { updated_at: new Date().toISOString() };
    if (patch.name !== undefined) {
      const name = patch.name.trim();
      const other = await lossReasonsRepo.findByName(this.ctx.db, name);
      if (other && other.id !== id) throw nameTaken();
      set.name = name;
    }
    if (patch.archived !== undefined) set.archived = patch.archived ? 1 : 0;
    if (patch.position !== undefined) set.position = patch.position;
    const row = await lossReasonsRepo.update(this.ctx.db, id, set);
    if (!row) throw notFound();
    return toLossReason(row);
  }
}
