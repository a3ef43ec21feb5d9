import { z } from 'zod';
import { idSchema, requiredText, versionSchema } from './shared.js';

/** How a web form's leads get their manager. */
export const assignmentStrategyValues = ['round_robin', 'least_loaded', 'rules'] as const;
export const assignmentStrategySchema = z.enum(assignmentStrategyValues, {
  error: () => `Стратегия распределения: одно из ${assignmentStrategyValues.join(', ')}`,
});
export type AssignmentStrategy = z.infer<typeof assignmentStrategySchema>;

export const assignmentStrategyLabelsRu: Record<AssignmentStrategy, string> = {
  round_robin: 'По очереди',
  least_loaded: 'Наименее загруженному',
  rules: 'По правилам',
};

/**
 * A rule: when the lead's `field` equals `equals` (case-insensitive, trimmed), the lead goes to `userId`.
 * `field` is `region`, `utm_source`, or the name of any field of the submitted form.
 */
export const assignmentRuleSchema = z.object({
  field: z.string().trim().min(1, 'Укажите поле').max(200),
  equals: z.string().trim().min(1, 'Укажите значение').max(500),
  userId: idSchema,
});
export type AssignmentRule = z.infer<typeof assignmentRuleSchema>;

export const assignmentSchema = z.object({
  strategy: assignmentStrategySchema,
  /** The pool: round_robin and least_loaded pick among them; rules fall back to round_robin over them. */
  userIds: z.array(idSchema).max(200),
  rules: z.array(assignmentRuleSchema).max(200).optional(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

const originSchema = z
  .string()
  .trim()
  .max(300)
  .refine((s) => s === '*' || /^https?:\/\/[^/\s?#]+$/i.test(s), 'Источник: схема и хост без пути, например https://example.ru, или *')
  .transform((s) => s.toLowerCase());

export const rateLimitSchema = z.object({
  /** Submissions per minute from one IP address to this form. */
  perIpPerMinute: z.number().int().min(1).max(1_000_000),
  /** Submissions per minute to this form from everyone. */
  perFormPerMinute: z.number().int().min(1).max(10_000_000),
});
export type FormRateLimit = z.infer<typeof rateLimitSchema>;

export const DEFAULT_FORM_RATE_LIMIT: FormRateLimit = { perIpPerMinute: 20, perFormPerMinute: 600 };
export const DEFAULT_SLA_MINUTES = 15;

const honeypotSchema = z
  .string()
  .trim()
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_\-[\]]*$/, 'Имя поля: латинские буквы, цифры, _ и -');

export const formSchema = z.object({
  id: idSchema,
  token: z.string(),
  name: z.string(),
  assignment: assignmentSchema,
  slaMinutes: z.number().int(),
  allowedOrigins: z.array(z.string()),
  thankYouText: z.string().nullable(),
  honeypotField: z.string().nullable(),
  rateLimit: rateLimitSchema,
  active: z.boolean(),
  /** Where the site posts its submissions: `${publicUrl}/api/public/forms/${token}`. */
  endpointUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type WebForm = z.infer<typeof formSchema>;

export const createFormBody = z.object({
  name: requiredText(200),
  assignment: assignmentSchema,
  slaMinutes: z
    .number()
    .int()
    .min(1, 'Не меньше 1 минуты')
    .max(7 * 24 * 60, 'Не больше недели')
    .default(DEFAULT_SLA_MINUTES),
  allowedOrigins: z.array(originSchema).max(50).optional(),
  thankYouText: z.string().trim().max(2000).nullable().optional(),
  honeypotField: honeypotSchema.nullable().optional(),
  rateLimit: rateLimitSchema.optional(),
  active: z.boolean().optional(),
});
export type CreateFormInput = z.input<typeof createFormBody>;

export const patchFormBody = z.object({
  name: requiredText(200).optional(),
  assignment: assignmentSchema.optional(),
  slaMinutes: z
    .number()
    .int()
    .min(1, 'Не меньше 1 минуты')
    .max(7 * 24 * 60, 'Не больше недели')
    .optional(),
  allowedOrigins: z.array(originSchema).max(50).optional(),
  thankYouText: z.string().trim().max(2000).nullable().optional(),
  honeypotField: honeypotSchema.nullable().optional(),
  rateLimit: rateLimitSchema.optional(),
  active: z.boolean().optional(),
  version: versionSchema.optional(),
});
export type PatchFormInput = z.infer<typeof patchFormBody>;

export const formSnippetSchema = z.object({
  /** A ready HTML form wired to Voronka by the embed script. */
  html: z.string(),
  /** The `<script>` tag that loads the embed script. */
  script: z.string(),
});
export type FormSnippet = z.infer<typeof formSnippetSchema>;

/** Answer of the public endpoint. */
export const publicSubmitResponse = z.object({
  leadId: z.string(),
  /** The form's thank-you text, for the embed script to show. */
  message: z.string(),
});

export const DEFAULT_THANK_YOU_RU = 'Спасибо! Ваша заявка принята, мы скоро свяжемся с вами.';
