import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';

/** The configuration of a test server: silent, a fixed secret, a data dir in the temp dir. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ VORONKA_DATA_DIR: path.join(os.tmpdir(), `voronka-test-${process.pid}`) }, { readDotenv: false });
  return { ...base, logLevel: 'silent', secret: 'test-secret', ...overrides };
}
