import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrator';
import { adminQuery, databaseUrl } from './database';
import { freePort } from '../../bench/support';

// One free-port helper for tests and benchmarks alike.
export { freePort };

/**
 * One Postgres for the run (embedded, or DATABASE_URL's server) and one migrated template
 * database; each test file clones the template into a fresh database of its own.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'footfall-test-pg-'));
    // The embedded server may run as the `postgres` user (when tests run as root).
    chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
    (globalThis as { __footfallPg?: unknown }).__footfallPg = pg;
    serverUrl = pg.url;
  }
  const template = `footfall_template_${process.pid}`;
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${template}`);
  await adminQuery(serverUrl, `CREATE DATABASE ${template}`);
  await runMigrations(databaseUrl(serverUrl, template));
  process.env.FOOTFALL_TEST_SERVER_URL = serverUrl;
  process.env.FOOTFALL_TEST_TEMPLATE = template;
}
