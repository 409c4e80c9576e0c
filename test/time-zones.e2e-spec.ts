import { RollupJob } from '../src/rollups/rollup-job.service';
import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/** A zone Node's ICU still knows but Postgres' tz database no longer has (removed in tzdata 2020b). */
const NODE_ONLY_ZONE = 'US/Pacific-New';

describe('website time zones are the ones Postgres knows', () => {
  let t: TestApp;
  let owner: Account;
  beforeAll(async () => {
    t = await startTestApp({ ROLLUP_INTERVAL_MS: '0', ROLLUP_MIN_EVENTS: '0' });
    owner = await signup(t, 'owner');
  });
  afterAll(() => t.close());

  it('rejects on create and update a zone Postgres cannot use, with 400 naming the field', async () => {
    const created = await t.http().post('/api/websites').set(bearer(owner.token)).send({ name: 'x', domain: 'example.com', timezone: NODE_ONLY_ZONE }).expect(400);
    expect(JSON.stringify(created.body.message)).toMatch(/timezone/);
    const site = await createWebsite(t, owner, { timezone: 'Europe/Berlin' });
    const updated = await t.http().patch(`/api/websites/${site.id}`).set(bearer(owner.token)).send({ timezone: NODE_ONLY_ZONE }).expect(400);
    expect(JSON.stringify(updated.body.message)).toMatch(/timezone/);
    expect((await t.http().get(`/api/websites/${site.id}`).set(bearer(owner.token)).expect(200)).body.timezone).toBe('Europe/Berlin');
  });

  it("stores Postgres' spelling of a zone given in another case", async () => {
    const site = await createWebsite(t, owner, { timezone: 'america/new_york' });
    expect(site.timezone).toBe('America/New_York');
  });

  it('rolls up the other websites when one (stored before validation) has a zone Postgres rejects', async () => {
    const key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
    const good = await createWebsite(t, owner, { timezone: 'Europe/Berlin' });
    const bad = await createWebsite(t, owner);
    const day = '2026-01-10T12:00:00Z';
    for (const site of [good, bad]) {
      await t.http().post('/api/v1/events').set(bearer(key)).send({ events: [{ website_id: site.id, url: 'https://example.com/', visitor_id: 'v', timestamp: day }] }).expect(202);
    }
    await queryDb(t.dbUrl, 'UPDATE websites SET timezone = $2 WHERE id = $1', [bad.id, NODE_ONLY_ZONE]);

    const job = t.app.get(RollupJob);
    const failures = job.stats.failures;
    await job.run(new Date('2026-01-12T00:00:00Z'));
    const rolled = await queryDb<{ website_id: string }>(t.dbUrl, 'SELECT website_id FROM rollup_days WHERE website_id = ANY($1)', [[good.id, bad.id]]);
    expect(rolled.map((r) => r.website_id)).toEqual([good.id]);
    expect(job.stats.failures).toBeGreaterThan(failures);
    // Its queries say what is wrong instead of failing with 500.
    const series = await t.http().get(`/api/websites/${bad.id}/timeseries?start_date=2026-01-10&end_date=2026-01-11`).set(bearer(owner.token));
    expect(series.status).toBe(409);
    expect(series.body.message).toMatch(/time zone/);
    // The bad website's changes wait for its zone to be fixed, then roll up.
    await queryDb(t.dbUrl, "UPDATE websites SET timezone = 'UTC' WHERE id = $1", [bad.id]);
    await job.run(new Date('2026-01-12T00:00:00Z'));
    const after = await queryDb<{ website_id: string }>(t.dbUrl, 'SELECT website_id FROM rollup_days WHERE website_id = $1', [bad.id]);
    expect(after).toHaveLength(1);
  });
});
