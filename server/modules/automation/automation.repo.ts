import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { AutomationRulesTable, AutomationRunsTable, DB } from '../../platform/db/schema.js';
import type {
  AutomationAction,
  AutomationConditions,
  AutomationRule,
  AutomationRun,
  AutomationTrigger,
} from '../../../common/api/automation.js';

export type RuleRow = Selectable<AutomationRulesTable>;
export type RunRow = Selectable<AutomationRunsTable>;

/** A rule as the engine uses it (JSON parsed). */
export interface StoredRule {
  id: string;
  code: string | null;
  name: string;
  trigger: AutomationTrigger;
  enabled: boolean;
  conditions: AutomationConditions;
  actions: AutomationAction[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toStoredRule(r: RuleRow): StoredRule {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    trigger: r.trigger as AutomationTrigger,
    enabled: r.enabled === 1,
    conditions: JSON.parse(r.conditions) as AutomationConditions,
    actions: JSON.parse(r.actions) as AutomationAction[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** The API shape; webhook secrets only for those who may edit rules. */
export function toRule(r: StoredRule, showSecrets: boolean): AutomationRule {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    trigger: r.trigger,
    enabled: r.enabled,
    conditions: r.conditions,
    actions: r.actions.map((a) => {
      if (a.type !== 'webhook' || showSecrets) return a;
      const { secret, ...rest } = a;
      return { ...rest, hasSecret: !!secret };
    }),
    system: r.code !== null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

export function toRun(r: RunRow): AutomationRun {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    trigger: r.event_type,
    eventKey: r.event_key,
    dealId: r.deal_id,
    clientId: r.client_id,
    status: r.status as AutomationRun['status'],
    error: r.error,
    attempts: Number(r.attempts),
    results: JSON.parse(r.results),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

type RunsEb = ExpressionBuilder<DB & { r: AutomationRunsTable; d: DB['deals'] }, 'r' | 'd'>;

export const automationRepo = {
  // ── rules ──
  listRules(db: Executor, f: { trigger?: string; enabled?: boolean } = {}) {
    let q = db.selectFrom('automation_rules').selectAll();
    if (f.trigger) q = q.where('trigger', '=', f.trigger);
    if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled ? 1 : 0);
    return q.orderBy('created_at').orderBy('id').execute();
  },
  enabledRules(db: Executor, trigger: string) {
    return db
      .selectFrom('automation_rules')
      .selectAll()
      .where('trigger', '=', trigger)
      .where('enabled', '=', 1)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },
  findRule(db: Executor, id: string) {
    return db.selectFrom('automation_rules').selectAll().where('id', '=', id).executeTakeFirst();
  },
  insertRule(db: Executor, row: Omit<RuleRow, 'version'>) {
    return db.insertInto('automation_rules').values(row).returningAll().executeTakeFirstOrThrow();
  },
  /** Seeds a default once: a rule with the same code (even edited or disabled) is left alone. */
  async insertRuleOnce(db: Executor, row: Omit<RuleRow, 'version'>): Promise<void> {
    await db
      .insertInto('automation_rules')
      .values(row)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  },
  updateRule(db: Executor, id: string, patch: Partial<Omit<RuleRow, 'id' | 'version'>>, version: number) {
    return db
      .updateTable('automation_rules')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  },
  deleteRule(db: Executor, id: string) {
    return db.deleteFrom('automation_rules').where('id', '=', id).executeTakeFirst();
  },

  async isActiveUser(db: Executor, id: string): Promise<boolean> {
    const u = await db.selectFrom('users').select('active').where('id', '=', id).executeTakeFirst();
    return u?.active === 1;
  },

  // ── runs ──
  findRun(db: Executor, ruleId: string, eventKey: string) {
    return db.selectFrom('automation_runs').selectAll().where('rule_id', '=', ruleId).where('event_key', '=', eventKey).executeTakeFirst();
  },
  insertRun(db: Executor, row: RunRow) {
    return db.insertInto('automation_runs').values(row).execute();
  },
  updateRun(db: Executor, id: string, patch: Partial<Omit<RunRow, 'id'>>) {
    return db.updateTable('automation_runs').set(patch).where('id', '=', id).execute();
  },
  /** Newest first. `scope` restricts by the deal's owner (runs without a deal pass when `withoutDeal`). */
  listRuns(
    db: Executor,
    opts: {
      dealId?: string;
      ruleId?: string;
      status?: string;
      /** Runs of these triggers are left out (the reader may not see their records). */
      hiddenTriggers?: string[];
      scope?: (eb: RunsEb) => Expression<SqlBool>;
      limit: number;
      before?: { createdAt: string; id: string };
    },
  ) {
    let q = db.selectFrom('automation_runs as r').leftJoin('deals as d', 'd.id', 'r.deal_id').selectAll('r');
    if (opts.dealId) q = q.where('r.deal_id', '=', opts.dealId);
    if (opts.ruleId) q = q.where('r.rule_id', '=', opts.ruleId);
    if (opts.status) q = q.where('r.status', '=', opts.status);
    if (opts.hiddenTriggers?.length) q = q.where('r.event_type', 'not in', opts.hiddenTriggers);
    if (opts.scope) q = q.where((eb) => opts.scope!(eb as RunsEb));
    if (opts.before) {
      const { createdAt, id } = opts.before;
      q = q.where((eb) => eb.or([eb('r.created_at', '<', createdAt), eb.and([eb('r.created_at', '=', createdAt), eb('r.id', '<', id)])]));
    }
    return q
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(opts.limit + 1)
      .execute();
  },

  /** Plain savepoints (both dialects): one rule's actions are undone together when one of them fails. */
  async savepoint(db: Executor, name: string, op: 'savepoint' | 'release' | 'rollback'): Promise<void> {
    const id = sql.id(name);
    if (op === 'savepoint') await sql`savepoint ${id}`.execute(db);
    else if (op === 'release') await sql`release savepoint ${id}`.execute(db);
    else await sql`rollback to savepoint ${id}`.execute(db);
  },
};
