/**
 * The backup file (`voronka-<UTC time>.vbk`): a gzip'd tar of
 *   manifest.json                 what is inside (below), first, so a reader knows at once what it holds
 *   database/voronka.sqlite       SQLite: the VACUUM INTO copy; PostgreSQL: database/voronka.pgdump (pg_dump -Fc)
 *   files/<path>                  the data directory's files (uploads, recordings, the installation secret)
 * encrypted as a whole (crypto.ts) when a passphrase is set. Reading extracts into a staging folder and verifies every
 * file against the manifest before the caller changes anything.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { DecryptStream, EncryptStream, HEADER_SIZE, finishEncryptedFile, isEncrypted, openEncrypted } from './crypto.js';
import { BackupFileError } from './errors.js';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'voronka-backup';
export const FORMAT_VERSION = 1;

export interface ManifestFile {
  /** Path inside the archive (`database/…`, `files/…`). */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  voronkaVersion: string;
  /** The newest migration applied to the database at the snapshot. */
  lastMigration: string;
  database: 'sqlite' | 'postgres';
  createdAt: string;
  /** The backup's row id (its row is `running` inside the snapshot; a restore marks it done). */
  backupId?: string;
  files: ManifestFile[];
  /** Rows per table at the snapshot. */
  tables: Record<string, number>;
  postgres?: { server: string; pgDump: string };
}

export const DB_ENTRY = { sqlite: 'database/voronka.sqlite', postgres: 'database/voronka.pgdump' } as const;

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Packs the staging folder (manifest.json, database/, files/ whose entries may be symlinks to the data directory's
 * files: they are followed) into `dest`, encrypted when a passphrase is given. `onBytes` gets the input bytes read.
 */
export async function writeArchive(staging: string, dest: string, opts: { passphrase: string | null; onBytes?: (n: number) => void }) {
  const entries = [MANIFEST, ...['database', 'files'].filter((d) => fs.existsSync(path.join(staging, d)))];
  const pack = tar.c({ cwd: staging, gzip: { level: 6 }, follow: true, portable: true, noDirRecurse: false }, entries);
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, done) {
      read += chunk.length;
      opts.onBytes?.(read);
      done(null, chunk);
    },
  });
  const tmp = `${dest}.part`;
  try {
    if (opts.passphrase) {
      await pipeline(pack as unknown as NodeJS.ReadableStream, counter, new EncryptStream(opts.passphrase), fs.createWriteStream(tmp));
      await finishEncryptedFile(tmp);
    } else {
      await pipeline(pack as unknown as NodeJS.ReadableStream, counter, fs.createWriteStream(tmp));
    }
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

const isZlibTruncation = (err: NodeJS.ErrnoException) => err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message);

/**
 * Decrypts, unpacks and verifies a backup into `staging` (created empty). Returns the manifest once every file's size
 * and sha256 match it; throws a BackupFileError with its own code for every way a file can be wrong.
 */
export async function readArchive(file: string, staging: string, passphrase: string | null): Promise<Manifest> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new BackupFileError('not_backup', `файла «${file}» нет`);
  }
  if (!stat.isFile() || stat.size < 20) throw new BackupFileError('not_backup');
  const encrypted = await isEncrypted(file);
  let source: NodeJS.ReadableStream[];
  if (encrypted) {
    const header = await openEncrypted(file, passphrase);
    source = [fs.createReadStream(file, { start: HEADER_SIZE }), new DecryptStream(header)];
  } else {
    const fh = fs.openSync(file, 'r');
    const magic = Buffer.alloc(2);
    fs.readSync(fh, magic, 0, 2, 0);
    fs.closeSync(fh);
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw new BackupFileError('not_backup');
    source = [fs.createReadStream(file)];
  }
  fs.mkdirSync(staging, { recursive: true });
  let first: string | null = null;
  const extract = tar.x({
    cwd: staging,
    strict: true,
    // Only plain files and folders: a link in an archive could point outside the staging folder.
    filter: (p, entry) => {
      first ??= p;
      const type = (entry as tar.ReadEntry).type;
      return type === 'File' || type === 'Directory';
    },
  });
  try {
    const streams = [...source, zlib.createGunzip(), extract as unknown as NodeJS.WritableStream];
    await (pipeline as unknown as (streams: unknown[]) => Promise<void>)(streams);
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code?.startsWith('Z_') || /incorrect (header|data) check|invalid (stored|block|distance|code)/i.test(e.message)) {
      if (isZlibTruncation(e)) throw new BackupFileError('truncated');
      throw new BackupFileError(encrypted || first === MANIFEST ? 'damaged' : 'not_backup');
    }
    throw new BackupFileError(first === MANIFEST ? 'damaged' : 'not_backup', e.message);
  }
  if (first !== MANIFEST) throw new BackupFileError('not_backup');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(staging, MANIFEST), 'utf8')) as Manifest;
  } catch {
    throw new BackupFileError('not_backup');
  }
  if (manifest?.format !== FORMAT || !Array.isArray(manifest.files)) throw new BackupFileError('not_backup');
  if (!(manifest.formatVersion <= FORMAT_VERSION)) throw new BackupFileError('unsupported_format', `формат ${manifest.formatVersion}`);
  await verifyStaging(staging, manifest);
  return manifest;
}

/** Every file of the manifest is there with its size and sha256, and nothing else is. */
async function verifyStaging(staging: string, manifest: Manifest): Promise<void> {
  const listed = new Set(manifest.files.map((f) => f.path));
  if (!listed.has(DB_ENTRY[manifest.database])) throw new BackupFileError('checksum', `нет файла базы ${DB_ENTRY[manifest.database]}`);
  for (const f of manifest.files) {
    const abs = path.join(staging, f.path);
    if (!abs.startsWith(staging + path.sep) || !fs.existsSync(abs)) throw new BackupFileError('checksum', `нет файла ${f.path}`);
    const actual = await sha256File(abs);
    if (actual.size !== f.size || actual.sha256 !== f.sha256) throw new BackupFileError('checksum', f.path);
  }
  for (const rel of listFiles(staging)) {
    if (rel !== MANIFEST && !listed.has(rel)) throw new BackupFileError('checksum', `лишний файл ${rel}`);
  }
}

/** Relative paths (with `/`) of every regular file under `root`, skipping what `skip` says. */
export function listFiles(root: string, skip: (abs: string, rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(dir, e.name);
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (skip(abs, rel)) continue;
      if (e.isDirectory()) walk(abs, rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  walk(root, '');
  return out;
}
