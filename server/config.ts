import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import net from 'node:net';
import dotenv from 'dotenv';

/** Everything configurable by environment (DESIGN §1). `.env` in the working directory is read too. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  publicUrl: string;
  tz: string;
  smtpUrl: string | null;
  logLevel: string;
  /**
   * Which proxies may tell the client's address and protocol (`X-Forwarded-For`/`-Proto`/`-Host`), as Fastify's
   * `trustProxy`: false (default: the headers are ignored), true (any), a hop count, or addresses/CIDRs.
   */
  trustProxy: TrustProxy;
  adminEmail: string | null;
  adminPassword: string | null;
  /** Random secret generated once into the data dir (signs nothing secret-critical yet; kept for later modules). */
  secret: string;
  /** Session lifetime in milliseconds. */
  sessionTtlMs: number;
  /** Max JSON body in bytes. */
  bodyLimit: number;
  version: string;
  /** Backups (the data-protection issue): where, how often, how many, encrypted with what, copied where. */
  backup: BackupConfig;
  /** The package root (holds package.json and web/dist), whether running from source or from dist/. */
  rootDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { readDotenv?: boolean } = {}): Config {
  if (opts.readDotenv !== false) dotenv.config({ quiet: true } as dotenv.DotenvConfigOptions);
  const dataDir = path.resolve(env.VORONKA_DATA_DIR || './data');
  const port = Number(env.PORT || 3000);
  const host = env.HOST || '127.0.0.1';
  return {
    port,
    host,
    dataDir,
    databaseUrl: env.VORONKA_DATABASE_URL || `sqlite://${path.join(dataDir, 'voronka.db')}`,
    publicUrl: env.VORONKA_PUBLIC_URL || `http://localhost:${port}`,
    tz: env.VORONKA_TZ || 'Europe/Moscow',
    smtpUrl: env.VORONKA_SMTP_URL || null,
    logLevel: env.VORONKA_LOG_LEVEL || 'info',
    trustProxy: parseTrustProxy(env.VORONKA_TRUST_PROXY),
    adminEmail: env.VORONKA_ADMIN_EMAIL || null,
    adminPassword: env.VORONKA_ADMIN_PASSWORD || null,
    secret: '',
    sessionTtlMs: 14 * 24 * 3600 * 1000,
    bodyLimit: 1024 * 1024,
    version: readVersion(),
    rootDir: findRootDir(),
    backup: {
      dir: path.resolve(env.VORONKA_BACKUP_DIR || path.join(dataDir, 'backups')),
      keep: positiveInt(env.VORONKA_BACKUP_KEEP, 7, 'VORONKA_BACKUP_KEEP'),
      schedule: env.VORONKA_BACKUP_SCHEDULE || '0 3 * * *',
      passphrase: env.VORONKA_BACKUP_PASSPHRASE || null,
      s3Url: env.VORONKA_BACKUP_S3_URL || null,
      webdavUrl: env.VORONKA_BACKUP_WEBDAV_URL || null,
      sftpUrl: env.VORONKA_BACKUP_SFTP_URL || null,
    },
  };
}

export interface BackupConfig {
  /** Local folder of backup files (`VORONKA_BACKUP_DIR`, default `<data dir>/backups`). */
  dir: string;
  /** How many backups to keep, locally and on every off-server target (`VORONKA_BACKUP_KEEP`, 7). */
  keep: number;
  /** Cron expression in the company time zone (`VORONKA_BACKUP_SCHEDULE`, `0 3 * * *`); `off` disables it. */
  schedule: string;
  /** `VORONKA_BACKUP_PASSPHRASE`: without it backups are written unencrypted (the admin page says so). */
  passphrase: string | null;
  /** Off-server copies: an S3-compatible bucket, a WebDAV folder, an SFTP folder (URLs with credentials). */
  s3Url: string | null;
  webdavUrl: string | null;
  sftpUrl: string | null;
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: «${value}» — нужно целое число не меньше 1`);
  return n;
}

export type TrustProxy = boolean | number | string[];
/** Names proxy-addr (Fastify's trustProxy) understands besides addresses. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `VORONKA_TRUST_PROXY`: empty/false/off → false; true/on → true (only behind a proxy that every client
 * must pass); a number → that many proxy hops; otherwise a comma list of proxy addresses, CIDRs or
 * `loopback`/`linklocal`/`uniquelocal`.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'off' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'on' || v === 'yes') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of list) {
    if (PROXY_NAMES.has(item)) continue;
    const [addr, bits, extra] = item.split('/');
    const family = net.isIP(addr ?? '');
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || !bitsOk || extra !== undefined) {
      throw new Error(
        `VORONKA_TRUST_PROXY: «${item}» — не адрес и не подсеть (ожидается true, false, число прокси или список адресов/CIDR через запятую)`,
      );
    }
  }
  return list;
}

/** Reads or creates the per-installation secret in the data dir. */
export function ensureSecret(config: Config): Config {
  if (config.secret) return config;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'secret');
  let secret: string;
  try {
    secret = fs.readFileSync(file, 'utf8').trim();
  } catch {
    secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600 });
  }
  return { ...config, secret };
}

function findRootDir(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (dir !== path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

function readVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(findRootDir(), 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}
