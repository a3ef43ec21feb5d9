/**
 * Backups: made by the job runner (a manual «Создать сейчас», the schedule) or by `voronka backup`, kept locally
 * (`VORONKA_BACKUP_KEEP` newest files), copied to every off-server target by retried jobs, listed for the admin page.
 * The work itself (snapshot, archive, encryption) is in backup-file.ts; restore is in restore.ts (CLI only).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from '../../platform/context.js';
import type { NoPayload } from '../../platform/jobs.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import {
  OFFSITE_STALE_MS,
  type Backup,
  type BackupCopyStatus,
  type BackupList,
  type BackupListQuery,
  type BackupStage,
  type BackupStatus,
  type BackupTrigger,
} from '../../../common/api/backups.js';
import { createTargets } from './targets/index.js';
import type { BackupTarget } from './targets/target.js';
import { backupRepo, type BackupCopyRow, type BackupRow } from './backup.repo.js';
import { backupFileName, createBackupFile, isBackupFileName } from './backup-file.js';

declare module '../../platform/context.js' {
  interface Services {
    backup: BackupService;
  }
}

declare module '../../platform/jobs.js' {
  interface Jobs {
    'backup.run': { id: string };
    'backup.scheduled': NoPayload;
    'backup.upload': { backupId: string; target: string };
  }
}

export const RUN_JOB = 'backup.run';
export const SCHEDULE_JOB = 'backup.scheduled';
export const UPLOAD_JOB = 'backup.upload';
/** Upload attempts per target: the runner's backoff (1, 2, 4, 8, 16 min) spreads them over half an hour. */
export const UPLOAD_ATTEMPTS = 6;
/** A `running` row older than this is a crashed run: it no longer blocks a new backup. */
const RUNNING_STALE_MS = 6 * 3600 * 1000;

const errorText = (err: unknown) => String((err as Error)?.message ?? err).slice(0, 2000);

export class BackupService {
  private targets: BackupTarget[] | null = null;

  constructor(private ctx: Ctx) {}

  /** The configured off-server targets (built on first use: a bad URL fails loudly then, not at every start). */
  offsite(): BackupTarget[] {
    this.targets ??= createTargets(this.ctx.config.backup);
    return this.targets;
  }

  /** Tests replace the targets with fakes of the outer services (the real protocols are tested in targets/). */
  useTargets(targets: BackupTarget[]): void {
    this.targets = targets;
  }

  private get dir(): string {
    return this.ctx.config.backup.dir;
  }

  filePath(row: Pick<BackupRow, 'file_name'>): string {
    return path.join(this.dir, row.file_name);
  }

