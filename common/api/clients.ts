/**
 * HTTP contract of clients (client cards), their contacts, search and loss reasons (DESIGN §4).
 * Requisites are checked here (checksums); a bank account is keyed against the BIK by the server,
 * which also normalises phones to E.164 and reports an unparseable one under `phones.N`.
 */
import { z } from 'zod';
import { idSchema, isoTimestamp, listFormatSchema, requiredText, versionSchema } from './shared.js';
import { bikSchema, innSchema, kppSchema, ogrnSchema } from '../requisites.js';
import { normalizePhone } from '../phone.js';

export const clientKindSchema = z.enum(['company', 'person'], { error: () => 'Тип клиента: company или person' });
export const clientStatusSchema = z.enum(['active', 'refused']);

/** Empty strings from forms mean "not set". */
const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const optionalText = (max = 500) => z.preprocess(blankToNull, z.string().trim().max(max, `Не более ${max} символов`).nullable().optional());
const optionalReq = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankToNull, schema.nullable().optional());

/** A phone in any usual form, stored as E.164. */
export const phoneInputSchema = z
  .string()
  .max(50)
  .transform((v, ctx) => {
    const e164 = normalizePhone(v);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'Неверный номер телефона' });
      return z.NEVER;
    }
    return e164;
  });

export const contactEmailSchema = z
  .string()
  .trim()
  .max(254)
  .email('Некорректный e-mail')
  .transform((s) => s.toLowerCase());

const phonesSchema = z.array(phoneInputSchema).max(20, 'Не более 20 телефонов');
const emailsSchema = z.array(contactEmailSchema).max(20, 'Не более 20 адресов');
const tagsSchema = z.array(z.string().trim().min(1).max(50)).max(30);

const clientFields = {
  name: requiredText(300),
  legalName: optionalText(500),
  inn: optionalReq(innSchema),
  kpp: optionalReq(kppSchema),
  ogrn: optionalReq(ogrnSchema),
  bik: optionalReq(bikSchema),
  account: optionalReq(z.string().trim().toUpperCase()),
  corrAccount: optionalReq(z.string().trim()),
  bankName: optionalText(300),
  phones: phonesSchema.optional(),
  emails: emailsSchema.optional(),
  region: optionalText(200),
  address: optionalText(1000),
  source: optionalText(200),
  tags: tagsSchema.optional(),
  ownerId: idSchema.optional(),
};

export const createClientBody = z.object({
  kind: clientKindSchema,
  ...clientFields,
  /** Create even when a client with the same ИНН, phone or e-mail exists (head, owner, admin). */
  force: z.boolean().optional(),
});
export type CreateClientInput = z.infer<typeof createClientBody>;

export const patchClientBody = z.object({
  kind: clientKindSchema.optional(),
  ...clientFields,
  name: requiredText(300).optional(),
  negativeFeedback: z.boolean().optional(),
  force: z.boolean().optional(),
  version: versionSchema,
});
export type PatchClientInput = z.infer<typeof patchClientBody>;

export const clientSchema = z.object({
  id: idSchema,
  kind: clientKindSchema,
  name: z.string(),
  legalName: z.string().nullable(),
  inn: z.string().nullable(),
  kpp: z.string().nullable(),
  ogrn: z.string().nullable(),
  bik: z.string().nullable(),
  account: z.string().nullable(),
  corrAccount: z.string().nullable(),
  bankName: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  region: z.string().nullable(),
  address: z.string().nullable(),
  source: z.string().nullable(),
  tags: z.array(z.string()),
  ownerId: idSchema.nullable(),
  status: clientStatusSchema,
  refusalReasonId: idSchema.nullable(),
  refusalComment: z.string().nullable(),
  negativeFeedback: z.boolean(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  version: z.number().int(),
});
export type Client = z.infer<typeof clientSchema>;

export const clientListQuery = z.object({
  q: z.string().max(200).optional(),
  status: clientStatusSchema.optional(),
  ownerId: idSchema.optional(),
  region: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  /** xlsx | csv: every matching client as a file (limit and cursor ignored). */
  format: listFormatSchema,
});
export type ClientListQuery = z.infer<typeof clientListQuery>;

export const clientCountsSchema = z.object({ total: z.number().int(), active: z.number().int(), refused: z.number().int() });

/** No reasonId is a business rule (422), checked by the server, so the field is optional here. */
export const refusalBody = z.object({
  reasonId: idSchema.nullable().optional(),
  comment: z.string().trim().max(10000).optional(),
  version: versionSchema.optional(),
});

export const mergeBody = z.object({ sourceId: idSchema });
export const reassignBody = z.object({ ownerId: idSchema });
export const bulkReassignBody = z.object({ fromOwnerId: idSchema, toOwnerId: idSchema });
export const bulkReassignResult = z.object({ count: z.number().int() });

// ── contacts ──
export const contactSchema = z.object({
  id: idSchema,
  clientId: idSchema,
  name: z.string(),
  position: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  version: z.number().int(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});
export type Contact = z.infer<typeof contactSchema>;

export const createContactBody = z.object({
  name: requiredText(300),
  position: optionalText(300),
  phones: phonesSchema.optional(),
  emails: emailsSchema.optional(),
});
export type CreateContactInput = z.infer<typeof createContactBody>;

export const patchContactBody = z.object({
  name: requiredText(300).optional(),
  position: optionalText(300),
  phones: phonesSchema.optional(),
  emails: emailsSchema.optional(),
  version: versionSchema.optional(),
});
export type PatchContactInput = z.infer<typeof patchContactBody>;

// ── search ──
export const searchQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const contactHitSchema = z.object({
  id: idSchema,
  name: z.string(),
  position: z.string().nullable(),
  clientId: idSchema,
  clientName: z.string(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
});
export type ContactHit = z.infer<typeof contactHitSchema>;

export const searchResultSchema = z.object({
  clients: z.array(clientSchema),
  contacts: z.array(contactHitSchema),
  /** Filled by the deals module when present. */
  deals: z.array(z.any()),
});

// ── loss reasons ──
export const lossReasonSchema = z.object({
  id: idSchema,
  name: z.string(),
  archived: z.boolean(),
  position: z.number().int(),
});
export type LossReason = z.infer<typeof lossReasonSchema>;

export const createLossReasonBody = z.object({ name: requiredText(200) });
export const patchLossReasonBody = z.object({
  name: requiredText(200).optional(),
  archived: z.boolean().optional(),
  position: z.number().int().min(0).optional(),
});
