import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CanonicalEvent, emptyEvent } from '../collect/canonical-event';
import { EnrichmentInput, EnrichmentService } from './enrichment.service';
import { GeoLocator } from './geo-locator';
import { PageParser } from './page-parser';
import { UserAgentParser } from './user-agent-parser';
import { hashVisitor, VisitorHasher } from './visitor-hasher';

const MAXMIND_CITY_TEST_DB = path.resolve(__dirname, '../../../shared/testdata/GeoLite2-City-Test.mmdb');
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const RECEIVED_AT = new Date('2026-11-24T12:00:00Z');

function service(geo: GeoLocator): EnrichmentService {
  return new EnrichmentService(new UserAgentParser(), geo, new PageParser(), new VisitorHasher());
}

function input(overrides: Partial<EnrichmentInput> = {}): EnrichmentInput {
  return { ip: '81.2.69.142', userAgent: CHROME_WINDOWS, websiteDomain: 'example.com', salt: 'daily-salt', receivedAt: RECEIVED_AT, ...overrides };
}

function pageview(fields: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return { ...emptyEvent('site1', 'pageview'), url: 'https://example.com/pricing?utm_source=hn', ...fields };
}

describe('EnrichmentService', () => {
  const enrichment = service(GeoLocator.disabled());

  it('builds the stored row from event and request', () => {
    const row = enrichment.enrich(pageview({ referrer: 'https://www.google.com/', title: 'Pricing', eventId: 'k1' }), input());
    expect(row).toMatchObject({
      websiteId: 'site1',
      kind: 'pageview',
      occurredAt: RECEIVED_AT,
      hostname: 'example.com',
      path: '/pricing',
      query: 'utm_source=hn',
      referrerDomain: 'google.com',
      utmSource: 'hn',
      browser: 'Chrome',
      os: 'Windows',
      deviceType: 'desktop',
      isBot: false,
      title: 'Pricing',
      eventKey: 'k1',
      visitorId: hashVisitor({ salt: 'daily-salt', websiteId: 'site1', ip: '81.2.69.142', userAgent: CHROME_WINDOWS }),
    });
    expect(JSON.stringify(row)).not.toContain('81.2.69.142');
  });

  it('keeps the event time and the client visitor id when given', () => {
    const at = new Date('2026-11-23T08:00:00Z');
    const row = enrichment.enrich(pageview({ timestamp: at, visitorId: 'v-123' }), input());
    expect(row.occurredAt).toBe(at);
    expect(row.visitorId).toBe('v-123');
  });

  it("uses the input's IP and user agent, not the event body's (the caller chooses)", () => {
    const row = enrichment.enrich(pageview({ ip: '198.51.100.9', userAgent: 'curl/8.5.0' }), input());
    expect(row).toMatchObject({ isBot: false, deviceType: 'desktop' });
    expect(row.visitorId).toBe(hashVisitor({ salt: 'daily-salt', websiteId: 'site1', ip: '81.2.69.142', userAgent: CHROME_WINDOWS }));
  });

  it('gives each sender its own visitor id, from one event to the next (a batch reuses the sender)', () => {
    const ids = [
      input(),
      input(),
      input({ ip: '81.2.69.160' }),
      input({ userAgent: 'curl/8.0' }),
      input({ salt: 'next-day-salt' }),
      input(),
    ].map((i) => enrichment.enrich(pageview(), i).visitorId);
    const other = enrichment.enrich(pageview({ websiteId: 'site2' }), input()).visitorId;
    expect(ids[0]).toBe(ids[1]);
    expect(ids[5]).toBe(ids[0]);
    expect(new Set([ids[0], ids[2], ids[3], ids[4], other]).size).toBe(5);
    expect(ids[0]).toBe(hashVisitor({ salt: 'daily-salt', websiteId: 'site1', ip: '81.2.69.142', userAgent: CHROME_WINDOWS }));
    // One sender's batch across websites: each website has its own id for the same visitor.
    const mixed = ['site1', 'site2', 'site1', 'site3'].map((w) => enrichment.enrich(pageview({ websiteId: w }), input()).visitorId);
    expect(mixed).toEqual([ids[0], other, ids[0], hashVisitor({ salt: 'daily-salt', websiteId: 'site3', ip: '81.2.69.142', userAgent: CHROME_WINDOWS })]);
  });

  it('flags a bot user agent', () => {
    expect(enrichment.enrich(pageview(), input({ userAgent: 'curl/8.5.0' }))).toMatchObject({ isBot: true, deviceType: 'bot' });
  });

  it('counts a call without any user agent as a human visit', () => {
    const row = enrichment.enrich(pageview(), input({ userAgent: null, ip: null }));
    expect(row).toMatchObject({ isBot: false, deviceType: 'unknown', browser: null, os: null });
    expect(row.visitorId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never throws on odd input and stores only sane values', () => {
    const odd = {
      ...pageview(),
      url: 'ht!tp://%%%',
      referrer: 42,
      name: 'n'.repeat(5000),
      title: 'bad\u0000title',
      props: ['not', 'an', 'object'],
      visitorId: '   ',
      screenWidth: -1,
      screenHeight: 1e12,
      timestamp: new Date('nonsense'),
      utm: null,
      userAgent: { not: 'a string' },
      ip: 'not-an-ip',
    } as unknown as CanonicalEvent;
    const row = enrichment.enrich(odd, input({ ip: 'also bad', userAgent: '' }));
    expect(row).toMatchObject({
      hostname: null,
      path: null,
      referrer: null,
      title: 'badtitle',
      props: null,
      screenWidth: null,
      screenHeight: null,
      occurredAt: RECEIVED_AT,
      country: null,
    });
    expect(row.name).toHaveLength(200);
    expect(row.visitorId).toMatch(/^[0-9a-f]{16}$/);
  });

  const withTestDb = existsSync(MAXMIND_CITY_TEST_DB) ? it : it.skip;
  withTestDb(`adds country, region and city (needs ${path.basename(MAXMIND_CITY_TEST_DB)} in shared test data)`, () => {
    const located = service(GeoLocator.open(MAXMIND_CITY_TEST_DB, { warn: jest.fn() }));
    expect(located.enrich(pageview(), input())).toMatchObject({ country: 'GB', region: 'England', city: 'London' });
  });
});

describe('EnrichmentService props', () => {
  it('removes NUL characters, which Postgres jsonb refuses, from keys and values at any depth', () => {
    const service = new EnrichmentService(new UserAgentParser(), GeoLocator.disabled(), new PageParser(), new VisitorHasher());
    const event = { ...emptyEvent('w', 'custom'), name: 'x', props: { 'a\u0000b': 'c\u0000d', nested: { list: ['e\u0000'] }, n: 1 } };
    const out = service.enrich(event, { ip: null, userAgent: null, websiteDomain: null, salt: 's', receivedAt: new Date() });
    expect(out.props).toEqual({ ab: 'cd', nested: { list: ['e'] }, n: 1 });
  });
});
