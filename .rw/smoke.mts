import { connect } from '../server/platform/db/connect.js';
import { migrateToLatest } from '../server/platform/db/migrate.js';
import { rebuildRollups } from '../server/modules/reports/rebuild.js';
import pg from 'pg';
const url = process.argv[2];
if (url.startsWith('postgres')) {
  const c = new pg.Client('postgres://postgres@127.0.0.1:5432/postgres'); await c.connect();
  await c.query('drop database if exists rw_smoke'); await c.query('create database rw_smoke'); await c.end();
}
const db = connect(url.startsWith('postgres') ? 'postgres://postgres@127.0.0.1:5432/rw_smoke' : url);
await migrateToLatest(db.db);
console.log(await rebuildRollups(db.db, { tz: 'Europe/Moscow' }));
await db.close();
