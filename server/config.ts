import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
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
  adminEmail: string | null;
  adminPassword: string | null;
  /** Random secret generated once into the data dir (signs nothing secret-critical yet; kept for later modules). */
  secret: string;
  /** Session lifetime in milliseconds. */
  sessionTtlMs: number;
  /** Max JSON body in bytes. */
  bodyLimit: number;
  version: string;
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
    adminEmail: env.VORONKA_ADMIN_EMAIL || null,
    adminPassword: env.VORONKA_ADMIN_PASSWORD || null,
    secret: '',
    sessionTtlMs: 14 * 24 * 3600 * 1000,
    bodyLimit: 1024 * 1024,
    version: readVersion(),
    rootDir: findRootDir(),
  };
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
