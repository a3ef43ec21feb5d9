/**
 * A WebDAV folder (Yandex Disk, Nextcloud, any WebDAV server):
 *   https://user:password@webdav.yandex.ru/voronka-backups/
 * User and password are percent-decoded; the folder is created (with its parents) if missing. A file is streamed up
 * under a temporary name with its Content-Length, its size checked, then moved onto its name: an interrupted upload
 * never shows up as a backup.
 */
import fs from 'node:fs';
import { createClient, type FileStat, type WebDAVClient } from 'webdav';
import { decoded, hostPort, networkReason, parseTargetUrl, queryParams, targetError } from './common.js';
import type { BackupTarget, RemoteBackupFile } from './target.js';

const FORM = 'https://пользователь:пароль@сервер/папка/';
const PARTIAL = '.partial';

export interface WebdavTargetOptions {
  origin: string;
  username: string;
  password: string;
  /** The folder, decoded, starting and ending with `/`. */
  folder: string;
  label: string;
}

export function parseWebdavUrl(raw: string): WebdavTargetOptions {
  const url = parseTargetUrl('webdav', raw, ['https:', 'http:'], FORM);
  queryParams('webdav', url, []);
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => decoded('webdav', s, 'путь'));
  const folder = segments.length ? `/${segments.join('/')}/` : '/';
  return {
    origin: `${url.protocol}//${hostPort(url)}`,
    username: decoded('webdav', url.username, 'пользователь'),
    password: decoded('webdav', url.password, 'пароль'),
    folder,
    label: `${url.protocol}//${hostPort(url)}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`,
  };
}

export class WebdavTarget implements BackupTarget {
  readonly kind = 'webdav' as const;
  readonly label: string;
  private readonly client: WebDAVClient;
  private folderReady = false;

  constructor(private readonly opts: WebdavTargetOptions) {
    this.label = opts.label;
    this.client = createClient(opts.origin, opts.username ? { username: opts.username, password: opts.password } : {});
  }

  async upload(localPath: string, name: string): Promise<void> {
    const { size } = await fs.promises.stat(localPath);
    const partial = this.opts.folder + name + PARTIAL;
    try {
      if (!this.folderReady) {
        await this.client.createDirectory(this.opts.folder, { recursive: true });
        this.folderReady = true;
      }
      const body = fs.createReadStream(localPath);
      try {
        await this.client.putFileContents(partial, body, { overwrite: true, headers: { 'Content-Length': String(size) } });
      } finally {
        body.destroy();
      }
      const stored = (await this.client.stat(partial)) as FileStat;
      if (stored.size !== size) throw new SizeMismatch(stored.size, size);
      await this.client.moveFile(partial, this.opts.folder + name, { overwrite: true });
    } catch (err) {
      this.folderReady = false;
      await this.client.deleteFile(partial).catch(() => {});
      throw this.wrap(err, 'upload');
    }
  }

  async list(): Promise<RemoteBackupFile[]> {
    try {
      const entries = await this.client.getDirectoryContents(this.opts.folder);
      return entries.filter((e) => e.type === 'file' && !e.basename.endsWith(PARTIAL)).map((e) => ({ name: e.basename, size: e.size }));
    } catch (err) {
      if (status(err) === 404) return []; // no folder yet: nothing uploaded
      throw this.wrap(err, 'list');
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.client.deleteFile(this.opts.folder + name);
    } catch (err) {
      if (status(err) === 404) return;
      throw this.wrap(err, 'remove');
    }
  }

  private wrap(err: unknown, op: 'upload' | 'list' | 'remove'): Error {
    const reason =
      err instanceof SizeMismatch
        ? `сервер сохранил ${err.stored} байт из ${err.expected}`
        : (networkReason(err) ?? webdavReason(status(err), op));
    return targetError('webdav', this.label, reason, err, [this.opts.password]);
  }
}

class SizeMismatch extends Error {
  constructor(
    readonly stored: number,
    readonly expected: number,
  ) {
    super('size mismatch');
  }
}

function status(err: unknown): number | null {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : null;
}

function webdavReason(code: number | null, op: 'upload' | 'list' | 'remove'): string | null {
  if (code === null) return null;
  if (code === 401) return 'неверный пользователь или пароль (HTTP 401)';
  if (code === 403) return 'доступ запрещён: нет прав на эту папку (HTTP 403)';
  if (code === 404) return 'папка не найдена (HTTP 404)';
  if (code === 409 && op === 'upload') return 'не удалось создать папку: нет родительской папки (HTTP 409)';
  // Some servers (rclone's, Go's x/net/webdav) answer a write that hit a full disk with 405 as well.
  if (code === 405 && op === 'upload') return 'сервер не принял запись: нет места или прав на эту папку (HTTP 405)';
  if (code === 413) return 'сервер не принял файл: слишком большой (HTTP 413)';
  if (code === 507) return 'на сервере нет места (HTTP 507)';
  if (code >= 500) return `ошибка на стороне сервера (HTTP ${code})`;
  return `сервер ответил HTTP ${code}`;
}

export function webdavTargetFromUrl(raw: string): WebdavTarget {
  return new WebdavTarget(parseWebdavUrl(raw));
}
