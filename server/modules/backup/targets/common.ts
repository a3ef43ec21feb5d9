/**
 * What the three protocols share: reading a target URL from the environment (refused at startup with the variable's
 * name, never echoing the URL, which holds secrets) and turning a library's error into one Russian sentence that names
 * the target by its label and never carries a password, a secret key or a key passphrase.
 */
import type { BackupTargetKind } from './target.js';

export const envNames: Record<BackupTargetKind, string> = {
  s3: 'VORONKA_BACKUP_S3_URL',
  webdav: 'VORONKA_BACKUP_WEBDAV_URL',
  sftp: 'VORONKA_BACKUP_SFTP_URL',
};

const kindNames: Record<BackupTargetKind, string> = { s3: 'S3', webdav: 'WebDAV', sftp: 'SFTP' };

/** A configuration error: `VORONKA_BACKUP_…_URL: <what is wrong>` (the URL itself is never repeated). */
export function configError(kind: BackupTargetKind, reason: string): Error {
  return new Error(`${envNames[kind]}: ${reason}`);
}

/** Parses the URL of `kind`; every part the caller reads is percent-decoded by `decoded`. */
export function parseTargetUrl(kind: BackupTargetKind, raw: string, protocols: string[], form: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw configError(kind, `это не адрес; ожидается ${form}`);
  }
  if (!protocols.includes(url.protocol))
    throw configError(kind, `адрес должен начинаться с ${protocols.join(' или ')}//; ожидается ${form}`);
  if (!url.hostname) throw configError(kind, `в адресе нет сервера; ожидается ${form}`);
  return url;
}

/** decodeURIComponent with the variable's name in the error (a password with a lone `%` must be written `%25`). */
export function decoded(kind: BackupTargetKind, part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw configError(kind, `${what}: неверная %-последовательность (символ % записывается как %25)`);
  }
}

/** Query parameters, refusing any the protocol does not know (a typo must not silently fall back to a default). */
export function queryParams(kind: BackupTargetKind, url: URL, known: string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!known.includes(key)) throw configError(kind, `неизвестный параметр «${key}»; допустимы: ${known.join(', ')}`);
    params.set(key, value);
  }
  return params;
}

export function booleanParam(kind: BackupTargetKind, params: Map<string, string>, name: string, fallback: boolean): boolean {
  const value = params.get(name);
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw configError(kind, `параметр ${name} должен быть true или false`);
}

/** `host[:port]` as written in the URL (IPv6 keeps its brackets). */
export function hostPort(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

/** Replaces every secret (and its percent-encoded form) in a text by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

interface ErrorLike {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The system error code of an error or of the error it wraps (fetch wraps socket errors in `cause`). */
export function systemCode(err: unknown): string | null {
  for (let e = err as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike | undefined, depth++) {
    if (typeof e.code === 'string' && /^(E[A-Z]+|ERR_TLS_\w+|CERT_\w+|UNABLE_TO_\w+|DEPTH_ZERO_\w+|SELF_SIGNED_\w+)$/.test(e.code))
      return e.code;
    if (typeof e.errno === 'string' && /^E[A-Z]+$/.test(e.errno)) return e.errno;
  }
  return null;
}

/** The reason for network-level failures every protocol meets; null when the error is not one of them. */
export function networkReason(err: unknown): string | null {
  const code = systemCode(err);
  if (!code) return null;
  const reason =
    code === 'ECONNREFUSED'
      ? 'сервер отказал в соединении'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'имя сервера не найдено (DNS)'
        : code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'ECONNABORTED'
          ? 'сервер не отвечает (тайм-аут)'
          : code === 'ECONNRESET' || code === 'EPIPE'
            ? 'сервер оборвал соединение'
            : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
              ? 'сервер недоступен по сети'
              : code === 'ENOSPC'
                ? 'нет места на диске'
                : /CERT|SELF_SIGNED|UNABLE_TO|DEPTH_ZERO/.test(code)
                  ? 'сертификат TLS сервера не прошёл проверку'
                  : null;
  return reason ? `${reason} (${code})` : null;
}

export function messageOf(err: unknown): string {
  const e = err as ErrorLike | undefined;
  return typeof e?.message === 'string' ? e.message : String(err);
}

/**
 * The error a target throws: `S3 s3://host/bucket: <причина>`. `reason` is already Russian; without one, the library's
 * own message (secrets removed) follows a generic prefix. No `cause` is attached: library errors may carry request
 * details that loggers print.
 */
export function targetError(kind: BackupTargetKind, label: string, reason: string | null, err: unknown, secrets: readonly string[]): Error {
  const text = reason ?? `ошибка: ${messageOf(err)}`;
  return new Error(redact(`${kindNames[kind]} ${label}: ${text}`, secrets));
}
