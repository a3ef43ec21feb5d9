/**
 * HTTP contract of backups (`/api/backups`, administrator; the owner reads the list): the local backup files with
 * their off-server copies, and a summary of how well the data is protected (encrypted or not, last off-server copy).
 */
import { z } from 'zod';
import { idSchema, isoTimestamp } from './shared.js';

export const backupStatusValues = ['running', 'done', 'failed'] as const;
export type BackupStatus = (typeof backupStatusValues)[number];
export const backupTriggerValues = ['schedule', 'manual', 'cli'] as const;
export type BackupTrigger = (typeof backupTriggerValues)[number];
/** An off-server copy: waiting for its job, uploading, retrying after a failure, done, or failed for good. */
export const backupCopyStatusValues = ['pending', 'uploading', 'retrying', 'done', 'failed'] as const;
export type BackupCopyStatus = (typeof backupCopyStatusValues)[number];

export const backupCopySchema = z.object({
  /** The target as people read it (URL without credentials). */
  target: z.string(),
  status: z.enum(backupCopyStatusValues),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  copiedAt: isoTimestamp.nullable(),
});
export type BackupCopy = z.infer<typeof backupCopySchema>;

export const backupSchema = z.object({
  id: idSchema,
  fileName: z.string(),
  /** Bytes of the backup file (null while running). */
  size: z.number().int().nullable(),
  encrypted: z.boolean(),
  status: z.enum(backupStatusValues),
  error: z.string().nullable(),
  trigger: z.enum(backupTriggerValues),
  createdAt: isoTimestamp,
  finishedAt: isoTimestamp.nullable(),
  /** Whether the local file is still there (retention removes old ones; the row stays as history). */
  available: z.boolean(),
  copies: z.array(backupCopySchema),
});
export type Backup = z.infer<typeof backupSchema>;

export const backupSummarySchema = z.object({
  /** Whether new backups are encrypted (`VORONKA_BACKUP_PASSPHRASE` is set). */
  encrypted: z.boolean(),
  /** Labels of the configured off-server targets (none: only local copies). */
  targets: z.array(z.string()),
  /** When the last off-server copy succeeded (any target), or null. */
  lastOffsiteAt: isoTimestamp.nullable(),
  /** Targets are configured and the last off-server copy is older than 26 hours (or there is none). */
  offsiteStale: z.boolean(),
  /** How many backups are kept (locally and on each target). */
  keep: z.number().int(),
  /** The schedule (cron) or `off`. */
  schedule: z.string(),
  /** The last successful backup's time, or null. */
  lastBackupAt: isoTimestamp.nullable(),
});
export type BackupSummary = z.infer<typeof backupSummarySchema>;

export const backupListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type BackupListQuery = z.infer<typeof backupListQuery>;

export const backupListResponse = z.object({
  items: z.array(backupSchema),
  nextCursor: z.string().nullable(),
  summary: backupSummarySchema,
});
export type BackupList = z.infer<typeof backupListResponse>;

export const backupCreatedResponse = z.object({ id: idSchema });

/** Stages of a running backup as the progress bar shows them. */
export const backupStageValues = ['database', 'files', 'archive', 'upload', 'done', 'failed'] as const;
export type BackupStage = (typeof backupStageValues)[number];

/** Copies are stale after this long without a successful off-server copy (a daily schedule plus slack). */
export const OFFSITE_STALE_MS = 26 * 3600 * 1000;
