/**
 * `voronka export`: the whole database in open formats, so a company is never locked in. One file per table —
 * JSON Lines (`<table>.jsonl`, one object per row, values exactly as stored: money in integer kopecks) or XLSX
 * (`<table>.xlsx`, the column names as the header, a table over a sheet's 1,048,576 rows continued on the next
 * sheet) — plus `manifest.json` (tables, row counts, columns and what they mean, what was left out) and a README.
 * Tables are read in primary-key order a batch at a time and written as they are read: memory holds one batch.
 *
 * Left out, and said so in the manifest: password hashes, API-token hashes, the sessions table (cookie-token
 * hashes and CSRF tokens), settings whose key names a secret, derived tables — the report rollups (`r_*`,
 * `report_*`: rebuilt by `voronka reports rebuild`) and SQLite's full-text indexes (`*_fts*`) — and the migration
 * bookkeeping. The installation secret lives in the data directory,
 * not in the database, and is never read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Database } from '../../platform/db/connect.js';
import { drain, XlsxStreamWriter, XLSX_MAX_DATA_ROWS, type ListCellType } from '../../platform/list-export.js';
import { textCell } from '../../platform/xlsx.js';
import { exportsRepo, type CatalogColumn } from './exports.repo.js';

export type DumpFormat = 'json' | 'xlsx';

export interface DumpOptions {
  format: DumpFormat;
  dir: string;
  version: string;
  /** Rows read per query (default 5,000). */
  batch?: number;
  /** Data rows per XLSX sheet (default 1,048,575; tests lower it to see the split). */
  maxSheetRows?: number;
  onTable?: (t: { name: string; rows: number; seconds: number }) => void;
}

export interface ManifestTable {
  name: string;
  description: string;
  rows: number;
  files: string[];
  /** XLSX: the sheets the table was written to, in order. */
  sheets?: string[];
  columns: { name: string; type: string; primaryKey: boolean; kopecks?: true }[];
  omittedColumns?: string[];
}

export interface Manifest {
  format: DumpFormat;
  voronka: string;
  createdAt: string;
  database: string;
  lastMigration: string | null;
  conventions: Record<string, string>;
  excluded: { tables: Record<string, string>; columns: Record<string, string>; settings: string[] };
  tables: ManifestTable[];
}

const EXCLUDED_TABLES: Record<string, string> = {
  sessions: 'сеансы входа: хеши cookie-токенов и CSRF-токены (секреты)',
  voronka_migrations: 'служебная таблица миграций (последняя миграция — в lastMigration)',
  voronka_migrations_lock: 'служебная блокировка миграций',
  report_state: 'служебное состояние сводных таблиц отчётов',
  report_tz: 'сводные таблицы отчётов: пересчитываются командой voronka reports rebuild',
  report_deals: 'сводные таблицы отчётов: пересчитываются командой voronka reports rebuild',
};

const EXCLUDED_COLUMNS: Record<string, string> = {
  'users.password_hash': 'хеш пароля (секрет): после переноса пользователи задают пароли заново',
  'api_tokens.token_hash': 'хеш API-токена (секрет): токены выпускаются заново',
};

/** Tables computed from the others (left out, named in the manifest), or null. */
function derived(table: string): string | null {
  if (/^report_/.test(table)) return 'копия данных для отчётов (ведётся триггерами): пересчитывается командой voronka reports rebuild';
  if (/^r_/.test(table)) return 'сводная таблица отчётов: пересчитывается командой voronka reports rebuild';
  if (/_fts($|_)/.test(table)) return 'поисковый индекс (SQLite FTS): строится из таблицы заново';
  if (table.startsWith('kysely_')) return 'служебная таблица';
  return null;
}

/** Settings whose key names a secret are left out. */
const SECRET_SETTING = /secret|password|passphrase|token|private/i;

/** Columns holding money (integer kopecks). `plans.target` is kopecks for revenue plans only. */
const KOPECK_COLUMNS = new Set(['price', 'amount', 'total', 'vat', 'subtotal', 'vat_amount', 'paid_amount', 'credit']);

