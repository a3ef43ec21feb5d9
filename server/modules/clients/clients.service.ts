import type { Ctx } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/connect.js';
import { notFound } from '../../platform/errors.js';
import { scopeCondition, type Actor } from '../../platform/permissions.js';

declare module '../../platform/context.js' {
  interface Services {
    clients: ClientsService;
  }
}

export class ClientsService {
  /** Other modules push handlers here in their `init` to move their rows with a client. */
  readonly hooks = {
    onMerge: [] as ((trx: Tx, e: { fromId: string; toId: string }) => Promise<void>)[],
    onReassign: [] as ((trx: Tx, e: { clientId: string; fromOwnerId: string | null; toOwnerId: string; actorId: string }) => Promise<void>)[],
  };

  constructor(private ctx: Ctx) {}

  async getForActor(actor: Actor, id: string, action: 'read' | 'write', exec: Executor = this.ctx.db) {
    const row = await exec
      .selectFrom('clients')
      .selectAll()
      .where('id', '=', id)
      .where((eb) => scopeCondition(eb, actor, 'client', action, ['clients.owner_id']))
      .executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }

  async markNegativeFeedback(exec: Executor, clientId: string): Promise<void> {
    await exec.updateTable('clients').set((eb) => ({ negative_feedback: 1, version: eb('version', '+', 1), updated_at: new Date().toISOString() })).where('id', '=', clientId).execute();
  }
}
