/** PostgreSQL housekeeping for tests (no vitest imports: the global setup uses it outside the workers). */
import pg from 'pg';

/** The same server URL with another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement on its own connection (CREATE/DROP DATABASE cannot run inside a pool's transaction). */
export async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Drops a database, ending whatever connections are still open on it. */
export async function dropPgDatabase(adminUrl: string, name: string) {
  await adminQuery(
    adminUrl,
    `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
  );
  await adminQuery(adminUrl, `drop database if exists ${name}`);
}
