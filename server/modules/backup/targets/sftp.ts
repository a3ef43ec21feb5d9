/**
 * An SFTP folder on any SSH server:
 *   sftp://user[:password]@host[:port]/absolute/folder?hostKey=SHA256:…[&key=/path/to/private_key][&keyPassphrase=…]
 * `/~/folder` is relative to the user's home. A password, a key file, or both. The server's host key must be pinned
 * (`hostKey`, its SHA256 fingerprint as `ssh-keygen -lf` prints it; several separated by commas while a key rotates):
 * a backup never goes to a server that merely answers on that address. Without `hostKey` the URL is refused at startup
 * with the command that prints the fingerprint; a mismatch names the fingerprint the server presented.
 * The folder is created (mkdir -p); a file is streamed up (several chunks in flight) under a temporary name, its size
 * checked, then renamed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { configError, decoded, hostPort, networkReason, parseTargetUrl, queryParams, targetError } from './common.js';
import type { BackupTarget, RemoteBackupFile } from './target.js';

const FORM = 'sftp://пользователь[:пароль]@сервер[:порт]/папка?hostKey=SHA256:…[&key=/путь/к/ключу]';
const PARTIAL = '.partial';

export interface SftpTargetOptions {
  host: string;
  port: number;
  username: string;
  password: string | null;
  keyFile: string | null;
  keyPassphrase: string | null;
  /** Accepted SHA256 fingerprints, base64 without padding (as after `SHA256:`). */
  hostKeys: string[];
  /** Absolute (`/srv/backups`) or relative to the home folder (`backups`, `.` for home itself). */
  folder: string;
  label: string;
}

export function parseSftpUrl(raw: string): SftpTargetOptions {
  const url = parseTargetUrl('sftp', raw, ['sftp:'], FORM);
  const params = queryParams('sftp', url, ['hostKey', 'key', 'keyPassphrase']);
  const username = decoded('sftp', url.username, 'пользователь');
  if (!username) throw configError('sftp', `в адресе нет пользователя; ожидается ${FORM}`);
  const password = url.password ? decoded('sftp', url.password, 'пароль') : null;
  const keyFile = params.get('key') || null;
  if (!password && !keyFile) throw configError('sftp', 'нужен пароль (sftp://пользователь:пароль@…) или файл ключа (?key=/путь/к/ключу)');
  if (keyFile) {
    try {
      fs.accessSync(keyFile, fs.constants.R_OK);
    } catch {
      throw configError('sftp', `файл ключа ${keyFile} не найден или не читается`);
    }
  }
  const port = url.port ? Number(url.port) : 22;
  const hostKeyParam = params.get('hostKey');
  if (!hostKeyParam)
    throw configError(
      'sftp',
      `закрепите ключ сервера: добавьте ?hostKey=SHA256:… (отпечаток печатает «ssh-keyscan -p ${port} ${url.hostname} | ssh-keygen -lf -»; сверьте его с сервером)`,
    );
  const hostKeys = hostKeyParam.split(',').map((k) => {
    const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(k.trim());
    if (!m) throw configError('sftp', `hostKey «${k}» — не отпечаток SHA256:… (43 символа base64, как печатает ssh-keygen -lf)`);
    return m[1]!;
  });
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => decoded('sftp', s, 'путь'));
  const folder = segments[0] === '~' ? segments.slice(1).join('/') || '.' : `/${segments.join('/')}`;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    username,
    password,
    keyFile,
    keyPassphrase: params.get('keyPassphrase') ?? null,
    hostKeys,
    folder,
    label: `sftp://${hostPort(url)}${url.pathname || '/'}`,
  };
}

export class SftpTarget implements BackupTarget {
  readonly kind = 'sftp' as const;
  readonly label: string;

  constructor(private readonly opts: SftpTargetOptions) {
    this.label = opts.label;
  }

