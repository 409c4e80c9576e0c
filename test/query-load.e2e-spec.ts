import { queryDb } from './support/events-db';
import { bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/**
 * Expensive queries (a property breakdown over 300k events with 300k values) from one read key,
 * more than the query pool holds, with small pools and a short query time budget: ingestion and
 * /health keep answering, and the queries answer 200, 429 or 503 with Retry-After, never 500.
 */
describe('query load does not starve ingestion or /health', () => {
  let t: TestApp;
  let site: string;
  let readKey: string;
  let ingestKey: string;
  beforeAll(async () => {
    t = await startTestApp({
      DATABASE_POOL_SIZE: '2',
      QUERY_POOL_SIZE: '2',
      QUERY_CONCURRENCY_PER_ORGANIZATION: '2',
      QUERY_TIMEOUT_MS: '300',
      QUERY_QUEUE_TIMEOUT_MS: '1000',
      ROLLUP_INTERVAL_MS: '0',
    });
    const owner = await signup(t, 'owner');
    site = (await createWebsite(t, owner)).id;
    readKey = (await createApiKey(t, owner, { scopes: ['read'] })).key;
    ingestKey = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
    await queryDb(
      t.dbUrl,
      `INSERT INTO events (id, website_id, occurred_at, kind, name, visitor_id, session_id, path, props)
       SELECT 1000000000 + i, $1, now() - (i % 500000) * interval '1 second', CASE WHEN i % 4 = 0 THEN 'custom' ELSE 'pageview' END,
         CASE WHEN i % 4 = 0 THEN 'e' || (i % 7) END, 'v' || (i % 40000), md5('s' || (i % 90000))::uuid, '/p/' || (i % 3000),
         jsonb_build_object('k', md5(i::text))
       FROM generate_series(1, 300000) AS i`,
      [site],
    );
    await queryDb(t.dbUrl, 'ANALYZE events');
  }, 120_000);
  afterAll(() => t.close());

  const runningBreakdowns = async () =>
    (
      await queryDb<{ n: number }>(
        t.dbUrl,
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%props%' AND pid <> pg_backend_pid()",
      )
    )[0].n;

  it('keeps /health and ingestion answering while queries overrun, and answers those 429/503, never 500', async () => {
    let inFlight = true;
    const queries = Promise.all(Array.from({ length: 12 }, () => t.http().get(`/api/websites/${site}/breakdown/prop:k?limit=5`).set(bearer(readKey)).then((r) => r))).finally(
      () => (inFlight = false),
    );
    // Once the queries hold their connections: /health and an ingestion request, in turn, for as long as they run.
    for (let i = 0; i < 100 && (await runningBreakdowns()) < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const others: number[] = [];
    let n = 0;
    do {
      others.push((await t.http().get('/health')).status);
      const events = [{ website_id: site, url: `https://example.com/during/${n++}`, visitor_id: 'x' }];
      others.push((await t.http().post('/api/v1/events').set(bearer(ingestKey)).send({ events })).status);
    } while (inFlight);
    expect(others.filter((s) => s !== 200 && s !== 202)).toEqual([]);

    const answers = await queries;
    const statuses = answers.map((r) => r.status);
    for (const s of statuses) expect([200, 429, 503]).toContain(s);
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(0);
    for (const r of answers.filter((a) => a.status === 429 || a.status === 503)) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.body).toMatchObject({ statusCode: r.status, message: expect.any(String) });
    }
  });

  it('answers a query over its time budget 503 with Retry-After', async () => {
    const res = await t.http().get(`/api/websites/${site}/breakdown/prop:k?limit=5`).set(bearer(readKey));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body.message).toMatch(/time budget/);
  });
});
