/**
 * Durability of the public intake: the BUILT server (`node dist/voronka.js serve`, SQLite) is killed with
 * SIGKILL in the middle of a burst of submissions and restarted; every lead that was answered 201 must be
 * there, with its SLA task and SLA job (one transaction). Requests that got no answer are retried with their
 * Idempotency-Key and end up stored exactly once.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../e2e/support.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const DIST = path.join(ROOT, 'dist', 'voronka.js');
const ADMIN = { email: 'durability@voronka.test', password: 'Надёжность-2026-пароль' };

interface Running {
  url: string;
  proc: ChildProcess;
}

async function startServer(dataDir: string, port: number): Promise<Running> {
  const proc = spawn(process.execPath, [DIST, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      VORONKA_DATA_DIR: dataDir,
      VORONKA_DATABASE_URL: '',
      VORONKA_ADMIN_EMAIL: ADMIN.email,
      VORONKA_ADMIN_PASSWORD: ADMIN.password,
      VORONKA_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error('server did not start');
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, proc };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (p: ChildProcess) =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', r));

describe('lead intake survives SIGKILL (built server, SQLite)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-durability-'));
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    for (const p of procs) {
      if (p.exitCode === null && p.signalCode === null) {
        p.kill('SIGKILL');
        await exited(p);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'every lead answered 201 before the kill is stored with its SLA task and job; retries never duplicate',
    { timeout: 120_000 },
    async () => {
      if (!fs.existsSync(DIST)) execSync('npm run build:server', { cwd: ROOT, stdio: 'inherit' });
      const port = await freePort();
      let server = await startServer(dataDir, port);
      procs.push(server.proc);

      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      expect(login.status).toBe(200);
      const { csrfToken } = await login.json();
      const headers = {
        'content-type': 'application/json',
        cookie: String(login.headers.get('set-cookie')).split(';')[0],
        'x-csrf-token': csrfToken,
      };
      const manager = await (
        await fetch(`${server.url}/api/users`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ email: 'm@voronka.test', name: 'Менеджер', role: 'manager', password: 'Менеджер-пароль-1' }),
        })
      ).json();
      const formRes = await fetch(`${server.url}/api/forms`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: 'Нагрузка',
          assignment: { strategy: 'round_robin', userIds: [manager.id] },
          rateLimit: { perIpPerMinute: 1_000_000, perFormPerMinute: 10_000_000 },
        }),
      });
      expect(formRes.status).toBe(201);
      const form = await formRes.json();

      const acked = new Map<string, string>(); // idempotency key → leadId
      const unanswered: string[] = [];
      let seq = 0;
      let killed = false;
      const worker = async (w: number) => {
        while (!killed) {
          const key = `w${w}-${++seq}`;
          try {
            const res = await fetch(`${server.url}/api/public/forms/${form.token}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': key },
              body: JSON.stringify({ name: `Клиент ${key}`, phone: '+79161234567', comment: 'Проверка надёжности' }),
            });
            const body = await res.json();
            if (res.status === 201) acked.set(key, body.leadId);
            else unanswered.push(key);
          } catch {
            unanswered.push(key);
            return;
          }
        }
      };
      const workers = Array.from({ length: 20 }, (_, w) => worker(w));
      // Kill once a good number of leads is acknowledged and many requests are in flight.
      while (acked.size < 300) await new Promise((r) => setTimeout(r, 5));
      server.proc.kill('SIGKILL');
      killed = true;
      await exited(server.proc);
      await Promise.all(workers);
      expect(acked.size).toBeGreaterThanOrEqual(300);

      // Straight from the file: every acknowledged lead, its SLA task and its SLA job.
      const db = new SQLite(path.join(dataDir, 'voronka.db'));
      const ids = [...acked.values()];
      const found = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = db.prepare(`select id, sla_task_id from leads where id in (${chunk.map(() => '?').join(',')})`).all(...chunk) as {
          id: string;
          sla_task_id: string | null;
        }[];
        for (const r of rows) {
          expect(r.sla_task_id).toBeTruthy();
          found.add(r.id);
        }
      }
      expect(found.size).toBe(ids.length);
      const tasks = db.prepare(`select count(*) as n from tasks where dedupe_key like 'lead-sla:%'`).get() as { n: number };
      const jobs = db.prepare(`select count(*) as n from jobs where type = 'leads.sla_check'`).get() as { n: number };
      const leads = db.prepare('select count(*) as n from leads').get() as { n: number };
      expect(tasks.n).toBe(leads.n);
      expect(jobs.n).toBe(leads.n);
      db.close();

      // Restart: the server comes back, serves the stored leads, and a retry of each unanswered request
      // with its key stores it at most once.
      server = await startServer(dataDir, port);
      procs.push(server.proc);
      const relog = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      const cookie = String(relog.headers.get('set-cookie')).split(';')[0];
      const sample = ids.slice(-20);
      for (const id of sample) expect((await fetch(`${server.url}/api/leads/${id}`, { headers: { cookie } })).status).toBe(200);
      for (const key of unanswered.slice(0, 50)) {
        const res = await fetch(`${server.url}/api/public/forms/${form.token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ name: `Клиент ${key}`, phone: '+79161234567' }),
        });
        expect([200, 201]).toContain(res.status);
      }
      server.proc.kill('SIGTERM');
      await exited(server.proc);
      const db2 = new SQLite(path.join(dataDir, 'voronka.db'), { readonly: true });
      const dup = db2.prepare('select idempotency_key, count(*) as n from leads group by idempotency_key having count(*) > 1').all();
      expect(dup).toEqual([]);
      db2.close();
    },
  );
});