const DESCRIPTIONS: Record<string, string> = {
  users: 'Пользователи: имя, e-mail (логин), роль, отдел, активность',
  departments: 'Отделы и их руководители',
  api_tokens: 'API-токены (без хешей): владелец, название, срок, последнее использование',
  audit_log: 'Журнал аудита: кто, когда, что сделал и с какого IP (data — JSON)',
  jobs: 'Очередь фоновых задач',
  settings: 'Настройки (value — JSON): реквизиты компании и прочее',
  clients: 'Клиенты: название, реквизиты (ИНН, КПП, ОГРН, банк), телефоны и e-mail (JSON-массивы), ответственный, статус',
  contacts: 'Контактные лица клиентов',
  client_keys: 'Ключи поиска дублей клиентов (ИНН, телефон, e-mail)',
  timeline_entries: 'Лента клиента: комментарии и события',
  loss_reasons: 'Причины отказа / проигрыша',
  pipelines: 'Воронки продаж',
  stages: 'Этапы воронок',
  products: 'Каталог товаров и услуг (цена в копейках, ставка НДС)',
  deals: 'Сделки: клиент, этап, сумма в копейках, ответственный, статус',
  deal_items: 'Позиции сделок (цена и сумма в копейках)',
  deal_stage_history: 'История этапов сделок',
  tasks: 'Задачи: тип, срок, исполнитель, клиент, сделка, результат',
  notifications: 'Уведомления пользователей',
  forms: 'Веб-формы приёма заявок',
  leads: 'Лиды (заявки): контакты, UTM, ответственный, статус',
  invoice_counters: 'Счётчики номеров счетов по годам',
  invoices: 'Счета: номер, даты, суммы в копейках, покупатель и продавец (JSON), статус',
  invoice_items: 'Позиции счетов (цена, сумма и НДС в копейках)',
  payments: 'Оплаты счетов (сумма в копейках)',
  client_credits: 'Авансы клиентов (сумма в копейках)',
  production_sequence: 'Счётчик номеров производственных заказов',
  production_orders: 'Производственные заказы',
  reviews: 'Отзывы клиентов',
  automation_rules: 'Правила автоматизации',
  automation_runs: 'Журнал срабатываний автоматизации',
  plans: 'Планы продаж (target — копейки для плана по выручке, иначе количество)',
  backups: 'Резервные копии: файл, размер, шифрование, статус',
  backup_copies: 'Копии резервных копий вне сервера: куда, статус, попытки',
  imports: 'Импорты из XLSX/CSV: файл, сущность, статус, счётчики',
  import_rows: 'Строки импортов: что создано или изменено (для отмены импорта)',
};

const CONVENTIONS: Record<string, string> = {
  ids: 'Идентификаторы — строки (UUID v7); ссылки между таблицами — по столбцам *_id',
  money: 'Деньги — целые копейки (1 234,56 ₽ = 123456) в JSON и в XLSX; такие столбцы отмечены kopecks: true',
  timestamps: 'Моменты времени — ISO 8601 в UTC (2026-12-07T09:30:00.000Z)',
  dates: 'Календарные даты — ГГГГ-ММ-ДД в часовом поясе компании',
  booleans: 'Логические значения — 0 и 1',
  json: 'Списки и вложенные данные (телефоны, e-mail, реквизиты в счёте, UTM) — текст JSON',
  xlsx: 'XLSX: заголовок — имена столбцов; текст, начинающийся с = + - @, записан с апострофом впереди (защита от формул); таблица больше 1 048 575 строк продолжается на следующем листе',
  json_lines: 'JSON: файл <таблица>.jsonl, по одному объекту JSON на строку, значения как в базе',
};

function cellType(c: CatalogColumn): ListCellType {
  return /int|real|numeric|double|float|decimal/.test(c.type) ? 'number' : 'text';
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await drain(out);
}

async function closeFile(out: fs.WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end(() => resolve()).once('error', reject));
}

