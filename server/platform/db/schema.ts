/**
 * Kysely table types for every table. Conventions on both dialects:
 * ids are text; timestamps are ISO strings (text on SQLite, timestamptz on PostgreSQL, parsed back to ISO);
 * dates are 'YYYY-MM-DD'; booleans are integers 0/1; money is integer kopecks; JSON is text.
 * Each module adds its tables below its own heading. One file over 500 lines on purpose: Kysely needs the whole
 * database as one interface, and one place shows every table.
 */
import type { Generated } from 'kysely';

// ── platform ─────────────────────────────────────────────
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  department_id: string | null;
  password_hash: string;
  active: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  head_id: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie token
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  user_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  data: string | null;
  /** The client's address (migration 009_audit); null for entries written outside a request. */
  ip: string | null;
}

/** One backup run (migration 010_backups). */
export interface BackupsTable {
  id: string;
  file_name: string;
  size: number | null;
  encrypted: number;
  status: string;
  error: string | null;
  trigger: string;
  created_by: string | null;
  deleted_at: string | null;
  created_at: string;
  finished_at: string | null;
}

/** One off-server copy of a backup (migration 010_backups). */
export interface BackupCopiesTable {
  backup_id: string;
  target: string;
  status: string;
  attempts: number;
  last_error: string | null;
  copied_at: string | null;
  updated_at: string;
}

export interface JobsTable {
  id: string;
  type: string;
  payload: string;
  status: string; // pending | running | done | failed
  run_at: string;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error: string | null;
  dedupe_key: string | null;
  locked_by: string | null;
  locked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  version: Generated<number>;
  updated_at: string;
}

