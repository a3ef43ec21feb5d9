/**
 * Backups through HTTP on both databases: 202 + live progress + the list + download, permissions, audit; off-server
 * copies with retries, backoff and the final failure reported; retention (keep = 3) locally and on the target; a
 * failed backup notifies the administrators.
 *
 * The off-server target here is an in-test fake (`FakeTarget`, an outer-edge service we do not run here); the real
 * S3 / WebDAV / SFTP protocols are tested against real servers by the targets' own tests (targets/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, type TestClient } from '../../test/harness.js';
import type { BackupTarget, RemoteBackupFile } from './targets/target.js';
import type { LiveEvent } from '../../platform/events.js';
import { UPLOAD_ATTEMPTS } from './backup.service.js';
import { readArchive } from './archive.js';
import { latestMigration } from '../../platform/db/migrate.js';

/** A fake off-server folder: keeps uploaded files in memory; `failures` uploads fail before it accepts. */
class FakeTarget implements BackupTarget {
  readonly kind = 's3' as const;
  files = new Map<string, Buffer>();
  failures = 0;
  uploads = 0;
  constructor(readonly label: string) {}
  async upload(localPath: string, name: string) {
    this.uploads++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('503 Service Unavailable');
    }
    this.files.set(name, fs.readFileSync(localPath));
  }
  async list(): Promise<RemoteBackupFile[]> {
    return [...this.files].map(([name, b]) => ({ name, size: b.length }));
  }
  async remove(name: string) {
    this.files.delete(name);
  }
}

const PASSPHRASE = 'длинная парольная фраза для теста';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-backup-http-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let seq = 0;

