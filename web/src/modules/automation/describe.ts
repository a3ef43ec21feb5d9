import type { TFunction } from 'i18next';
import type { User } from '../../api/types';
import { formatMoney } from '../../../../common/money';
import type { AutomationRule, DueOffset, Recipient } from '../../../../common/api/automation';
import type { Pipeline } from '../../../../common/api/pipelines';

/** Names the rules list needs: stage names by code, pipelines and users by id. */
export interface Lookup {
  stageName: (code: string, pipelineId?: string) => string;
  pipelineName: (id: string) => string;
  userName: (id: string) => string;
}

export function makeLookup(pipelines: Pipeline[] | undefined, users: User[] | undefined): Lookup {
  const list = [...(pipelines ?? [])].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return {
    stageName: (code, pipelineId) => {
      const scoped = pipelineId ? list.filter((p) => p.id === pipelineId) : list;
      for (const p of scoped) {
        const stage = p.stages.find((s) => s.code === code);
        if (stage) return stage.name;
      }
      return code;
    },
    pipelineName: (id) => list.find((p) => p.id === id)?.name ?? '…',
    userName: (id) => users?.find((u) => u.id === id)?.name ?? '…',
  };
}

/** Stage choices by code: of one pipeline, or of all (the default pipeline's names first). */
export function stageOptions(pipelines: Pipeline[] | undefined, pipelineId: string | null): { value: string; label: string }[] {
  const list = [...(pipelines ?? [])]
    .filter((p) => !p.archived || p.id === pipelineId)
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const scoped = pipelineId ? list.filter((p) => p.id === pipelineId) : list;
  const seen = new Map<string, string>();
  for (const p of scoped)
    for (const s of [...p.stages].sort((a, b) => a.position - b.position))
      if (!s.archived && !seen.has(s.code)) seen.set(s.code, scoped.length > 1 && !p.isDefault ? `${s.name} (${p.name})` : s.name);
  return [...seen].map(([value, label]) => ({ value, label }));
}

export function describeTrigger(rule: Pick<AutomationRule, 'trigger' | 'conditions'>, look: Lookup, t: TFunction): string {
  if (rule.trigger === 'deal.stage_entered')
    return rule.conditions.stageCode
      ? t('automation.triggerStage', { stage: look.stageName(rule.conditions.stageCode, rule.conditions.pipelineId) })
      : t('automation.triggerAnyStage');
  return t(`automation.trigger.${rule.trigger}`);
}

export function describeConditions(rule: Pick<AutomationRule, 'trigger' | 'conditions'>, look: Lookup, t: TFunction): string {
  const c = rule.conditions;
  const parts: string[] = [];
  if (c.pipelineId) parts.push(t('automation.summary.pipeline', { name: look.pipelineName(c.pipelineId) }));
  if (c.stageCode && rule.trigger !== 'deal.stage_entered')
    parts.push(t('automation.summary.stage', { name: look.stageName(c.stageCode, c.pipelineId) }));
  if (c.minAmount != null && c.maxAmount != null)
    parts.push(t('automation.summary.amountBetween', { from: formatMoney(c.minAmount), to: formatMoney(c.maxAmount) }));
  else if (c.minAmount != null) parts.push(t('automation.summary.amountFrom', { amount: formatMoney(c.minAmount) }));
  else if (c.maxAmount != null) parts.push(t('automation.summary.amountTo', { amount: formatMoney(c.maxAmount) }));
  if (c.ownerId) parts.push(t('automation.summary.owner', { name: look.userName(c.ownerId) }));
  if (c.source) parts.push(t('automation.summary.source', { source: c.source }));
  if (!parts.length) return t('automation.summary.none');
  const text = parts.join('; ');
  return text[0].toUpperCase() + text.slice(1);
}

export function describeDue(due: DueOffset | undefined, t: TFunction): string {
  const parts: string[] = [];
  if (due?.days) parts.push(t('automation.summary.days', { count: due.days }));
  if (due?.hours) parts.push(t('automation.summary.hours', { count: due.hours }));
  if (due?.minutes) parts.push(t('automation.summary.minutes', { count: due.minutes }));
  const when = parts.length ? t('automation.summary.dueIn', { parts: parts.join(' ') }) : due?.atTime ? '' : t('automation.summary.dueNow');
  const at = due?.atTime ? t('automation.summary.dueAt', { time: due.atTime }) : '';
  return [when, at].filter(Boolean).join(' ');
}

function who(r: Recipient | undefined, look: Lookup, t: TFunction, notify = false): string {
  const base = notify ? 'automation.summary.whoNotify' : 'automation.summary.who';
  if (!r || r === 'owner') return t(`${base}.owner`);
  if (r === 'head') return t(`${base}.head`);
  return t(`${base}.user`, { name: look.userName(r.userId) });
}

/** One line per action, in Russian: «Задача «Собрать отзыв: {deal.title}» (Звонок) — ответственному, через 15 дней». */
export function describeActions(
  rule: Pick<AutomationRule, 'actions' | 'conditions'>,
  look: Lookup,
  t: TFunction,
  taskTypeLabel: (type: string) => string,
): string[] {
  return rule.actions.map((a) => {
    switch (a.type) {
      case 'create_task':
        return t('automation.summary.task', {
          title: a.titleTemplate,
          type: taskTypeLabel(a.taskType).toLowerCase(),
          who: who(a.assignee, look, t),
          due: describeDue(a.dueOffset, t),
        });
      case 'move_deal':
        return (
          t('automation.summary.move', { stage: look.stageName(a.stageCode, rule.conditions.pipelineId) }) +
          (a.onlyForward === false ? t('automation.summary.moveAny') : '')
        );
      case 'notify':
        return t('automation.summary.notify', { who: who(a.to, look, t, true), title: a.titleTemplate });
      case 'webhook':
        return t('automation.summary.webhook', { url: a.url });
      default:
        return String((a as { type?: string }).type);
    }
  });
}
