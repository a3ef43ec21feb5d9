import { z } from 'zod';
import { idSchema, moneySchema, requiredText, versionSchema } from './shared.js';
import { taskTypeSchema } from './tasks.js';

/**
 * Automation rules (DESIGN §5): a trigger, conditions and actions, stored in the database, run by the job
 * runner once per (rule, event). The regulation's defaults are seeded as rules an admin can see and change.
 */
export const automationTriggers = [
  'deal.stage_entered',
  'invoice.issued',
  'invoice.sent',
  'invoice.paid',
  'invoice.overdue',
  'production.done',
  'review.negative',
  'lead.created',
] as const;
export const automationTriggerSchema = z.enum(automationTriggers, { error: () => `Событие: одно из ${automationTriggers.join(', ')}` });
export type AutomationTrigger = z.infer<typeof automationTriggerSchema>;

export const automationTriggerLabelsRu: Record<AutomationTrigger, string> = {
  'deal.stage_entered': 'Сделка перешла на этап',
  'invoice.issued': 'Счёт выставлен',
  'invoice.sent': 'Счёт отправлен клиенту',
  'invoice.paid': 'Счёт оплачен',
  'invoice.overdue': 'Счёт просрочен',
  'production.done': 'Заказ производства выполнен (сдано клиенту)',
  'review.negative': 'Отрицательный отзыв',
  'lead.created': 'Новый лид',
};

/** Placeholders a title or text template may use; an unknown one is a 400. */
export const templatePlaceholders = [
  'deal.title',
  'deal.amount',
  'deal.stage',
  'client.name',
  'invoice.number',
  'review.rating',
  'review.text',
  'order.number',
  'lead.name',
] as const;

const PLACEHOLDER_RE = /\{([a-zA-Z]+\.[a-zA-Z]+)\}/g;

/** Placeholders of a template that are not in the list above. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(templatePlaceholders);
  return [...template.matchAll(PLACEHOLDER_RE)].map((m) => m[1]).filter((p) => !known.has(p));
}

/** Substitutes `{deal.title}`-style placeholders; a known one without a value becomes empty, anything else stays. */
export function renderTemplate(template: string, vars: Record<string, string | number | null | undefined>): string {
  return template.replace(PLACEHOLDER_RE, (whole, key: string) => {
    if (!(key in vars)) return (templatePlaceholders as readonly string[]).includes(key) ? '' : whole;
    const v = vars[key];
    return v === null || v === undefined ? '' : String(v);
  });
}

const templateText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Обязательное поле')
    .max(max, `Не более ${max} символов`)
    .refine((s) => unknownPlaceholders(s).length === 0, {
      error: (iss) =>
        `Неизвестная подстановка {${unknownPlaceholders(String(iss.input))[0]}}; доступны: ${templatePlaceholders.map((p) => `{${p}}`).join(', ')}`,
    });

