import { formatMoneyPlain, parseMoney } from '../../../../common/money';
import { type AutomationRule, type AutomationTrigger, type Recipient } from '../../../../common/api/automation';
import type { TaskType } from '../../../../common/api/tasks';
import type { RuleBody } from './api';

/** The editor's view of a rule: flat fields that inputs bind to; `toBody` turns it into the API's shape. */
export type ActionType = 'create_task' | 'move_deal' | 'notify' | 'webhook';
export type WhomKind = 'owner' | 'head' | 'user';

export interface ActionDraft {
  key: string;
  type: ActionType;
  // create_task
  taskType: TaskType;
  titleTemplate: string;
  descriptionTemplate: string;
  days: number | string;
  hours: number | string;
  minutes: number | string;
  atTime: string;
  assigneeKind: WhomKind;
  assigneeUserId: string | null;
  // move_deal
  stageCode: string | null;
  onlyForward: boolean;
  // notify (titleTemplate shared)
  toKind: WhomKind;
  toUserId: string | null;
  textTemplate: string;
  // webhook
  url: string;
  secret: string;
  hasSecret: boolean;
}

export interface RuleDraft {
  name: string;
  trigger: AutomationTrigger;
  enabled: boolean;
  conditions: {
    pipelineId: string | null;
    stageCode: string | null;
    minAmount: string;
    maxAmount: string;
    ownerId: string | null;
    source: string;
  };
  actions: ActionDraft[];
}

let seq = 0;
const nextKey = () => `a${++seq}`;

export function emptyAction(type: ActionType = 'create_task'): ActionDraft {
  return {
    key: nextKey(),
    type,
    taskType: 'call',
    titleTemplate: '',
    descriptionTemplate: '',
    days: 1,
    hours: '',
    minutes: '',
    atTime: '',
    assigneeKind: 'owner',
    assigneeUserId: null,
    stageCode: null,
    onlyForward: true,
    toKind: 'owner',
    toUserId: null,
    textTemplate: '',
    url: '',
    secret: '',
    hasSecret: false,
  };
}

function whom(r: Recipient | undefined): { kind: WhomKind; userId: string | null } {
  if (!r) return { kind: 'owner', userId: null };
  if (typeof r === 'string') return { kind: r, userId: null };
  return { kind: 'user', userId: r.userId };
}

export function emptyDraft(): RuleDraft {
  return {
    name: '',
    trigger: 'deal.stage_entered',
    enabled: true,
    conditions: { pipelineId: null, stageCode: null, minAmount: '', maxAmount: '', ownerId: null, source: '' },
    actions: [emptyAction()],
  };
}

export function toDraft(rule: AutomationRule): RuleDraft {
  const c = rule.conditions;
  return {
    name: rule.name,
    trigger: rule.trigger,
    enabled: rule.enabled,
    conditions: {
      pipelineId: c.pipelineId ?? null,
      stageCode: c.stageCode ?? null,
      minAmount: c.minAmount != null ? formatMoneyPlain(c.minAmount) : '',
      maxAmount: c.maxAmount != null ? formatMoneyPlain(c.maxAmount) : '',
      ownerId: c.ownerId ?? null,
      source: c.source ?? '',
    },
    actions: rule.actions.map((a) => {
      const d = emptyAction(a.type);
      if (a.type === 'create_task') {
        const w = whom(a.assignee);
        return {
          ...d,
          taskType: a.taskType,
          titleTemplate: a.titleTemplate,
          descriptionTemplate: a.descriptionTemplate ?? '',
          days: a.dueOffset?.days ?? '',
          hours: a.dueOffset?.hours ?? '',
          minutes: a.dueOffset?.minutes ?? '',
          atTime: a.dueOffset?.atTime ?? '',
          assigneeKind: w.kind,
          assigneeUserId: w.userId,
        };
      }
      if (a.type === 'move_deal') return { ...d, stageCode: a.stageCode, onlyForward: a.onlyForward ?? true };
      if (a.type === 'notify') {
        const w = whom(a.to);
        return { ...d, toKind: w.kind, toUserId: w.userId, titleTemplate: a.titleTemplate, textTemplate: a.textTemplate ?? '' };
      }
      return { ...d, url: a.url, secret: a.secret ?? '', hasSecret: Boolean(a.secret || ('hasSecret' in a && a.hasSecret)) };
    }),
  };
}

const num = (v: number | string) => (v === '' || v === null || v === undefined ? undefined : Number(v));
const recipient = (kind: WhomKind, userId: string | null): Recipient => (kind === 'user' ? { userId: userId ?? '' } : kind);

