import type { AutomationAction, AutomationConditions, AutomationTrigger } from '../../../common/api/automation.js';

export interface DefaultRule {
  /** Stable: the seed is matched by it, so an admin's edits and deletions of other rules survive restarts. */
  code: string;
  name: string;
  trigger: AutomationTrigger;
  enabled: boolean;
  conditions: AutomationConditions;
  actions: AutomationAction[];
}

/**
 * The regulation's behaviours that are rules (DESIGN §5), seeded once each. Behaviours that stay code (invoice
 * issue/payment moving the deal, the overdue payment-control task, lead assignment and SLA) are listed in docs/API.md.
 */
export const defaultRules: DefaultRule[] = [
  {
    code: 'feedback_after_delivery',
    name: 'Сдача клиенту → задача собрать отзыв через 15 дней',
    trigger: 'production.done',
    enabled: true,
    conditions: {},
    actions: [
      {
        type: 'create_task',
        taskType: 'call',
        titleTemplate: 'Собрать отзыв: {deal.title}',
        descriptionTemplate:
          'Позвоните клиенту {client.name}: как работа и продукт в использовании? Запишите отзыв в базу отзывов (раздел «Отзывы» или карточка клиента).',
        dueOffset: { days: 15 },
        assignee: 'owner',
      },
    ],
  },
  {
    code: 'negative_review_control',
    name: 'Отрицательный отзыв → контрольная задача руководителю',
    trigger: 'review.negative',
    enabled: true,
    conditions: {},
    actions: [
      {
        type: 'create_task',
        taskType: 'control',
        titleTemplate: 'Разобрать отрицательный отзыв: {client.name}',
        descriptionTemplate: 'Оценка {review.rating} из 5. «{review.text}»',
        dueOffset: { days: 1 },
        assignee: 'head',
      },
      {
        type: 'notify',
        to: 'head',
        titleTemplate: 'Отрицательный отзыв: {client.name}',
        textTemplate: 'Оценка {review.rating} из 5. {review.text}',
      },
    ],
  },
  {
    code: 'agreed_issue_invoice',
    name: 'Согласие клиента → задача выставить счёт (пример, выключено)',
    trigger: 'deal.stage_entered',
    enabled: false,
    conditions: { stageCode: 'agreed' },
    actions: [
      {
        type: 'create_task',
        taskType: 'other',
        titleTemplate: 'Выставить счёт: {deal.title}',
        descriptionTemplate: 'Клиент {client.name} согласен: передайте заказ в бухгалтерию или выставьте счёт из сделки.',
        dueOffset: { hours: 4 },
        assignee: 'owner',
      },
    ],
  },
];
