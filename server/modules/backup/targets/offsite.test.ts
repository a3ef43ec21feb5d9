/**
 * Real backups copied off the server to the three real servers the target tests use (OpenSSH's sshd, `rclone serve
 * webdav`, and s3rver, the in-process S3 fake: see test-servers.ts), through the backup service's own jobs:
 * every backup lands on all three byte for byte, retention (keep = 3) deletes the oldest locally and on each target, and
 * a target whose server is down is reported, retried with backoff and the local copy kept, then copied once it is back.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness.js';
import { createTargets } from './index.js';
import type { BackupTarget } from './target.js';
import { startS3, startSshd, startWebdav, type SshdServer, type TestServer, type WebdavServer } from './test-servers.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-offsite-'));
let s3: TestServer;
let webdav: WebdavServer;
let sftp: SshdServer;

beforeAll(async () => {
  [s3, webdav, sftp] = await Promise.all([startS3(), startWebdav(), startSshd()]);
});
afterAll(async () => {
  await Promise.all([s3?.close(), webdav?.close(), sftp?.close()]);
  fs.rmSync(root, { recursive: true, force: true });
});

const digest = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

describeEachDialect(
  'backups copied to real S3, WebDAV and SFTP servers',
  (h) => {
    let targets: BackupTarget[];
    let sftpTarget: BackupTarget;
    const dir = () => h.server.ctx.config.backup.dir;

    beforeAll(() => {
      // Each dialect has its own local folder and its own folder on every server.
      h.server.ctx.config.backup.dir = path.join(root, `local-${h.dialect}`);
      const folder = `backups-${h.dialect}`;
      targets = createTargets({
        ...h.server.ctx.config.backup,
        s3Url: s3.url.replace('/backups?', `/${folder}?`),
        webdavUrl: webdav.url.replace('/backups/', `/${folder}/`),
        sftpUrl: sftp.url.replace('/backups?', `/${folder}?`),
      });
      sftpTarget = targets.find((t) => t.kind === 'sftp')!;
      h.server.ctx.services.backup.useTargets(targets);
    });

    /** Runs due jobs (the backup, then its uploads) until none is due. */
    const runJobs = async () => {
      const jobs = h.server.ctx.jobs;
      while ((await jobs.runDue()) > 0) await jobs.idle();
      await jobs.idle();
    };
    /** The retry backoff of pending uploads elapses. */
    const elapseBackoff = () =>
      h.server.ctx.db
        .updateTable('jobs')
        .set({ run_at: new Date().toISOString() })
        .where('status', '=', 'pending')
        .where('type', '=', 'backup.upload')
        .execute();
    const backups = async () => {
      const res = await h.admin.get('/api/backups?limit=100');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items as {
        id: string;
        fileName: string;
        status: string;
        available: boolean;
        copies: { target: string; status: string; attempts: number; lastError: string | null }[];
      }[];
    };
    const createBackup = async () => {
      const res = await h.admin.post('/api/backups');
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await runJobs();
      return (await backups()).find((b) => b.id === res.body.id)!;
    };
    const remoteNames = async (target: BackupTarget) => (await target.list()).map((f) => f.name).sort();

    it('copies every backup to all three servers byte for byte; keep = 3 deletes the oldest locally and on each', async () => {
      const made: Awaited<ReturnType<typeof createBackup>>[] = [];
      for (let i = 0; i < 4; i++) made.push(await createBackup());
      for (const b of made) {
        expect(b.status).toBe('done');
        expect(b.copies.map((c) => [c.target, c.status]).sort()).toEqual(targets.map((t) => [t.label, 'done']).sort());
      }
      const kept = made.slice(1).map((b) => b.fileName);
      expect(
        fs
          .readdirSync(dir())
          .filter((f) => f.endsWith('.vbk'))
          .sort(),
      ).toEqual([...kept].sort());
      expect((await backups()).find((b) => b.id === made[0]!.id)?.available).toBe(false);
      for (const target of targets) {
        expect(await remoteNames(target), target.label).toEqual([...kept].sort());
        const sizes = new Map((await target.list()).map((f) => [f.name, f.size]));
        for (const name of kept) expect(sizes.get(name), `${target.label} ${name}`).toBe(fs.statSync(path.join(dir(), name)).size);
      }
      // Byte for byte where the servers keep files on disk (WebDAV, SFTP).
      const newest = kept[kept.length - 1]!;
      const local = digest(fs.readFileSync(path.join(dir(), newest)));
      expect(digest(fs.readFileSync(path.join(webdav.dir, 'voronka', `backups-${h.dialect}`, newest)))).toBe(local);
      expect(digest(fs.readFileSync(path.join(path.dirname(sftp.dir), `backups-${h.dialect}`, newest)))).toBe(local);
    });

    it('a target whose server is down is reported and retried, the local copy kept; copied once the server is back', async () => {
      await sftp.stop();
      try {
        const made = await createBackup();
        const copy = () => made.copies.find((c) => c.target === sftpTarget.label)!;
        expect(made.status).toBe('done');
        expect(copy()).toMatchObject({ status: 'retrying', attempts: 1 });
        expect(copy().lastError).toBe(`SFTP ${sftpTarget.label}: сервер отказал в соединении (ECONNREFUSED)`);
        expect(made.copies.filter((c) => c.target !== sftpTarget.label).map((c) => c.status)).toEqual(['done', 'done']);
        expect(fs.existsSync(path.join(dir(), made.fileName))).toBe(true);

        // Still down at the second attempt.
        await elapseBackoff();
        await runJobs();
        let row = (await backups()).find((b) => b.id === made.id)!;
        expect(row.copies.find((c) => c.target === sftpTarget.label)).toMatchObject({ status: 'retrying', attempts: 2 });

        await sftp.start();
        await elapseBackoff();
        await runJobs();
        row = (await backups()).find((b) => b.id === made.id)!;
        expect(row.copies.find((c) => c.target === sftpTarget.label)).toMatchObject({ status: 'done', attempts: 3, lastError: null });
        expect(fs.existsSync(path.join(dir(), made.fileName))).toBe(true);
        // Retention ran there too once the copy succeeded: the newest three.
        const kept = (await backups()).filter((b) => b.available).map((b) => b.fileName);
        expect(kept).toHaveLength(3);
        expect(await remoteNames(sftpTarget)).toEqual([...kept].sort());
      } finally {
        await sftp.start().catch(() => {});
      }
    });
  },
  {
    config: {
      backup: {
        dir: path.join(root, 'local'),
        keep: 3,
        schedule: 'off',
        passphrase: 'парольная фраза копий вне сервера',
        s3Url: null,
        webdavUrl: null,
        sftpUrl: null,
      },
    },
  },
);
