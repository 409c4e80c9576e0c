import { emptyEvent } from '../canonical-event';
import { IngestError } from '../ingest-error';
import { dialectParsing } from '../../../test/support/dialect-parsing';
import { sparklyticsDialect, sparklyticsFailure } from './sparklytics';

const now = new Date('2026-01-31T12:00:00Z');

const { parsed, parsedOne, parseError } = dialectParsing(sparklyticsDialect, now);

/** What the client sees for a body the dialect rejects. */
const rejection = (body: unknown) => sparklyticsFailure(parseError(body));

const pageview = { website_id: 'abc123', type: 'pageview', url: 'https://example.com/home' };
const custom = { website_id: 'abc123', type: 'event', url: 'https://example.com/home', event_name: 'cta_click' };

describe('Sparklytics: seed examples (HTTP API page)', () => {
  it('maps the pageview example', () => {
    const event = parsedOne({
      website_id: 'abc123',
      type: 'pageview',
      url: 'https://example.com/pricing',
      referrer: 'https://google.com/search?q=analytics',
      language: 'en-US',
      screen: '1920x1080',
      screen_width: 1920,
      screen_height: 1080,
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'spring-sale',
    });
    expect(event).toEqual({
      ...emptyEvent('abc123', 'pageview'),
      url: 'https://example.com/pricing',
      referrer: 'https://google.com/search?q=analytics',
      language: 'en-US',
      screen: '1920x1080',
      screenWidth: 1920,
      screenHeight: 1080,
      utm: { source: 'google', medium: 'cpc', campaign: 'spring-sale' },
    });
  });

  it('maps the custom event example', () => {
    const event = parsedOne({
      website_id: 'abc123',
      type: 'event',
      url: 'https://example.com/pricing',
      event_name: 'signup_click',
      event_data: { plan: 'pro', source: 'hero_cta' },
      referrer: 'https://example.com/home',
      language: 'en-US',
    });
    expect(event).toEqual({
      ...emptyEvent('abc123', 'custom'),
      name: 'signup_click',
      url: 'https://example.com/pricing',
      props: { plan: 'pro', source: 'hero_cta' },
      referrer: 'https://example.com/home',
      language: 'en-US',
    });
  });

  it('maps the batch example to two events in order', () => {
    const events = parsed([pageview, { ...custom, event_data: { button: 'hero' } }]);
    expect(events).toEqual([
      { ...emptyEvent('abc123', 'pageview'), url: 'https://example.com/home' },
      { ...emptyEvent('abc123', 'custom'), url: 'https://example.com/home', name: 'cta_click', props: { button: 'hero' } },
    ]);
  });

  it('maps the client examples: fetch (undefined referrer), Python/Ruby (visitor_id), server-side conversion, curl', () => {
    const fetchBody = JSON.parse(JSON.stringify({ ...pageview, referrer: undefined, language: 'de-DE', screen: '390x844' }));
    expect(parsedOne(fetchBody)).toMatchObject({ referrer: null, language: 'de-DE', screen: '390x844' });
    expect(parsedOne({ ...pageview, visitor_id: 'user_42' }).visitorId).toBe('user_42');
    const conversion = parsedOne({
      website_id: 'abc123',
      type: 'event',
      url: 'https://example.com/checkout',
      event_name: 'subscription_created',
      event_data: { plan: 'pro', price: 49.99, currency: 'USD' },
      visitor_id: 'cus_123',
    });
    expect(conversion).toMatchObject({ kind: 'custom', name: 'subscription_created', props: { plan: 'pro', price: 49.99, currency: 'USD' }, visitorId: 'cus_123' });
    expect(parsedOne({ website_id: 'abc123', type: 'pageview', url: 'https://example.com/test' }).url).toBe('https://example.com/test');
    // The Go client sends "" for its omitted text fields.
    expect(parsedOne({ ...pageview, referrer: '', visitor_id: '' })).toMatchObject({ referrer: null, visitorId: null });
  });

  it('answers 202 {"ok":true} with x-sparklytics-ingest-ack: queued', () => {
    expect(sparklyticsDialect.success({ eventIds: ['1', '2'], replayed: false }, [])).toEqual({
      status: 202,
      body: { ok: true },
      headers: { 'x-sparklytics-ingest-ack': 'queued' },
    });
  });
});

