import { queryDb } from './support/events-db';
import { bearer, createApiKey, createWebsite, signup, startSecondInstance, startTestApp, TestApp } from './support/test-app';

/**
 * Visits as the writer keeps them: 30 minutes without an event end one. The writer stores most
 * batches in one statement, trusting the visit state it last left for each visitor; these cases
 * change that state behind its back (another instance, an erasure, direct edits, concurrency).
 */
describe('writer: visits across requests, instances and concurrent batches', () => {
  let t: TestApp;
  let site: string;
  let key: string;
  const T0 = Date.parse('2026-11-20T10:00:00Z');
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  const send = (app: Pick<TestApp, 'http'>, visitor: string, minutes: number, path = '/p') =>
    app.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, url: `https://example.com${path}`, visitor_id: visitor, timestamp: at(minutes) }).expect(202);
  const eventsOf = (visitor: string) =>
    queryDb<{ session_id: string; session_started_at: Date; path: string }>(t.dbUrl, 'SELECT session_id FROM events WHERE website_id = $1 AND visitor_id = $2 ORDER BY occurred_at, id', [site, visitor]);
  const sessionsOf = (visitor: string) =>
    queryDb<{ session_id: string; pageviews: number; started_at: Date; last_seen_at: Date }>(
      t.dbUrl,
      'SELECT session_id, pageviews, started_at, last_seen_at FROM sessions WHERE website_id = $1 AND visitor_id = $2 ORDER BY started_at',
      [site, visitor],
    );
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await t.http().get('/metrics')).text)![1]);

  beforeAll(async () => {
    t = await startTestApp();
    const owner = await signup(t, 'visits');
    site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  });
  afterAll(() => t.close());

  it('continues a visit across requests and starts a new one after 30 minutes without events', async () => {
    const optimisticBefore = await metric('footfall_writer_optimistic_batches_total');
    for (const m of [0, 10, 25, 60]) await send(t, 'v-plain', m);
    const ids = (await eventsOf('v-plain')).map((e) => e.session_id);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[1]).toBe(ids[2]);
    expect(ids[3]).not.toBe(ids[0]);
    expect((await sessionsOf('v-plain')).map((s) => [s.pageviews, s.started_at.toISOString(), s.last_seen_at.toISOString()])).toEqual([
      [3, at(0), at(25)],
      [1, at(60), at(60)],
    ]);
    // Known visitor, no keys: every one of these batches was a single statement.
    expect(await metric('footfall_writer_optimistic_batches_total')).toBe(optimisticBefore + 4);
  });

  it('two instances agree on one visit when a visitor alternates between them', async () => {
    const other = await startSecondInstance(t);
    try {
      await send(t, 'v-both', 0);
      await send(other, 'v-both', 5);
      await send(t, 'v-both', 10); // this instance's memory of the visitor is stale now
      await send(other, 'v-both', 15);
      await send(t, 'v-both', 50); // a new visit, decided from the stored state
    } finally {
      await other.close();
    }
    const ids = (await eventsOf('v-both')).map((e) => e.session_id);
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    expect(ids[4]).not.toBe(ids[0]);
    expect((await sessionsOf('v-both')).map((s) => [s.pageviews, s.last_seen_at.toISOString()])).toEqual([
      [4, at(15)],
      [1, at(50)],
    ]);
  });

  it('follows the stored visit, not its own memory, when the row was changed or deleted meanwhile', async () => {
    await send(t, 'v-moved', 0);
    // Another writer moved this visitor into a visit of its own (started 2 minutes later).
    const [moved] = await queryDb<{ id: string }>(t.dbUrl, 'SELECT gen_random_uuid()::text AS id');
    await queryDb(t.dbUrl, 'UPDATE visitor_sessions SET session_id = $3, started_at = $4, last_seen_at = $4 WHERE website_id = $1 AND visitor_id = $2', [site, 'v-moved', moved.id, at(2)]);
    const lockedBefore = await metric('footfall_writer_locked_batches_total');
    await send(t, 'v-moved', 5);
    expect((await eventsOf('v-moved')).map((e) => e.session_id)[1]).toBe(moved.id);
    expect(await metric('footfall_writer_locked_batches_total')).toBe(lockedBefore + 1);

    // Erased (as privacy erasure or retention does): the next event starts afresh.
    await queryDb(t.dbUrl, 'DELETE FROM visitor_sessions WHERE website_id = $1 AND visitor_id = $2', [site, 'v-moved']);
    await send(t, 'v-moved', 8);
    const ids = (await eventsOf('v-moved')).map((e) => e.session_id);
    expect(ids[2]).not.toBe(moved.id);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('stores every event of concurrent requests of one visitor in one visit, with exact counts', async () => {
    const minutes = Array.from({ length: 40 }, (_, i) => i * 0.5);
    await Promise.all(minutes.map((m) => send(t, 'v-burst', m, `/burst/${m}`)));
    const events = await eventsOf('v-burst');
    expect(events).toHaveLength(40);
    expect(new Set(events.map((e) => e.session_id)).size).toBe(1);
    expect((await sessionsOf('v-burst')).map((s) => [s.pageviews, s.started_at.toISOString(), s.last_seen_at.toISOString()])).toEqual([[40, at(0), at(19.5)]]);
  });
});

describe('writer with WRITER_VISIT_CACHE=0: every batch locks its visitors first', () => {
  let t: TestApp;
  let site: string;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp({ WRITER_VISIT_CACHE: '0' });
    const owner = await signup(t, 'visits-locked');
    site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  });
  afterAll(() => t.close());

  it('keeps visits the same way', async () => {
    const T0 = Date.parse('2026-11-20T10:00:00Z');
    for (const m of [0, 10, 45]) {
      await t.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, url: 'https://example.com/', visitor_id: 'v', timestamp: new Date(T0 + m * 60_000).toISOString() }).expect(202);
    }
    const rows = await queryDb<{ pageviews: number }>(t.dbUrl, 'SELECT pageviews FROM sessions WHERE website_id = $1 ORDER BY started_at', [site]);
    expect(rows.map((r) => r.pageviews)).toEqual([2, 1]);
    const metrics = (await t.http().get('/metrics')).text;
    expect(metrics).toMatch(/^footfall_writer_optimistic_batches_total 0$/m);
    expect(metrics).toMatch(/^footfall_writer_locked_batches_total 3$/m);
  });
});
