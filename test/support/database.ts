import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The same server URL pointing at another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = '/' + database;
  return u.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * For a test file that starts Footfall as a process: a database of its own, cloned from the
 * migrated template before the file's tests and dropped after them. Call at the top of a describe;
 * the returned function gives its URL inside the tests.
 */
export function processDatabase(): () => string {
  const server = () => process.env.FOOTFALL_TEST_SERVER_URL!;
  const db = `footfall_t_${randomBytes(6).toString('hex')}`;
  beforeAll(() => adminQuery(server(), `CREATE DATABASE ${db} TEMPLATE ${process.env.FOOTFALL_TEST_TEMPLATE}`));
  afterAll(() => adminQuery(server(), `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  return () => databaseUrl(server(), db);
}
