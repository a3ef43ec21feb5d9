/**
 * Making one backup file: database snapshot + the data directory's files + manifest → archive (archive.ts).
 *
 * What of the data directory goes in: every file except the database itself (it goes in as a snapshot), the backups
 * folder, restore leftovers (`*.before-restore-*`, `before-restore-*`, `.restore-*`) and our own temporary folders. The
 * installation secret goes in, so a restored installation is the same installation. Files are hashed, then packed:
 * the data directory holds write-once files (uploads, recordings); a file rewritten during a backup makes that backup
 * fail verification at restore, never restore silently wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from '../../platform/context.js';
import { sqliteFile } from '../../platform/db/connect.js';
import type { BackupStage } from '../../../common/api/backups.js';
import {
  DB_ENTRY,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST,
  listFiles,
  sha256File,
  writeArchive,
  type Manifest,
  type ManifestFile,
} from './archive.js';
import { snapshotPostgres, snapshotSqlite } from './snapshot.js';

/** `voronka-2026-12-07T03-00-00-123Z.vbk`: UTC, sortable by name. */
export function backupFileName(at: Date): string {
  return `voronka-${at.toISOString().replace(/[:.]/g, '-')}.vbk`;
}

export function isBackupFileName(name: string): boolean {
  return /^voronka-\d{4}-\d{2}-\d{2}T[\d-]+Z\.vbk$/.test(name);
}

/** The data directory's files that a backup holds: `[relative path, absolute path]`. */
export function dataFiles(config: Ctx['config'], databaseUrl: string): { rel: string; abs: string }[] {
  const root = path.resolve(config.dataDir);
  const backupDir = path.resolve(config.backup.dir);
  const dbFile = databaseUrl.startsWith('sqlite') ? sqliteFile(databaseUrl) : ':memory:';
  const dbAbs = dbFile === ':memory:' ? null : path.resolve(dbFile);
  const skip = (abs: string) => {
    if (abs === backupDir || abs.startsWith(backupDir + path.sep)) return true;
    // The database file with its -wal/-shm/-journal and restore leftovers (voronka.db.before-restore-…).
    if (dbAbs && (abs === dbAbs || abs.startsWith(dbAbs + '-') || abs.startsWith(dbAbs + '.'))) return true;
    return /\.before-restore-|^before-restore-|^\.restore-|^\.backup-tmp/.test(path.basename(abs));
  };
  return listFiles(root, skip).map((rel) => ({ rel, abs: path.join(root, rel) }));
}

export interface CreateOptions {
  passphrase: string | null;
  backupId?: string;
  onProgress?: (stage: BackupStage, percent: number) => void;
}

/** Writes the backup file `dest` (atomically: `.part` then renamed); returns its size. */
export async function createBackupFile(
  ctx: Pick<Ctx, 'config' | 'database'>,
  dest: string,
  opts: CreateOptions,
): Promise<{ size: number; manifest: Manifest }> {
  const { config, database } = ctx;
  const report = opts.onProgress ?? (() => {});
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const staging = path.join(path.dirname(dest), `.backup-tmp-${path.basename(dest, '.vbk')}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'database'), { recursive: true });
  try {
    report('database', 2);
    const dbEntry = DB_ENTRY[database.dialect];
    const dbCopy = path.join(staging, dbEntry);
    const snap = database.dialect === 'sqlite' ? await snapshotSqlite(database, dbCopy) : await snapshotPostgres(database.url, dbCopy);
    report('files', 30);

    const files: ManifestFile[] = [{ path: dbEntry, ...(await sha256File(dbCopy)) }];
    const data = dataFiles(config, database.url);
    let i = 0;
    for (const f of data) {
      const link = path.join(staging, 'files', f.rel);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(f.abs, link);
      files.push({ path: `files/${f.rel}`, ...(await sha256File(f.abs)) });
      report('files', 30 + (20 * ++i) / data.length);
    }
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      voronkaVersion: config.version,
      lastMigration: snap.lastMigration,
      database: database.dialect,
      createdAt: new Date().toISOString(),
      ...(opts.backupId ? { backupId: opts.backupId } : {}),
      files,
      tables: snap.tables,
      ...(snap.postgres ? { postgres: snap.postgres } : {}),
    };
    fs.writeFileSync(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2));
    report('archive', 50);
    const total = files.reduce((s, f) => s + f.size, 0) || 1;
    let last = 50;
    await writeArchive(staging, dest, {
      passphrase: opts.passphrase,
      onBytes: (n) => {
        // Compressed bytes against the input size: an underestimate, finished by the 100 % after.
        const pct = 50 + Math.min(45, (45 * n) / total);
        if (pct - last >= 2) report('archive', (last = pct));
      },
    });
    return { size: fs.statSync(dest).size, manifest };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
