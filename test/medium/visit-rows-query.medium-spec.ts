import { KeyPrincipal } from '../../src/auth/principal';
import { CanonicalEvent, emptyEvent } from '../../src/collect/canonical-event';
import { IngestionService, IngestSender, NO_CLIENT } from '../../src/collect/ingestion.service';
import { canonicalQuery, Dimension, FilterNode, Metric, Query } from '../../src/analytics/query';
import { EventsQueryRepository } from '../../src/events-query/events-query.repository';
import { answeredByVisitRows, querySql } from '../../src/events-query/engine/query-sql';
import { CHROME_WINDOWS, GOOGLEBOT } from '../support/ingest-fixtures';
import { Account, createWebsite, signup, startTestApp, TestApp } from '../support/test-app';

/**
 * Queries of visit attributes read one row per visit instead of grouping every event. On real
 * Postgres, with visits that cross either end of the range, a late event that precedes its visit's
 * start and a bot, they give exactly what grouping the range's events gives.
 */
describe('queries answered by the visit rows', () => {
  let t: TestApp;
  let ingestion: IngestionService;
  let repo: EventsQueryRepository;
  let owner: Account;
  let site: string;

  const day = '2026-11-20';
  const at = (hhmm: string) => `${day}T${hhmm}:00Z`;
  const range = { start: new Date(at('10:00')), end: new Date(at('12:00')) };
  const METRICS: Metric[] = ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration', 'views_per_visit', 'percentage'];

  const send = async (visitor: string, events: [string, string][], userAgent = CHROME_WINDOWS) => {
    const sender: IngestSender = {
      kind: 'principal',
      principal: { kind: 'key', keyId: 'k', organizationId: owner.organizationId, scopes: new Set(['ingest']), websiteIds: null } satisfies KeyPrincipal,
    };
    for (const [time, page] of events) {
      const custom = page.startsWith('!');
      const e: CanonicalEvent = {
        ...emptyEvent(site, custom ? 'custom' : 'pageview'),
        name: custom ? page.slice(1) : null,
        url: `https://example.com${custom ? '/' : page}`,
        visitorId: visitor,
        userAgent,
        timestamp: new Date(at(time)),
      };
      await ingestion.ingest([e], sender, NO_CLIENT);
    }
  };

  /** The same query through the events: a filter on every event's kind that holds for all of them. */
  const throughEvents = (q: Query): Query => {
    const always: FilterNode = { type: 'not', child: { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'kind' }, values: ['none'], caseSensitive: true } };
    return { ...q, filter: q.filter ? { type: 'and', children: [q.filter, always] } : always };
  };
  const rows = (q: Query) => repo.rows(querySql(q));
  const query = (over: Partial<Query>) =>
    canonicalQuery({ websiteId: site, timezone: 'UTC', range }, { metrics: METRICS, orderBy: [{ key: { metric: 'visitors' }, direction: 'desc' }], ...over });

  beforeAll(async () => {
    t = await startTestApp();
    ingestion = t.app.get(IngestionService);
    repo = t.app.get(EventsQueryRepository);
    owner = await signup(t, 'visit-rows');
    site = (await createWebsite(t, owner)).id;
    await send('crosses-start', [['09:40', '/a'], ['09:55', '/b'], ['10:10', '/c']]);
    await send('starts-near-start', [['10:20', '/d'], ['10:25', '/e']]);
    await send('inside', [['10:40', '/d'], ['10:45', '/f'], ['10:50', '/g'], ['10:52', '!signup']]);
    await send('inside', [['11:30', '/d']]);
    await send('crosses-end', [['11:50', '/h'], ['12:10', '/i']]);
    await send('before', [['09:00', '/a'], ['09:10', '/b']]);
    // A late event 15 minutes before its visit's first one joins that visit, whose row keeps its start.
    await send('late-inside', [['11:00', '/j']]);
    await send('late-inside', [['10:45', '/k']]);
    // The same, but the late event falls before the range.
    await send('late-edge', [['10:20', '/l']]);
    await send('late-edge', [['09:55', '/m']]);
    await send('bot', [['10:30', '/d'], ['10:35', '/e']], GOOGLEBOT);
  });
  afterAll(() => t.close());

  it('answers headline numbers from the visit rows, counting only the events inside the range', async () => {
    const q = query({});
    expect(answeredByVisitRows(q)).toBe(true);
    expect(answeredByVisitRows(throughEvents(q))).toBe(false);
    const [visits] = await rows(q);
    // Visits: crosses-start (1 event inside), starts-near-start (2), inside (4), inside again (1),
    // crosses-end (1), late-inside (2), late-edge (1); not the visit before the range nor the bot.
    expect({ visitors: Number(visits.m_visitors), visits: Number(visits.m_visits), pageviews: Number(visits.m_pageviews), events: Number(visits.m_events) }).toEqual({
      visitors: 6,
      visits: 7,
      pageviews: 11,
      events: 12,
    });
    expect(await rows(throughEvents(q))).toEqual([visits]);
  });

  it.each<[string, Dimension[], FilterNode | null]>([
    ['entry page', [{ kind: 'visit', name: 'entry_page' }], null],
    ['entry and exit page', [{ kind: 'visit', name: 'entry_page' }, { kind: 'visit', name: 'exit_page' }], null],
    ['browser, filtered on the entry page', [{ kind: 'visit', name: 'browser' }], { type: 'condition', operator: 'is', dimension: { kind: 'visit', name: 'entry_page' }, values: ['/d'], caseSensitive: true }],
    ['no dimension, a negated filter', [], { type: 'not', child: { type: 'condition', operator: 'contains', dimension: { kind: 'visit', name: 'entry_page' }, values: ['/a'], caseSensitive: false } }],
  ])('gives the same rows as grouping the events: %s', async (_, dimensions, filter) => {
    const q = query({ dimensions, filter, include: { totalRows: true, timeLabels: false } });
    expect(answeredByVisitRows(q)).toBe(true);
    const byVisits = await rows(q);
    expect(byVisits.length).toBeGreaterThan(0);
    expect(await rows(throughEvents(q))).toEqual(byVisits);
  });
});
