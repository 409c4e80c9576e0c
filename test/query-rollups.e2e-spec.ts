import { HLL_STANDARD_ERROR, VisitorSketch } from '../src/rollups/hll';
import { RollupJob } from '../src/rollups/rollup-job.service';
import { MAX_PROP_VALUES_PER_DAY } from '../src/rollups/rollups.repository';
import { queryDb } from './support/events-db';
import { QueryFixture, startQueryFixture, UA } from './support/query-fixture';
import { bearer, createApiKey } from './support/test-app';

/**
 * Daily rollups against the hand-counted fixture of query-stats/query-timeseries: with
 * ROLLUP_MIN_EVENTS=0 every range with rolled-up days is answered from them, and with so few
 * visitors the sketches count exactly, so the answers must equal the raw ones.
 */
const WEEK = 'start_date=2025-01-13&end_date=2025-01-19';
const JAN = 'start_date=2025-01-01&end_date=2025-01-31';
const PROBES = [
  `/stats?${WEEK}`,
  `/stats?${JAN}`,
  `/breakdown/page?${WEEK}`,
  `/breakdown/page?${WEEK}&limit=2&page=2`,
  `/breakdown/country?${WEEK}`,
  `/breakdown/browser?${JAN}`,
  `/breakdown/event_name?${JAN}`,
  `/breakdown/referrer_domain?${WEEK}`,
  `/breakdown/utm_source?${WEEK}`,
  `/breakdown/prop:plan?${JAN}`,
  `/breakdown/prop:amount?${WEEK}`,
  `/breakdown/prop:trial?${JAN}`,
  `/timeseries?${WEEK}&metric=visitors`,
  `/timeseries?${WEEK}&metric=sessions`,
  `/timeseries?${JAN}&metric=pageviews&granularity=week`,
  `/timeseries?${JAN}&metric=events&granularity=month`,
];

/** Answered from rollups too, but exact: the same bodies, with no estimate flag. */
const EXACT_PROBES = [
  `/events?${JAN}`,
  `/events?${WEEK}`,
  `/events/timeseries?event_name=signup&${WEEK}`,
  `/events/timeseries?event_name=purchase&start_date=2025-02-01&end_date=2025-02-28&granularity=week`,
  `/events/timeseries?event_name=signup&${JAN}&granularity=month`,
  `/events/properties?event_name=signup&${JAN}`,
  `/events/properties?event_name=purchase&start_date=2025-02-01&end_date=2025-02-28`,
];

