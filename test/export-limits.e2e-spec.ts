import { AddressInfo, connect, Socket } from 'node:net';
import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/**
 * Exports whose readers stop reading: with a small database pool, more exports than
 * EXPORT_CONCURRENCY left unread must not take ingestion's or /health's connections, extra ones
 * are refused, and stalled ones are closed after EXPORT_IDLE_TIMEOUT_MS.
 */
describe('stalled exports', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  let ingestKey: string;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '2', EXPORT_CONCURRENCY: '2', EXPORT_IDLE_TIMEOUT_MS: '1000', ROLLUP_INTERVAL_MS: '0' });
    owner = await signup(t, 'owner');
    site = (await createWebsite(t, owner)).id;
    ingestKey = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
    // About 25 MB of NDJSON: more than the socket buffers between an unread client and the server hold.
    await queryDb(
      t.dbUrl,
      `INSERT INTO events (id, website_id, occurred_at, kind, visitor_id, session_id, path, title)
       SELECT 2000000000 + i, $1, now() - i * interval '1 second', 'pageview', 'v' || (i % 100), md5('s' || (i % 300))::uuid, '/p/' || i, repeat('x', 1000)
       FROM generate_series(1, 25000) AS i`,
      [site],
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  }, 60_000);
  afterAll(() => t.close());

  const exportPath = () => `/api/websites/${site}/export?start_date=${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)}`;

  /** Sessions holding an export's cursor. */
  const openExports = async () =>
    (
      await queryDb<{ n: number }>(
        t.dbUrl,
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%event_export%' AND state LIKE 'idle in transaction%'",
      )
    )[0].n;

  async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return check();
  }

  /** An export request whose reader never reads. */
  function unreadExport(): Socket {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    socket.on('error', () => undefined);
    socket.write(`GET ${exportPath()} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${owner.token}\r\n\r\n`);
    return socket;
  }

  it('refuses exports beyond the limit, keeps /health and ingestion answering, and closes stalled ones after the idle timeout', async () => {
    const stalled = [unreadExport(), unreadExport()];
    expect(await until(async () => (await openExports()) === 2, 10_000)).toBe(true);

    const extra = await t.http().get(exportPath()).set(bearer(owner.token));
    expect(extra.status).toBe(429);
    expect(Number(extra.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.http().get('/health')).status).toBe(200);
    const events = [{ website_id: site, url: 'https://example.com/during-export', visitor_id: 'x' }];
    expect((await t.http().post('/api/v1/events').set(bearer(ingestKey)).send({ events })).status).toBe(202);

    // Past the idle timeout the stalled exports are closed and their connections given back...
    expect(await until(async () => (await openExports()) === 0, 10_000)).toBe(true);
    // ...their readers see the connection end, short of the whole export...
    const received = await Promise.all(
      stalled.map(
        (socket) =>
          new Promise<number>((resolve) => {
            let bytes = 0;
            socket.on('data', (d: Buffer) => (bytes += d.length));
            socket.on('close', () => resolve(bytes));
            socket.resume();
          }),
      ),
    );
    for (const bytes of received) expect(bytes).toBeLessThan(25_000 * 1000);
    // ...and a new export runs to its end.
    const full = await t.http().get(exportPath()).set(bearer(owner.token));
    expect(full.status).toBe(200);
    expect(full.text.trim().split('\n').length).toBeGreaterThanOrEqual(25_000);
  });
});
