import { CanonicalEvent, emptyEvent } from '../canonical-event';
import { IngestError } from '../ingest-error';
import { rybbitApiKey, rybbitDialect, rybbitFailure } from './rybbit';

const now = new Date('2026-01-31T12:00:00Z');
const ctx = { now };

function parsedOne(body: unknown, extra: object = {}): CanonicalEvent {
  const outcome = rybbitDialect.parse(body, { ...ctx, ...extra });
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.error)}`);
  expect(outcome.value).toHaveLength(1);
  return outcome.value[0];
}

/** What the client sees for a body the dialect rejects. */
function rejection(body: unknown) {
  const outcome = rybbitDialect.parse(body, ctx);
  if (outcome.ok) throw new Error('expected an error');
  return rybbitFailure(outcome.error);
}

const invalidPayload = (fieldErrors: Record<string, string[]>, formErrors: string[] = []) => ({
  status: 400,
  body: { success: false, error: 'Invalid payload', details: { fieldErrors, formErrors } },
});

const key = { api_key: 'rb_your_api_key_here', site_id: '123' };
const seedPageview = { type: 'pageview', pathname: '/api/users', hostname: 'api.example.com' };
const seedCustom = { type: 'custom_event', pathname: '/checkout', event_name: 'purchase', properties: '{"amount": 99.99, "currency": "USD"}' };

describe('Rybbit: seed examples', () => {
  it('maps the cURL pageview', () => {
    const event = parsedOne({
      ...key,
      type: 'pageview',
      pathname: '/api/users',
      hostname: 'api.example.com',
      page_title: 'User API Endpoint',
      user_agent: 'MyApp/1.0 (Linux; x64)',
      ip_address: '192.168.1.1',
    });
    expect(event).toEqual({
      ...emptyEvent('123', 'pageview'),
      pathname: '/api/users',
      hostname: 'api.example.com',
      title: 'User API Endpoint',
      userAgent: 'MyApp/1.0 (Linux; x64)',
      ip: '192.168.1.1',
    });
  });

  it('maps the cURL custom event, decoding properties', () => {
    const event = parsedOne({
      ...key,
      type: 'custom_event',
      pathname: '/checkout',
      event_name: 'purchase',
      properties: '{"amount": 99.99, "currency": "USD", "product_id": "abc123"}',
    });
    expect(event).toEqual({
      ...emptyEvent('123', 'custom'),
      name: 'purchase',
      pathname: '/checkout',
      props: { amount: 99.99, currency: 'USD', product_id: 'abc123' },
    });
  });

  // JavaScript, Python, Go, Java, PHP, Ruby, C# and Rust all send these two bodies.
  it.each([
    ['pageview', { ...key, ...seedPageview }],
    ['pageview with unset env vars (JSON.stringify drops undefined, Python sends None)', { api_key: null, site_id: '123', ...seedPageview }],
  ])('maps the language examples: %s', (_label, body) => {
    expect(parsedOne(body)).toEqual({ ...emptyEvent('123', 'pageview'), pathname: '/api/users', hostname: 'api.example.com' });
  });

  it.each([
    ['custom event', { ...key, ...seedCustom }],
    ['custom event from Go (hostname omitempty)', { ...key, ...seedCustom, properties: '{"amount": 99.99, "currency": "USD"}' }],
    ['custom event from C# JsonSerializer', { ...key, ...seedCustom, properties: '{"amount":99.99,"currency":"USD"}' }],
  ])('maps the language examples: %s', (_label, body) => {
    expect(parsedOne(body)).toEqual({ ...emptyEvent('123', 'custom'), name: 'purchase', pathname: '/checkout', props: { amount: 99.99, currency: 'USD' } });
  });

  it.each([
    ['Swift', 'MyApp/1.0 (iOS 17.2; iPhone)', 390, 844, 'en'],
    ['Kotlin', 'MyApp/1.0 (Android 14; Pixel 8)', 411, 914, 'de'],
    ['Flutter', 'MyApp/1.0.0 (Android 14; Pixel 8)', 412, 915, 'fr'],
  ])('maps the %s example with device fields', (_label, userAgent, width, height, language) => {
    const event = parsedOne({ ...key, ...seedPageview, page_title: 'User API Endpoint', user_agent: userAgent, screenWidth: width, screenHeight: height, language });
    expect(event).toMatchObject({ userAgent, screenWidth: width, screenHeight: height, screen: `${width}x${height}`, language, title: 'User API Endpoint' });
  });

  it('answers 200 {"success":true}', () => {
    expect(rybbitDialect.success({ eventIds: ['7'], replayed: false }, [])).toEqual({ status: 200, body: { success: true } });
  });
});

describe('Rybbit: mapping rules', () => {
  it('defaults type to pageview and accepts an integer site_id', () => {
    expect(parsedOne({ site_id: 123, pathname: '/' })).toMatchObject({ websiteId: '123', kind: 'pageview', pathname: '/' });
  });

  it.each([['?a=1&b=2'], ['a=1&b=2']])('reads querystring %s without its leading "?"', (querystring) => {
    expect(parsedOne({ ...key, querystring }).querystring).toBe('a=1&b=2');
  });

  it('reads empty strings and nulls as absent, and rounds fractional screen sizes', () => {
    const event = parsedOne({ ...key, querystring: '?', referrer: '', user_id: null, screenWidth: 390.4, screenHeight: null });
    expect(event).toMatchObject({ querystring: null, referrer: null, userId: null, screenWidth: 390, screenHeight: null, screen: null });
  });

  it('ignores properties and event_name on pageviews, and unknown fields', () => {
    const event = parsedOne({ ...key, event_name: 'x', properties: 'not json', anonymous_id: 'a', feature_flags: { a: 'b' } });
    expect(event).toMatchObject({ kind: 'pageview', name: null, props: null });
  });

  it('reads user_id, timestamp and event_id, falling back to the Idempotency-Key header', () => {
    const event = parsedOne({ ...key, user_id: 'u-1', timestamp: '2026-01-31T11:00:00Z', event_id: 'e-1' }, { idempotencyKey: 'hdr' });
    expect(event).toMatchObject({ userId: 'u-1', eventId: 'e-1' });
    expect(event.timestamp?.toISOString()).toBe('2026-01-31T11:00:00.000Z');
    expect(parsedOne(key, { idempotencyKey: 'hdr' }).eventId).toBe('hdr');
  });
});

describe('Rybbit: validation errors', () => {
  it('answers the seed formErrors for a custom event without event_name', () => {
    const { event_name: _omit, ...body } = { ...key, ...seedCustom };
    expect(rejection(body)).toEqual(invalidPayload({}, ['Custom events require event_name']));
    expect(rejection({ ...body, event_name: '' })).toEqual(invalidPayload({}, ['Custom events require event_name']));
  });

  it.each([
    ['missing site_id', { type: 'pageview' }, { site_id: ['Required'] }],
    ['empty site_id', { site_id: '' }, { site_id: ['String must contain at least 1 character(s)'] }],
    ['fractional site_id', { site_id: 1.5 }, { site_id: ['Expected string, received number'] }],
    ['unknown type', { ...key, type: 'performance' }, { type: ["Invalid discriminator value. Expected 'pageview' | 'custom_event'"] }],
    ['numeric type', { ...key, type: 1 }, { type: ["Invalid discriminator value. Expected 'pageview' | 'custom_event'"] }],
    ['string screenWidth', { ...key, screenWidth: '390' }, { screenWidth: ['Expected number, received string'] }],
    ['negative screenHeight', { ...key, screenHeight: -1 }, { screenHeight: ['Number must be greater than or equal to 0'] }],
    ['huge screenWidth', { ...key, screenWidth: 1e12 }, { screenWidth: ['Number must be less than or equal to 100000'] }],
    ['array pathname', { ...key, pathname: ['/a'] }, { pathname: ['Expected string, received array'] }],
    ['invalid ip_address', { ...key, ip_address: '300.1.1.1' }, { ip_address: ['Invalid ip'] }],
    ['unparseable properties', { ...key, ...seedCustom, properties: '{amount: 1}' }, { properties: ['Properties must be a valid JSON string'] }],
    ['non-object properties', { ...key, ...seedCustom, properties: '[1,2]' }, { properties: ['Properties must be a JSON object'] }],
    ['too deep properties', { ...key, ...seedCustom, properties: '{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}' }, { properties: ['Properties must not nest deeper than 5 levels'] }],
    ['bad timestamp', { ...key, timestamp: '31/01/2026' }, { timestamp: ['timestamp must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z'] }],
    ['non-string api_key', { ...key, api_key: 42 }, { api_key: ['Expected string, received number'] }],
  ])('rejects %s', (_label, body, fieldErrors) => {
    expect(rejection(body)).toEqual(invalidPayload(fieldErrors));
  });

  it.each([
    ['page_title', 512],
    ['referrer', 2048],
    ['user_id', 255],
    ['user_agent', 512],
    ['event_name', 256],
    ['hostname', 253],
    ['pathname', 2048],
    ['querystring', 2048],
    ['language', 35],
  ])('accepts %s at %i characters and rejects one more', (field, limit) => {
    const body = (length: number) => ({ ...key, ...seedCustom, [field]: 'a'.repeat(length) });
    expect(rybbitDialect.parse(body(limit), ctx).ok).toBe(true);
    expect(rejection(body(limit + 1))).toEqual(invalidPayload({ [field]: [`String must contain at most ${limit} character(s)`] }));
  });

  it('accepts properties of 2048 characters and rejects 2049', () => {
    const properties = (length: number) => JSON.stringify({ p: 'x'.repeat(length - 8) });
    expect(properties(2048)).toHaveLength(2048);
    expect(rybbitDialect.parse({ ...key, ...seedCustom, properties: properties(2048) }, ctx).ok).toBe(true);
    expect(rejection({ ...key, ...seedCustom, properties: properties(2049) })).toEqual(
      invalidPayload({ properties: ['String must contain at most 2048 character(s)'] }),
    );
  });

  it('never throws on odd bodies', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10000; i++) deep = [deep];
    const odd: unknown[] = [undefined, null, 0, 'text', false, [], [key], Object.create(null), { ...key, extra: deep }, { ...key, site_id: deep }, { ...key, ...seedCustom, properties: '['.repeat(2000) }, JSON.parse('{"__proto__":{"site_id":"1"}}')];
    for (const body of odd) {
      const outcome = rybbitDialect.parse(body, ctx);
      if (!outcome.ok) expect(rybbitFailure(outcome.error).status).toBe(400);
    }
    expect(rejection([key])).toEqual(invalidPayload({}, ['Expected object, received array']));
  });
});

describe('rybbitApiKey', () => {
  it.each<[unknown, string | string[] | undefined, string | null]>([
    [{ api_key: 'rb_body' }, 'Bearer rb_header', 'rb_body'],
    [{ site_id: '1' }, 'Bearer rb_header', 'rb_header'],
    [{ api_key: null }, 'bearer  rb_header ', 'rb_header'],
    [{ api_key: '' }, ['Bearer rb_first', 'Bearer rb_second'], 'rb_first'],
    [{ api_key: 42 }, undefined, null],
    [{}, 'Basic abc', null],
    ['not an object', 'Bearer', null],
    [null, undefined, null],
  ])('reads %j with Authorization %j as %j', (body, header, expected) => {
    expect(rybbitApiKey(body, header)).toBe(expected);
  });
});

describe('Rybbit failure mapping', () => {
  // Errors that are not about the body carry no details, exactly as Rybbit's server answers them.
  const reply = (status: number, error: string, headers?: Record<string, string>) => ({
    status,
    body: { success: false, error },
    ...(headers ? { headers } : {}),
  });

  const cases: [IngestError, object][] = [
    [{ code: 'unauthorized', message: 'key revoked' }, reply(401, 'Invalid API key')],
    [{ code: 'forbidden', message: 'API key lacks the ingest scope' }, reply(403, 'API key lacks the ingest scope')],
    [{ code: 'unknown_website', message: 'x', websiteId: '9' }, reply(404, 'Site not found')],
    [{ code: 'rate_limited', message: 'x', retryAfter: 0.3, limit: 20, remaining: 0, reset: 1 }, reply(429, 'Rate limit exceeded. Maximum 20 requests per second per API key.', { 'Retry-After': '1' })],
    [{ code: 'quota_exceeded', message: 'Monthly event quota exceeded' }, reply(429, 'Monthly event quota exceeded', { 'Retry-After': '3600' })],
    [{ code: 'overloaded', message: 'queue full', retryAfter: 2 }, reply(503, 'Service temporarily unavailable. Retry later.', { 'Retry-After': '2' })],
    [{ code: 'internal', message: 'Internal server error' }, reply(500, 'Internal server error')],
    [{ code: 'payload_too_large', message: 'Body exceeds 100 KB', limit: 102400 }, reply(413, 'Body exceeds 100 KB')],
    [{ code: 'unsupported_media_type', message: 'Content-Type must be application/json' }, reply(415, 'Content-Type must be application/json')],
    [{ code: 'malformed', message: 'Body is not valid JSON' }, invalidPayload({}, ['Body is not valid JSON'])],
    [{ code: 'batch_too_large', message: 'One event per request', limit: 1 }, invalidPayload({}, ['One event per request'])],
    [{ code: 'invalid_props', message: 'too many', field: 'properties' }, invalidPayload({ properties: ['too many'] })],
  ];
  it.each(cases.map((c) => [c[0].code, ...c] as const))('maps %s', (_code, error, expected) => {
    expect(rybbitFailure(error)).toEqual(expected);
  });

  it('words the rate limit with the configured limit', () => {
    const body = rybbitFailure({ code: 'rate_limited', message: 'x', retryAfter: 1, limit: 50, remaining: 0, reset: 1 }).body;
    expect(body).toMatchObject({ error: 'Rate limit exceeded. Maximum 50 requests per second per API key.' });
  });
});