describe('Sparklytics: seed examples (custom events page)', () => {
  it('maps the single event with event_type "custom" and string event_data', () => {
    const event = parsedOne({
      website_id: 'cm5x9yz1a0001...',
      event_type: 'custom',
      event_name: 'signup_click',
      url: 'https://example.com/pricing',
      event_data: '{"plan":"pro"}',
    });
    expect(event).toEqual({ ...emptyEvent('cm5x9yz1a0001...', 'custom'), name: 'signup_click', url: 'https://example.com/pricing', props: { plan: 'pro' } });
  });

  it('maps the batch without url', () => {
    const events = parsed([
      { website_id: 'cm5x9yz1a0001...', event_type: 'custom', event_name: 'add_to_cart', event_data: '{"product_id":123}' },
      { website_id: 'cm5x9yz1a0001...', event_type: 'custom', event_name: 'checkout_start', event_data: '{"cart_value":149.99}' },
    ]);
    expect(events.map((e) => [e.name, e.url, e.props])).toEqual([
      ['add_to_cart', null, { product_id: 123 }],
      ['checkout_start', null, { cart_value: 149.99 }],
    ]);
  });

  it('keeps nested objects, the documented property types', () => {
    const data = { product: { id: 123, name: 'Widget' }, paid: true, details: { product: { info: { id: 123 } } } };
    expect(parsedOne({ ...custom, event_data: data }).props).toEqual(data);
    expect(parsedOne({ ...custom, type: undefined, event_type: 'custom', event_data: JSON.stringify(data) }).props).toEqual(data);
  });

  it('reads event_type "pageview" and "event", and accepts type and event_type together when they agree', () => {
    expect(parsedOne({ website_id: 'w', event_type: 'pageview' })).toEqual(emptyEvent('w', 'pageview'));
    expect(parsedOne({ website_id: 'w', event_type: 'event', event_name: 'e' }).kind).toBe('custom');
    expect(parsedOne({ ...custom, event_type: 'custom' }).kind).toBe('custom');
  });
});

