import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './connect.js';
import { migrations } from './migrations/index.js';

/** Applies all pending migrations; running it again is a no-op. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'voronka_migrations',
    migrationLockTableName: 'voronka_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Applies migrations up to and including `name` (a restore brings a new database to its backup's schema first). */
export async function migrateTo(db: Db, name: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'voronka_migrations',
    migrationLockTableName: 'voronka_migrations_lock',
  });
  const result = await migrator.migrateTo(name);
  if (result.error) throw result.error;
  return result;
}

/** The newest migration this code knows. */
export function latestMigration(): string {
  return Object.keys(migrations).sort().at(-1) ?? '';
}

/** Whether this code knows a migration by name. */
export function knowsMigration(name: string): boolean {
  return Object.hasOwn(migrations, name);
}