describe('query: daily rollups', () => {
  let f: QueryFixture;
  let job: RollupJob;
  let ingestKey: string;
  const answers = async (probes = PROBES) => Object.fromEntries(await Promise.all(probes.map(async (p) => [p, (await f.get(p).expect(200)).body])));
  const pageviews = async (range = WEEK) => (await f.get(`/stats?${range}`).expect(200)).body;

  beforeAll(async () => {
    f = await startQueryFixture({ ROLLUP_MIN_EVENTS: '0', ROLLUP_INTERVAL_MS: '0' });
    job = f.t.app.get(RollupJob);
    ingestKey = (await createApiKey(f.t, f.owner, { scopes: ['ingest'] })).key;
  }, 120_000);
  afterAll(() => f.t.close());

  it('answers from raw events until the days are rolled up, then gives the same numbers, flagged as estimated', async () => {
    const exact = await answers();
    const exactCounts = await answers(EXACT_PROBES);
    for (const body of Object.values(exact)) expect(body).not.toHaveProperty('estimated');
    expect(exactCounts[`/events?${JAN}`]).toEqual({ data: [{ event_name: 'signup', count: 2 }, { event_name: 'download', count: 1 }] });
    expect(exact[`/stats?${WEEK}`]).toMatchObject({ pageviews: { value: 8 }, visitors: { value: 4 }, sessions: { value: 5 } });

    expect(await job.run()).toBeGreaterThan(0);
    const days = await queryDb<{ n: number }>(f.t.dbUrl, 'SELECT count(*)::int AS n FROM rollup_days WHERE website_id = $1', [f.siteId]);
    expect(days[0].n).toBeGreaterThan(5);

    const rolled = await answers();
    for (const p of PROBES) expect({ probe: p, body: rolled[p] }).toEqual({ probe: p, body: { ...exact[p], estimated: true } });
    const rolledCounts = await answers(EXACT_PROBES);
    for (const p of EXACT_PROBES) expect({ probe: p, body: rolledCounts[p] }).toEqual({ probe: p, body: exactCounts[p] });
    // Nothing left to do: a second pass recomputes nothing.
    expect(await job.run()).toBe(0);
  });

  it('stays exact for filtered queries and hourly series', async () => {
    expect((await f.get(`/stats?${WEEK}&filter[page]=/pricing`).expect(200)).body).not.toHaveProperty('estimated');
    expect((await f.get(`/timeseries?${WEEK}&granularity=hour`).expect(200)).body).not.toHaveProperty('estimated');
    expect((await f.get(`/breakdown/entry_page?${WEEK}`).expect(200)).body).not.toHaveProperty('estimated');
  });

  it('reads a changed day raw at once, and rolls it up again on the next pass', async () => {
    const before = await pageviews();
    // A late pageview for Thursday 2025-01-16, a day already rolled up.
    await f.t
      .http()
      .post('/api/v1/events/pageview')
      .set(bearer(ingestKey))
      .send({ site_id: f.siteId, timestamp: '2025-01-16T15:00:00Z', url: 'https://example.com/late', ip_address: '203.0.113.50', user_agent: UA.firefox })
      .expect(201);
    const changed = await pageviews();
    expect(changed.pageviews.value).toBe(before.pageviews.value + 1);
    expect(changed.visitors.value).toBe(before.visitors.value + 1);

    expect(await job.run()).toBe(1);
    const again = await pageviews();
    expect(again).toEqual(changed);
    expect(again.estimated).toBe(true);
  });

  it('forgets an erased visitor', async () => {
    const [v3] = await queryDb<{ visitor_id: string }>(f.t.dbUrl, "SELECT visitor_id FROM events WHERE website_id = $1 AND name = 'download'", [f.siteId]);
    const before = await pageviews();
    await f.t.http().delete(`/api/websites/${f.siteId}/visitors/${v3.visitor_id}`).set(bearer(f.owner.token)).expect(200);
    const erased = await pageviews();
    expect(erased.visitors.value).toBe(before.visitors.value - 1);
    expect(erased.pageviews.value).toBe(before.pageviews.value - 1);
    await job.run();
    expect(await pageviews()).toEqual(erased);
    const rows = await queryDb<{ n: number }>(f.t.dbUrl, "SELECT count(*)::int AS n FROM rollup_values WHERE website_id = $1 AND dimension = 'event_name' AND value = 'download'", [f.siteId]);
    expect(rows[0].n).toBe(0);
  });

  it('recomputes the days in the new time zone after a time-zone change', async () => {
    await f.t.http().patch(`/api/websites/${f.siteId}`).set(bearer(f.owner.token)).send({ timezone: 'UTC' }).expect(200);
    // Rollups of Berlin days no longer match: answered exactly, with the UTC week.
    const exact = await pageviews();
    expect(exact).not.toHaveProperty('estimated');
    expect(exact.period).toEqual({ start: '2025-01-13T00:00:00.000Z', end: '2025-01-20T00:00:00.000Z' });
    expect(await job.run()).toBeGreaterThan(0);
    const zones = await queryDb<{ timezone: string }>(f.t.dbUrl, 'SELECT DISTINCT timezone FROM rollup_days WHERE website_id = $1', [f.siteId]);
    expect(zones).toEqual([{ timezone: 'UTC' }]);
    expect(await pageviews()).toEqual({ ...exact, estimated: true });
  });

  it('leaves a property with too many values in a day to raw events', async () => {
    // 1,001 orders with distinct ids on 2025-01-22, a day with nothing else.
    const orders = Array.from({ length: MAX_PROP_VALUES_PER_DAY + 1 }, (_, i) => ({
      website_id: f.siteId,
      type: 'custom',
      name: 'order',
      url: 'https://example.com/checkout',
      visitor_id: `buyer-${i}`,
      timestamp: new Date(Date.parse('2025-01-22T08:00:00Z') + i * 1000).toISOString(),
      props: { order_id: `o-${i}`, currency: 'EUR' },
    }));
    for (let i = 0; i < orders.length; i += 500) {
      await f.t.http().post('/api/v1/events').set(bearer(ingestKey)).send({ events: orders.slice(i, i + 500) }).expect(202);
    }
    await job.run();
    const [day] = await queryDb<{ keys: string[] }>(f.t.dbUrl, "SELECT unrolled_prop_keys AS keys FROM rollup_days WHERE website_id = $1 AND day = '2025-01-22'", [f.siteId]);
    expect(day.keys).toEqual(['order_id']);
    const range = 'start_date=2025-01-20&end_date=2025-01-26';
    const ids = (await f.get(`/breakdown/prop:order_id?${range}&limit=2`).expect(200)).body;
    expect(ids).not.toHaveProperty('estimated');
    expect(ids.data).toHaveLength(2);
    expect(ids.data[0]).toMatchObject({ visitors: 1, events: 1 });
    const currency = (await f.get(`/breakdown/prop:currency?${range}`).expect(200)).body;
    // Rolled up: exact counts, and 1,001 visitors estimated within three standard errors.
    expect(currency).toEqual({ data: [{ value: 'EUR', visitors: expect.any(Number), sessions: 1001, pageviews: 0, events: 1001 }], page: 1, limit: 10, estimated: true });
    expect(Math.abs(currency.data[0].visitors - 1001) / 1001).toBeLessThan(3 * HLL_STANDARD_ERROR);
  });

  it('builds sketches in SQL that count small sets exactly and large ones within 2%', async () => {
    const sketch = async (n: number) => {
      const [r] = await queryDb<{ s: Buffer }>(f.t.dbUrl, "SELECT footfall_hll_pack(array_agg(footfall_hll_entry('visitor-' || g))) AS s FROM generate_series(1, $1::int) g", [n]);
      return new VisitorSketch().addPacked(r.s).estimate();
    };
    expect(await sketch(1)).toBe(1);
    expect(await sketch(40)).toBe(40);
    const big = await sketch(50_000);
    expect(Math.abs(big - 50_000) / 50_000).toBeLessThan(0.02);
  });

  it('drops a website’s rollups with the website', async () => {
    await f.t.http().delete(`/api/websites/${f.siteId}`).set(bearer(f.owner.token)).expect(204);
    for (const table of ['rollup_days', 'rollup_values', 'rollup_dirty']) {
      const rows = await queryDb<{ n: number }>(f.t.dbUrl, `SELECT count(*)::int AS n FROM ${table} WHERE website_id = $1`, [f.siteId]);
      expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
    }
  });
});
