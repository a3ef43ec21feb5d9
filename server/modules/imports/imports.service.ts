import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import type { Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/connect.js';
import { AppError, errorTable, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, hasAbility, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { textCell } from '../../platform/xlsx.js';
import {
  importFields,
  importFieldLabelsRu,
  type DedupeMode,
  type Import,
  type ImportEntity,
  type ImportField,
  type ImportMapping,
  type ImportPreview,
  type ImportStatus,
  type ImportSummary,
} from '../../../common/api/imports.js';
import { detectFormat, guessFields, readHead, readRows, type FileFormat } from './parsers.js';
import { importsRepo, type ImportRow, type OutcomeUpdate } from './imports.repo.js';
import { processRow, type RowContext } from './rows.js';

declare module '../../platform/context.js' {
  interface Services {
    imports: ImportsService;
  }
}

export const IMPORT_BATCH_JOB = 'imports.batch';
declare module '../../platform/jobs.js' {
  interface Jobs {
    'imports.batch': { importId: string };
  }
}

/** Rows per job (one transaction, a savepoint per row): short enough that other writers barely wait on SQLite. */
export const BATCH_ROWS = 200;
/** Rows staged per insert while the file is read. */
const STAGE_CHUNK = 500;
/** `GET /imports/:id` lists at most this many row errors (the XLSX report has them all). */
const MAX_ERRORS_SHOWN = 1000;

const nowIso = () => new Date().toISOString();

export interface StartInput {
  file: string;
  fileName: string;
  entity: ImportEntity;
  /** Field → column index or header; 'auto' takes the header guesses. */
  mapping: ImportMapping | 'auto';
  dedupe: DedupeMode;
}

/**
 * Imports of clients (with a contact and requisites), deals and products from XLSX/CSV (admin and head). The file is
 * read as a stream and its rows staged in `import_rows` when it arrives; a chain of `imports.batch` jobs then runs each
 * row through the owning module's service (the same validation and scope as the API), a savepoint per row, so a bad
 * row is reported with its number and field and the rest goes in. Every outcome is kept per row, which gives the XLSX
 * report and «Отменить импорт». Row rules per entity are in rows.ts.
 *
 * Why one file over 500 lines: staging, batches, the report and the undo all read and write the same `import_rows`
 * outcomes under one status machine (queued → running → done/failed → undone); parsing is parsers.ts, rows rows.ts.
 */
export class ImportsService {
  constructor(private ctx: Ctx) {}

  /** Where uploads are written before they are read (under the data dir). */
  get tmpDir(): string {
    return path.join(this.ctx.config.dataDir, 'tmp', 'imports');
  }

  async tempFile(): Promise<string> {
    await fs.promises.mkdir(this.tmpDir, { recursive: true });
    return path.join(this.tmpDir, `${newId()}.upload`);
  }

  /** Removes uploads left behind by a process that died mid-request (older than an hour). */
  async cleanTemp(): Promise<void> {
    const entries = await fs.promises.readdir(this.tmpDir).catch(() => [] as string[]);
    const before = Date.now() - 3_600_000;
    for (const name of entries) {
      const file = path.join(this.tmpDir, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat && stat.mtimeMs < before) await fs.promises.rm(file, { force: true });
    }
  }

  /** 403 unless the actor may import this entity (ability `data.import`: head, admin; and write on the records). */
  assertMayImport(actor: Actor, entity?: ImportEntity): void {
    if (!hasAbility(actor, 'data.import')) throw new AppError('forbidden');
    if (entity === 'clients') assertCan(actor, 'client', 'write');
    if (entity === 'deals') assertCan(actor, 'deal', 'write');
    if (entity === 'products') assertCan(actor, 'product', 'write');
  }

  async preview(actor: Actor, file: string, entity: ImportEntity): Promise<ImportPreview> {
    this.assertMayImport(actor, entity);
    const fmt = await detectFormat(file);
    const { header, rows } = await readHead(file, fmt, 10);
    const guesses = guessFields(entity, header);
    const width = Math.max(header.length, ...rows.map((r) => r.cells.length));
    let estimate: number | null = null;
    if (fmt.format === 'csv' && rows.length > 0) {
      const size = (await fs.promises.stat(file)).size;
      const sample = [header, ...rows.map((r) => r.cells)].map((c) => Buffer.byteLength(c.join(fmt.delimiter ?? ',')) + 2);
      const avg = sample.reduce((a, b) => a + b, 0) / sample.length;
      estimate = rows.length < 10 ? rows.length : Math.max(rows.length, Math.round(size / avg) - 1);
    }
    return {
      format: fmt.format,
      columns: Array.from({ length: width }, (_, i) => ({ index: i, header: header[i] ?? '', guess: guesses[i] ?? null })),
      rows: rows.map((r) => Array.from({ length: width }, (_, i) => r.cells[i] ?? '')),
      encoding: fmt.encoding,
      delimiter: fmt.delimiter,
      totalRowsEstimate: estimate,
    };
  }

  /** Field → column index, or 400 naming each mapping entry that has no column (or is not a field of the entity). */
  resolveMapping(entity: ImportEntity, header: string[], mapping: ImportMapping | 'auto'): Record<string, number> {
    const allowed = importFields[entity] as readonly string[];
    if (mapping === 'auto') {
      const out: Record<string, number> = {};
      guessFields(entity, header).forEach((f, i) => {
        if (f) out[f] = i;
      });
      return out;
    }
    const fields: Record<string, string> = {};
    const out: Record<string, number> = {};
    const norm = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е');
    for (const [field, col] of Object.entries(mapping)) {
      if (!allowed.includes(field)) {
        fields[`mapping.${field}`] = `Нет такого поля: «${field}» (можно: ${allowed.join(', ')})`;
        continue;
      }
      const index = typeof col === 'number' ? col : header.findIndex((h) => norm(h) === norm(col));
      if (index < 0 || index >= header.length) {
        fields[`mapping.${field}`] =
          typeof col === 'number' ? `Нет столбца с номером ${col} (в файле ${header.length})` : `Нет столбца «${col}» в файле`;
        continue;
      }
      out[field] = index;
    }
    if (Object.keys(fields).length) throw new AppError('validation_failed', { fields });
    const required = entity === 'deals' ? ['title', 'client'] : ['name'];
    for (const f of required) {
      if (!(f in out)) fields[`mapping.${f}`] = `Укажите столбец для поля «${importFieldLabelsRu[f as ImportField]}»`;
    }
    if (Object.keys(fields).length) throw new AppError('validation_failed', { fields });
    return out;
  }

  /**
   * Reads the uploaded file (streamed), checks the mapping against its header, stages every row, and enqueues the
   * first batch. Malformed input → 4xx and nothing kept.
   */
  async start(actor: Actor, input: StartInput): Promise<{ id: string }> {
    this.assertMayImport(actor, input.entity);
    const fmt: FileFormat = await detectFormat(input.file);
    const id = newId();
    let header: string[] | null = null;
    let mapping: Record<string, number>;
    let total = 0;
    let chunk: { rowNo: number; cells: string[] }[] = [];
    let created = false;
    const flush = async () => {
      const rows = chunk;
      chunk = [];
      await this.ctx.db.transaction().execute((trx) => importsRepo.stageRows(trx, id, rows));
    };
    try {
      for await (const row of readRows(input.file, fmt)) {
        if (!header) {
          header = row.cells;
          mapping = this.resolveMapping(input.entity, header, input.mapping);
          await importsRepo.insert(this.ctx.db, {
            id,
            user_id: actor.id,
            entity: input.entity,
            dedupe: input.dedupe,
            status: 'queued',
            file_name: input.fileName.slice(0, 300) || 'import',
            format: fmt.format,
            encoding: fmt.encoding,
            delimiter: fmt.delimiter,
            headers: JSON.stringify(header),
            mapping: JSON.stringify(mapping),
            failure: null,
            created_at: nowIso(),
            finished_at: null,
            undone_at: null,
          });
          created = true;
          continue;
        }
        chunk.push(row);
        total++;
        if (chunk.length >= STAGE_CHUNK) await flush();
      }
      if (!header) throw new AppError('validation_failed', { fields: { file: 'В файле нет ни одной строки' } });
      await flush();
    } catch (err) {
      if (created) await importsRepo.delete(this.ctx.db, id);
      throw err;
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await importsRepo.update(trx, id, { total });
      await this.ctx.jobs.enqueue(trx, IMPORT_BATCH_JOB, { importId: id }, { dedupeKey: `import:${id}:0`, maxAttempts: 3 });
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'import.start',
          entity: 'import',
          entityId: id,
          data: { entity: input.entity, fileName: input.fileName, rows: total, dedupe: input.dedupe, format: fmt.format },
        },
        trx,
      );
    });
    return { id };
  }

  // ── reading ──

  private async rowFor(actor: Actor, id: string): Promise<ImportRow> {
    this.assertMayImport(actor);
    const row = await importsRepo.find(this.ctx.db, id);
    if (!row || (actor.role !== 'admin' && row.user_id !== actor.id)) throw notFound();
    return row;
  }

  async get(actor: Actor, id: string): Promise<Import> {
    const row = await this.rowFor(actor, id);
    const errors = await importsRepo.errors(this.ctx.db, id, MAX_ERRORS_SHOWN);
    return {
      ...toSummary(row),
      errors: errors.map((e) => ({ row: e.row_no, field: e.field, message: e.message ?? '' })),
      mapping: JSON.parse(row.mapping) as Record<string, number>,
    };
  }

  /** The caller's imports, newest first (an admin sees everyone's). */
  async list(actor: Actor, q: { limit: number; cursor?: string }): Promise<Page<ImportSummary>> {
    this.assertMayImport(actor);
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await importsRepo.list(this.ctx.db, {
      userId: actor.role === 'admin' ? undefined : actor.id,
      before: after ? { at: after.key, id: after.id } : undefined,
      limit: q.limit + 1,
    });
    return toPage(rows, q.limit, toSummary, (r) => encodeCursor(r.created_at, r.id));
  }

  /** The XLSX report: every row's outcome with its message, then the row's cells as read. Streamed. */
  async report(actor: Actor, id: string): Promise<{ stream: Readable; fileName: string }> {
    const imp = await this.rowFor(actor, id);
    const header = JSON.parse(imp.headers) as string[];
    const out = new PassThrough();
    const labels: Record<string, string> = {
      created: 'Создана',
      updated: 'Обновлена',
      skipped: 'Пропущена',
      error: 'Ошибка',
      pending: 'Не обработана',
    };
    const write = async () => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      const ws = wb.addWorksheet('Результат импорта');
      ws.columns = [
        { width: 8 },
        { width: 14 },
        { width: 18 },
        { width: 50 },
        { width: 38 },
        ...header.map((h) => ({ width: Math.max(10, Math.min(40, h.length + 2)) })),
      ];
      const head = ws.addRow(['Строка', 'Результат', 'Поле', 'Сообщение', 'ID записи', ...header].map(textCell));
      head.font = { bold: true };
      head.commit();
      let after = 0;
      for (;;) {
        const page = await importsRepo.rowsPage(this.ctx.db, id, after, 1000);
        if (page.length === 0) break;
        for (const r of page) {
          const field = r.field ? (importFieldLabelsRu[r.field as ImportField] ?? r.field) : '';
          const cells = JSON.parse(r.cells) as string[];
          ws.addRow([
            r.row_no,
            textCell(labels[r.outcome] ?? r.outcome),
            textCell(field),
            textCell(r.message ?? ''),
            textCell(r.record_id ?? ''),
            ...cells.map(textCell),
          ]).commit();
        }
        after = page[page.length - 1].row_no;
      }
      ws.commit();
      await wb.commit();
    };
    write().catch((err) => out.destroy(err as Error));
    const base = imp.file_name.replace(/\.[^.]+$/, '');
    return { stream: out, fileName: `Импорт ${base} — результат.xlsx` };
  }

  // ── processing (job) ──

  /**
   * One batch of an import, in the job's transaction: up to BATCH_ROWS pending rows, each in a savepoint; counters; the
   * next batch enqueued in the same transaction (or the import finished); progress to the importer.
   */
  async runBatch(trx: Tx, importId: string): Promise<void> {
    const imp = await importsRepo.find(trx, importId);
    if (!imp || (imp.status !== 'queued' && imp.status !== 'running')) return;
    const user = imp.user_id ? await this.ctx.services.users.findActive(imp.user_id, trx) : null;
    if (!user) {
      await importsRepo.update(trx, importId, {
        status: 'failed',
        failure: 'Пользователь, начавший импорт, отключён',
        finished_at: nowIso(),
      });
      this.progress(imp.user_id, { ...imp, status: 'failed' });
      return;
    }
    const actor: Actor = { id: user.id, email: user.email, name: user.name, role: user.role, departmentId: user.departmentId };
    if (imp.status === 'queued') await importsRepo.update(trx, importId, { status: 'running' });
    const rows = await importsRepo.pending(trx, importId, BATCH_ROWS);
    const rc: RowContext = {
      ctx: this.ctx,
      importId,
      trx,
      actor,
      entity: imp.entity as ImportEntity,
      dedupe: imp.dedupe as DedupeMode,
      mapping: JSON.parse(imp.mapping) as Record<string, number>,
      cache: new Map(),
    };
    const counts = { processed: 0, created: 0, updated: 0, skipped: 0, errors: 0 };
    for (const r of rows) {
      const cells = JSON.parse(r.cells) as string[];
      let outcome: Omit<OutcomeUpdate, 'rowNo'>;
      await sql`savepoint import_row`.execute(trx);
      try {
        outcome = await processRow(rc, cells);
        await sql`release savepoint import_row`.execute(trx);
      } catch (err) {
        await sql`rollback to savepoint import_row`.execute(trx);
        await sql`release savepoint import_row`.execute(trx);
        outcome = errorOutcome(err);
        if (!(err instanceof AppError)) this.ctx.log.warn({ err, importId, row: r.row_no }, 'import row failed');
      }
      await importsRepo.saveOutcome(trx, importId, { rowNo: r.row_no, ...outcome });
      counts.processed++;
      if (outcome.outcome === 'created') counts.created++;
      else if (outcome.outcome === 'updated') counts.updated++;
      else if (outcome.outcome === 'skipped') counts.skipped++;
      else counts.errors++;
    }
    await importsRepo.addCounts(trx, importId, counts);
    const done = rows.length < BATCH_ROWS;
    if (done) await importsRepo.update(trx, importId, { status: 'done', finished_at: nowIso() });
    else {
      const processed = imp.processed + counts.processed;
      await this.ctx.jobs.enqueue(trx, IMPORT_BATCH_JOB, { importId }, { dedupeKey: `import:${importId}:${processed}`, maxAttempts: 3 });
    }
    const now = (await importsRepo.find(trx, importId))!;
    this.progress(imp.user_id, now);
  }

  private progress(userId: string | null, r: ImportRow) {
    if (!userId) return;
    this.ctx.events.emit(
      'import.progress',
      {
        id: r.id,
        status: r.status as ImportStatus,
        total: r.total,
        processed: r.processed,
        created: r.created,
        updated: r.updated,
        skipped: r.skipped,
        errors: r.errors,
      },
      { userIds: [userId] },
    );
  }

  // ── undo ──

  /**
   * Removes what the import created and restores what it updated, in one transaction: every record must still be as
   * the import left it (its version), else 409 naming the row and nothing changes — a later edit is never overwritten.
   */
  /**
   * A batch failed its last attempt for a reason other than its rows (those are row errors): the import stops as
   * «failed» with the reason, keeping what earlier batches did, so the user sees it and may undo it.
   */
  async batchGaveUp(trx: Tx, importId: string, error: string): Promise<void> {
    const imp = await importsRepo.find(trx, importId);
    if (!imp || (imp.status !== 'queued' && imp.status !== 'running')) return;
    await importsRepo.update(trx, importId, {
      status: 'failed',
      failure: `Импорт остановлен после ${imp.processed} строк: ${error}`.slice(0, 1000),
      finished_at: nowIso(),
    });
    this.progress(imp.user_id, { ...imp, status: 'failed' });
  }

  async undo(actor: Actor, id: string): Promise<Import> {
    const imp = await this.rowFor(actor, id);
    if (imp.status === 'undone')
      throw new AppError('conflict', { message: 'Этот импорт уже отменён', messageEn: 'This import is already undone' });
    if (imp.status !== 'done' && imp.status !== 'failed') {
      throw new AppError('conflict', {
        message: 'Импорт ещё идёт: отменить его можно после окончания',
        messageEn: 'The import is still running: undo it when it has finished',
      });
    }
    const entity = imp.entity as ImportEntity;
    const counts = { removed: 0, restored: 0 };
    await this.ctx.db.transaction().execute(async (trx) => {
      let after = 2_147_483_647; // row numbers are 32-bit integers
      // Newest rows first: a client added by row 5 and updated by row 9 is restored, then removed.
      for (;;) {
        const page = await importsRepo.changedDesc(trx, id, after, 1000);
        if (page.length === 0) break;
        for (const r of page) {
          try {
            if (r.outcome === 'created') {
              await this.removeCreated(trx, entity, r.record_id!, r.version_after ?? 1);
              counts.removed++;
            } else {
              await this.restoreUpdated(
                trx,
                actor,
                entity,
                r.record_id!,
                r.contact_id,
                JSON.parse(r.previous ?? '{}'),
                r.version_after ?? 1,
              );
              counts.restored++;
            }
          } catch (err) {
            if (err instanceof AppError && (err.code === 'version_conflict' || err.code === 'conflict' || err.code === 'not_found')) {
              const why = err.code === 'version_conflict' ? 'запись изменили после импорта' : (err.customMessage?.ru ?? err.message);
              throw new AppError('conflict', {
                message: `Импорт нельзя отменить: строка ${r.row_no} — ${why}. Ничего не изменено`,
                messageEn: `The import cannot be undone: row ${r.row_no} — the record was changed after the import. Nothing was changed`,
                details: { row: r.row_no, recordId: r.record_id },
              });
            }
            throw err;
          }
        }
        after = page[page.length - 1].row_no;
      }
      await importsRepo.update(trx, id, { status: 'undone', undone_at: nowIso() });
      await this.ctx.audit.write(
        { userId: actor.id, action: 'import.undo', entity: 'import', entityId: id, data: { entity, fileName: imp.file_name, ...counts } },
        trx,
      );
    });
    const result = await this.get(actor, id);
    this.progress(imp.user_id, (await importsRepo.find(this.ctx.db, id))!);
    return result;
  }

  private async removeCreated(trx: Tx, entity: ImportEntity, recordId: string, version: number) {
    const s = this.ctx.services;
    if (entity === 'clients') await s.clients.removeImported(trx, recordId, version);
    else if (entity === 'deals') await s.deals.removeImported(trx, recordId, version);
    else await s.products.removeImported(trx, recordId, version);
  }

  private async restoreUpdated(
    trx: Tx,
    actor: Actor,
    entity: ImportEntity,
    recordId: string,
    contactId: string | null,
    previous: Record<string, unknown>,
    version: number,
  ) {
    const s = this.ctx.services;
    if (entity === 'clients') {
      const current = await s.clients.versionOf(trx, recordId);
      if (current === null) throw notFound();
      if (current !== version) throw new AppError('version_conflict');
      if (contactId) await s.clients.removeImportedContact(trx, contactId);
      await s.clients.updateIn(trx, actor, recordId, { ...previous, force: true, version });
    } else if (entity === 'products') {
      await s.products.update(actor, recordId, { ...previous, version }, trx);
    }
  }
}

