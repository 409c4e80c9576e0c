import { EnrichedEvent } from '../../enrichment/enriched-event';
import { emptyEvent } from '../canonical-event';
import { IngestError } from '../ingest-error';
import { dialectParsing } from '../../../test/support/dialect-parsing';
import { isNativeBatch, nativeDialect, nativeFailure } from './native';

const now = new Date('2026-01-31T12:00:00Z');

const { parsed, parsedOne, parseError } = dialectParsing(nativeDialect, now);

const rejection = (body: unknown) => nativeFailure(parseError(body));
const errorBody = (code: string, message: string, field: string | null = null, index: number | null = null) => ({ error: { code, message, field, index } });

const pageview = { website_id: 'k3Jd8aPq2xYz', url: 'https://example.com/pricing' };
const custom = { website_id: 'k3Jd8aPq2xYz', type: 'custom', name: 'signup' };

describe('native: parsing', () => {
  it('maps every field of a full event', () => {
    const event = parsedOne({
      website_id: 'k3Jd8aPq2xYz',
      type: 'custom',
      name: 'purchase',
      url: 'https://example.com/checkout',
      referrer: 'https://google.com/',
      title: 'Checkout',
      props: { plan: 'pro', amount: 49.99, items: [{ sku: 'a' }] },
      visitor_id: 'v-1',
      user_id: 'user-42',
      language: 'zh-Hant-TW',
      screen_width: 1920,
      screen_height: 1080,
      utm_source: 'news',
      utm_medium: 'email',
      utm_campaign: 'launch',
      utm_term: 'analytics',
      utm_content: 'top',
      user_agent: 'Mozilla/5.0',
      ip_address: '2001:db8::1',
      timestamp: '2026-01-31T11:00:00+01:00',
      event_id: 'order-1',
    });
    expect(event).toEqual({
      ...emptyEvent('k3Jd8aPq2xYz', 'custom'),
      name: 'purchase',
      url: 'https://example.com/checkout',
      referrer: 'https://google.com/',
      title: 'Checkout',
      props: { plan: 'pro', amount: 49.99, items: [{ sku: 'a' }] },
      visitorId: 'v-1',
      userId: 'user-42',
      language: 'zh-Hant-TW',
      screen: '1920x1080',
      screenWidth: 1920,
      screenHeight: 1080,
      utm: { source: 'news', medium: 'email', campaign: 'launch', term: 'analytics', content: 'top' },
      userAgent: 'Mozilla/5.0',
      ip: '2001:db8::1',
      timestamp: new Date('2026-01-31T10:00:00Z'),
      eventId: 'order-1',
    });
  });

  it('defaults type to pageview and ignores name on pageviews', () => {
    expect(parsedOne(pageview)).toEqual({ ...emptyEvent('k3Jd8aPq2xYz', 'pageview'), url: 'https://example.com/pricing' });
    expect(parsedOne({ ...pageview, type: 'pageview', name: 'x' }).name).toBeNull();
  });

  it('reads null in every optional field as absent, and ignores unknown fields', () => {
    const optional = ['type', 'name', 'url', 'referrer', 'title', 'props', 'visitor_id', 'user_id', 'language', 'screen', 'screen_width', 'screen_height',
      'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'user_agent', 'ip_address', 'timestamp', 'event_id'];
    const nulls = Object.fromEntries(optional.map((f) => [f, null]));
    expect(parsedOne({ website_id: 'w', ...nulls })).toEqual(emptyEvent('w', 'pageview'));
    expect(parsedOne({ ...pageview, hostname: 'x', extra: { a: [1] } })).toEqual(parsedOne(pageview));
    expect(parsedOne({ ...pageview, events: null })).toEqual(parsedOne(pageview));
  });

  it('maps {"events":[...]} to events in order, all or nothing', () => {
    const events = parsed({ events: [pageview, custom, { ...pageview, website_id: 'other' }] });
    expect(events.map((e) => [e.websiteId, e.kind, e.name])).toEqual([
      ['k3Jd8aPq2xYz', 'pageview', null],
      ['k3Jd8aPq2xYz', 'custom', 'signup'],
      ['other', 'pageview', null],
    ]);
    expect(rejection({ events: [pageview, { ...custom, name: null }, { website_id: 5 }] })).toEqual({
      status: 400,
      body: errorBody('validation_error', 'events[1].name: Missing required field: name', 'name', 1),
    });
  });

  it('accepts 500 events and answers 501 with batch_too_large', () => {
    expect(parsed({ events: Array(500).fill(pageview) })).toHaveLength(500);
    expect(rejection({ events: Array(501).fill(pageview) })).toEqual({
      status: 400,
      body: errorBody('batch_too_large', 'events holds 501 events; at most 500 per request', 'events'),
    });
  });

  it.each([
    ['an empty events array', { events: [] }, 'events must contain at least 1 event', 'events', null],
    ['events that is not an array', { events: { 0: pageview } }, 'events must be an array', 'events', null],
    ['a non-object element', { events: [pageview, 7] }, 'events[1]: Event must be a JSON object', null, 1],
    ['a body that is an array', [pageview], 'Request body must be a JSON object', null, null],
  ])('answers validation_error for %s', (_label, body, message, field, index) => {
    expect(rejection(body)).toEqual({ status: 400, body: errorBody('validation_error', message, field, index) });
  });

  it('sets eventId from the Idempotency-Key header for single events only; event_id wins', () => {
    expect(parsedOne(pageview, { idempotencyKey: 'hdr' }).eventId).toBe('hdr');
    expect(parsedOne({ ...pageview, event_id: 'body' }, { idempotencyKey: 'hdr' }).eventId).toBe('body');
    expect(parsed({ events: [pageview] }, { idempotencyKey: 'hdr' })[0].eventId).toBeNull();
  });
});

describe('native: validation', () => {
  it.each([
    ['website_id', 64],
    ['name', 128],
    ['url', 2048],
    ['referrer', 2048],
    ['title', 512],
    ['visitor_id', 64],
    ['user_id', 255],
    ['language', 35],
    ['screen', 20],
    ['utm_source', 100],
    ['utm_medium', 100],
    ['utm_campaign', 100],
    ['utm_term', 100],
    ['utm_content', 100],
    ['user_agent', 512],
    ['event_id', 128],
  ])('accepts %s at %i characters and rejects one more', (field, limit) => {
    expect(() => parsedOne({ ...custom, [field]: 'é'.repeat(limit) })).not.toThrow();
    const message = `${field} must be at most ${limit} characters`;
    expect(rejection({ ...custom, [field]: 'x'.repeat(limit + 1) })).toEqual({ status: 400, body: errorBody('validation_error', message, field) });
    expect(rejection({ events: [custom, custom, { ...custom, [field]: 'x'.repeat(limit + 1) }] }).body).toEqual(
      errorBody('validation_error', `events[2].${message}`, field, 2),
    );
  });

  it.each([
    ['no website_id', { url: 'https://e.com/' }, 'Missing required field: website_id', 'website_id'],
    ['a custom event without name', { website_id: 'w', type: 'custom' }, 'Missing required field: name', 'name'],
    ['an empty name', { ...custom, name: '' }, 'name must not be empty', 'name'],
    ['an unknown type', { ...pageview, type: 'event' }, 'type must be one of: pageview, custom', 'type'],
    ['a host name as ip_address', { ...pageview, ip_address: 'localhost' }, 'ip_address must be a valid IPv4 or IPv6 address', 'ip_address'],
    ['an out-of-range IPv4', { ...pageview, ip_address: '256.1.1.1' }, 'ip_address must be a valid IPv4 or IPv6 address', 'ip_address'],
    ['a fractional screen_width', { ...pageview, screen_width: 10.5 }, 'screen_width must be an integer', 'screen_width'],
    ['a free-text timestamp', { ...pageview, timestamp: 'now' }, 'timestamp must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z', 'timestamp'],
    ['a timestamp 6 minutes ahead', { ...pageview, timestamp: '2026-01-31T12:06:00Z' }, 'timestamp must not be more than 5 minutes in the future', 'timestamp'],
    ['a numeric timestamp', { ...pageview, timestamp: 1769860800000 }, 'timestamp must be a string', 'timestamp'],
  ])('answers validation_error for %s', (_label, body, message, field) => {
    expect(rejection(body)).toEqual({ status: 400, body: errorBody('validation_error', message, field) });
  });

  it('accepts IPv4 and IPv6 addresses and reads "" as no address', () => {
    expect(parsedOne({ ...pageview, ip_address: '203.0.113.42' }).ip).toBe('203.0.113.42');
    expect(parsedOne({ ...pageview, ip_address: '::ffff:203.0.113.42' }).ip).toBe('::ffff:203.0.113.42');
    expect(parsedOne({ ...pageview, ip_address: '' }).ip).toBeNull();
  });

  it('limits props to 4096 bytes serialized and 5 levels, answering invalid_props', () => {
    const objectOf = (bytes: number) => ({ k: 'x'.repeat(bytes - '{"k":""}'.length) });
    expect(parsedOne({ ...custom, props: objectOf(4096) }).props).toEqual(objectOf(4096));
    expect(rejection({ ...custom, props: objectOf(4097) })).toEqual({
      status: 400,
      body: errorBody('invalid_props', 'props must be at most 4096 bytes when serialized as JSON', 'props'),
    });
    expect(rejection({ events: [custom, { ...custom, props: { a: { b: { c: { d: { e: { f: 1 } } } } } } }] }).body).toEqual(
      errorBody('invalid_props', 'events[1].props must not nest deeper than 5 levels', 'props', 1),
    );
    expect(rejection({ ...custom, props: 'plan=pro' }).body).toEqual(errorBody('invalid_props', 'props must be an object', 'props'));
    expect(rejection({ ...custom, props: [1] }).status).toBe(400);
    expect(parsedOne({ ...custom, props: {} }).props).toBeNull();
  });

  it('never throws on odd bodies', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10000; i++) deep = { a: deep };
    const throwing = Object.defineProperty({}, 'website_id', { enumerable: true, get: () => { throw new Error('boom'); } });
    const odd: unknown[] = [
      undefined, null, 0, 'text', false, [], {}, { events: 'x' }, { events: new Array(1e6) }, { events: [null] }, { events: [[]] }, throwing,
      Object.create(null), { ...custom, props: deep }, { ...custom, props: { n: 1n } }, { ...custom, extra: deep }, { events: [{ events: [pageview] }] },
      JSON.parse('{"__proto__":{"website_id":"w"}}'), { ...pageview, website_id: { toString: 'x' } },
    ];
    for (const body of odd) {
      const outcome = nativeDialect.parse(body, { now });
      if (!outcome.ok) expect(nativeFailure(outcome.error).status).toBe(400);
    }
    expect(parseError(throwing)).toEqual({ code: 'validation', message: 'Request body could not be read' });
  });
});