  async upload(localPath: string, name: string): Promise<void> {
    const { size } = await fs.promises.stat(localPath);
    const target = path.posix.join(this.opts.folder, name);
    const partial = target + PARTIAL;
    await this.session('upload', async (sftp) => {
      if (!(await sftp.exists(this.opts.folder))) await sftp.mkdir(this.opts.folder, true);
      try {
        // fastPut streams the file in chunks with several writes in flight (a lone stream waits one round trip
        // per 32 KiB packet).
        await sftp.fastPut(localPath, partial);
        const stored = await sftp.stat(partial);
        if (stored.size !== size) throw new SizeMismatch(stored.size, size);
        await sftp.posixRename(partial, target);
      } catch (err) {
        await sftp.delete(partial, true).catch(() => {});
        throw err;
      }
    });
  }

  async list(): Promise<RemoteBackupFile[]> {
    return this.session('list', async (sftp) => {
      if (!(await sftp.exists(this.opts.folder))) return []; // no folder yet: nothing uploaded
      const entries = await sftp.list(this.opts.folder);
      return entries.filter((e) => e.type === '-' && !e.name.endsWith(PARTIAL)).map((e) => ({ name: e.name, size: e.size }));
    });
  }

  async remove(name: string): Promise<void> {
    await this.session('remove', (sftp) => sftp.delete(path.posix.join(this.opts.folder, name), true));
  }

  /** One connection per operation (backups are rare; a kept connection would only go stale between them). */
  private async session<T>(op: 'upload' | 'list' | 'remove', work: (sftp: SftpClient) => Promise<T>): Promise<T> {
    const sftp = new SftpClient('voronka-backup');
    const seen: { hostKey: string | null } = { hostKey: null };
    try {
      await sftp.connect({
        host: this.opts.host,
        port: this.opts.port,
        username: this.opts.username,
        password: this.opts.password ?? undefined,
        privateKey: this.opts.keyFile ? await fs.promises.readFile(this.opts.keyFile) : undefined,
        passphrase: this.opts.keyPassphrase ?? undefined,
        readyTimeout: 20_000,
        hostVerifier: (key: Buffer) => {
          seen.hostKey = crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
          return this.opts.hostKeys.includes(seen.hostKey);
        },
      });
      return await work(sftp);
    } catch (err) {
      throw this.wrap(err, op, seen.hostKey);
    } finally {
      await Promise.resolve()
        .then(() => sftp.end())
        .catch(() => {});
    }
  }

  private wrap(err: unknown, op: 'upload' | 'list' | 'remove', presented: string | null): Error {
    const message = err instanceof Error ? err.message : String(err);
    let reason: string | null;
    if (err instanceof SizeMismatch) reason = `сервер сохранил ${err.stored} байт из ${err.expected}`;
    else if (presented && !this.opts.hostKeys.includes(presented))
      reason = `ключ сервера SHA256:${presented} не совпадает с hostKey из VORONKA_BACKUP_SFTP_URL (сервер подменён или ключ сменился: сверьте и обновите)`;
    else reason = networkReason(err) ?? sftpReason(message, (err as { code?: unknown }).code, op);
    return targetError('sftp', this.label, reason, err, [this.opts.password ?? '', this.opts.keyPassphrase ?? '']);
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

function sftpReason(message: string, code: unknown, op: 'upload' | 'list' | 'remove'): string | null {
  if (/authentication methods failed/i.test(message)) return 'неверный пользователь, пароль или ключ (сервер отказал во входе)';
  if (/refused connection/i.test(message)) return 'сервер отказал в соединении (ECONNREFUSED)';
  if (/address lookup failed/i.test(message)) return 'имя сервера не найдено (DNS)';
  if (/timed out while waiting for handshake/i.test(message)) return 'сервер не отвечает (тайм-аут рукопожатия SSH)';
  if (/cannot parse privatekey|encrypted private key|bad passphrase/i.test(message))
    return 'файл ключа не читается: неверный формат или парольная фраза (keyPassphrase)';
  if (/no space|quota/i.test(message)) return 'на сервере нет места';
  // SFTP status codes: 3 permission denied, 4 a generic failure (OpenSSH reports a full disk this way).
  if (code === 3 || /permission denied/i.test(message)) return 'нет прав на запись в папку';
  if (code === 2 || /no such file/i.test(message)) return 'папка не найдена';
  if (code === 4 && op === 'upload') return 'сервер не смог записать файл (нет места или прав?)';
  return null;
}

export function sftpTargetFromUrl(raw: string): SftpTarget {
  return new SftpTarget(parseSftpUrl(raw));
}
