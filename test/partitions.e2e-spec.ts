import { queryDb } from './support/events-db';
import { bearer, createApiKey, createWebsite, signup, startSecondInstance, startTestApp, TestApp } from './support/test-app';

/** Monthly partitions created on demand for back-dated events, by several requests and instances at once. */
describe('partitions for back-dated events', () => {
  let t: TestApp;
  let second: Awaited<ReturnType<typeof startSecondInstance>>;
  let site: string;
  let key: string;
  const partitions = async (month: string) =>
    (await queryDb<{ name: string }>(t.dbUrl, "SELECT relname AS name FROM pg_class WHERE relname IN ($1, $2) ORDER BY 1", [`events_p${month}`, `sessions_p${month}`])).map((r) => r.name);

  beforeAll(async () => {
    t = await startTestApp();
    second = await startSecondInstance(t);
    const owner = await signup(t, 'partitions');
    site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('stores 8 parallel requests into a month without a partition, on two instances: all 2xx, all stored', async () => {
    for (const [month, iso] of [['201901', '2019-01-15T12:00:00Z'], ['201902', '2019-02-10T08:00:00Z'], ['201903', '2019-03-03T08:00:00Z']]) {
      expect(await partitions(month)).toEqual([]);
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? second : t)
            .http()
            .post('/api/v1/events')
            .set(bearer(key))
            .send({ website_id: site, url: `https://example.com/${month}/${i}`, visitor_id: `v-${month}-${i}`, timestamp: iso }),
        ),
      );
      expect(responses.map((r) => [r.status, r.body.error?.message])).toEqual(Array.from({ length: 8 }, () => [202, undefined]));
      const stored = await queryDb<{ path: string }>(t.dbUrl, 'SELECT path FROM events WHERE website_id = $1 AND occurred_at = $2 ORDER BY path', [site, iso]);
      expect(stored.map((r) => r.path)).toEqual(Array.from({ length: 8 }, (_, i) => `/${month}/${i}`));
      expect(await partitions(month)).toEqual([`events_p${month}`, `sessions_p${month}`]);
    }
  });
});