describeEachDialect(
  'backups over HTTP',
  (h) => {
    let manager: TestClient;
    let owner: TestClient;
    let target: FakeTarget;
    const events: LiveEvent[] = [];
    const dir = () => h.server.ctx.config.backup.dir;

    beforeAll(async () => {
      manager = await h.user('manager');
      owner = await h.user('owner');
      target = new FakeTarget('s3://backups.example/voronka');
      h.server.ctx.services.backup.useTargets([target]);
      h.server.ctx.events.onAny((e) => events.push(e));
    });
    afterAll(() => fs.rmSync(dir(), { recursive: true, force: true }));

    /** Runs due jobs (backups and uploads run beside the loop) until none is due. */
    const runJobs = async () => {
      const jobs = h.server.ctx.jobs;
      while ((await jobs.runDue()) > 0) await jobs.idle();
      await jobs.idle();
    };
    /** The backoff of failed jobs elapses (their run_at moves to now). */
    const elapseBackoff = () =>
      h.server.ctx.db
        .updateTable('jobs')
        .set({ run_at: new Date().toISOString() })
        .where('status', '=', 'pending')
        .where('type', '=', 'backup.upload')
        .execute();
    const list = async (client: TestClient = h.admin) => {
      const res = await client.get('/api/backups?limit=100');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const createBackup = async () => {
      const res = await h.admin.post('/api/backups');
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await runJobs();
      return res.body.id as string;
    };

    it('202, progress by live events, the row in the list, the upload, the download; all audited', async () => {
      events.length = 0;
      const res = await h.admin.post('/api/backups');
      expect(res.status).toBe(202);
      const id = res.body.id;
      expect((await list()).items[0]).toMatchObject({ id, status: 'running', trigger: 'manual', encrypted: true });
      // A second one while it runs is refused.
      expect((await h.admin.post('/api/backups')).status).toBe(409);
      await runJobs();
      const progress = events.filter((e) => e.type === 'backup.progress' && (e.data as any).id === id).map((e) => e.data as any);
      const stages = progress.map((p) => p.stage);
      for (const s of ['database', 'files', 'archive', 'done', 'upload']) expect(stages).toContain(s);
      expect(progress.find((p) => p.stage === 'done')?.percent).toBe(100);
      const percents = progress.filter((p) => p.stage !== 'upload').map((p) => p.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(events.find((e) => e.type === 'backup.progress')?.audience).toEqual({ record: { resource: 'backup', ownerIds: [null] } });

      const body = await list();
      const row = body.items.find((b: any) => b.id === id);
      expect(row).toMatchObject({ status: 'done', encrypted: true, available: true, error: null });
      expect(row.size).toBeGreaterThan(1000);
      expect(row.copies).toEqual([{ target: target.label, status: 'done', attempts: 1, lastError: null, copiedAt: expect.any(String) }]);
      expect(body.summary).toMatchObject({ encrypted: true, targets: [target.label], offsiteStale: false, keep: 3 });
      expect(Date.now() - Date.parse(body.summary.lastOffsiteAt)).toBeLessThan(60_000);

      // The file is on the target byte for byte, encrypted, and opens with the passphrase only.
      const local = fs.readFileSync(path.join(dir(), row.fileName));
      expect(target.files.get(row.fileName)?.equals(local)).toBe(true);
      expect(local.subarray(0, 19).toString()).toBe('VORONKA-BACKUP-ENC1');
      const manifest = await readArchive(path.join(dir(), row.fileName), path.join(root, `x${++seq}`), PASSPHRASE);
      expect(manifest).toMatchObject({ format: 'voronka-backup', database: h.dialect, lastMigration: latestMigration() });
      expect(manifest.tables.users).toBeGreaterThanOrEqual(3);

      const dl = await h.admin.get(`/api/backups/${id}/download`);
      expect(dl.status).toBe(200);
      expect(dl.raw.rawPayload.equals(local)).toBe(true);
      expect(String(dl.headers['content-disposition'])).toContain(row.fileName);

      const audit = (await h.admin.get('/api/audit?action=backup&limit=50')).body.items;
      expect(audit.find((e: any) => e.event === 'backup.create' && e.entityId === id)).toMatchObject({
        userId: h.admin.user!.id,
        details: { trigger: 'manual' },
      });
      expect(audit.find((e: any) => e.event === 'backup.download' && e.entityId === id)).toMatchObject({
        userId: h.admin.user!.id,
        ip: '127.0.0.1',
      });
    });

    it('only the administrator creates and downloads; the owner reads the list; the others see nothing', async () => {
      const id = (await list()).items[0].id;
      expect((await manager.post('/api/backups')).status).toBe(403);
      expect((await manager.get('/api/backups')).status).toBe(404);
      expect((await manager.get(`/api/backups/${id}/download`)).status).toBe(403);
      expect((await owner.get('/api/backups')).status).toBe(200);
      expect((await owner.post('/api/backups')).status).toBe(403);
      expect((await owner.get(`/api/backups/${id}/download`)).status).toBe(403);
      expect((await h.anon.get('/api/backups')).status).toBe(401);
      expect((await h.admin.get('/api/backups/nope/download')).status).toBe(404);
      expect((await h.admin.get('/api/backups?cursor=garbage!')).status).toBe(400);
    });

    it('a refusing target is retried with backoff, the local copy stays; the last failure is reported to admins', async () => {
      target.failures = 1;
      const id = await createBackup();
      let row = (await list()).items.find((b: any) => b.id === id);
      expect(row.status).toBe('done');
      expect(row.copies[0]).toMatchObject({ status: 'retrying', attempts: 1, lastError: '503 Service Unavailable', copiedAt: null });
      expect(fs.existsSync(path.join(dir(), row.fileName))).toBe(true);
      const job = await h.server.ctx.db
        .selectFrom('jobs')
        .selectAll()
        .where('type', '=', 'backup.upload')
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      // Backoff: the next attempt is a minute away.
      expect(Date.parse(job.run_at) - Date.now()).toBeGreaterThan(50_000);
      await runJobs();
      expect((await list()).items.find((b: any) => b.id === id).copies[0].status).toBe('retrying');
      await elapseBackoff();
      await runJobs();
      row = (await list()).items.find((b: any) => b.id === id);
      expect(row.copies[0]).toMatchObject({ status: 'done', attempts: 2, lastError: null });

      // Every attempt fails: after the last one the copy is failed and the admins are told.
      target.failures = 1000;
      const failing = await createBackup();
      for (let i = 1; i < UPLOAD_ATTEMPTS; i++) {
        await elapseBackoff();
        await runJobs();
      }
      row = (await list()).items.find((b: any) => b.id === failing);
      expect(row.copies[0]).toMatchObject({ status: 'failed', attempts: UPLOAD_ATTEMPTS, lastError: '503 Service Unavailable' });
      expect(row.available).toBe(true);
      await vi.waitFor(async () => {
        const bell = (await h.admin.get('/api/notifications?limit=20')).body.items;
        expect(bell.find((n: any) => n.kind === 'backup_failed' && n.title.includes(target.label))).toBeTruthy();
      });
      target.failures = 0;
    });

    it('keeps the newest 3 locally and on the target', async () => {
      for (let i = 0; i < 4; i++) await createBackup();
      const items = (await list()).items.filter((b: any) => b.status === 'done');
      const kept = items.filter((b: any) => b.available).map((b: any) => b.fileName);
      expect(kept).toHaveLength(3);
      expect(
        fs
          .readdirSync(dir())
          .filter((f) => f.endsWith('.vbk'))
          .sort(),
      ).toEqual([...kept].sort());
      expect([...target.files.keys()].sort()).toEqual([...kept].sort());
      const gone = items.find((b: any) => !b.available);
      expect((await h.admin.get(`/api/backups/${gone.id}/download`)).status).toBe(410);
    });

    it('a backup that fails is marked failed with its error, notifies the admins and leaves no partial file', async () => {
      const config = h.server.ctx.config.backup;
      const good = config.dir;
      const blocker = path.join(root, `blocker-${++seq}`);
      fs.writeFileSync(blocker, 'не папка');
      config.dir = path.join(blocker, 'backups');
      try {
        const id = await createBackup();
        const row = (await list()).items.find((b: any) => b.id === id);
        expect(row).toMatchObject({ status: 'failed', available: false });
        expect(row.error).toMatch(/ENOTDIR|not a directory/);
        const bell = (await h.admin.get('/api/notifications?limit=20')).body.items;
        expect(bell.find((n: any) => n.kind === 'backup_failed' && n.title === 'Резервная копия не создана')).toBeTruthy();
        expect(events.some((e) => e.type === 'backup.progress' && (e.data as any).id === id && (e.data as any).stage === 'failed')).toBe(
          true,
        );
      } finally {
        config.dir = good;
      }
    });
  },
  {
    config: {
      backup: {
        dir: path.join(root, `backups-${process.pid}-${Math.random().toString(36).slice(2)}`),
        keep: 3,
        schedule: 'off',
        passphrase: PASSPHRASE,
        s3Url: null,
        webdavUrl: null,
        sftpUrl: null,
      },
    },
  },
);
