import { z } from 'zod';
import { clientSchema } from './clients.js';
import { dealSchema } from './deals.js';
import { idSchema, listFormatSchema, versionSchema } from './shared.js';

export const leadStatusValues = ['new', 'in_work', 'converted', 'junk'] as const;
export const leadStatusSchema = z.enum(leadStatusValues, { error: () => `Статус лида: одно из ${leadStatusValues.join(', ')}` });
export type LeadStatus = z.infer<typeof leadStatusSchema>;

export const leadStatusLabelsRu: Record<LeadStatus, string> = {
  new: 'Новый',
  in_work: 'В работе',
  converted: 'Сконвертирован',
  junk: 'Спам / мусор',
};

/** Where a lead came from: one intake for all of them. */
export const leadChannelValues = ['form', 'manual', 'call', 'email'] as const;
export const leadChannelSchema = z.enum(leadChannelValues);
export type LeadChannel = z.infer<typeof leadChannelSchema>;

export const leadChannelLabelsRu: Record<LeadChannel, string> = {
  form: 'Веб-форма',
  manual: 'Вручную',
  call: 'Звонок',
  email: 'E-mail',
};

export const utmSchema = z.object({
  source: z.string().nullable(),
  medium: z.string().nullable(),
  campaign: z.string().nullable(),
  term: z.string().nullable(),
  content: z.string().nullable(),
});
export type Utm = z.infer<typeof utmSchema>;

export const leadSchema = z.object({
  id: idSchema,
  status: leadStatusSchema,
  channel: leadChannelSchema,
  name: z.string().nullable(),
  /** E.164, or null when the submitted number is not a valid phone (then see `phoneRaw`). */
  phone: z.string().nullable(),
  /** The phone as submitted. */
  phoneRaw: z.string().nullable(),
  email: z.string().nullable(),
  comment: z.string().nullable(),
  company: z.string().nullable(),
  inn: z.string().nullable(),
  region: z.string().nullable(),
  source: z.string().nullable(),
  formId: idSchema.nullable(),
  formName: z.string().nullable(),
  utm: utmSchema,
  pageUrl: z.string().nullable(),
  referrer: z.string().nullable(),
  assigneeId: idSchema.nullable(),
  assigneeName: z.string().nullable(),
  slaDueAt: z.string().nullable(),
  /** Still new and past its SLA. */
  overdue: z.boolean(),
  /** When the SLA check escalated it to the head of sales. */
  escalatedAt: z.string().nullable(),
  firstResponseAt: z.string().nullable(),
  /** Minutes from arrival to the first action of a person (take, status change, convert, junk), one decimal. */
  firstResponseMinutes: z.number().nullable(),
  clientId: idSchema.nullable(),
  dealId: idSchema.nullable(),
  junkReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Lead = z.infer<typeof leadSchema>;

/** The lead card: every field as received and the raw payload. */
export const leadDetailSchema = leadSchema.extend({
  /** Every submitted field (flattened, e.g. `form_fields[name]`), values as text. */
  fields: z.record(z.string(), z.string()),
  /** The request body exactly as received (JSON text, urlencoded text, or the multipart fields as JSON). */
  raw: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  slaTaskId: idSchema.nullable(),
});
export type LeadDetail = z.infer<typeof leadDetailSchema>;

const bool = z.enum(['true', 'false']).optional();

export const leadListQuery = z.object({
  status: leadStatusSchema.optional(),
  assigneeId: idSchema.optional(),
  formId: idSchema.optional(),
  channel: leadChannelSchema.optional(),
  /** Name, phone digits, e-mail, comment. */
  q: z.string().max(200).optional(),
  /** «Просрочено»: still new and past the SLA. */
  overdue: bool,
  /** «Неразобранные»: nobody assigned. */
  unassigned: bool,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  /** xlsx | csv: every matching lead as a file (limit and cursor ignored). */
  format: listFormatSchema,
});
export type LeadListQuery = z.infer<typeof leadListQuery>;

const optText = (max: number) => z.string().trim().max(max, `Не более ${max} символов`).nullable().optional();

export const createLeadBody = z.object({
  name: optText(300),
  phone: optText(100),
  email: optText(254),
  comment: optText(10000),
  company: optText(300),
  inn: optText(12),
  region: optText(200),
  source: optText(200),
  assigneeId: idSchema.nullable().optional(),
});
export type CreateLeadInput = z.infer<typeof createLeadBody>;

export const patchLeadBody = z.object({
  name: optText(300),
  phone: optText(100),
  email: optText(254),
  comment: optText(10000),
  company: optText(300),
  inn: optText(12),
  region: optText(200),
  assigneeId: idSchema.nullable().optional(),
  /** Only `in_work` (or back to `new`); conversion and junk have their own actions. */
  status: z.enum(['new', 'in_work'], { error: () => 'Статус: new или in_work (для конвертации и спама — отдельные действия)' }).optional(),
  version: versionSchema.optional(),
});
export type PatchLeadInput = z.infer<typeof patchLeadBody>;

export const takeLeadBody = z.object({ version: versionSchema.optional() });

/** No reason is a business rule (422), so the field is optional here. */
export const junkLeadBody = z.object({
  reason: z.string().trim().max(1000).optional(),
  version: versionSchema.optional(),
});

export const convertLeadBody = z.object({
  /** Attach to this client instead of finding or creating one. */
  clientId: idSchema.optional(),
  /** Deal title; defaults to «Заявка: <name>». */
  title: z.string().trim().min(1).max(300).optional(),
  version: versionSchema.optional(),
});

export const convertLeadResult = z.object({
  lead: leadSchema,
  client: clientSchema,
  deal: dealSchema,
  /** True when an existing client was found by phone, e-mail or ИНН (or given). */
  clientExisted: z.boolean(),
});
export type ConvertLeadResult = z.infer<typeof convertLeadResult>;
