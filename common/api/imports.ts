/**
 * HTTP contract of imports (`/api/imports`, admin and head): clients (with a contact and requisites), deals and
 * products from XLSX or CSV. A file is previewed (`POST /imports/preview`: columns with guessed fields, the first rows),
 * then imported with a mapping field → column (`POST /imports`, 202 `{id}`), processed by a job in batches with live
 * progress (`import.progress`), read back (`GET /imports/:id`), downloaded as an XLSX report and undone.
 */
import { z } from 'zod';
import { idSchema } from './shared.js';

export const importEntities = ['clients', 'deals', 'products'] as const;
export type ImportEntity = (typeof importEntities)[number];
export const importEntitySchema = z.enum(importEntities, { error: () => 'Что загружаем: clients, deals или products' });

/** What to do with a row that matches an existing record: leave it, fill the record from the row, or create anyway. */
export const dedupeModes = ['skip', 'update', 'create'] as const;
export type DedupeMode = (typeof dedupeModes)[number];
export const dedupeSchema = z.enum(dedupeModes, { error: () => 'Дубликаты: skip, update или create' });

export const importStatuses = ['queued', 'running', 'done', 'failed', 'undone'] as const;
export type ImportStatus = (typeof importStatuses)[number];

/** The fields a column may be mapped to, per entity (the keys of `mapping`). */
export const importFields = {
  clients: [
    'name',
    'kind',
    'inn',
    'kpp',
    'ogrn',
    'phone',
    'email',
    'region',
    'address',
    'owner',
    'source',
    'contactName',
    'contactPosition',
    'contactPhone',
    'contactEmail',
  ],
  deals: ['title', 'client', 'amount', 'stage', 'owner', 'source'],
  products: ['name', 'sku', 'price', 'unit', 'vatRate'],
} as const satisfies Record<ImportEntity, readonly string[]>;
export type ImportField = (typeof importFields)[ImportEntity][number];
export const allImportFields = [...new Set(Object.values(importFields).flat())] as ImportField[];

/** Field labels for the preview, the report and the page (Russian). */
export const importFieldLabelsRu: Record<ImportField, string> = {
  name: 'Название',
  kind: 'Тип (юрлицо / физлицо)',
  inn: 'ИНН',
  kpp: 'КПП',
  ogrn: 'ОГРН',
  phone: 'Телефон',
  email: 'E-mail',
  region: 'Регион',
  address: 'Адрес',
  owner: 'Ответственный',
  source: 'Источник',
  contactName: 'Контактное лицо',
  contactPosition: 'Должность',
  contactPhone: 'Телефон контакта',
  contactEmail: 'E-mail контакта',
  title: 'Название сделки',
  client: 'Клиент (ИНН или название)',
  amount: 'Сумма',
  stage: 'Этап',
  sku: 'Артикул',
  price: 'Цена',
  unit: 'Ед. изм.',
  vatRate: 'НДС, %',
};

/** Upload limit of an import file (both endpoints): 50 MB. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export const importColumnSchema = z.object({
  index: z.number().int(),
  header: z.string(),
  /** The field this column most likely holds, or null. */
  guess: z.string().nullable(),
});

export const importPreviewSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  columns: z.array(importColumnSchema),
  /** The first 10 data rows, as text. */
  rows: z.array(z.array(z.string())),
  /** CSV: `utf-8` or `windows-1251`; XLSX: null. */
  encoding: z.string().nullable(),
  /** CSV: `;`, `,` or a tab; XLSX: null. */
  delimiter: z.string().nullable(),
  /** Data rows when known without reading the whole file (XLSX dimension), else null. */
  totalRowsEstimate: z.number().int().nullable(),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

/**
 * Field → column: a column index (0-based) or its header text. Sent as a JSON text in the multipart form (or `auto`:
 * the preview's guesses).
 */
export const importMappingSchema = z.record(z.string(), z.union([z.number().int().min(0).max(10_000), z.string().min(1).max(300)]));
export type ImportMapping = z.infer<typeof importMappingSchema>;

export const importErrorSchema = z.object({ row: z.number().int(), field: z.string().nullable(), message: z.string() });
export type ImportRowError = z.infer<typeof importErrorSchema>;

export const importSchema = z.object({
  id: idSchema,
  entity: importEntitySchema,
  status: z.enum(importStatuses),
  dedupe: dedupeSchema,
  fileName: z.string(),
  userId: idSchema.nullable(),
  userName: z.string().nullable(),
  /** Data rows in the file. */
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  /** Rows refused (their number; `errors` lists the first 1000). */
  errorCount: z.number().int(),
  errors: z.array(importErrorSchema),
  /** Field → column index used. */
  mapping: z.record(z.string(), z.number().int()),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  undoneAt: z.string().nullable(),
  /** Why the whole import failed (not a row's error). */
  failure: z.string().nullable(),
});
export type Import = z.infer<typeof importSchema>;

export const importSummarySchema = importSchema.omit({ errors: true, mapping: true });
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const importListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export const importPage = z.object({ items: z.array(importSummarySchema), nextCursor: z.string().nullable() });

export const importCreatedSchema = z.object({ id: idSchema });
