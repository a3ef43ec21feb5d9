/**
 * The test databases cloned from the run's template (global-setup.ts) are what migrating and starting a server
 * on an empty database gives, and independent of each other.
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'kysely';
import { createServer } from '../app.js';
import type { Database } from '../platform/db/connect.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { testConfig } from './config.js';
import { createTestDatabase, testDialects } from './databases.js';

/** Tables, columns, indexes and triggers, the applied migrations, and the seeded rows that do not vary. */
async function shape(database: Database) {
  const { db } = database;
  const schema =
    database.dialect === 'sqlite'
      ? (await sql<{ s: string }>`select type || ' ' || name || ': ' || coalesce(sql, '') as s from sqlite_master`.execute(db)).rows
      : (
          await sql<{ s: string }>`
            select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as s
              from information_schema.columns where table_schema = 'public'
            union all select 'index ' || indexname || ': ' || indexdef from pg_indexes where schemaname = 'public'
            union all select 'trigger ' || event_object_table || '.' || trigger_name || ' ' || event_manipulation
              from information_schema.triggers where trigger_schema = 'public'
            union all select 'function ' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'`.execute(
            db,
          )
        ).rows;
  const migrations = await db
    .selectFrom('voronka_migrations' as never)
    .select('name' as never)
    .orderBy('name' as never)
    .execute();
  const rules = await db
    .selectFrom('automation_rules')
    .select(['code', 'enabled', 'trigger', 'conditions', 'actions'])
    .orderBy('code')
    .execute();
  const zone = await db.selectFrom('report_tz').selectAll().execute();
  return { schema: schema.map((r) => r.s).sort(), migrations, rules, zone: zone.map((r) => JSON.stringify(r)).sort() };
}

for (const dialect of testDialects()) {
  describe(`test databases [${dialect}]`, () => {
    it('a clone of the template equals an empty database migrated and seeded by createServer; clones are independent', async () => {
      const fresh = await createTestDatabase(dialect);
      const a = await createTestDatabase(dialect, { migrated: true });
      const b = await createTestDatabase(dialect, { migrated: true });
      try {
        const server = await createServer(testConfig(), { database: fresh.database, logger: pino({ level: 'silent' }), runJobs: false });
        await server.close();
        expect((await migrateToLatest(a.database.db)).results).toEqual([]);
        const expected = await shape(fresh.database);
        expect(expected.rules.length).toBeGreaterThan(0);
        expect(expected.zone.length).toBeGreaterThan(0);
        expect(await shape(a.database)).toEqual(expected);

        const now = new Date().toISOString();
        await a.database.db
          .insertInto('departments')
          .values({ id: 'd1', name: 'Только в A', head_id: null, created_at: now, updated_at: now })
          .execute();
        expect(await b.database.db.selectFrom('departments').selectAll().execute()).toEqual([]);
      } finally {
        await fresh.drop();
        await a.drop();
        await b.drop();
      }
    });
  });
}
