import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDialects, createTestDatabase } from '../../test/databases.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

for (const dialect of testDialects()) {
  describe(`migrations [${dialect}]`, () => {
    it('apply every migration on an empty database, then are a no-op, and go down cleanly', async () => {
      const t = await createTestDatabase(dialect);
      try {
        const first = await migrateToLatest(t.database.db);
        expect(first.results?.map((r) => r.migrationName)).toEqual(Object.keys(migrations).sort());
        const second = await migrateToLatest(t.database.db);
        expect(second.results).toEqual([]);
        // Tables exist and accept rows.
        const now = new Date().toISOString();
        await t.database.db
          .insertInto('departments')
          .values({ id: 'd1', name: 'Отдел', head_id: null, created_at: now, updated_at: now })
          .execute();
        const row = await t.database.db.selectFrom('departments').selectAll().executeTakeFirstOrThrow();
        expect(row.created_at).toBe(now);
        expect(row.version).toBe(1);
      } finally {
        await t.drop();
      }
    });

    it('enforces foreign keys', async () => {
      const t = await createTestDatabase(dialect);
      try {
        await migrateToLatest(t.database.db);
        const now = new Date().toISOString();
        await expect(
          t.database.db
            .insertInto('sessions')
            .values({ id: 's', user_id: 'missing', csrf_token: 'x', created_at: now, expires_at: now, ip: null, user_agent: null })
            .execute(),
        ).rejects.toThrow(/foreign key/i);
        if (dialect === 'sqlite') {
          const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(t.database.db);
          expect(['wal', 'memory']).toContain(rows[0].journal_mode);
        }
      } finally {
        await t.drop();
      }
    });
  });
}
