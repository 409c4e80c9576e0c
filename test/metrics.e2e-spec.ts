import { RollupJob } from '../src/rollups/rollup-job.service';
import { createWebsite, signup, startTestApp, TestApp } from './support/test-app';

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '0' })));
  afterAll(() => t.close());

  const value = (text: string, sample: string) => {
    const line = text.split('\n').find((l) => l.startsWith(sample + ' '));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  };

  it('shows requests by route and status, ingest and writer counters after a load, and the pool', async () => {
    const a = await signup(t);
    const site = await createWebsite(t, a);
    for (let i = 0; i < 3; i++) {
      await t.http().post('/api/collect').send({ website_id: site.id, type: 'pageview', url: `https://example.com/${i}` }).expect(202);
    }
    await t.http().post('/api/collect').send([1, 2].map((i) => ({ website_id: site.id, type: 'pageview', url: `https://example.com/b${i}` }))).expect(202);
    await t.http().post('/api/collect').set('Content-Type', 'application/json').send('{oops').expect(400);

    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain('# TYPE footfall_http_requests_total counter');
    expect(value(text, 'footfall_http_requests_total{method="POST",route="/api/collect",status="202"}')).toBe(4);
    expect(value(text, 'footfall_http_requests_total{method="POST",route="/api/collect",status="400"}')).toBe(1);
    expect(value(text, 'footfall_ingest_events_total')).toBe(5);
    expect(value(text, 'footfall_writer_batches_total')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'footfall_writer_queue_events')).toBe(0);
    expect(value(text, 'footfall_writer_shed_requests_total')).toBe(0);
    expect(value(text, 'footfall_db_pool_connections')).toBeGreaterThan(0);
    expect(value(text, 'footfall_db_pool_waiting')).toBe(0);
  });

  it('counts the time its event loop was busy, so an operator can tell a CPU-bound instance', async () => {
    const scrape = async () => value((await t.http().get('/metrics').expect(200)).text, 'footfall_event_loop_active_seconds_total')!;
    const before = await scrape();
    // The app runs in this process: holding its thread for 100 ms is 100 ms of busy event loop.
    const until = Date.now() + 100;
    while (Date.now() < until);
    const after = await scrape();
    expect(after - before).toBeGreaterThanOrEqual(0.1);
  });

  it('counts rollup passes and the days they recomputed', async () => {
    // Two hours on, the slots written above have closed: one day (today) to roll up.
    expect(await t.app.get(RollupJob).run(new Date(Date.now() + 2 * 3_600_000))).toBe(1);
    const text = (await t.http().get('/metrics').expect(200)).text;
    expect(value(text, 'footfall_rollup_passes_total')).toBe(1);
    expect(value(text, 'footfall_rollup_days_recomputed_total')).toBe(1);
    expect(value(text, 'footfall_rollup_failures_total')).toBe(0);
    expect(value(text, 'footfall_rollup_last_pass_seconds')).toBeDefined();
  });
});
