/**
 * `voronka export` on both databases: every table (but the excluded ones) has its file with exactly the table's row
 * count, the manifest says what was left out, no password, token or session hash appears anywhere, money stays in
 * kopecks, and an XLSX table over the sheet limit continues on a next sheet (the limit lowered to see it). The
 * commander command itself runs once against a SQLite file database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness.js';
import { testConfig } from '../../test/config.js';
import { createServer } from '../../app.js';
import { buildCli } from '../../main.js';
import { runDemo } from '../demo/demo.js';
import { exportDatabase, type Manifest } from './exports.service.js';
import { exportsRepo } from './exports.repo.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-export-'));

/** Every secret the database holds: password hashes, API-token hashes, session ids (token hashes) and CSRF tokens. */
async function secrets(db: any): Promise<string[]> {
  const users = await sql<{ v: string }>`select password_hash as v from users`.execute(db);
  const tokens = await sql<{ v: string }>`select token_hash as v from api_tokens`.execute(db);
  const sessions = await sql<{ id: string; csrf: string }>`select id, csrf_token as csrf from sessions`.execute(db);
  return [...users.rows.map((r) => r.v), ...tokens.rows.map((r) => r.v), ...sessions.rows.flatMap((r) => [r.id, r.csrf])];
}

describeEachDialect('voronka export: the whole database in open formats', (h) => {
  let dbTables: string[];

  beforeAll(async () => {
    await runDemo(h.server.ctx, { clients: 60, deals: 250, seed: 5, users: 3, now: new Date(Date.UTC(2026, 11, 1)) });
    expect((await h.admin.post('/api/api-tokens', { name: 'Интеграция' })).status).toBe(201);
    await h.admin.post('/api/clients', { kind: 'company', name: '=HYPERLINK("http://evil.example")' });
    dbTables = await exportsRepo.tables(h.server.ctx.db, h.dialect);
  }, 120_000);

  async function check(format: 'json' | 'xlsx', dir: string, manifest: Manifest) {
    const db = h.server.ctx.db;
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(onDisk.tables.map((t) => t.name)).toEqual(manifest.tables.map((t) => t.name));
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('password_hash');
    // Every table is either written or named as excluded, with its reason.
    for (const t of dbTables) expect(manifest.tables.some((m) => m.name === t) || t in manifest.excluded.tables, t).toBe(true);
    expect(Object.keys(manifest.excluded.tables)).toContain('sessions');
    expect(Object.keys(manifest.excluded.columns).sort()).toEqual(['api_tokens.token_hash', 'users.password_hash']);
    for (const t of ['users', 'clients', 'deals', 'deal_items', 'tasks', 'api_tokens', 'audit_log']) {
      expect(manifest.tables.find((m) => m.name === t)?.rows, t).toBeGreaterThan(0);
    }
    const users = manifest.tables.find((t) => t.name === 'users')!;
    expect(users.columns.map((c) => c.name)).not.toContain('password_hash');
    expect(users.omittedColumns).toEqual(['password_hash']);
    expect(manifest.tables.find((t) => t.name === 'deals')!.columns.find((c) => c.name === 'amount')).toMatchObject({ kopecks: true });

    const hidden = await secrets(db);
    expect(hidden.length).toBeGreaterThan(3);
    for (const t of manifest.tables) {
      const count = await exportsRepo.count(db, t.name);
      const skipped = t.name === 'settings' ? manifest.excluded.settings.length : 0;
      expect(t.rows, t.name).toBe(count - skipped);
      const file = path.join(dir, t.files[0]);
      expect(fs.existsSync(file), file).toBe(true);
      if (format === 'json') {
        const text = fs.readFileSync(file, 'utf8');
        const lines = text.split('\n').filter(Boolean);
        expect(lines.length, t.name).toBe(t.rows);
        for (const s of hidden) expect(text.includes(s), `${t.name} holds a secret`).toBe(false);
        if (lines.length) expect(Object.keys(JSON.parse(lines[0]))).toEqual(t.columns.map((c) => c.name));
      } else {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(file);
        expect(wb.worksheets.map((w) => w.name)).toEqual(t.sheets);
        let rows = 0;
        for (const ws of wb.worksheets) {
          expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(t.columns.map((c) => c.name));
          rows += ws.rowCount - 1;
          const secret = new Set(hidden);
          ws.eachRow((row) =>
            row.eachCell((cell) => {
              if (cell.type === ExcelJS.ValueType.Formula || secret.has(String(cell.value))) {
                expect.fail(`${t.name} ${cell.address}: a formula or a secret`);
              }
            }),
          );
        }
        expect(rows, t.name).toBe(t.rows);
      }
    }
  }

  it('JSON Lines: one file per table with its row count, money in kopecks, no secrets', async () => {
    const dir = tmp();
    const manifest = await exportDatabase(h.server.ctx.database, { format: 'json', dir, version: 'test', batch: 70 });
    await check('json', dir, manifest);
    const deals = fs
      .readFileSync(path.join(dir, 'deals.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const db = await sql<{ id: string; amount: number }>`select id, amount from deals`.execute(h.server.ctx.db);
    const amounts = new Map(db.rows.map((r) => [r.id, Number(r.amount)]));
    expect(deals.length).toBe(amounts.size);
    for (const d of deals) expect(d.amount).toBe(amounts.get(d.id));
    expect(deals.some((d) => Number.isInteger(d.amount) && d.amount % 100 !== 0)).toBe(true);
    expect(new Set(deals.map((d) => d.id)).size).toBe(deals.length);
    // A second export into the same folder is refused (it would mix two dumps).
    await expect(exportDatabase(h.server.ctx.database, { format: 'json', dir, version: 'test' })).rejects.toThrow(/manifest\.json/);
  });

  it('XLSX: one workbook per table, a big table split over sheets, text guarded against formulas', async () => {
    const dir = tmp();
    const manifest = await exportDatabase(h.server.ctx.database, { format: 'xlsx', dir, version: 'test', batch: 90, maxSheetRows: 100 });
    await check('xlsx', dir, manifest);
    const deals = manifest.tables.find((t) => t.name === 'deals')!;
    expect(deals.sheets).toEqual(['deals', 'deals (2)', 'deals (3)']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'clients.xlsx'));
    const names: unknown[] = [];
    wb.worksheets.forEach((ws) => ws.eachRow((r) => names.push(r.getCell(3).value)));
    expect(names).toContain('\'=HYPERLINK("http://evil.example")');
  });
});

describe('voronka export (the command)', () => {
  const dir = tmp();
  const dbFile = path.join(dir, 'voronka.db');
  const saved = process.env.VORONKA_DATABASE_URL;

  beforeAll(async () => {
    const server = await createServer(testConfig({ databaseUrl: `sqlite://${dbFile}` }), { runJobs: false });
    await server.ctx.services.users.createUnchecked({
      email: 'a@test.voronka',
      name: 'Админ',
      role: 'admin',
      password: 'Надёжный-пароль-42',
    });
    await server.close();
    process.env.VORONKA_DATABASE_URL = `sqlite://${dbFile}`;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.VORONKA_DATABASE_URL;
    else process.env.VORONKA_DATABASE_URL = saved;
  });

  it('writes the files and the manifest, and its --help is Russian', async () => {
    const out = path.join(dir, 'dump');
    const logs: string[] = [];
    const log = console.log;
    const err = console.error;
    console.log = (...a: unknown[]) => logs.push(a.join(' '));
    console.error = () => {};
    try {
      await buildCli().parseAsync(['node', 'voronka', 'export', '--format', 'json', out]);
    } finally {
      console.log = log;
      console.error = err;
    }
    expect(logs.join('\n')).toMatch(/Выгружено: \d+ таблиц/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.tables.find((t) => t.name === 'users')!.rows).toBe(1);
    const users = fs.readFileSync(path.join(out, 'users.jsonl'), 'utf8');
    expect(users).toContain('a@test.voronka');
    expect(users).not.toMatch(/argon2|password/);
    const help = buildCli()
      .commands.find((c) => c.name() === 'export')!
      .helpInformation();
    expect(help).toContain('Выгрузить всю базу');
    expect(help).toContain('формат: json (JSON Lines) или xlsx');
  });
});
