/**
 * The tables the demo loader fills, with their columns in the order generated rows carry them, and the
 * PostgreSQL type of each column (for `unnest($n::type[])`). Each spec is checked against schema.ts: a
 * column added to a table without being added here is a type error, so the demo never falls behind.
 */
import type {
  ClientKeysTable,
  ClientsTable,
  ContactsTable,
  DealItemsTable,
  DealsTable,
  DealStageHistoryTable,
  TasksTable,
  TimelineEntriesTable,
} from '../../platform/db/schema.js';

export type PgType = 'text' | 'integer' | 'bigint' | 'float8' | 'timestamptz';
export type Value = string | number | null;

export interface TableSpec {
  name: string;
  columns: string[];
  pgTypes: PgType[];
}

type Columns<T> = { [K in keyof T]-?: PgType };

function spec<T>(name: string, columns: Columns<T>): TableSpec {
  return { name, columns: Object.keys(columns), pgTypes: Object.values(columns) as PgType[] };
}

export const tables = {
  clients: spec<ClientsTable>('clients', {
    id: 'text',
    kind: 'text',
    name: 'text',
    legal_name: 'text',
    inn: 'text',
    kpp: 'text',
    ogrn: 'text',
    bik: 'text',
    account: 'text',
    corr_account: 'text',
    bank_name: 'text',
    phones: 'text',
    emails: 'text',
    region: 'text',
    address: 'text',
    source: 'text',
    tags: 'text',
    owner_id: 'text',
    status: 'text',
    refusal_reason_id: 'text',
    refusal_comment: 'text',
    negative_feedback: 'integer',
    search_text: 'text',
    search_rowid: 'integer',
    version: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  }),
  contacts: spec<ContactsTable>('contacts', {
    id: 'text',
    client_id: 'text',
    name: 'text',
    position: 'text',
    phones: 'text',
    emails: 'text',
    search_text: 'text',
    search_rowid: 'integer',
    version: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  }),
  client_keys: spec<ClientKeysTable>('client_keys', { client_id: 'text', kind: 'text', value: 'text' }),
  /** SQLite only: the FTS5 rows behind clients.search_rowid / contacts.search_rowid. */
  clients_fts: spec<{ rowid: number; search_text: string }>('clients_fts', { rowid: 'integer', search_text: 'text' }),
  contacts_fts: spec<{ rowid: number; search_text: string }>('contacts_fts', { rowid: 'integer', search_text: 'text' }),
  deals: spec<DealsTable>('deals', {
    id: 'text',
    client_id: 'text',
    title: 'text',
    title_norm: 'text',
    amount: 'bigint',
    pipeline_id: 'text',
    stage_id: 'text',
    status: 'text',
    owner_id: 'text',
    source: 'text',
    loss_reason_id: 'text',
    loss_comment: 'text',
    closed_at: 'timestamptz',
    stage_entered_at: 'timestamptz',
    created_by: 'text',
    version: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  }),
  deal_items: spec<DealItemsTable>('deal_items', {
    id: 'text',
    deal_id: 'text',
    position: 'integer',
    product_id: 'text',
    name: 'text',
    quantity: 'float8',
    price: 'bigint',
    vat_rate: 'integer',
    total: 'bigint',
    vat: 'bigint',
  }),
  deal_stage_history: spec<DealStageHistoryTable>('deal_stage_history', {
    id: 'text',
    deal_id: 'text',
    pipeline_id: 'text',
    stage_id: 'text',
    stage_code: 'text',
    entered_at: 'timestamptz',
    left_at: 'timestamptz',
    owner_id: 'text',
    by_user_id: 'text',
  }),
  tasks: spec<TasksTable>('tasks', {
    id: 'text',
    title: 'text',
    type: 'text',
    description: 'text',
    due_at: 'timestamptz',
    assignee_id: 'text',
    author_id: 'text',
    client_id: 'text',
    deal_id: 'text',
    status: 'text',
    result: 'text',
    done_at: 'timestamptz',
    done_by: 'text',
    recurrence: 'text',
    recurrence_start: 'timestamptz',
    remind_at: 'timestamptz',
    remind_before: 'integer',
    source: 'text',
    dedupe_key: 'text',
    version: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  }),
  timeline_entries: spec<TimelineEntriesTable>('timeline_entries', {
    id: 'text',
    client_id: 'text',
    deal_id: 'text',
    kind: 'text',
    at: 'timestamptz',
    author_id: 'text',
    text: 'text',
    data: 'text',
  }),
};

export type TableName = keyof typeof tables;

/**
 * Generated rows of one chunk, per table: flat arrays of values, row after row in the spec's column order
 * (no array per row: millions of small arrays are what the garbage collector would spend its time on).
 */
export type Rows = Record<TableName, Value[]>;

export const rowCount = (spec: TableSpec, values: Value[]) => values.length / spec.columns.length;

export const writeOrder: TableName[] = [
  'clients',
  'clients_fts',
  'contacts',
  'contacts_fts',
  'client_keys',
  'deals',
  'deal_items',
  'deal_stage_history',
  'tasks',
  'timeline_entries',
];

export function emptyRows(): Rows {
  return {
    clients: [],
    clients_fts: [],
    contacts: [],
    contacts_fts: [],
    client_keys: [],
    deals: [],
    deal_items: [],
    deal_stage_history: [],
    tasks: [],
    timeline_entries: [],
  };
}