  /** Starts a backup as a job: the row exists and the job is enqueued in one transaction. */
  async start(actor: Actor | null, trigger: BackupTrigger): Promise<{ id: string }> {
    if (actor) assertCan(actor, 'backup', 'write');
    const id = newId();
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.insertRow(trx, id, trigger, actor?.id ?? null);
      await this.ctx.jobs.enqueue(trx, RUN_JOB, { id }, { maxAttempts: 1 });
      await this.ctx.audit.write(
        { userId: actor?.id ?? null, action: 'backup.create', entity: 'backup', entityId: id, data: { trigger } },
        trx,
      );
    });
    this.progress(id, 'database', 0);
    return { id };
  }

  private async insertRow(trx: Parameters<typeof backupRepo.insert>[0], id: string, trigger: BackupTrigger, userId: string | null) {
    const since = new Date(Date.now() - RUNNING_STALE_MS).toISOString();
    if (await backupRepo.running(trx, since)) throw new AppError('backup_running');
    const now = new Date();
    await backupRepo.insert(trx, {
      id,
      file_name: backupFileName(now),
      size: null,
      encrypted: this.ctx.config.backup.passphrase ? 1 : 0,
      status: 'running',
      error: null,
      trigger,
      created_by: userId,
      deleted_at: null,
      created_at: now.toISOString(),
      finished_at: null,
    });
  }

  /** The schedule's tick: a backup unless one is running. */
  async scheduled(): Promise<void> {
    try {
      await this.start(null, 'schedule');
    } catch (err) {
      if (err instanceof AppError && err.code === 'backup_running')
        this.ctx.log.warn('резервная копия по расписанию пропущена: идёт другая');
      else throw err;
    }
  }

  /** `voronka backup`: makes one now in this process; uploads are tried at once (`uploadNow`). */
  async createNow(opts: { onProgress?: (stage: BackupStage, percent: number) => void } = {}): Promise<BackupRow> {
    const id = newId();
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.insertRow(trx, id, 'cli', null);
      await this.ctx.audit.write({ userId: null, action: 'backup.create', entity: 'backup', entityId: id, data: { trigger: 'cli' } }, trx);
    });
    await this.run(id, opts);
    return (await backupRepo.get(this.ctx.db, id))!;
  }

  /** Handler of `backup.run` (and the CLI): snapshot, archive, retention, off-server copies queued. Never throws. */
  async run(id: string, opts: { onProgress?: (stage: BackupStage, percent: number) => void } = {}): Promise<void> {
    const row = await backupRepo.get(this.ctx.db, id);
    if (!row || row.status !== 'running') return;
    const report = (stage: BackupStage, percent: number) => {
      opts.onProgress?.(stage, percent);
      this.progress(id, stage, percent);
    };
    try {
      const { size } = await createBackupFile(this.ctx, this.filePath(row), {
        passphrase: this.ctx.config.backup.passphrase,
        backupId: id,
        onProgress: report,
      });
      const now = new Date().toISOString();
      const targets = this.offsite();
      await this.ctx.db.transaction().execute(async (trx) => {
        await backupRepo.update(trx, id, { status: 'done', size, finished_at: now, error: null });
        await backupRepo.insertCopies(
          trx,
          targets.map((t) => ({
            backup_id: id,
            target: t.label,
            status: 'pending',
            attempts: 0,
            last_error: null,
            copied_at: null,
            updated_at: now,
          })),
        );
        for (const t of targets) {
          await this.ctx.jobs.enqueue(
            trx,
            UPLOAD_JOB,
            { backupId: id, target: t.label },
            { maxAttempts: UPLOAD_ATTEMPTS, dedupeKey: `backup.upload:${id}:${t.label}` },
          );
        }
      });
      this.ctx.log.info({ backupId: id, file: row.file_name, size }, 'резервная копия создана');
      await this.applyLocalRetention();
      report('done', 100);
    } catch (err) {
      await this.fail(row, err);
    }
  }

  private async fail(row: BackupRow, err: unknown): Promise<void> {
    const message = errorText(err);
    this.ctx.log.error({ err, backupId: row.id }, 'резервная копия не создана');
    try {
      fs.rmSync(`${this.filePath(row)}.part`, { force: true });
    } catch {
      /* the folder itself may be what failed */
    }
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await backupRepo.update(trx, row.id, { status: 'failed', error: message, finished_at: new Date().toISOString() });
        await this.ctx.services.notifications.notify(trx, {
          userIds: await this.ctx.services.users.activeIdsOfRole('admin', trx),
          kind: 'backup_failed',
          title: 'Резервная копия не создана',
          text: message,
          link: '/settings/backups',
          entity: 'backup',
          entityId: row.id,
        });
      });
    } catch (inner) {
      this.ctx.log.error({ err: inner, backupId: row.id }, 'не удалось записать сбой резервной копии');
    }
    this.ctx.events.emit('backup.progress', { id: row.id, stage: 'failed', percent: 100, error: message.slice(0, 500) }, BACKUP_AUDIENCE);
  }

  private progress(id: string, stage: BackupStage, percent: number) {
    this.ctx.events.emit('backup.progress', { id, stage, percent: Math.max(0, Math.min(100, Math.round(percent))) }, BACKUP_AUDIENCE);
  }

  /** Keeps the newest `keep` local files; older ones are deleted (their rows stay, marked as removed). */
  async applyLocalRetention(): Promise<void> {
    const keep = this.ctx.config.backup.keep;
    const kept = await backupRepo.kept(this.ctx.db);
    for (const old of kept.slice(keep)) {
      fs.rmSync(this.filePath(old), { force: true });
      await backupRepo.update(this.ctx.db, old.id, { deleted_at: new Date().toISOString() });
    }
    await backupRepo.trimFailed(this.ctx.db, Math.max(keep, 10));
  }

  /** Handler of `backup.upload`: one attempt to copy a backup to one target; a throw is retried with backoff. */
  async upload(payload: { backupId: string; target: string }, attempt: number): Promise<void> {
    const row = await backupRepo.get(this.ctx.db, payload.backupId);
    const target = this.offsite().find((t) => t.label === payload.target);
    const set = (status: BackupCopyStatus, patch: Partial<BackupCopyRow> = {}) =>
      backupRepo.updateCopy(this.ctx.db, payload.backupId, payload.target, {
        status,
        attempts: attempt,
        updated_at: new Date().toISOString(),
        ...patch,
      });
    if (!row || row.status !== 'done' || row.deleted_at || !target) {
      await set('failed', { last_error: !target ? 'Хранилище больше не настроено' : 'Локального файла копии больше нет' });
      return;
    }
    await set('uploading');
    this.progress(row.id, 'upload', 0);
    try {
      await target.upload(this.filePath(row), row.file_name);
    } catch (err) {
      const final = attempt >= UPLOAD_ATTEMPTS;
      const message = errorText(err);
      await set(final ? 'failed' : 'retrying', { last_error: message });
      this.ctx.log.warn({ err, backupId: row.id, target: target.label, attempt }, 'копия не отправлена во внешнее хранилище');
      if (final) {
        await this.ctx.services.notifications.notify(this.ctx.db, {
          userIds: await this.ctx.services.users.activeIdsOfRole('admin'),
          kind: 'backup_failed',
          title: `Резервная копия не скопирована: ${target.label}`,
          text: message,
          link: '/settings/backups',
          entity: 'backup',
          entityId: row.id,
        });
      }
      this.progress(row.id, 'upload', 100);
      throw err;
    }
    await set('done', { copied_at: new Date().toISOString(), last_error: null });
    this.progress(row.id, 'upload', 100);
    try {
      await this.applyRemoteRetention(target);
    } catch (err) {
      this.ctx.log.warn({ err, target: target.label }, 'не удалось удалить старые копии во внешнем хранилище');
    }
  }

  /** The CLI's uploads: each target tried now (a failure is left to the server's retried job). */
  async uploadNow(backupId: string, onResult: (label: string, error: string | null) => void): Promise<void> {
    for (const t of this.offsite()) {
      try {
        await this.upload({ backupId, target: t.label }, 1);
        onResult(t.label, null);
      } catch (err) {
        onResult(t.label, errorText(err));
      }
    }
  }

  /** Keeps the newest `keep` Voronka backups on a target (names sort by time). */
  async applyRemoteRetention(target: BackupTarget): Promise<void> {
    const files = (await target.list()).filter((f) => isBackupFileName(f.name)).sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const old of files.slice(this.ctx.config.backup.keep)) await target.remove(old.name);
  }

  async list(actor: Actor, q: BackupListQuery): Promise<BackupList> {
    assertCan(actor, 'backup', 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await backupRepo.list(this.ctx.db, { limit: q.limit + 1, before: after ? { at: after.key, id: after.id } : undefined });
    const page = rows.slice(0, q.limit);
    const copies = await backupRepo.copiesOf(
      this.ctx.db,
      page.map((r) => r.id),
    );
    const items: Backup[] = page.map((r) => ({
      id: r.id,
      fileName: r.file_name,
      size: r.size === null ? null : Number(r.size),
      encrypted: r.encrypted === 1,
      status: r.status as BackupStatus,
      error: r.error,
      trigger: r.trigger as BackupTrigger,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
      available: r.status === 'done' && !r.deleted_at,
      copies: copies
        .filter((c) => c.backup_id === r.id)
        .map((c) => ({
          target: c.target,
          status: c.status as BackupCopyStatus,
          attempts: c.attempts,
          lastError: c.last_error,
          copiedAt: c.copied_at,
        })),
    }));
    const last = rows.length > q.limit ? page[page.length - 1] : null;
    return { items, nextCursor: last ? encodeCursor(last.created_at, last.id) : null, summary: await this.summary() };
  }

  async summary(): Promise<BackupList['summary']> {
    const cfg = this.ctx.config.backup;
    let labels: string[];
    try {
      labels = this.offsite().map((t) => t.label);
    } catch {
      labels = [];
    }
    const lastOffsiteAt = (await backupRepo.lastCopied(this.ctx.db, labels))?.at ?? null;
    const lastBackupAt = (await backupRepo.lastDone(this.ctx.db))?.at ?? null;
    return {
      encrypted: Boolean(cfg.passphrase),
      targets: labels,
      lastOffsiteAt,
      offsiteStale: labels.length > 0 && (!lastOffsiteAt || Date.now() - Date.parse(lastOffsiteAt) > OFFSITE_STALE_MS),
      keep: cfg.keep,
      schedule: cfg.schedule,
      lastBackupAt,
    };
  }

  /** The file of a done backup for download (administrator only: it holds the whole database); audited. */
  async download(actor: Actor, id: string): Promise<{ path: string; fileName: string; size: number }> {
    assertCan(actor, 'backup', 'write');
    const row = await backupRepo.get(this.ctx.db, id);
    if (!row) throw new AppError('not_found');
    const file = this.filePath(row);
    if (row.status !== 'done' || row.deleted_at || !fs.existsSync(file)) throw new AppError('backup_gone');
    await this.ctx.audit.write({
      userId: actor.id,
      action: 'backup.download',
      entity: 'backup',
      entityId: id,
      data: { file: row.file_name },
    });
    return { path: file, fileName: row.file_name, size: fs.statSync(file).size };
  }
}

/** Live progress goes to whoever may read backups (administrators and the owner). */
const BACKUP_AUDIENCE = { record: { resource: 'backup' as const, ownerIds: [null] } };