/** Writes the dump into `dir` (created if missing; must be empty of a previous dump's manifest) and returns its manifest. */
export async function exportDatabase(database: Database, opts: DumpOptions): Promise<Manifest> {
  const { db, dialect } = database;
  const batch = opts.batch ?? 5000;
  fs.mkdirSync(opts.dir, { recursive: true });
  if (fs.existsSync(path.join(opts.dir, 'manifest.json'))) {
    throw new Error(`В папке ${opts.dir} уже есть выгрузка (manifest.json): укажите пустую папку`);
  }
  const manifest: Manifest = {
    format: opts.format,
    voronka: opts.version,
    createdAt: new Date().toISOString(),
    database: dialect,
    lastMigration: await exportsRepo.lastMigration(db),
    conventions: CONVENTIONS,
    excluded: { tables: {}, columns: EXCLUDED_COLUMNS, settings: [] },
    tables: [],
  };

  for (const table of await exportsRepo.tables(db, dialect)) {
    const why = EXCLUDED_TABLES[table] ?? derived(table);
    if (why) {
      manifest.excluded.tables[table] = why;
      continue;
    }
    const started = performance.now();
    const catalog = await exportsRepo.columns(db, dialect, table);
    const columns = catalog.filter((c) => !EXCLUDED_COLUMNS[`${table}.${c.name}`]);
    const key = catalog
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const names = columns.map((c) => c.name);
    const entry: ManifestTable = {
      name: table,
      description: DESCRIPTIONS[table] ?? '',
      rows: 0,
      files: [],
      columns: columns.map((c) => ({
        name: c.name,
        type: c.type,
        primaryKey: c.pk > 0,
        ...(KOPECK_COLUMNS.has(c.name) && cellType(c) === 'number' ? { kopecks: true as const } : {}),
      })),
    };
    const omitted = catalog.filter((c) => EXCLUDED_COLUMNS[`${table}.${c.name}`]).map((c) => c.name);
    if (omitted.length) entry.omittedColumns = omitted;

    const file = `${table}.${opts.format === 'json' ? 'jsonl' : 'xlsx'}`;
    entry.files.push(file);
    const out = fs.createWriteStream(path.join(opts.dir, file));
    const xlsx = opts.format === 'xlsx' ? new XlsxStreamWriter(out, opts.maxSheetRows ?? XLSX_MAX_DATA_ROWS) : null;
    const sheet = xlsx?.table(
      table,
      columns.map((c) => ({ header: c.name, type: cellType(c), width: Math.max(10, Math.min(40, c.name.length + 4)) })),
    );
    let after: unknown[] | null = null;
    let offset = 0;
    for (;;) {
      const rows = await exportsRepo.batch(db, table, [...new Set([...names, ...key])], key, {
        after,
        offset,
        limit: batch,
      });
      for (const row of rows) {
        if (table === 'settings' && SECRET_SETTING.test(String(row.key))) {
          manifest.excluded.settings.push(String(row.key));
          continue;
        }
        entry.rows++;
        if (sheet) {
          sheet.add(
            names.map((n) => (row[n] === null || row[n] === undefined ? null : typeof row[n] === 'number' ? row[n] : textCell(row[n]))),
          );
        } else {
          const obj: Record<string, unknown> = {};
          for (const n of names) obj[n] = row[n];
          await write(out, JSON.stringify(obj) + '\n');
        }
      }
      // XLSX: wait until the zip and the file have taken the batch (JSON waits per line).
      if (sheet) await sheet.settle();
      if (rows.length < batch) break;
      offset += rows.length;
      const last = rows[rows.length - 1];
      after = key.map((k) => last[k]);
    }
    if (sheet && xlsx) {
      sheet.end();
      await xlsx.finish();
      entry.sheets = xlsx.sheetNames();
      await new Promise<void>((resolve, reject) => (out.closed ? resolve() : out.once('close', resolve).once('error', reject)));
    } else {
      await closeFile(out);
    }
    manifest.tables.push(entry);
    opts.onTable?.({ name: table, rows: entry.rows, seconds: (performance.now() - started) / 1000 });
  }

  fs.writeFileSync(path.join(opts.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(opts.dir, 'README.md'), readme(manifest));
  return manifest;
}

function readme(m: Manifest): string {
  const lines = [
    '# Выгрузка базы «Воронки»',
    '',
    `Создана ${m.createdAt} из базы ${m.database} (Воронка ${m.voronka}, миграция ${m.lastMigration ?? '—'}), формат ${m.format === 'json' ? 'JSON Lines' : 'XLSX'}.`,
    'Полное описание таблиц и столбцов — в manifest.json.',
    '',
    '## Соглашения',
    '',
    ...Object.values(m.conventions).map((c) => `- ${c}`),
    '',
    '## Таблицы',
    '',
    '| Таблица | Строк | Файл | Что в ней |',
    '|---|---:|---|---|',
    ...m.tables.map((t) => `| ${t.name} | ${t.rows} | ${t.files.join(', ')} | ${t.description} |`),
    '',
    '## Не выгружено',
    '',
    ...Object.entries(m.excluded.tables).map(([t, why]) => `- таблица ${t}: ${why}`),
    ...Object.entries(m.excluded.columns).map(([c, why]) => `- столбец ${c}: ${why}`),
    ...(m.excluded.settings.length ? [`- настройки с секретами: ${m.excluded.settings.join(', ')}`] : []),
    '- секрет установки (файл в папке данных) в базе не хранится и не выгружается',
    '',
  ];
  return lines.join('\n');
}