function errorOutcome(err: unknown): Omit<OutcomeUpdate, 'rowNo'> {
  if (err instanceof AppError) {
    const entries = Object.entries(err.fields ?? {});
    const [key, msg] = entries[0] ?? [null, null];
    return { outcome: 'error', field: key ? fieldOfKey(key) : null, message: msg ?? err.customMessage?.ru ?? errorText(err) };
  }
  return { outcome: 'error', field: null, message: 'Внутренняя ошибка при записи строки' };
}

function errorText(err: AppError): string {
  return err.message && err.message !== err.code ? err.message : errorTable[err.code].ru;
}

/** A service's field name → the import field it came from. */
function fieldOfKey(key: string): string {
  const base = key.split('.')[0];
  const map: Record<string, string> = {
    phones: 'phone',
    emails: 'email',
    ownerId: 'owner',
    clientId: 'client',
    stageId: 'stage',
    pipelineId: 'stage',
    legalName: 'name',
    items: 'amount',
  };
  return map[base] ?? base;
}

function toSummary(r: ImportRow): ImportSummary {
  return {
    id: r.id,
    entity: r.entity as ImportEntity,
    status: r.status as ImportStatus,
    dedupe: r.dedupe as DedupeMode,
    fileName: r.file_name,
    userId: r.user_id,
    userName: r.user_name ?? null,
    total: r.total,
    processed: r.processed,
    created: r.created,
    updated: r.updated,
    skipped: r.skipped,
    errorCount: r.errors,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    undoneAt: r.undone_at,
    failure: r.failure,
  };
}
