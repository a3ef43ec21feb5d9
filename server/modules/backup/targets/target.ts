/**
 * An off-server place a backup file is copied to (S3-compatible bucket, WebDAV folder, SFTP folder).
 * The backup service uploads every new backup to each configured target, retries failures with backoff,
 * and applies retention (`VORONKA_BACKUP_KEEP`) on each target as it does locally. Implementations live
 * beside this file, one per protocol; `createTargets` builds the configured ones.
 */
export type BackupTargetKind = 's3' | 'webdav' | 'sftp';

export interface RemoteBackupFile {
  /** The file name as uploaded (no folders): e.g. `voronka-2026-12-07T03-00-00Z.vbk`. */
  name: string;
  size: number;
}

export interface BackupTarget {
  readonly kind: BackupTargetKind;
  /** Where, for people: the URL without user, password or keys (shown on the admin page and in logs). */
  readonly label: string;
  /** Streams the local file up under `name`; resolves once the target has stored all of it. */
  upload(localPath: string, name: string): Promise<void>;
  /** The backup files present on the target (only Voronka's: the service filters by name). */
  list(): Promise<RemoteBackupFile[]>;
  /** Deletes one file by name; a file already gone is not an error. */
  remove(name: string): Promise<void>;
}
