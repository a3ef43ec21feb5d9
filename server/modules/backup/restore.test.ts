/**
 * Backup → restore on real database files and databases (not the in-memory test databases: a restore swaps files
 * and renames databases), on both dialects:
 * - round trip: demo data + files in the data dir → backup → wipe → restore → every table's rows and checksum and
 *   every file's sha256 equal;
 * - a backup taken while a writer inserts 10,000 rows restores to a database that passes integrity_check and holds a
 *   gap-free prefix 1..k of them;
 * - wrong passphrase, a flipped byte, a truncated file, a newer schema, not a backup: each refused with its own
 *   message, and the live database and files unchanged;
 * - SQLite → PostgreSQL → SQLite with `--into`: equal checksums.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createServer, type Server } from '../../app.js';
import type { Config } from '../../config.js';
import { connect } from '../../platform/db/connect.js';
import { testConfig } from '../../test/harness.js';
import { testDialects } from '../../test/databases.js';
import { adminQuery, dropPgDatabase, withDatabase } from '../../test/pg-admin.js';
import { runDemo } from '../demo/demo.js';
import { listFiles, readArchive, writeArchive } from './archive.js';
import { backupFileErrors, BackupFileError } from './errors.js';
import { restoreBackup } from './restore.js';
import { tableChecksums } from './tables.js';

const PASSPHRASE = 'Съешь же ещё этих мягких французских булок';
/** Tables a backup itself writes after its snapshot (its own row, the audit entry, jobs): compared by the manifest's counts. */
const WRITTEN_BY_BACKUP = new Set(['backups', 'backup_copies', 'audit_log', 'jobs']);

interface Site {
  config: Config;
  url: string;
  /** Removes what the site created (files, databases, renamed previous databases). */
  cleanup(): Promise<void>;
}

const pgAdmin = () => inject('pgUrl') as string;

