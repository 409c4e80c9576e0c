import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EventWriter } from '../src/collect/writer/event-writer';
import { EnrichedEvent } from '../src/enrichment/enriched-event';
import { queryDb } from './support/events-db';
import { CHROME_WINDOWS } from './support/ingest-fixtures';
import { bearer, createApiKey, createWebsite, signup, startSecondInstance, startTestApp, TestApp } from './support/test-app';

/** The columns a visit takes from its first event since migration 0011, with two sets of values. */
type VisitAttributes = Record<'referrer' | 'utm_term' | 'utm_content' | 'region' | 'city' | 'browser_version' | 'os_version' | 'language' | 'screen', string | null>;
const FIRST: VisitAttributes = {
  referrer: 'https://news.example.org/story?id=1', utm_term: 'running shoes', utm_content: 'banner,top', region: 'England', city: 'London',
  browser_version: '124.0', os_version: '10', language: 'en-GB', screen: '1920x1080',
};
const LATER: VisitAttributes = {
  referrer: 'https://search.example.net/?q=x', utm_term: 'trail', utm_content: 'footer', region: 'Bavaria', city: 'Munich',
  browser_version: '125.0', os_version: '11', language: 'de-DE', screen: '390x844',
};
const NONE = Object.fromEntries(Object.keys(FIRST).map((c) => [c, null])) as VisitAttributes;
const ATTRIBUTE_COLUMNS = Object.keys(FIRST).join(', ');

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

  it('identifies a visit with its events\' user id, on both write paths and across instances (migration 0012)', async () => {
    const other = await startSecondInstance(t);
    const withUser = (app: Pick<TestApp, 'http'>, visitor: string, minutes: number, user_id?: string, event_id?: string) =>
      app.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, url: 'https://example.com/u', visitor_id: visitor, timestamp: at(minutes), user_id, event_id }).expect(202);
    const usersOf = async (visitor: string) => (await queryDb<{ user_id: string | null }>(t.dbUrl, 'SELECT user_id FROM events WHERE website_id = $1 AND visitor_id = $2 ORDER BY occurred_at, id', [site, visitor])).map((r) => r.user_id);
    const visitUsersOf = async (visitor: string) => (await queryDb<{ user_id: string | null }>(t.dbUrl, 'SELECT user_id FROM sessions WHERE website_id = $1 AND visitor_id = $2 ORDER BY started_at', [site, visitor])).map((r) => r.user_id);
    try {
      await withUser(t, 'v-user', 0);
      await withUser(t, 'v-user', 1, 'user with spaces =1');
      await withUser(t, 'v-user', 2); // one statement, from this instance's memory of the visit
      await withUser(other, 'v-user', 3); // another instance: from the stored visit
      await withUser(t, 'v-user', 4, undefined, 'v-user-keyed'); // the locked path
      await withUser(t, 'v-user', 5, 'u-2');
      await withUser(other, 'v-user', 6);
      await withUser(t, 'v-user', 60); // a new visit starts unidentified
    } finally {
      await other.close();
    }
    expect(await usersOf('v-user')).toEqual([null, ...Array(4).fill('user with spaces =1'), 'u-2', 'u-2', null]);
    expect(await visitUsersOf('v-user')).toEqual(['u-2', null]);
  });

  describe('attributes a visit takes from its first event', () => {
    /** An event as enrichment leaves it, handed to the writer as ingestion does (region and city need a city database). */
    const enriched = (visitor: string, minutes: number, a: VisitAttributes, eventKey: string | null = null): EnrichedEvent => ({
      websiteId: site, occurredAt: new Date(at(minutes)), kind: 'pageview', name: null, title: null, props: null, visitorId: visitor, userId: null,
      hostname: 'example.com', path: '/a', query: null, referrer: a.referrer, referrerDomain: null, utmSource: null, utmMedium: null, utmCampaign: null,
      utmTerm: a.utm_term, utmContent: a.utm_content, browser: 'Chrome', browserVersion: a.browser_version, os: 'Windows', osVersion: a.os_version,
      deviceType: 'desktop', isBot: false, country: 'GB', region: a.region, city: a.city, language: a.language, screen: a.screen,
      screenWidth: null, screenHeight: null, eventKey,
    });
    const write = (...events: EnrichedEvent[]) => t.app.get(EventWriter).write(events);
    const attributesOf = (visitor: string) =>
      queryDb<VisitAttributes & { xmin: string }>(t.dbUrl, `SELECT ${ATTRIBUTE_COLUMNS}, xmin::text FROM sessions WHERE website_id = $1 AND visitor_id = $2 ORDER BY started_at`, [site, visitor]);
    const withoutXmin = (rows: (VisitAttributes & { xmin: string })[]) => rows.map(({ xmin: _, ...a }) => a);

    it('are the first event\'s, on both write paths, and later events of the visit do not change them', async () => {
      // One batch, the later event first: the visit's first event is the earliest one.
      await write(enriched('v-attrs', 1, LATER), enriched('v-attrs', 0, FIRST));
      await write(enriched('v-attrs', 5, LATER)); // the same visit, in one statement
      await write(enriched('v-attrs', 8, LATER, 'attrs-later')); // the same visit, on the locked path (a key)
      expect(new Set((await eventsOf('v-attrs')).map((e) => e.session_id)).size).toBe(1);
      expect(withoutXmin(await attributesOf('v-attrs'))).toEqual([FIRST]);

      await write(enriched('v-attrs-locked', 0, FIRST, 'attrs-first'), enriched('v-attrs-locked', 3, LATER));
      await write(enriched('v-attrs-locked', 6, LATER));
      expect(withoutXmin(await attributesOf('v-attrs-locked'))).toEqual([FIRST]);
    });

    it('come from what enrichment made of the first request of the visit', async () => {
      const page = (minutes: number, extra: Record<string, unknown>) =>
        t.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, visitor_id: 'v-attrs-http', timestamp: at(minutes), user_agent: CHROME_WINDOWS, ...extra }).expect(202);
      await page(0, { url: 'https://example.com/?utm_term=shoes&utm_content=hero', referrer: 'https://news.example.org/a', language: 'en-GB', screen: '1920x1080' });
      await page(4, { url: 'https://example.com/b?utm_term=boots&utm_content=side', referrer: 'https://other.example.net/', language: 'fr-FR', screen: '390x844', user_agent: 'curl/8.0' });
      const [first] = await queryDb<VisitAttributes>(t.dbUrl, `SELECT ${ATTRIBUTE_COLUMNS} FROM events WHERE website_id = $1 AND visitor_id = $2 ORDER BY occurred_at LIMIT 1`, [site, 'v-attrs-http']);
      expect(first).toMatchObject({ referrer: 'https://news.example.org/a', utm_term: 'shoes', utm_content: 'hero', browser_version: expect.any(String), os_version: expect.any(String), language: 'en-GB', screen: '1920x1080' });
      expect(withoutXmin(await attributesOf('v-attrs-http'))).toEqual([first]);
    });

    it('are filled, on upgrade, from the first event of each visit stored before (migration 0011)', async () => {
      await write(enriched('v-old', 21, LATER), enriched('v-old', 20, FIRST)); // the earlier event has the larger id
      await write(enriched('v-tie', 20, FIRST), enriched('v-tie', 20, LATER)); // at the same instant: the smaller id
      await write(enriched('v-kept', 20, FIRST));
      await write(enriched('v-bare', 20, NONE), enriched('v-bare', 21, LATER));
      // As rows written before the columns existed; v-kept has been given one value since.
      await queryDb(t.dbUrl, `UPDATE sessions SET (${ATTRIBUTE_COLUMNS}) = ROW(${Object.keys(FIRST).map(() => 'NULL').join(', ')})
        WHERE website_id = $1 AND visitor_id = ANY($2)`, [site, ['v-old', 'v-tie', 'v-kept', 'v-bare']]);
      await queryDb(t.dbUrl, "UPDATE sessions SET language = 'fr-FR' WHERE website_id = $1 AND visitor_id = 'v-kept'", [site]);
      await queryDb(t.dbUrl, 'INSERT INTO sessions (website_id, started_at, session_id, visitor_id, last_seen_at) VALUES ($1, $2, gen_random_uuid(), $3, $2)', [site, at(20), 'v-no-events']);
      const before = new Map(await Promise.all(['v-kept', 'v-bare', 'v-no-events'].map(async (v) => [v, (await attributesOf(v))[0].xmin] as const)));

      await queryDb(t.dbUrl, readFileSync(path.join(__dirname, '..', 'migrations', '0011_visit_attributes.sql'), 'utf8'));

      expect(withoutXmin(await attributesOf('v-old'))).toEqual([FIRST]);
      expect(withoutXmin(await attributesOf('v-tie'))).toEqual([FIRST]);
      // Left as they were, not even rewritten: a row holding a value, a first event without any, a visit without events.
      expect(await attributesOf('v-kept')).toEqual([{ ...NONE, language: 'fr-FR', xmin: before.get('v-kept') }]);
      expect(await attributesOf('v-bare')).toEqual([{ ...NONE, xmin: before.get('v-bare') }]);
      expect(await attributesOf('v-no-events')).toEqual([{ ...NONE, xmin: before.get('v-no-events') }]);
    });
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
