/**
 * Platform: time from `node dist/voronka.js serve` to a healthy server (built checkout, empty and migrated
 * database), and the throughput of an authenticated GET /api/auth/me against a bare Fastify JSON route.
 */
import { cannon, fmt, median, spawnServer, tempDataDir } from './support.js';

const ADMIN = { email: 'bench@voronka.test', password: 'Бенчмарк-пароль-1' };

export async function run() {
  const dataDir = tempDataDir();
  const env = { VORONKA_DATA_DIR: dataDir, VORONKA_ADMIN_EMAIL: ADMIN.email, VORONKA_ADMIN_PASSWORD: ADMIN.password };
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await spawnServer(['dist/voronka.js', 'serve'], env);
    starts.push(s.startMs);
    await s.stop();
  }
  console.log(
    `start-up to healthy (5 runs, migrated SQLite): median ${fmt(median(starts))} ms, min ${fmt(Math.min(...starts))} ms, max ${fmt(Math.max(...starts))} ms`,
  );

  const app = await spawnServer(['dist/voronka.js', 'serve'], env);
  const login = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0];
  const bare = await spawnServer(['bench/bare-server.mjs'], {});
  try {
    // Warm both, then measure each for 10 s with 50 connections.
    await cannon({ url: `${app.url}/api/auth/me`, headers: { cookie }, duration: 2 });
    await cannon({ url: `${bare.url}/bare`, duration: 2 });
    const me = await cannon({ url: `${app.url}/api/auth/me`, headers: { cookie } });
    const ref = await cannon({ url: `${bare.url}/bare` });
    if (me.non2xx) console.log(`warning: ${me.non2xx} non-2xx answers from /api/auth/me`);
    console.log(`GET /api/auth/me (session cookie, SQLite): ${fmt(me.requests.average)} req/s, p99 ${me.latency.p99} ms`);
    console.log(`bare Fastify JSON route:                  ${fmt(ref.requests.average)} req/s, p99 ${ref.latency.p99} ms`);
    console.log(`ratio me / bare: ${fmt((100 * me.requests.average) / ref.requests.average, 1)} % (goal ≥ 50 %)`);
  } finally {
    await app.stop();
    await bare.stop();
  }
}
