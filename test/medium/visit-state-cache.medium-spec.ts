import { randomUUID } from 'node:crypto';
import { EventPartitions } from '../../src/collect/writer/event-partitions';
import { BelievedVisit, EventsRepository, VISITS_CHANGED } from '../../src/collect/writer/events.repository';
import { visitorKey, VisitState } from '../../src/collect/writer/sessionizer';
import { StoredEvent } from '../../src/collect/writer/stored-event';
import { VisitStateCache } from '../../src/collect/writer/visit-state-cache';
import { MediumDb, openMediumDb } from '../support/medium-db';

const SITE = 'visits';
const T0 = Date.parse('2026-11-20T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/**
 * VisitStateCache against the visitor rows of real Postgres: what it remembers after a write is
 * what the one-statement write expects to find, and what another writer changed is found stale.
 */
describe('VisitStateCache', () => {
  let m: MediumDb;
  let repo: EventsRepository;
  let nextId = 1;

  beforeAll(async () => {
    m = await openMediumDb();
    repo = new EventsRepository(m.db);
    await m.seedWebsite(SITE);
    await new EventPartitions(repo).ensure([at(0)]);
  });
  afterAll(() => m.close());

  /** One pageview of the visitor in the given visit, as the writer would store it. */
  const row = (visitorId: string, state: VisitState, minutes: number): StoredEvent => ({
    websiteId: SITE, occurredAt: at(minutes), kind: 'pageview', name: null, title: null, props: null, visitorId, userId: null, language: null,
    screen: null, screenWidth: null, screenHeight: null, eventKey: null, hostname: 'example.com', path: '/', query: null, referrer: null,
    referrerDomain: null, utmSource: null, utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null, browser: null, browserVersion: null,
    os: null, osVersion: null, deviceType: 'desktop', isBot: false, country: null, region: null, city: null,
    id: String(nextId++), sessionId: state.sessionId, sessionStartedAt: state.startedAt, storedUserId: state.userId,
  });
  /** The one-statement write of one event per visitor, believing what the cache remembers; the cache follows its outcome. */
  const writeBelieving = async (cache: VisitStateCache, visitors: string[], minutes: number, userId: string | null = null): Promise<'stored' | 'changed'> => {
    const recalled = cache.recall(visitors.map((visitorId) => ({ websiteId: SITE, visitorId })));
    const believed: BelievedVisit[] = [...recalled.values()].map((v) => ({
      ...v,
      was: v.state,
      state: v.state
        ? { ...v.state, lastSeenAt: at(minutes), userId: userId ?? v.state.userId }
        : { sessionId: randomUUID(), startedAt: at(minutes), lastSeenAt: at(minutes), userId },
    }));
    const rows = believed.map((b) => row(b.visitorId, b.state, minutes));
    try {
      await repo.writeOptimistic(believed, [], rows);
    } catch (err) {
      if ((err as { code?: string }).code !== VISITS_CHANGED) throw err;
      cache.forget(recalled.keys());
      return 'changed';
    }
    cache.remember(believed.map((b) => [visitorKey(SITE, b.visitorId), b.state]));
    return 'stored';
  };
  const stored = async (visitorId: string): Promise<VisitState> => {
    const [r] = await m.db.query('SELECT session_id, started_at, last_seen_at, user_id FROM visitor_sessions WHERE website_id = $1 AND visitor_id = $2', [SITE, visitorId]);
    return { sessionId: r.session_id, startedAt: r.started_at, lastSeenAt: r.last_seen_at, userId: r.user_id };
  };

  it('remembers exactly the state stored, so the next write of a known visitor finds it as believed', async () => {
    const cache = new VisitStateCache(100);
    expect(cache.recall([{ websiteId: SITE, visitorId: 'v1' }]).get(visitorKey(SITE, 'v1'))?.state).toBeNull();
    expect(await writeBelieving(cache, ['v1', 'v2'], 0)).toBe('stored');
    const remembered = cache.recall([{ websiteId: SITE, visitorId: 'v1' }, { websiteId: SITE, visitorId: 'v1' }]);
    expect(remembered.size).toBe(1);
    expect(remembered.get(visitorKey(SITE, 'v1'))?.state).toEqual(await stored('v1'));
    expect(await writeBelieving(cache, ['v1', 'v2'], 5)).toBe('stored');
    expect((await stored('v2')).lastSeenAt).toEqual(at(5));
  });

  it('is found stale when another writer moved a visitor on, and forgets it', async () => {
    const mine = new VisitStateCache(100);
    const theirs = new VisitStateCache(100);
    expect(await writeBelieving(mine, ['v3'], 0)).toBe('stored');
    expect(await writeBelieving(theirs, ['v3'], 1)).toBe('changed'); // believed new, but the row exists
    await m.db.query('UPDATE visitor_sessions SET last_seen_at = $3 WHERE website_id = $1 AND visitor_id = $2', [SITE, 'v3', at(2)]);
    expect(await writeBelieving(mine, ['v3', 'v4'], 3)).toBe('changed');
    // Nothing of the refused write is stored, and every visitor of it is forgotten.
    expect((await stored('v3')).lastSeenAt).toEqual(at(2));
    expect(await m.db.query('SELECT 1 FROM visitor_sessions WHERE visitor_id = $1', ['v4'])).toEqual([]);
    expect([...mine.recall([{ websiteId: SITE, visitorId: 'v3' }, { websiteId: SITE, visitorId: 'v4' }]).values()].map((v) => v.state)).toEqual([null, null]);
  });

  it('remembers the user id that identifies a visit as stored: one with spaces, an empty one, and none', async () => {
    const cache = new VisitStateCache(100);
    for (const [visitor, userId] of [['u1', 'Ada Lovelace =1'], ['u2', ''], ['u3', null]] as const) {
      expect(await writeBelieving(cache, [visitor], 0, userId)).toBe('stored');
      const remembered = cache.recall([{ websiteId: SITE, visitorId: visitor }]).get(visitorKey(SITE, visitor))?.state;
      expect(remembered).toEqual(await stored(visitor));
      expect(remembered?.userId).toBe(userId);
    }
    // The one-statement write checks the user id too: a visit identified since is found stale.
    await m.db.query('UPDATE visitor_sessions SET user_id = $3 WHERE website_id = $1 AND visitor_id = $2', [SITE, 'u3', 'someone']);
    expect(await writeBelieving(cache, ['u3'], 1)).toBe('changed');
  });

  it('keeps at most its capacity of visitors, the most recent ones', () => {
    const cache = new VisitStateCache(4);
    const visitors = ['a', 'b', 'c', 'd', 'e'];
    cache.remember(visitors.map((v, n) => [visitorKey(SITE, v), { sessionId: randomUUID(), startedAt: at(n), lastSeenAt: at(n), userId: null }]));
    const known = [...cache.recall(visitors.map((visitorId) => ({ websiteId: SITE, visitorId }))).values()].filter((v) => v.state).map((v) => v.visitorId);
    expect(known).toContain('e');
    expect(known).not.toContain('a');
    expect(known.length).toBeLessThanOrEqual(4);
  });
});