/** The API body; money typed in rubles becomes kopecks (validated before by `validateDraft`). */
export function toBody(d: RuleDraft): RuleBody {
  const c = d.conditions;
  const conditions: Record<string, unknown> = {};
  if (c.pipelineId) conditions.pipelineId = c.pipelineId;
  if (c.stageCode) conditions.stageCode = c.stageCode;
  if (c.minAmount.trim()) conditions.minAmount = parseMoney(c.minAmount);
  if (c.maxAmount.trim()) conditions.maxAmount = parseMoney(c.maxAmount);
  if (c.ownerId) conditions.ownerId = c.ownerId;
  if (c.source.trim()) conditions.source = c.source.trim();
  const actions = d.actions.map((a) => {
    switch (a.type) {
      case 'create_task': {
        const dueOffset: Record<string, unknown> = {};
        if (num(a.days)) dueOffset.days = num(a.days);
        if (num(a.hours)) dueOffset.hours = num(a.hours);
        if (num(a.minutes)) dueOffset.minutes = num(a.minutes);
        if (a.atTime.trim()) dueOffset.atTime = a.atTime.trim();
        return {
          type: a.type,
          taskType: a.taskType,
          titleTemplate: a.titleTemplate.trim(),
          ...(a.descriptionTemplate.trim() ? { descriptionTemplate: a.descriptionTemplate.trim() } : {}),
          dueOffset,
          assignee: recipient(a.assigneeKind, a.assigneeUserId),
        };
      }
      case 'move_deal':
        return { type: a.type, stageCode: a.stageCode ?? '', onlyForward: a.onlyForward };
      case 'notify':
        return {
          type: a.type,
          to: recipient(a.toKind, a.toUserId),
          titleTemplate: a.titleTemplate.trim(),
          ...(a.textTemplate.trim() ? { textTemplate: a.textTemplate.trim() } : {}),
        };
      case 'webhook':
        // An empty secret on an existing webhook keeps the stored one (the server matches it by URL).
        return { type: a.type, url: a.url.trim(), ...(a.secret ? { secret: a.secret } : {}) };
    }
  });
  return { name: d.name.trim(), trigger: d.trigger, enabled: d.enabled, conditions: conditions as RuleBody['conditions'], actions };
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** Checks the browser can make without the server; the server's own 400 `fields` are mapped by `formPath`. */
export function validateDraft(d: RuleDraft, t: T): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.name.trim()) errors.name = t('automation.form.nameRequired');
  const min = d.conditions.minAmount.trim() ? parseMoney(d.conditions.minAmount) : undefined;
  const max = d.conditions.maxAmount.trim() ? parseMoney(d.conditions.maxAmount) : undefined;
  if (min === null || (min !== undefined && min < 0)) errors['conditions.minAmount'] = t('automation.form.amountInvalid');
  if (max === null || (max !== undefined && max < 0)) errors['conditions.maxAmount'] = t('automation.form.amountInvalid');
  if (min != null && max != null && min > max) errors['conditions.maxAmount'] = t('automation.form.amountOrder');
  if (d.actions.length === 0) errors.actions = t('automation.form.actionsRequired');
  d.actions.forEach((a, i) => {
    const p = `actions.${i}`;
    const template = (field: 'titleTemplate' | 'descriptionTemplate' | 'textTemplate', required: boolean) => {
      const value = a[field].trim();
      // Unknown {placeholders} are left to the server: its message lists the ones available.
      if (required && !value) errors[`${p}.${field}`] = t('automation.form.titleRequired');
    };
    if (a.type === 'create_task') {
      template('titleTemplate', true);
      template('descriptionTemplate', false);
      if (a.atTime.trim() && !/^([01]\d|2[0-3]):[0-5]\d$/.test(a.atTime.trim())) errors[`${p}.atTime`] = t('automation.form.atTimeInvalid');
      if (a.assigneeKind === 'user' && !a.assigneeUserId) errors[`${p}.assigneeUserId`] = t('automation.form.userRequired');
    }
    if (a.type === 'move_deal' && !a.stageCode) errors[`${p}.stageCode`] = t('automation.form.stageRequired');
    if (a.type === 'notify') {
      template('titleTemplate', true);
      template('textTemplate', false);
      if (a.toKind === 'user' && !a.toUserId) errors[`${p}.toUserId`] = t('automation.form.userRequired');
    }
    if (a.type === 'webhook') {
      if (!/^https?:\/\/\S+$/i.test(a.url.trim())) errors[`${p}.url`] = t('automation.form.urlInvalid');
      if (a.secret && a.secret.length < 8) errors[`${p}.secret`] = t('automation.form.secretShort');
    }
  });
  return errors;
}

/** A server `fields` path → the editor's input (`actions.0.dueOffset.atTime` → `actions.0.atTime`); null if none fits. */
export function formPath(path: string, d: RuleDraft): string | null {
  if (path === 'name' || path === 'trigger' || path === 'enabled' || path === 'actions') return path;
  const cond = /^conditions\.(pipelineId|stageCode|minAmount|maxAmount|ownerId|source)$/.exec(path);
  if (cond) return path;
  if (path === 'conditions') return 'conditions.stageCode';
  const m = /^actions\.(\d+)(?:\.(.+))?$/.exec(path);
  if (!m) return null;
  const i = Number(m[1]);
  const rest = m[2] ?? '';
  const a = d.actions[i];
  if (!a) return 'actions';
  const p = `actions.${i}`;
  if (rest === '' || rest === 'type') return `${p}.type`;
  if (rest.startsWith('dueOffset')) {
    const sub = rest.split('.')[1];
    return `${p}.${sub && ['days', 'hours', 'minutes', 'atTime'].includes(sub) ? sub : 'days'}`;
  }
  if (rest.startsWith('assignee')) return `${p}.${a.assigneeKind === 'user' ? 'assigneeUserId' : 'assigneeKind'}`;
  if (rest.startsWith('to')) return `${p}.${a.toKind === 'user' ? 'toUserId' : 'toKind'}`;
  if (['taskType', 'titleTemplate', 'descriptionTemplate', 'textTemplate', 'stageCode', 'onlyForward', 'url', 'secret'].includes(rest))
    return `${p}.${rest}`;
  return null;
}
