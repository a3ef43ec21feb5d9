/**
 * The schedule (`VORONKA_BACKUP_SCHEDULE` through the job runner's scheduler) makes backups by itself; a schedule that
 * is not cron stops the server with the variable's name; a pg_dump older than the PostgreSQL server is refused with a
 * clear message before anything is dumped (an old pg_dump is faked by a script first on PATH: the machine's own
 * pg_dump matches its server, so that refusal cannot be met otherwise).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer } from '../../app.js';
import { createHarness, testConfig } from '../../test/harness.js';
import { createTestDatabase, testDialects } from '../../test/databases.js';
import { snapshotPostgres } from './snapshot.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-backup-schedule-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const backupConfig = (schedule: string) => ({
  dir: path.join(root, `b-${Math.random().toString(36).slice(2)}`),
  keep: 2,
  schedule,
  passphrase: null,
  s3Url: null,
  webdavUrl: null,
  sftpUrl: null,
});

for (const dialect of testDialects()) {
  describe(`backup schedule [${dialect}]`, () => {
    // Every second (croner's six-field form), with the job runner on.
    const { h, start, stop } = createHarness(dialect, { config: { backup: backupConfig('* * * * * *') }, runJobs: true });
    beforeAll(start);
    afterAll(stop);

    it('runs backups on its own, each tick once, and keeps only `keep` files', async () => {
      await vi.waitFor(
        async () => {
          const rows = await h.server.ctx.db
            .selectFrom('backups')
            .selectAll()
            .where('trigger', '=', 'schedule')
            .where('status', '=', 'done')
            .execute();
          expect(rows.length).toBeGreaterThanOrEqual(3);
        },
        { timeout: 30_000, interval: 200 },
      );
      const dir = h.server.ctx.config.backup.dir;
      await vi.waitFor(() => expect(fs.readdirSync(dir).filter((f) => f.endsWith('.vbk')).length).toBeLessThanOrEqual(2), {
        timeout: 10_000,
      });
      // One job per tick: no two scheduled backups started in the same second.
      const ticks = await h.server.ctx.db.selectFrom('jobs').select('dedupe_key').where('type', '=', 'backup.scheduled').execute();
      expect(new Set(ticks.map((t) => t.dedupe_key)).size).toBe(ticks.length);
    });
  });
}

describe('backup schedule and tools: refusals', () => {
  it('a schedule that is not cron stops the server naming VORONKA_BACKUP_SCHEDULE', async () => {
    const t = await createTestDatabase('sqlite', { migrated: true });
    try {
      const err = await createServer(testConfig({ backup: backupConfig('каждый день') }), {
        database: t.database,
        logger: pino({ level: 'silent' }),
        runJobs: false,
      }).catch((e: unknown) => e);
      expect(String((err as Error).message)).toMatch(/^VORONKA_BACKUP_SCHEDULE: «каждый день» — не выражение cron/);
    } finally {
      await t.drop();
    }
  });

  it.runIf(testDialects().includes('postgres'))('a pg_dump older than the server is refused with a clear message', async () => {
    const t = await createTestDatabase('postgres', { migrated: true });
    const bin = fs.mkdtempSync(path.join(root, 'bin-'));
    fs.writeFileSync(path.join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 12.22"\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    try {
      const dest = path.join(bin, 'dump');
      const err = await snapshotPostgres(t.url, dest).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/pg_dump версии 12, а сервер PostgreSQL — \d+; установите postgresql-client \d+ или новее/);
      expect(fs.existsSync(dest)).toBe(false);
    } finally {
      process.env.PATH = saved;
      await t.drop();
    }
  });
});