async function newSite(dialect: 'sqlite' | 'postgres', opts: { passphrase?: string | null } = {}): Promise<Site> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-restore-'));
  let url: string;
  let name = '';
  if (dialect === 'sqlite') {
    url = `sqlite://${path.join(dataDir, 'voronka.db')}`;
    fs.copyFileSync(inject('sqliteTemplate') as string, path.join(dataDir, 'voronka.db'));
  } else {
    name = `voronka_rt_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(pgAdmin(), `create database ${name} template ${inject('pgTemplate')}`);
    url = withDatabase(pgAdmin(), name);
  }
  const base = testConfig({ dataDir, databaseUrl: url });
  const config: Config = {
    ...base,
    backup: { ...base.backup, dir: path.join(dataDir, 'backups'), passphrase: opts.passphrase ?? null, schedule: 'off' },
  };
  return {
    config,
    url,
    async cleanup() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (name) {
        const { rows } = await connect(pgAdmin())
          .db.transaction()
          .execute(async (trx) => sql<{ datname: string }>`select datname from pg_database where datname like ${name + '%'}`.execute(trx));
        for (const r of rows) await dropPgDatabase(pgAdmin(), r.datname);
      }
    },
  };
}

const start = (config: Config) => createServer(config, { logger: pino({ level: 'silent' }), runJobs: false });

/** sha256 of every file of the data dir that a backup holds (not the database, not the backups). */
function dataDirHashes(config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listFiles(config.dataDir, (abs) => /voronka\.db|backups$|before-restore|\.restore-/.test(path.basename(abs)))) {
    out[rel] = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(config.dataDir, rel)))
      .digest('hex');
  }
  return out;
}

async function checksums(url: string) {
  const database = connect(url);
  try {
    return await tableChecksums(database);
  } finally {
    await database.close();
  }
}

const restore = (config: Config, file: string, extra: Partial<Parameters<typeof restoreBackup>[0]> = {}) =>
  restoreBackup({ file, config, force: true, confirm: async () => true, ...extra });

async function expectRefused(config: Config, file: string, code: keyof typeof backupFileErrors) {
  const err = await restore(config, file).catch((e: unknown) => e);
  expect(err, code).toBeInstanceOf(BackupFileError);
  expect((err as BackupFileError).code).toBe(code);
  expect((err as BackupFileError).message).toContain(backupFileErrors[code]);
}

for (const dialect of testDialects()) {
  describe(`backup and restore [${dialect}]`, () => {
    let site: Site;
    let server: Server | null = null;
    let backupFile: string;
    let before: Awaited<ReturnType<typeof tableChecksums>>;
    let files: Record<string, string>;

    beforeAll(async () => {
      site = await newSite(dialect, { passphrase: PASSPHRASE });
      server = await start(site.config);
      await runDemo(server.ctx, { clients: 40, deals: 120, seed: 5, users: 2, now: new Date('2026-03-18T09:30:00.000Z') });
      const dir = site.config.dataDir;
      fs.mkdirSync(path.join(dir, 'uploads', 'invoices'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'recordings'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'uploads', 'invoices', 'печать.png'), crypto.randomBytes(50_000));
      fs.writeFileSync(path.join(dir, 'recordings', 'call-1.mp3'), crypto.randomBytes(200_000));
      fs.writeFileSync(path.join(dir, 'secret'), 'installation-secret');
      before = await tableChecksums(server.ctx.database);
      files = dataDirHashes(site.config);
      const row = await server.ctx.services.backup.createNow();
      expect(row.status, row.error ?? '').toBe('done');
      backupFile = server.ctx.services.backup.filePath(row);
      await server.close();
      server = null;
    }, 180_000);

    afterAll(async () => {
      await server?.close();
      await site?.cleanup();
    });

    it('round trip: wipe, restore → every table and every file as before', async () => {
      expect(before.clients.rows).toBe(40);
      expect(before.deals.rows).toBe(120);
      // Wipe: the database and the files are gone.
      if (dialect === 'sqlite') fs.rmSync(new URL(site.url.replace('sqlite://', 'file://')).pathname);
      else await dropPgDatabase(pgAdmin(), new URL(site.url).pathname.slice(1));
      fs.rmSync(path.join(site.config.dataDir, 'uploads'), { recursive: true });
      fs.rmSync(path.join(site.config.dataDir, 'recordings'), { recursive: true });
      fs.writeFileSync(path.join(site.config.dataDir, 'secret'), 'другой');

      const result = await restore(site.config, backupFile);
      expect(result.files).toBe(Object.keys(files).length);
      const after = await checksums(site.url);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const t of Object.keys(before)) {
        if (t === 'audit_log') expect(after[t].rows, t).toBe(result.manifest.tables[t] + 1);
        else if (WRITTEN_BY_BACKUP.has(t)) expect(after[t].rows, t).toBe(result.manifest.tables[t]);
        else expect(after[t], t).toEqual(before[t]);
      }
      expect(dataDirHashes(site.config)).toEqual(files);
      // The restore is in the restored database's audit log; the backup's own row is done there.
      const restored = connect(site.url);
      try {
        const entry = await restored.db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'backup.restore')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(entry.data!)).toMatchObject({ file: path.basename(backupFile), database: dialect });
        const own = await restored.db
          .selectFrom('backups')
          .selectAll()
          .where('id', '=', result.manifest.backupId!)
          .executeTakeFirstOrThrow();
        expect(own.status).toBe('done');
      } finally {
        await restored.close();
      }
      // The server starts on the restored database and serves it.
      server = await start(site.config);
      const n = await server.ctx.db
        .selectFrom('clients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(40);
      await server.close();
      server = null;
    });

    it('refuses a running server, then restores over a live database keeping the previous one', async () => {
      server = await start(site.config);
      await expectRefused(site.config, backupFile, 'server_running');
      await server.ctx.db.deleteFrom('timeline_entries').execute();
      await server.close();
      server = null;
      const result = await restore(site.config, backupFile);
      expect(result.previous).toBeTruthy();
      expect((await checksums(site.url)).timeline_entries).toEqual(before.timeline_entries);
      if (dialect === 'sqlite') {
        expect(fs.existsSync(result.previous!)).toBe(true);
        const old = new SQLite(result.previous!, { readonly: true });
        expect((old.prepare('select count(*) as n from timeline_entries').get() as { n: number }).n).toBe(0);
        old.close();
      } else {
        const old = await checksums(withDatabase(pgAdmin(), result.previous!));
        expect(old.timeline_entries.rows).toBe(0);
      }
    });

    it('wrong passphrase, flipped byte, truncated, newer schema, not a backup: each refused, nothing changed', async () => {
      const dbBefore = await checksums(site.url);
      const filesBefore = dataDirHashes(site.config);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-bad-'));
      const bytes = fs.readFileSync(backupFile);

      await expectRefused({ ...site.config, backup: { ...site.config.backup, passphrase: 'не та фраза' } }, backupFile, 'wrong_passphrase');
      await expectRefused({ ...site.config, backup: { ...site.config.backup, passphrase: null } }, backupFile, 'passphrase_required');

      const flipped = Buffer.from(bytes);
      flipped[Math.floor(flipped.length / 2)] ^= 0x01;
      fs.writeFileSync(path.join(dir, 'flipped.vbk'), flipped);
      await expectRefused(site.config, path.join(dir, 'flipped.vbk'), 'damaged');

      fs.writeFileSync(path.join(dir, 'cut.vbk'), bytes.subarray(0, bytes.length - 1000));
      await expectRefused(site.config, path.join(dir, 'cut.vbk'), 'truncated');

      fs.writeFileSync(path.join(dir, 'notes.txt'), 'Это просто текст, а не резервная копия. '.repeat(20));
      await expectRefused(site.config, path.join(dir, 'notes.txt'), 'not_backup');
      fs.writeFileSync(path.join(dir, 'other.tgz'), await tarOf(dir, { 'readme.txt': 'чужой архив' }));
      await expectRefused(site.config, path.join(dir, 'other.tgz'), 'not_backup');

      // The same backup re-packed with a manifest from a newer version (its files still match).
      const staging = path.join(dir, 'staging');
      const manifest = await readArchive(backupFile, staging, PASSPHRASE);
      fs.writeFileSync(
        path.join(staging, 'manifest.json'),
        JSON.stringify({ ...manifest, lastMigration: '099_future', voronkaVersion: '9.0.0' }),
      );
      await writeArchive(staging, path.join(dir, 'newer.vbk'), { passphrase: PASSPHRASE });
      const err = await restore(site.config, path.join(dir, 'newer.vbk')).catch((e: unknown) => e);
      expect((err as BackupFileError).code).toBe('newer_schema');
      expect((err as Error).message).toContain('099_future');
      expect((err as Error).message).toContain('9.0.0');

      // An unencrypted backup cut short or altered is refused as well.
      const plain = path.join(dir, 'plain.vbk');
      fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest));
      await writeArchive(staging, plain, { passphrase: null });
      const plainBytes = fs.readFileSync(plain);
      fs.writeFileSync(path.join(dir, 'plain-cut.vbk'), plainBytes.subarray(0, Math.floor(plainBytes.length * 0.7)));
      await expectRefused(site.config, path.join(dir, 'plain-cut.vbk'), 'truncated');

      expect(await checksums(site.url)).toEqual(dbBefore);
      expect(dataDirHashes(site.config)).toEqual(filesBefore);
      expect(fs.readdirSync(site.config.dataDir).filter((f) => f.startsWith('.restore-'))).toEqual([]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a backup taken while a writer inserts 10,000 rows restores a consistent, gap-free prefix', async () => {
      server = await start(site.config);
      const db = server.ctx.db;
      await sql`create table backup_probe (n integer primary key, note text not null)`.execute(db);
      let n = 0;
      const writer = (async () => {
        while (n < 10_000) {
          const next = n + 1;
          await sql`insert into backup_probe (n, note) values (${next}, ${'строка ' + next})`.execute(db);
          n = next;
        }
      })();
      // The backup starts once the writer is well under way and runs while it goes on.
      while (n < 500) await new Promise((r) => setImmediate(r));
      const row = await server.ctx.services.backup.createNow();
      const writtenWhenDone = n;
      await writer;
      expect(row.status, row.error ?? '').toBe('done');
      expect(n).toBe(10_000);
      await server.close();
      server = null;

      await restore(site.config, path.join(site.config.backup.dir, row.file_name));
      const restored = connect(site.url);
      try {
        const { rows } = await sql<{ n: number; c: number; mx: number | null; mn: number | null }>`
          select count(*) as c, max(n) as mx, min(n) as mn, 0 as n from backup_probe`.execute(restored.db);
        const k = Number(rows[0].c);
        expect(k).toBeGreaterThanOrEqual(500);
        expect(k).toBeLessThanOrEqual(writtenWhenDone);
        expect(Number(rows[0].mn)).toBe(1);
        expect(Number(rows[0].mx)).toBe(k);
        if (dialect === 'sqlite') {
          const { rows: check } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(restored.db);
          expect(check[0].integrity_check).toBe('ok');
        }
        const manifest = await readArchive(
          path.join(site.config.backup.dir, row.file_name),
          path.join(site.config.dataDir, 'm'),
          PASSPHRASE,
        );
        expect(manifest.tables.backup_probe).toBe(k);
        fs.rmSync(path.join(site.config.dataDir, 'm'), { recursive: true, force: true });
      } finally {
        await restored.close();
      }
    }, 120_000);
  });
}

/** A gzip'd tar of some text files (a valid archive that is not a Voronka backup). */
async function tarOf(dir: string, files: Record<string, string>): Promise<Buffer> {
  const src = fs.mkdtempSync(path.join(dir, 'tar-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(src, name), text);
  const tar = await import('tar');
  const out = path.join(dir, 'tmp.tgz');
  await tar.c({ gzip: true, cwd: src, file: out }, Object.keys(files));
  return fs.readFileSync(out);
}

if (testDialects().includes('postgres')) {
  describe('SQLite → PostgreSQL → SQLite (--into)', () => {
    const sites: Site[] = [];
    afterAll(async () => {
      for (const s of sites) await s.cleanup();
    });

    it('moves a SQLite installation to PostgreSQL and back with equal checksums', async () => {
      const lite = await newSite('sqlite');
      sites.push(lite);
      let server = await start(lite.config);
      await runDemo(server.ctx, { clients: 30, deals: 90, seed: 9, users: 2, now: new Date('2026-03-18T09:30:00.000Z') });
      const row = await server.ctx.services.backup.createNow();
      await server.close();
      const original = await checksums(lite.url);

      // Into a PostgreSQL database that does not exist yet.
      const pgSite = await newSite('postgres');
      sites.push(pgSite);
      const pgName = new URL(pgSite.url).pathname.slice(1);
      await dropPgDatabase(pgAdmin(), pgName);
      await restore(lite.config, path.join(lite.config.backup.dir, row.file_name), { into: pgSite.url });
      const onPg = await checksums(pgSite.url);
      for (const t of Object.keys(original)) {
        if (t === 'audit_log')
          expect(onPg[t].rows, t).toBe(original[t].rows + 1); // + the restore
        else if (WRITTEN_BY_BACKUP.has(t)) expect(onPg[t].rows, t).toBe(original[t].rows);
        else expect(onPg[t], t).toEqual(original[t]);
      }

      // Back: a backup of the PostgreSQL database restored into a new SQLite file.
      server = await start(pgSite.config);
      const pgRow = await server.ctx.services.backup.createNow();
      expect(pgRow.status, pgRow.error ?? '').toBe('done');
      await server.close();
      const back = `sqlite://${path.join(lite.config.dataDir, 'back.db')}`;
      await restore(pgSite.config, path.join(pgSite.config.backup.dir, pgRow.file_name), { into: back });
      const onLite = await checksums(back);
      for (const t of Object.keys(original)) {
        if (WRITTEN_BY_BACKUP.has(t)) continue;
        expect(onLite[t], t).toEqual(original[t]);
      }
      // Search works on the restored SQLite (its full-text index was rebuilt).
      const s = await start({ ...lite.config, databaseUrl: back });
      const some = await s.ctx.db.selectFrom('clients').select(['name']).limit(1).executeTakeFirstOrThrow();
      const fts = await sql<{ n: number }>`select count(*) as n from clients_fts`.execute(s.ctx.db);
      expect(Number(fts.rows[0].n)).toBe(30);
      expect(some.name).toBeTruthy();
      await s.close();
    }, 180_000);
  });
}