describe('native: replies', () => {
  it('answers a single event with its id, a batch (even of one) with all ids, a dry run with the events', () => {
    const single = parsed(pageview);
    expect(nativeDialect.success({ eventIds: ['9007199254740993'], replayed: false }, single)).toEqual({ status: 202, body: { ok: true, event_id: '9007199254740993' } });
    const batchOfOne = parsed({ events: [pageview] });
    expect(isNativeBatch(batchOfOne)).toBe(true);
    expect(nativeDialect.success({ eventIds: ['7'], replayed: true }, batchOfOne)).toEqual({ status: 202, body: { ok: true, accepted: 1, event_ids: ['7'] } });
    const enriched: EnrichedEvent = {
      websiteId: 'w', occurredAt: new Date('2026-03-01T10:00:00Z'), kind: 'custom', name: 'signup', title: 'Pricing', props: { plan: 'pro' }, visitorId: 'v1',
      userId: 'u1', language: 'en-GB', screen: '1920x1080', screenWidth: 1920, screenHeight: 1080, eventKey: 'k1', hostname: 'example.com', path: '/pricing',
      query: 'a=1', referrer: 'https://www.google.com/', referrerDomain: 'google.com', utmSource: 'news', utmMedium: 'email', utmCampaign: 'spring',
      utmTerm: 'shoes', utmContent: 'hero', browser: 'Chrome', browserVersion: '120.0', os: 'Windows', osVersion: '10', deviceType: 'desktop', isBot: false,
      country: 'GB', region: 'England', city: 'London',
    };
    expect(nativeDialect.success({ eventIds: [], replayed: false, dryRun: [enriched] }, single)).toEqual({
      status: 200,
      body: {
        ok: true,
        dry_run: true,
        events: [{
          website_id: 'w', occurred_at: '2026-03-01T10:00:00.000Z', type: 'custom', name: 'signup', visitor_id: 'v1', hostname: 'example.com', path: '/pricing',
          query: 'a=1', title: 'Pricing', referrer: 'https://www.google.com/', referrer_domain: 'google.com', utm_source: 'news', utm_medium: 'email',
          utm_campaign: 'spring', utm_term: 'shoes', utm_content: 'hero', props: { plan: 'pro' }, browser: 'Chrome', browser_version: '120.0', os: 'Windows',
          os_version: '10', device_type: 'desktop', is_bot: false, country: 'GB', region: 'England', city: 'London', language: 'en-GB', screen: '1920x1080',
          screen_width: 1920, screen_height: 1080, user_id: 'u1', event_id: 'k1',
        }],
      },
    });
  });

  const cases: [IngestError, number, object, Record<string, string> | undefined][] = [
    [{ code: 'malformed', message: 'Body is not valid JSON' }, 400, errorBody('invalid_json', 'Body is not valid JSON'), undefined],
    [{ code: 'unsupported_media_type', message: 'Content-Type must be application/json' }, 415, errorBody('unsupported_media_type', 'Content-Type must be application/json'), undefined],
    [{ code: 'batch_too_large', message: 'too many', limit: 500 }, 400, errorBody('batch_too_large', 'too many', 'events'), undefined],
    [{ code: 'payload_too_large', message: 'Body exceeds 1 MB', limit: 1048576 }, 413, errorBody('payload_too_large', 'Body exceeds 1 MB'), undefined],
    [{ code: 'unauthorized', message: 'Invalid or missing API key' }, 401, errorBody('unauthorized', 'Invalid or missing API key'), undefined],
    [{ code: 'forbidden', message: 'API key lacks the ingest scope' }, 403, errorBody('forbidden', 'API key lacks the ingest scope'), undefined],
    [{ code: 'unknown_website', message: 'nope', websiteId: 'abc' }, 404, errorBody('website_not_found', 'Website not found: abc', 'website_id'), undefined],
    [
      { code: 'rate_limited', message: 'slow', retryAfter: 12.1, limit: 100, remaining: 0, reset: 1769860813 },
      429,
      errorBody('rate_limit_exceeded', 'Rate limit exceeded; retry after 13 seconds'),
      { 'Retry-After': '13', 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1769860813' },
    ],
    [{ code: 'quota_exceeded', message: 'Monthly event quota exceeded' }, 402, errorBody('quota_exceeded', 'Monthly event quota exceeded'), undefined],
    [{ code: 'overloaded', message: 'Service temporarily unavailable', retryAfter: 0.2 }, 503, errorBody('service_unavailable', 'Service temporarily unavailable'), { 'Retry-After': '1' }],
    [{ code: 'internal', message: 'Internal server error' }, 500, errorBody('internal_error', 'Internal server error'), undefined],
    [{ code: 'validation', message: 'Missing required field: url', field: 'url', index: 3 }, 400, errorBody('validation_error', 'events[3].url: Missing required field: url', 'url', 3), undefined],
    [{ code: 'invalid_props', message: 'too big' }, 400, errorBody('invalid_props', 'too big', 'props'), undefined],
  ];
  it.each(cases.map((c) => [c[0].code, ...c] as const))('maps %s', (_code, error, status, body, headers) => {
    expect(nativeFailure(error)).toEqual(headers ? { status, body, headers } : { status, body });
  });
});
