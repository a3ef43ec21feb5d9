/**
 * HTTP contract of the company settings (DESIGN §4): the seller's requisites printed on invoices, the tax mode,
 * invoice numbering and the payment term. `GET/PUT /api/settings/company`.
 * Requisites are checked with their checksums here; the bank accounts are keyed against the БИК.
 */
import { z } from 'zod';
import { bikSchema, innSchema, kppSchema, ogrnSchema, validateAccount, validateCorrAccount } from '../requisites.js';

export const taxModes = ['vat22', 'vat10', 'vat0', 'usn'] as const;
export const taxModeSchema = z.enum(taxModes, { error: () => 'Режим налогообложения: vat22, vat10, vat0 или usn' });
export type TaxMode = z.infer<typeof taxModeSchema>;

export const taxModeLabelsRu: Record<TaxMode, string> = {
  vat22: 'НДС 22 %',
  vat10: 'НДС 10 %',
  vat0: 'НДС 0 %',
  usn: 'Без НДС (УСН)',
};

/** The VAT rate a tax mode implies for new lines; null = «Без НДС». */
export function vatRateOfTaxMode(mode: TaxMode): number | null {
  return mode === 'vat22' ? 22 : mode === 'vat10' ? 10 : mode === 'vat0' ? 0 : null;
}

/** Images (logo, facsimile): PNG or JPEG as a data URL, at most this many bytes once decoded. */
export const MAX_IMAGE_BYTES = 500 * 1024;
export const IMAGE_DATA_URL_RE = /^data:image\/(png|jpeg|jpg);base64,([A-Za-z0-9+/]+={0,2})$/;

export const companySettingsSchema = z.object({
  name: z.string(),
  inn: z.string(),
  kpp: z.string(),
  ogrn: z.string(),
  address: z.string(),
  bankName: z.string(),
  bik: z.string(),
  account: z.string(),
  corrAccount: z.string(),
  director: z.string(),
  chiefAccountant: z.string(),
  taxMode: taxModeSchema,
  /** Derived from taxMode: 22, 10, 0, or null (без НДС). */
  defaultVatRate: z.number().nullable(),
  invoicePrefix: z.string(),
  paymentTermDays: z.number().int(),
  logo: z.string().nullable(),
  facsimile: z.string().nullable(),
  /**
   * «Руководитель отдела продаж (для сотрудников без отдела)»: gets the control tasks and escalations of records owned by
   * users without a department (or whose department has no head); null = those go to the record's owner himself.
   */
  salesHeadId: z.string().nullable(),
  /** 0 until first saved. */
  version: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type CompanySettings = z.infer<typeof companySettingsSchema>;

const blankToEmpty = (v: unknown) => (v === null || v === undefined ? '' : v);
const text = (max: number) => z.preprocess(blankToEmpty, z.string().trim().max(max, `Не более ${max} символов`));
const image = z.preprocess(
  (v) => (v === '' ? null : v),
  z
    .string()
    .max(Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 100, 'Изображение больше 500 КБ')
    .nullable()
    .optional(),
);

export const putCompanySettingsBody = z
  .object({
    name: text(500),
    inn: z.preprocess(blankToEmpty, z.string().trim()),
    kpp: z.preprocess(blankToEmpty, z.string().trim().toUpperCase()),
    ogrn: z.preprocess(blankToEmpty, z.string().trim()),
    address: text(1000),
    bankName: text(300),
    bik: z.preprocess(blankToEmpty, z.string().trim()),
    account: z.preprocess(blankToEmpty, z.string().trim().toUpperCase()),
    corrAccount: z.preprocess(blankToEmpty, z.string().trim()),
    director: text(200),
    chiefAccountant: text(200),
    taxMode: taxModeSchema,
    invoicePrefix: text(20).refine((s) => !/[\\/:*?"<>|]/.test(s), 'Префикс не может содержать символы \\ / : * ? " < > |'),
    paymentTermDays: z
      .number({ error: 'Срок оплаты — целое число дней' })
      .int('Срок оплаты — целое число дней')
      .min(0, 'Срок оплаты не может быть отрицательным')
      .max(365, 'Срок оплаты — не более 365 дней'),
    logo: image,
    facsimile: image,
    /** An active head, owner or admin; null clears it; omitted: unchanged. */
    salesHeadId: z.string().trim().min(1, 'Выберите сотрудника').max(100).nullable().optional(),
    /** The version read; a stale one → 409. Omitted: overwrite. */
    version: z.number().int().min(0).optional(),
  })
  .superRefine((v, ctx) => {
    const check = (path: string, schema: z.ZodTypeAny, value: string) => {
      if (!value) return;
      const r = schema.safeParse(value);
      if (!r.success) ctx.addIssue({ code: 'custom', path: [path], message: r.error.issues[0]?.message ?? 'Неверное значение' });
    };
    check('inn', innSchema, v.inn);
    check('kpp', kppSchema, v.kpp);
    check('ogrn', ogrnSchema, v.ogrn);
    check('bik', bikSchema, v.bik);
    if (v.account) {
      const m = v.bik ? validateAccount(v.bik, v.account) : 'Укажите БИК банка для расчётного счёта';
      if (m) ctx.addIssue({ code: 'custom', path: ['account'], message: m });
    }
    if (v.corrAccount) {
      const m = v.bik ? validateCorrAccount(v.bik, v.corrAccount) : 'Укажите БИК банка для корр. счёта';
      if (m) ctx.addIssue({ code: 'custom', path: ['corrAccount'], message: m });
    }
    if (v.inn.length === 12 && v.kpp) ctx.addIssue({ code: 'custom', path: ['kpp'], message: 'У индивидуального предпринимателя нет КПП' });
  });
export type PutCompanySettingsInput = z.infer<typeof putCompanySettingsBody>;

/** Requisites an invoice cannot be issued without (КПП only for an organisation, ИНН of 10 digits). */
export const requiredForInvoice: { field: keyof CompanySettings; label: string }[] = [
  { field: 'name', label: 'название' },
  { field: 'inn', label: 'ИНН' },
  { field: 'kpp', label: 'КПП' },
  { field: 'address', label: 'адрес' },
  { field: 'bankName', label: 'банк' },
  { field: 'bik', label: 'БИК' },
  { field: 'account', label: 'расчётный счёт' },
  { field: 'corrAccount', label: 'корр. счёт' },
  { field: 'director', label: 'руководитель' },
];

/** The requisites still missing for issuing invoices (КПП is not asked of an entrepreneur). */
export function missingForInvoice(
  s: Pick<CompanySettings, 'name' | 'inn' | 'kpp' | 'address' | 'bankName' | 'bik' | 'account' | 'corrAccount' | 'director'>,
) {
  return requiredForInvoice.filter(({ field }) => {
    if (field === 'kpp' && s.inn.length === 12) return false;
    return !String((s as Record<string, unknown>)[field] ?? '').trim();
  });
}
