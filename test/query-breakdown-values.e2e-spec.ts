import { MAX_MERGED_VALUES } from '../src/events-query/engine/rollup-source.service';
import { RollupJob } from '../src/rollups/rollup-job.service';
import { queryDb } from './support/events-db';
import { bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/**
 * A property with more values over a range than a query merges in memory (each day within what
 * rollups keep): the breakdown is ordered and limited in SQL, exactly, page by page.
 */
describe('breakdown of a property with many values', () => {
  let t: TestApp;
  let site: string;
  let readKey: string;
  const DAY_MS = 86_400_000;
  const first = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 6 * DAY_MS);
  const day = (i: number) => new Date(first.getTime() + i * DAY_MS).toISOString().slice(0, 10);
  const range = `start_date=${day(0)}&end_date=${day(2)}`;

  beforeAll(async () => {
    t = await startTestApp({ ROLLUP_MIN_EVENTS: '0', ROLLUP_INTERVAL_MS: '0' });
    const owner = await signup(t, 'owner');
    site = (await createWebsite(t, owner)).id;
    readKey = (await createApiKey(t, owner, { scopes: ['read'] })).key;
    // Each of three days: 990 values seen by one visitor each; over them, top1..top6 seen by 60, 50 .. 10 visitors.
    await queryDb(
      t.dbUrl,
      `WITH rows AS (
         SELECT d, 'u' || d || '-' || j AS visitor, 'd' || d || '-' || j AS value FROM generate_series(0, 2) d, generate_series(1, 990) j
         UNION ALL
         SELECT n % 3, 't' || k || '-' || n, 'top' || k FROM generate_series(1, 6) k, generate_series(1, (7 - k) * 10) n
       )
       INSERT INTO events (id, website_id, occurred_at, kind, name, visitor_id, session_id, path, props)
       SELECT 3000000000 + row_number() OVER (), $1, $2::timestamptz + d * interval '1 day' + interval '12 hours', 'custom', 'pick',
         visitor, md5(visitor)::uuid, '/', jsonb_build_object('k', value)
       FROM rows`,
      [site, first],
    );
    await queryDb(t.dbUrl, "INSERT INTO rollup_dirty (website_id, slot, shard) SELECT $1, $2::timestamptz + d * interval '1 day' + interval '12 hours', 0 FROM generate_series(0, 2) d", [site, first]);
    await t.app.get(RollupJob).run();
  }, 60_000);
  afterAll(() => t.close());

  it('rolled the days up with every value of the property (so rollups could answer)', async () => {
    const days = await queryDb<{ day: string; unrolled: string[] }>(t.dbUrl, 'SELECT day::text, unrolled_prop_keys AS unrolled FROM rollup_days WHERE website_id = $1 ORDER BY day', [site]);
    expect(days).toEqual([0, 1, 2].map((i) => ({ day: day(i), unrolled: [] })));
    const values = await queryDb<{ n: number }>(t.dbUrl, "SELECT count(DISTINCT value)::int AS n FROM rollup_values WHERE website_id = $1 AND dimension = 'prop:k'", [site]);
    expect(values[0].n).toBeGreaterThan(MAX_MERGED_VALUES);
  });

  it('answers the requested page in order, counted exactly in SQL', async () => {
    const get = (q: string) => t.http().get(`/api/websites/${site}/breakdown/prop:k?${range}&${q}`).set(bearer(readKey)).expect(200);
    const top = (await get('limit=3')).body;
    expect(top).toEqual({
      data: [
        { value: 'top1', visitors: 60, sessions: 60, pageviews: 0, events: 60 },
        { value: 'top2', visitors: 50, sessions: 50, pageviews: 0, events: 50 },
        { value: 'top3', visitors: 40, sessions: 40, pageviews: 0, events: 40 },
      ],
      page: 1,
      limit: 3,
    });
    expect((await get('limit=3&page=2')).body.data.map((r: { value: string }) => r.value)).toEqual(['top4', 'top5', 'top6']);
    expect((await get('limit=2&page=4')).body.data).toEqual([
      { value: 'd0-1', visitors: 1, sessions: 1, pageviews: 0, events: 1 },
      { value: 'd0-10', visitors: 1, sessions: 1, pageviews: 0, events: 1 },
    ]);
  });
});