describe('Sparklytics: validation', () => {
  const message = (body: unknown) => (rejection(body).body as { error: string }).error;

  it.each([
    ['no type nor event_type', { website_id: 'w', url: 'https://e.com/' }, 'Missing required field: type (or event_type)'],
    ['type without url', { website_id: 'w', type: 'pageview' }, 'Missing required field: url'],
    ['type "event" without event_name', { ...custom, event_name: undefined }, 'Missing required field: event_name'],
    ['event_type "custom" without event_name', { website_id: 'w', event_type: 'custom' }, 'Missing required field: event_name'],
    ['no website_id', { type: 'pageview', url: 'https://e.com/' }, 'Missing required field: website_id'],
    ['an unknown type', { ...pageview, type: 'click' }, 'type must be one of: pageview, event'],
    ['a numeric url', { ...pageview, url: 42 }, 'url must be a string'],
    ['type and event_type disagreeing', { ...pageview, event_type: 'custom' }, 'type "pageview" and event_type "custom" disagree; send one of them'],
    ['a fractional screen_width', { ...pageview, screen_width: 1920.5 }, 'screen_width must be an integer'],
    ['a negative screen_height', { ...pageview, screen_height: -1 }, 'screen_height must be >= 0'],
    ['event_data as a number', { ...custom, event_data: 5 }, 'event_data must be an object or a JSON string encoding an object'],
    ['event_data as an array', { ...custom, event_data: [1] }, 'event_data must be an object or a JSON string encoding an object'],
    ['event_data string that is not JSON', { ...custom, event_data: '{plan:pro}' }, 'event_data must be valid JSON when sent as a string'],
    ['event_data string encoding an array', { ...custom, event_data: '[1,2]' }, 'event_data must be an object or a JSON string encoding an object'],
    ['event_data nested 6 levels', { ...custom, event_data: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, 'event_data must not nest deeper than 5 levels'],
    ['event_data string nested 600 levels', { ...custom, event_data: `${'{"a":'.repeat(600)}1${'}'.repeat(600)}` }, 'event_data must not nest deeper than 5 levels'],
    ['a free-text timestamp', { ...pageview, timestamp: 'yesterday' }, 'timestamp must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z'],
    ['a timestamp without zone', { ...pageview, timestamp: '2026-01-31T11:00:00' }, 'timestamp must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z'],
    ['a numeric timestamp', { ...pageview, timestamp: 1769860800 }, 'timestamp must be a string'],
    ['a timestamp 6 minutes ahead', { ...pageview, timestamp: '2026-01-31T12:06:00Z' }, 'timestamp must not be more than 5 minutes in the future'],
    ['a non-object body', 'website_id=abc', 'Request body must be a JSON object or an array of events'],
    ['an empty array', [], 'Batch must contain at least 1 event'],
  ])('answers 400 for %s', (_label, body, expected) => {
    const reply = rejection(body);
    expect(reply).toEqual({ status: 400, body: { error: expected } });
  });

  it('names the index and field of the first invalid event of an array', () => {
    const body = [pageview, pageview, pageview, { website_id: 'abc123', type: 'pageview' }, { nonsense: true }];
    expect(rejection(body)).toEqual({ status: 400, body: { error: 'events[3].url: Missing required field: url' } });
    expect(message([pageview, 'x'])).toBe('events[1]: Event must be a JSON object');
    expect(message([pageview, { ...pageview, url: 'u'.repeat(2049) }])).toBe('events[1].url must be at most 2048 characters');
    expect(message([{ ...pageview, timestamp: 'soon' }])).toMatch(/^events\[0\]\.timestamp must be an ISO 8601/);
  });

  it('accepts 50 events and answers 51 with batch_too_large', () => {
    expect(parsed(Array(50).fill(pageview))).toHaveLength(50);
    expect(parseError(Array(51).fill(pageview))).toEqual({ code: 'batch_too_large', limit: 50, message: 'Batch of 51 events exceeds the maximum of 50' });
    expect(rejection(Array(51).fill(pageview))).toEqual({
      status: 400,
      body: { error: 'Batch of 51 events exceeds the maximum of 50', code: 'batch_too_large' },
    });
  });

  it.each([
    ['website_id', 64],
    ['url', 2048],
    ['referrer', 2048],
    ['visitor_id', 64],
    ['language', 10],
    ['screen', 20],
    ['utm_source', 100],
    ['utm_medium', 100],
    ['utm_campaign', 100],
    ['utm_term', 100],
    ['utm_content', 100],
    ['event_id', 128],
    ['event_name', 50],
  ])('accepts %s at %i characters and rejects one more', (field, limit) => {
    expect(() => parsedOne({ ...custom, [field]: 'é'.repeat(limit) })).not.toThrow();
    expect(rejection({ ...custom, [field]: 'x'.repeat(limit + 1) })).toEqual({ status: 400, body: { error: `${field} must be at most ${limit} characters` } });
  });

  it('limits event_data to 4096 UTF-8 bytes serialized, as an object or as a string', () => {
    const objectOf = (bytes: number) => ({ k: 'x'.repeat(bytes - '{"k":""}'.length) });
    expect(parsedOne({ ...custom, event_data: objectOf(4096) }).props).toEqual(objectOf(4096));
    expect(rejection({ ...custom, event_data: objectOf(4097) }).body).toEqual({ error: 'event_data must be at most 4096 bytes when serialized as JSON' });
    const multibyte = { k: 'é'.repeat(2045) }; // 8 + 2 * 2045 = 4098 bytes, 2053 characters
    expect(rejection({ ...custom, event_data: multibyte }).status).toBe(400);
    expect(parsedOne({ ...custom, event_data: JSON.stringify(objectOf(4096)) }).props).toEqual(objectOf(4096));
    expect(rejection({ ...custom, event_data: JSON.stringify(objectOf(4097)) }).body).toEqual({ error: 'event_data must be at most 4096 bytes' });
  });

  it('reads null in every optional field as absent', () => {
    const nulls = Object.fromEntries(
      ['event_type', 'event_name', 'event_data', 'referrer', 'visitor_id', 'language', 'screen', 'screen_width', 'screen_height', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'event_id', 'timestamp'].map((f) => [f, null]),
    );
    expect(parsedOne({ ...pageview, ...nulls })).toEqual(parsedOne(pageview));
    expect(rejection({ ...pageview, website_id: null }).body).toEqual({ error: 'Missing required field: website_id' });
    expect(rejection({ ...pageview, url: null }).body).toEqual({ error: 'Missing required field: url' });
  });

  it('reads empty event_data ({}, "" or "null") as no properties, and ignores unknown fields', () => {
    for (const data of [{}, '', 'null']) expect(parsedOne({ ...custom, event_data: data }).props).toBeNull();
    expect(parsedOne({ ...pageview, hostname: 'x', tags: [1, 2], deep: { a: { b: { c: { d: { e: { f: {} } } } } } } })).toEqual(parsedOne(pageview));
  });

  it('builds screen from screen_width and screen_height, and keeps event_data on pageviews', () => {
    expect(parsedOne({ ...pageview, screen_width: 1280, screen_height: 800 })).toMatchObject({ screen: '1280x800', screenWidth: 1280, screenHeight: 800 });
    expect(parsedOne({ ...pageview, screen_width: 1280 }).screen).toBeNull();
    expect(parsedOne({ ...pageview, event_name: 'ignored', event_data: { a: 1 } })).toMatchObject({ name: null, props: { a: 1 } });
  });

  it('reads timestamp and event_id; the Idempotency-Key header applies to single events only', () => {
    const event = parsedOne({ ...pageview, timestamp: '2026-01-30T08:00:00+01:00', event_id: 'order-1' }, { idempotencyKey: 'hdr' });
    expect(event.timestamp?.toISOString()).toBe('2026-01-30T07:00:00.000Z');
    expect(event.eventId).toBe('order-1');
    expect(parsedOne(pageview, { idempotencyKey: 'hdr' }).eventId).toBe('hdr');
    expect(parsedOne(pageview, { idempotencyKey: '' }).eventId).toBeNull();
    expect(parsed([pageview, { ...pageview, event_id: 'b' }], { idempotencyKey: 'hdr' }).map((e) => e.eventId)).toEqual([null, 'b']);
  });

  it('never throws on odd bodies', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10000; i++) deep = { a: deep };
    let deepArray: unknown = [];
    for (let i = 0; i < 10000; i++) deepArray = [deepArray];
    const throwing = Object.defineProperty({}, 'website_id', { enumerable: true, get: () => { throw new Error('boom'); } });
    const odd: unknown[] = [
      undefined, null, 0, NaN, 'text', true, {}, [null], [[]], deepArray, Object.create(null), new Array(100000), throwing,
      { ...custom, extra: deep }, { ...custom, event_data: deep }, { ...custom, event_data: { n: 1n } },
      { ...custom, event_data: '"just a string"' }, { ...custom, event_data: `${'['.repeat(3000)}${']'.repeat(3000)}` },
      JSON.parse('{"__proto__":{"website_id":"w"},"type":"pageview","url":"u"}'), { ...pageview, website_id: ['abc'] },
    ];
    for (const body of odd) {
      const outcome = sparklyticsDialect.parse(body, { now });
      if (!outcome.ok) expect(sparklyticsFailure(outcome.error).status).toBe(400);
    }
    // Junk in an unknown field is ignored, however deep.
    expect(parsedOne({ ...custom, extra: deep }).name).toBe('cta_click');
    expect(parseError(throwing)).toEqual({ code: 'validation', message: 'Request body could not be read' });
  });
});

