/**
 * Decides once per run whether PostgreSQL tests run (DESIGN §7): VORONKA_TEST_PG_URL (default local
 * postgres). Without a reachable server, one line says so and only SQLite runs — unless
 * VORONKA_TEST_PG=required, where that is a failure.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.VORONKA_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const required = process.env.VORONKA_TEST_PG === 'required';
  const disabled = process.env.VORONKA_TEST_PG === 'off';
  let available = false;
  if (!disabled) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      available = true;
    } catch (err) {
      if (required)
        throw new Error(`VORONKA_TEST_PG=required, но PostgreSQL недоступен (${url}): ${(err as Error).message}`, { cause: err });
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (!available && project.name === 'server') {
    console.log(`PostgreSQL недоступен (${url}): серверные тесты идут только на SQLite.`);
  }
  project.provide('pgUrl', available ? url : null);
}