const optionalTemplate = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Не более ${max} символов`)
    .refine((s) => unknownPlaceholders(s).length === 0, {
      error: (iss) => `Неизвестная подстановка {${unknownPlaceholders(String(iss.input))[0]}}`,
    });

/** Who: the deal's (else the client's) owner, the head of the owner's department, or a given user. */
export const recipientSchema = z.union([z.enum(['owner', 'head']), z.strictObject({ userId: idSchema })], {
  error: () => 'Укажите "owner", "head" или {"userId": "…"}',
});
export type Recipient = z.infer<typeof recipientSchema>;

/**
 * Due time of a created task, from the event time, in the company time zone: `days` calendar days later at the
 * same wall-clock time (or at `atTime` "HH:MM" local), then plus `hours` and `minutes`.
 */
export const dueOffsetSchema = z.strictObject({
  days: z.number().int('Целое число').min(0, 'Не меньше 0').max(3650, 'Не больше 3650').optional(),
  hours: z.number().int('Целое число').min(0, 'Не меньше 0').max(10000, 'Не больше 10000').optional(),
  minutes: z.number().int('Целое число').min(0, 'Не меньше 0').max(100000, 'Не больше 100000').optional(),
  atTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Время в формате ЧЧ:ММ')
    .optional(),
});
export type DueOffset = z.infer<typeof dueOffsetSchema>;

const createTaskShape = {
  type: z.literal('create_task'),
  taskType: taskTypeSchema,
  titleTemplate: templateText(300),
  descriptionTemplate: optionalTemplate(2000).optional(),
  dueOffset: dueOffsetSchema.default({}),
  assignee: recipientSchema.default('owner'),
};
const moveDealShape = {
  type: z.literal('move_deal'),
  stageCode: z.string().trim().min(1, 'Обязательное поле').max(64),
  /** Only to a stage after the current one (default true). */
  onlyForward: z.boolean().default(true),
};
const notifyShape = {
  type: z.literal('notify'),
  to: recipientSchema,
  titleTemplate: templateText(300),
  textTemplate: optionalTemplate(2000).optional(),
};
const webhookShape = {
  type: z.literal('webhook'),
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'Адрес вида https://…'),
  /** HMAC-SHA256 key: the body is signed in `X-Voronka-Signature: sha256=<hex>`. */
  secret: z.string().min(8, 'Не короче 8 символов').max(200).optional(),
};

/** Actions as an admin writes them: unknown keys are refused (400 naming the field). */
export const automationActionInput = z.discriminatedUnion(
  'type',
  [z.strictObject(createTaskShape), z.strictObject(moveDealShape), z.strictObject(notifyShape), z.strictObject(webhookShape)],
  { error: () => 'Действие: create_task, move_deal, notify или webhook' },
);
export type AutomationActionInput = z.input<typeof automationActionInput>;
export type AutomationAction = z.output<typeof automationActionInput>;

/** Actions as the API returns them; a webhook secret is shown to the admin only (others see hasSecret). */
export const automationActionSchema = z.discriminatedUnion('type', [
  z.object(createTaskShape),
  z.object(moveDealShape),
  z.object(notifyShape),
  z.object({ ...webhookShape, secret: z.string().optional(), hasSecret: z.boolean().optional() }),
]);

export const automationConditionsSchema = z
  .strictObject({
    pipelineId: idSchema.nullish(),
    /** deal.stage_entered: the stage entered; other triggers: the deal's current stage. */
    stageCode: z.string().trim().min(1).max(64).nullish(),
    /** Kopecks: the event's amount (invoice total) or else the deal's amount. */
    minAmount: moneySchema.min(0, 'Не меньше 0').nullish(),
    maxAmount: moneySchema.min(0, 'Не меньше 0').nullish(),
    ownerId: idSchema.nullish(),
    source: z.string().trim().min(1).max(200).nullish(),
  })
  .refine((c) => c.minAmount == null || c.maxAmount == null || c.minAmount <= c.maxAmount, {
    path: ['maxAmount'],
    message: 'Максимальная сумма меньше минимальной',
  });
export type AutomationConditions = {
  pipelineId?: string;
  stageCode?: string;
  minAmount?: number;
  maxAmount?: number;
  ownerId?: string;
  source?: string;
};

export const automationRuleSchema = z.object({
  id: idSchema,
  /** Stable code of a seeded default rule (null for rules made by an admin); such rules can be disabled, not deleted. */
  code: z.string().nullable(),
  name: z.string(),
  trigger: automationTriggerSchema,
  enabled: z.boolean(),
  conditions: z.object({
    pipelineId: z.string().optional(),
    stageCode: z.string().optional(),
    minAmount: z.number().int().optional(),
    maxAmount: z.number().int().optional(),
    ownerId: z.string().optional(),
    source: z.string().optional(),
  }),
  actions: z.array(automationActionSchema),
  system: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type AutomationRule = z.infer<typeof automationRuleSchema>;

export const createRuleBody = z.object({
  name: requiredText(200),
  trigger: automationTriggerSchema,
  enabled: z.boolean().default(true),
  conditions: automationConditionsSchema.default({}),
  actions: z.array(automationActionInput).min(1, 'Нужно хотя бы одно действие').max(20, 'Не больше 20 действий'),
});
export type CreateRuleInput = z.output<typeof createRuleBody>;

export const patchRuleBody = z.object({
  name: requiredText(200).optional(),
  enabled: z.boolean().optional(),
  conditions: automationConditionsSchema.optional(),
  actions: z.array(automationActionInput).min(1, 'Нужно хотя бы одно действие').max(20, 'Не больше 20 действий').optional(),
  version: versionSchema,
});
export type PatchRuleInput = z.output<typeof patchRuleBody>;

export const rulesQuery = z.object({
  trigger: automationTriggerSchema.optional(),
  enabled: z.enum(['true', 'false'], { error: () => 'enabled: true или false' }).optional(),
});

export const automationRunStatuses = ['ok', 'failed'] as const;

/** One execution of a rule for one event (the log on the deal card). */
export const automationRunSchema = z.object({
  id: idSchema,
  ruleId: idSchema.nullable(),
  ruleName: z.string(),
  trigger: z.string(),
  eventKey: z.string(),
  dealId: idSchema.nullable(),
  clientId: idSchema.nullable(),
  status: z.enum(automationRunStatuses),
  error: z.string().nullable(),
  attempts: z.number().int(),
  /** What each action did, e.g. `{type:"create_task", taskId}`, `{type:"webhook", status:200}`. */
  results: z.array(z.record(z.string(), z.unknown())),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AutomationRun = z.infer<typeof automationRunSchema>;

export const runsQuery = z.object({
  dealId: idSchema.optional(),
  ruleId: idSchema.optional(),
  status: z.enum(automationRunStatuses).optional(),
});
