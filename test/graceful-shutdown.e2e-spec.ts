import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { processDatabase } from './support/database';
import { queryDb } from './support/events-db';
import { freePort } from './support/global-setup';
import { startPostgresProcess } from './support/postgres-process';
import { buildServer, startServer, waitForHealth } from './support/server-process';

/** SIGTERM during a burst of collects: in-flight requests are answered, every 2xx is stored, exit 0. */
describe('graceful shutdown', () => {
  jest.setTimeout(120_000);
  const dbUrl = processDatabase();
  beforeAll(buildServer);

  it.each(['external', 'embedded'] as const)('drains in-flight requests and flushes the writer before exiting (%s Postgres)', async (mode) => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-drain-'));
    chmodSync(dataDir, 0o755);
    const pgPort = await freePort();
    const database = mode === 'external' ? { DATABASE_URL: dbUrl() } : { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) };
    const server = startServer({ ...database, PORT: String(port), HOST: '127.0.0.1', SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '0', WRITER_FLUSH_INTERVAL_MS: '20' });
    await waitForHealth(port, 60_000);
    const base = `http://127.0.0.1:${port}`;
    // Bounded: a request whose connection the closing server dropped would otherwise wait long.
    const post = (url: string, body: unknown, token?: string) =>
      fetch(base + url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
    const signup = (await (await post('/api/auth/signup', { email: `drain-${mode}@example.com`, password: 'correct horse battery' })).json()) as { access_token: string };
    const site = (await (await post('/api/websites', { name: 's', domain: 'example.com' }, signup.access_token)).json()) as { id: string };

    const burst = Array.from({ length: 300 }, (_, i) =>
      post('/api/collect', { website_id: site.id, type: 'pageview', url: `https://example.com/burst/${i}` }).then(
        (r) => ({ i, status: r.status }),
        () => ({ i, status: 0 }), // refused or dropped once the listener is closed: not acknowledged
      ),
    );
    await new Promise((r) => setTimeout(r, 30));
    server.proc.kill('SIGTERM');
    const results = await Promise.all(burst);
    expect(await server.exited).toBe(0);

    const accepted = results.filter((r) => r.status === 202).map((r) => `/burst/${r.i}`);
    expect(results.every((r) => [0, 202, 503].includes(r.status))).toBe(true);
    expect(accepted.length).toBeGreaterThan(0);
    // The embedded Postgres stopped with the server: start it again on the same data to look.
    const pg = mode === 'embedded' ? await startPostgresProcess(path.join(dataDir, 'postgres'), pgPort) : null;
    try {
      const stored = new Set((await queryDb<{ path: string }>(pg?.url ?? dbUrl(), "SELECT path FROM events WHERE path LIKE '/burst/%'")).map((r) => r.path));
      expect(accepted.filter((p) => !stored.has(p))).toEqual([]);
    } finally {
      await pg?.stop();
    }
  });
});