describe('Sparklytics failure mapping', () => {
  const cases: [IngestError, number, object, Record<string, string> | undefined][] = [
    [{ code: 'unknown_website', message: 'nope', websiteId: 'abc123' }, 404, { error: 'Unknown website_id: abc123' }, undefined],
    [
      { code: 'rate_limited', message: 'slow down', retryAfter: 42.5, limit: 60, remaining: 0, reset: 1678901234 },
      429,
      { error: 'Rate limit exceeded' },
      { 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1678901234', 'Retry-After': '43' },
    ],
    [{ code: 'malformed', message: 'Body is not valid JSON' }, 400, { error: 'Body is not valid JSON' }, undefined],
    [{ code: 'unsupported_media_type', message: 'Content-Type must be application/json' }, 415, { error: 'Content-Type must be application/json' }, undefined],
    [{ code: 'payload_too_large', message: 'Body exceeds 100 KB', limit: 102400 }, 413, { error: 'Body exceeds 100 KB' }, undefined],
    [{ code: 'batch_too_large', message: 'too many', limit: 50 }, 400, { error: 'too many', code: 'batch_too_large' }, undefined],
    [{ code: 'unauthorized', message: 'Unauthorized' }, 401, { error: 'Unauthorized' }, undefined],
    [{ code: 'forbidden', message: 'Forbidden' }, 403, { error: 'Forbidden' }, undefined],
    [{ code: 'quota_exceeded', message: 'Event limit reached' }, 429, { error: 'Event limit reached' }, { 'Retry-After': '3600' }],
    [{ code: 'overloaded', message: 'Ingestion queue is full, retry later', retryAfter: 0 }, 503, { error: 'Ingestion queue is full, retry later' }, { 'Retry-After': '1' }],
    [{ code: 'internal', message: 'Internal server error' }, 500, { error: 'Internal server error' }, undefined],
    [{ code: 'validation', message: 'Missing required field: url', field: 'url', index: 3 }, 400, { error: 'events[3].url: Missing required field: url' }, undefined],
    [{ code: 'invalid_props', message: 'event_data must be at most 4096 bytes', field: 'event_data' }, 400, { error: 'event_data must be at most 4096 bytes' }, undefined],
  ];
  it.each(cases.map((c) => [c[0].code, ...c] as const))('maps %s', (_code, error, status, body, headers) => {
    expect(sparklyticsFailure(error)).toEqual(headers ? { status, body, headers } : { status, body });
  });
});