// ── clients (clients, contacts, timeline, loss reasons) ──
export interface ClientsTable {
  id: string;
  kind: string; // company | person
  name: string;
  legal_name: string | null;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  bik: string | null;
  account: string | null;
  corr_account: string | null;
  bank_name: string | null;
  phones: string; // JSON array of E.164
  emails: string; // JSON array, lower-case
  region: string | null;
  address: string | null;
  source: string | null;
  tags: string; // JSON array
  owner_id: string | null;
  status: string; // active | refused
  refusal_reason_id: string | null;
  refusal_comment: string | null;
  negative_feedback: number;
  search_text: string;
  search_rowid: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: string;
  client_id: string;
  name: string;
  position: string | null;
  phones: string;
  emails: string;
  search_text: string;
  search_rowid: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ClientKeysTable {
  client_id: string;
  kind: string; // inn | phone | email
  value: string;
}

export interface TimelineEntriesTable {
  id: string;
  client_id: string;
  deal_id: string | null;
  kind: string;
  at: string;
  author_id: string | null;
  text: string | null;
  data: string | null;
}

export interface LossReasonsTable {
  id: string;
  name: string;
  archived: number;
  position: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

// ── deals (pipelines, stages, products, deals, items, stage history) ──
export interface PipelinesTable {
  id: string;
  name: string;
  is_default: number;
  archived: number;
  position: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface StagesTable {
  id: string;
  pipeline_id: string;
  name: string;
  code: string;
  kind: string; // open | won | lost
  position: number;
  archived: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ProductsTable {
  id: string;
  sku: string | null;
  name: string;
  search_text: string;
  price: number;
  unit: string;
  vat_rate: number | null;
  archived: number;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface DealsTable {
  id: string;
  client_id: string;
  title: string;
  title_norm: string;
  amount: number;
  pipeline_id: string;
  stage_id: string;
  status: string; // open | won | lost
  owner_id: string | null;
  source: string | null;
  loss_reason_id: string | null;
  loss_comment: string | null;
  closed_at: string | null;
  stage_entered_at: string;
  created_by: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface DealItemsTable {
  id: string;
  deal_id: string;
  position: number;
  product_id: string | null;
  name: string;
  quantity: number;
  price: number;
  vat_rate: number | null;
  total: number;
  vat: number;
}

export interface DealStageHistoryTable {
  id: string;
  deal_id: string;
  pipeline_id: string;
  stage_id: string;
  stage_code: string;
  entered_at: string;
  left_at: string | null;
  owner_id: string | null;
  by_user_id: string | null;
}

// ── tasks and notifications ──────────────────────────────
export interface TasksTable {
  id: string;
  title: string;
  type: string; // call | meeting | email | control | other
  description: string | null;
  due_at: string;
  assignee_id: string;
  author_id: string | null; // null: created by automation
  client_id: string | null;
  deal_id: string | null;
  status: string; // open | done
  result: string | null;
  done_at: string | null;
  done_by: string | null;
  recurrence: string | null; // RRULE without DTSTART
  recurrence_start: string | null; // DTSTART of the series
  remind_at: string | null;
  remind_before: number | null; // minutes before due_at, when the reminder follows the due time
  source: string | null;
  dedupe_key: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  text: string | null;
  link: string | null;
  entity: string | null;
  entity_id: string | null;
  created_at: string;
  read_at: string | null;
}

// ── leads and web forms ──────────────────────────────────
export interface FormsTable {
  id: string;
  token: string;
  name: string;
  strategy: string; // round_robin | least_loaded | rules
  user_ids: string; // JSON array of user ids (the pool)
  rules: string; // JSON array of {field, equals, userId}
  sla_minutes: number;
  allowed_origins: string; // JSON array of origins
  thank_you_text: string | null;
  honeypot_field: string | null;
  rate_per_ip: number;
  rate_per_form: number;
  active: number;
  rr_counter: Generated<number>;
  created_by: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface LeadsTable {
  id: string;
  status: string; // new | in_work | converted | junk
  channel: string; // form | manual | call | email
  form_id: string | null;
  name: string | null;
  phone: string | null; // E.164
  phone_raw: string | null;
  email: string | null;
  comment: string | null;
  company: string | null;
  inn: string | null;
  region: string | null;
  source: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  page_url: string | null;
  referrer: string | null;
  fields: string; // JSON object of every submitted field as text
  raw: string | null;
  ip: string | null;
  user_agent: string | null;
  idempotency_key: string | null;
  assignee_id: string | null;
  sla_minutes: number | null;
  sla_due_at: string | null;
  sla_task_id: string | null;
  escalated_at: string | null;
  first_response_at: string | null;
  first_response_by: string | null;
  client_id: string | null;
  deal_id: string | null;
  junk_reason: string | null;
  search_text: string;
  created_by: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

// ── invoices (invoices, lines, payments, client credit, numbering) ──
export interface InvoiceCountersTable {
  year: number;
  n: number;
}

export interface InvoicesTable {
  id: string;
  deal_id: string;
  client_id: string;
  year: number;
  seq: number;
  number: string; // prefix + seq, as printed
  date: string; // YYYY-MM-DD, company time zone
  due_date: string;
  status: string; // issued | sent | partially_paid | paid | cancelled
  tax_mode: string; // vat22 | vat10 | vat0 | usn
  seller: string; // JSON: the seller's requisites at issue
  buyer: string; // JSON: {name, inn, kpp, address}
  client_name: string;
  deal_title: string;
  search_text: string; // normalised number + client name
  subtotal: number; // total − vat_amount
  vat_amount: number;
  total: number;
  paid_amount: Generated<number>;
  paid_at: string | null; // YYYY-MM-DD of the covering payment
  sent_at: string | null;
  sent_to: string | null;
  overdue_at: string | null; // when payment control fired (once)
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  reissue_of_id: string | null;
  replaced_by_id: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface InvoiceItemsTable {
  id: string;
  invoice_id: string;
  position: number;
  product_id: string | null;
  name: string;
  quantity: number;
  unit: string;
  price: number;
  vat_rate: number | null;
  total: number;
  vat: number;
}

export interface PaymentsTable {
  id: string;
  invoice_id: string;
  client_id: string;
  amount: number; // applied to the invoice
  credit: Generated<number>; // surplus recorded as client credit
  paid_at: string; // YYYY-MM-DD
  reference: string | null;
  created_by: string | null;
  created_at: string;
}

export interface ClientCreditsTable {
  id: string;
  client_id: string;
  payment_id: string;
  invoice_id: string;
  amount: number;
  created_at: string;
}

// ── production, reviews, automation ─────────────────────
export interface ProductionSequenceTable {
  id: string;
  last_number: number;
}

export interface ProductionOrdersTable {
  id: string;
  number: number;
  deal_id: string;
  items: string; // JSON [{name, quantity, unit}] — no prices
  status: string; // queued | in_progress | done
  assignee_id: string | null;
  due_date: string | null;
  comment: string | null;
  created_by: string | null;
  started_at: string | null;
  done_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ReviewsTable {
  id: string;
  client_id: string;
  deal_id: string | null;
  rating: number;
  sentiment: string; // positive | neutral | negative
  text: string;
  source: string | null; // call | email | site | messenger | other
  author_id: string | null;
  created_at: string;
}

export interface AutomationRulesTable {
  id: string;
  code: string | null; // stable code of a seeded default
  name: string;
  trigger: string;
  enabled: number;
  conditions: string; // JSON
  actions: string; // JSON array
  created_by: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface AutomationRunsTable {
  id: string;
  rule_id: string | null;
  rule_name: string;
  event_type: string;
  event_key: string;
  deal_id: string | null;
  client_id: string | null;
  status: string; // ok | failed
  error: string | null;
  attempts: number;
  results: string; // JSON array
  created_at: string;
  updated_at: string;
}

// ── reports and plans (mirrors and rollups are maintained by triggers: platform/db/rollup-schema.ts) ──
export interface PlansTable {
  id: string;
  user_id: string;
  period: string; // YYYY-MM
  metric: string; // revenue | deals | calls | meetings | tasks
  target: number; // kopecks for revenue, a count otherwise
  created_by: string | null;
  updated_by: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ReportStateTable {
  id: number;
  tz: string | null; // the zone the rollups are built in
  paused: number; // 1: triggers do nothing (bulk load before a rebuild)
  built_at: string | null;
  cb_version: number; // bumped when clients' monthly revenue changes (client-base cache)
}

export interface ReportTzTable {
  since: string;
  offset_min: number;
}

export interface ReportDealsTable {
  deal_id: string;
  client_id: string;
  owner_id: string; // '' = none
  pipeline_id: string;
  stage_id: string;
  status: string;
  amount: number;
  created_day: string;
  closed_day: string | null;
  region: string;
  source: string;
  campaign: string;
  loss_reason_id: string;
}

export interface RClientTable {
  client_id: string;
  owner_id: string;
  first_day: string;
  last_day: string;
  n_days: number;
  amount: number;
}

// ── imports ──────────────────────────────────────────────
export interface ImportsTable {
  id: string;
  user_id: string | null;
  entity: string;
  dedupe: string;
  status: string;
  file_name: string;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  headers: string;
  mapping: string;
  total: Generated<number>;
  processed: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  skipped: Generated<number>;
  errors: Generated<number>;
  failure: string | null;
  created_at: string;
  finished_at: string | null;
  undone_at: string | null;
}

export interface ImportRowsTable {
  import_id: string;
  row_no: number;
  cells: string;
  outcome: string;
  record_id: string | null;
  contact_id: string | null;
  field: string | null;
  message: string | null;
  previous: string | null;
  version_after: number | null;
}

export interface DB {
  users: UsersTable;
  departments: DepartmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  settings: SettingsTable;
  clients: ClientsTable;
  contacts: ContactsTable;
  client_keys: ClientKeysTable;
  timeline_entries: TimelineEntriesTable;
  loss_reasons: LossReasonsTable;
  pipelines: PipelinesTable;
  stages: StagesTable;
  products: ProductsTable;
  deals: DealsTable;
  deal_items: DealItemsTable;
  deal_stage_history: DealStageHistoryTable;
  tasks: TasksTable;
  notifications: NotificationsTable;
  forms: FormsTable;
  leads: LeadsTable;
  invoice_counters: InvoiceCountersTable;
  invoices: InvoicesTable;
  invoice_items: InvoiceItemsTable;
  payments: PaymentsTable;
  client_credits: ClientCreditsTable;
  production_sequence: ProductionSequenceTable;
  production_orders: ProductionOrdersTable;
  reviews: ReviewsTable;
  automation_rules: AutomationRulesTable;
  automation_runs: AutomationRunsTable;
  plans: PlansTable;
  report_state: ReportStateTable;
  report_tz: ReportTzTable;
  report_deals: ReportDealsTable;
  r_client: RClientTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  backups: BackupsTable;
  backup_copies: BackupCopiesTable;
}
