/**
 * HTTP contract of invoices and payments (DESIGN §4). Money is integer kopecks; prices include VAT, a line's
 * VAT is round(total × rate / (100 + rate)); dates are 'YYYY-MM-DD' in the company time zone.
 */
import { z } from 'zod';
import { calendarDateSchema, dateRangeQuery, idSchema, listFormatSchema, versionSchema, YEAR_MESSAGE, yearInBounds } from './shared.js';
import { taxModeSchema } from './settings.js';

export const invoiceStatuses = ['issued', 'sent', 'partially_paid', 'paid', 'cancelled'] as const;
export const invoiceStatusSchema = z.enum(invoiceStatuses, { error: () => `Статус: одно из ${invoiceStatuses.join(', ')}` });
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

export const invoiceStatusLabelsRu: Record<InvoiceStatus, string> = {
  issued: 'Выставлен',
  sent: 'Отправлен',
  partially_paid: 'Оплачен частично',
  paid: 'Оплачен',
  cancelled: 'Аннулирован',
};

/** Statuses of an invoice still waiting for money. */
export const openInvoiceStatuses: InvoiceStatus[] = ['issued', 'sent', 'partially_paid'];

export const invoiceItemSchema = z.object({
  name: z.string(),
  quantity: z.number(),
  unit: z.string(),
  /** Kopecks per unit, VAT included. */
  price: z.number().int(),
  /** Percent; null = «Без НДС». */
  vatRate: z.number().nullable(),
  /** round(quantity × price). */
  total: z.number().int(),
  /** VAT included in total. */
  vat: z.number().int(),
});
export type InvoiceItem = z.infer<typeof invoiceItemSchema>;

export const invoicePartySchema = z.object({
  name: z.string(),
  inn: z.string().nullable(),
  kpp: z.string().nullable(),
  address: z.string().nullable(),
});
export type InvoiceParty = z.infer<typeof invoicePartySchema>;

/** The seller's requisites as they were when the invoice was issued. */
export const invoiceSellerSchema = invoicePartySchema.extend({
  ogrn: z.string().nullable(),
  bankName: z.string(),
  bik: z.string(),
  account: z.string(),
  corrAccount: z.string(),
  director: z.string(),
  chiefAccountant: z.string().nullable(),
});
export type InvoiceSeller = z.infer<typeof invoiceSellerSchema>;

/** An invoice as lists show it (no items). */
export const invoiceSummarySchema = z.object({
  id: idSchema,
  /** As printed: prefix + sequence number, e.g. "СЧ-17" or "17". */
  number: z.string(),
  /** The sequence number within the year (1, 2, …): no gaps, no duplicates. */
  seq: z.number().int(),
  year: z.number().int(),
  date: z.string(),
  dueDate: z.string(),
  dealId: idSchema,
  dealTitle: z.string(),
  clientId: idSchema,
  clientName: z.string(),
  /** The deal's owner (the responsible manager). */
  ownerId: idSchema.nullable(),
  /** Total without VAT (total − vatAmount). */
  subtotal: z.number().int(),
  vatAmount: z.number().int(),
  /** «Всего к оплате», VAT included. */
  total: z.number().int(),
  /** Paid towards this invoice (a confirmed surplus goes to the client's credit, not here). */
  paidAmount: z.number().int(),
  status: invoiceStatusSchema,
  /** Not paid in full and past its due date (company time zone). */
  overdue: z.boolean(),
  sentAt: z.string().nullable(),
  sentTo: z.string().nullable(),
  /** The day of the payment that covered the total. */
  paidAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  /** The invoice this one re-issues, and the one that replaced this one. */
  reissueOfId: idSchema.nullable(),
  replacedById: idSchema.nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummarySchema>;

export const invoiceSchema = invoiceSummarySchema.extend({
  items: z.array(invoiceItemSchema),
  taxMode: taxModeSchema,
  seller: invoiceSellerSchema,
  buyer: invoicePartySchema,
});
export type Invoice = z.infer<typeof invoiceSchema>;

const day = calendarDateSchema;

/** from/to: invoice date on or after / on or before (inclusive). */
export const invoicesQuery = dateRangeQuery.extend({
  status: invoiceStatusSchema.optional(),
  clientId: idSchema.optional(),
  dealId: idSchema.optional(),
  /** true: only overdue invoices (the accountant's overdue list); false: only those not overdue. */
  overdue: z.enum(['true', 'false'], { error: () => 'overdue: true или false' }).optional(),
  /** Number or client name (case-insensitive, ё = е). */
  q: z.string().max(200).optional(),
});
export type InvoicesQuery = z.infer<typeof invoicesQuery>;

export const invoicesListQuery = invoicesQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  /** xlsx | csv: the register as a file (every matching invoice; XLSX with totals; limit and cursor ignored). */
  format: listFormatSchema,
});

export const invoicesSummarySchema = z.object({
  count: z.number().int(),
  total: z.number().int(),
  paid: z.number().int(),
  outstanding: z.number().int(),
  overdueCount: z.number().int(),
  overdueAmount: z.number().int(),
});
export type InvoicesSummary = z.infer<typeof invoicesSummarySchema>;

export const sendInvoiceBody = z.object({
  /** Defaults to the client's first e-mail. */
  email: z.string().trim().max(254).email('Некорректный e-mail').optional(),
});

export const cancelInvoiceBody = z.object({
  reason: z.string().trim().max(1000).optional(),
  version: versionSchema.optional(),
});

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export const paymentBody = z.object({
  amount: z
    .number({ error: 'Сумма оплаты — целое число копеек' })
    .int('Сумма оплаты — целое число копеек')
    .positive('Сумма оплаты должна быть больше нуля')
    .max(Number.MAX_SAFE_INTEGER, 'Слишком большая сумма'),
  /** The day the money arrived: 'YYYY-MM-DD' or an ISO timestamp (taken in the company time zone). */
  paidAt: z
    .string({ error: 'Укажите дату оплаты' })
    .refine(
      (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? day.safeParse(s).success : ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s))),
      'Дата оплаты: ГГГГ-ММ-ДД или ISO-8601',
    )
    .refine(yearInBounds, YEAR_MESSAGE),
  reference: z.string().trim().max(500, 'Не более 500 символов').optional(),
  /** Accept a payment above the outstanding amount: the surplus becomes the client's credit. */
  confirmCredit: z.boolean().optional(),
});
export type PaymentInput = z.infer<typeof paymentBody>;

export const paymentSchema = z.object({
  id: idSchema,
  invoiceId: idSchema,
  clientId: idSchema,
  /** Applied to the invoice. */
  amount: z.number().int(),
  /** The surplus recorded as the client's credit (0 normally). */
  credit: z.number().int(),
  /** amount + credit: what actually arrived. */
  received: z.number().int(),
  paidAt: z.string(),
  reference: z.string().nullable(),
  createdBy: idSchema.nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const paymentsList = z.object({ items: z.array(paymentSchema), nextCursor: z.null() });

export const clientCreditSchema = z.object({
  clientId: idSchema,
  /** Sum of every recorded surplus, kopecks. */
  balance: z.number().int(),
  items: z.array(
    z.object({
      id: idSchema,
      paymentId: idSchema,
      invoiceId: idSchema,
      invoiceNumber: z.string(),
      amount: z.number().int(),
      createdAt: z.string(),
    }),
  ),
});
export type ClientCredit = z.infer<typeof clientCreditSchema>;
