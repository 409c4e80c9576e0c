import { emptyEvent } from '../canonical-event';
import { IngestError } from '../ingest-error';
import { ovyxaCustomDialect, ovyxaFailure, ovyxaPageviewDialect } from './ovyxa';

const now = new Date('2026-01-31T12:00:00Z');
const ctx = { now };

function parsedOne(dialect: typeof ovyxaCustomDialect, body: unknown, extra: object = {}) {
  const outcome = dialect.parse(body, { ...ctx, ...extra });
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.error)}`);
  expect(outcome.value).toHaveLength(1);
  return outcome.value[0];
}

function parseError(dialect: typeof ovyxaCustomDialect, body: unknown): IngestError {
  const outcome = dialect.parse(body, ctx);
  if (outcome.ok) throw new Error('expected an error');
  return outcome.error;
}

/** What the client sees for a body the dialect rejects. */
function rejection(dialect: typeof ovyxaCustomDialect, body: unknown) {
  return ovyxaFailure(parseError(dialect, body));
}

const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

describe('Ovyxa pageview: seed examples', () => {
  it('maps the cURL example', () => {
    const event = parsedOne(ovyxaPageviewDialect, {
      site_id: 'site_abc123',
      url: 'https://example.com/pricing',
      referrer: 'https://google.com/search',
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36',
      ip_address: '203.0.113.42',
    });
    expect(event).toEqual({
      ...emptyEvent('site_abc123', 'pageview'),
      url: 'https://example.com/pricing',
      referrer: 'https://google.com/search',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36',
      ip: '203.0.113.42',
    });
  });

  it('maps the request body example (IPv4) and the Node example (IPv4-mapped IPv6 from req.ip)', () => {
    const body = { site_id: 'your-site-id', url: 'https://example.com/page', referrer: 'https://google.com', user_agent: 'Mozilla/5.0...', ip_address: '192.168.1.1' };
    expect(parsedOne(ovyxaPageviewDialect, body)).toMatchObject({ websiteId: 'your-site-id', ip: '192.168.1.1', kind: 'pageview', name: null });
    const node = parsedOne(ovyxaPageviewDialect, { ...body, ip_address: '::ffff:203.0.113.42' });
    expect(node.ip).toBe('::ffff:203.0.113.42');
  });

  it('maps the Python example, where headers.get() and remote_addr may be None', () => {
    const event = parsedOne(ovyxaPageviewDialect, {
      site_id: 'site_abc123',
      url: 'https://example.com/pricing',
      referrer: 'https://google.com/search',
      user_agent: null,
      ip_address: null,
    });
    expect(event).toMatchObject({ userAgent: null, ip: null, referrer: 'https://google.com/search' });
  });

  it('ignores props and unknown fields on pageviews', () => {
    const event = parsedOne(ovyxaPageviewDialect, { site_id: 's', url: 'https://e.com/', props: { a: { deep: 1 } }, extra: [1, 2] });
    expect(event.props).toBeNull();
  });

  it('answers 201 with evt_<numeric id>', () => {
    expect(ovyxaPageviewDialect.success({ eventIds: ['1234567890'], replayed: false }, [])).toEqual({
      status: 201,
      body: { success: true, event_id: 'evt_1234567890' },
    });
  });
});

describe('Ovyxa custom: seed examples', () => {
  it('maps the documented request body', () => {
    const event = parsedOne(ovyxaCustomDialect, {
      site_id: 'your-site-id',
      event_name: 'signup',
      url: 'https://example.com/signup/complete',
      referrer: 'https://example.com/pricing',
      props: { plan: 'pro', source: 'landing-page', trial_days: 14 },
      user_agent: 'Mozilla/5.0...',
      ip_address: '192.168.1.1',
    });
    expect(event).toEqual({
      ...emptyEvent('your-site-id', 'custom'),
      name: 'signup',
      url: 'https://example.com/signup/complete',
      referrer: 'https://example.com/pricing',
      props: { plan: 'pro', source: 'landing-page', trial_days: 14 },
      userAgent: 'Mozilla/5.0...',
      ip: '192.168.1.1',
    });
  });

  it.each([
    ['cURL', { site_id: 'site_abc123', event_name: 'signup', url: 'https://example.com/signup/complete', props: { plan: 'pro', source: 'landing-page', trial_days: 14 } }],
    ['Node trackSignup', { site_id: 'site_abc123', event_name: 'signup', url: 'https://example.com/signup/complete', props: { plan: 'pro', source: 'api', timestamp: '2026-01-31T11:59:00.000Z' } }],
    ['Python track_event', { site_id: 'site_abc123', event_name: 'purchase', url: 'https://example.com/checkout/success', props: { amount: 99.99, currency: 'USD', product: 'Pro Plan Annual' } }],
    ['server-side payment', { site_id: 'site_abc123', event_name: 'payment_successful', url: 'https://example.com/checkout/success', props: { plan: 'enterprise', amount: 999, currency: 'USD' } }],
    ['iOS Swift', { site_id: 'site_abc123', event_name: 'feature_used', url: 'app://example/feature_used', props: { feature: 'export_data', format: 'csv' } }],
    ['cron job', { site_id: 'site_abc123', event_name: 'report_generated', url: 'https://example.com/reports/daily', props: { report_type: 'daily', records_processed: 15000, duration_seconds: 42 } }],
  ])('maps the %s example', (_name, body) => {
    const event = parsedOne(ovyxaCustomDialect, body);
    expect(event).toMatchObject({ websiteId: 'site_abc123', kind: 'custom', name: body.event_name, url: body.url, props: body.props, timestamp: null });
  });

  it('maps the batch-import example, where event.properties may be undefined, and Python props={} to no props', () => {
    const noProps = JSON.parse(JSON.stringify({ site_id: 'site_abc123', event_name: 'import', url: 'https://e.com/', props: undefined }));
    expect(parsedOne(ovyxaCustomDialect, noProps).props).toBeNull();
    expect(parsedOne(ovyxaCustomDialect, { site_id: 's', event_name: 'e', url: 'https://e.com/', props: {} }).props).toBeNull();
    expect(parsedOne(ovyxaCustomDialect, { site_id: 's', event_name: 'e', url: 'https://e.com/', props: [] }).props).toBeNull();
  });
});

describe('Ovyxa validation', () => {
  const base = { site_id: 'site_abc123', event_name: 'signup', url: 'https://example.com/x' };

  it('answers the seed error body for a missing event_name', () => {
    const { event_name: _omit, ...body } = base;
    expect(rejection(ovyxaCustomDialect, body)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'Missing required field: event_name', field: 'event_name' } },
    });
  });

  it.each([
    [{ url: 'https://e.com/' }, 'site_id'],
    [{ site_id: 's' }, 'url'],
    [{ site_id: null, url: 'https://e.com/' }, 'site_id'],
  ])('requires site_id and url on pageviews (%j)', (body, field) => {
    expect(rejection(ovyxaPageviewDialect, body).body).toEqual({ error: { code: 'invalid_request', message: `Missing required field: ${field}`, field } });
  });

  it.each([
    ['a relative url', { ...base, url: 'not a url' }, 'url'],
    ['a 2049-char url', { ...base, url: 'https://e.com/' + 'a'.repeat(2049 - 14) }, 'url'],
    ['a 129-char event_name', { ...base, event_name: 'e'.repeat(129) }, 'event_name'],
    ['an empty event_name', { ...base, event_name: '' }, 'event_name'],
    ['a numeric site_id', { ...base, site_id: 42 }, 'site_id'],
    ['an out-of-range IPv4', { ...base, ip_address: '999.1.1.1' }, 'ip_address'],
    ['a host name as ip_address', { ...base, ip_address: 'localhost' }, 'ip_address'],
    ['a free-text timestamp', { ...base, timestamp: 'yesterday' }, 'timestamp'],
    ['a timestamp 6 minutes ahead', { ...base, timestamp: '2026-01-31T12:06:00Z' }, 'timestamp'],
    ['a 129-char event_id', { ...base, event_id: 'x'.repeat(129) }, 'event_id'],
  ])('rejects %s as invalid_request on its field', (_label, body, field) => {
    const reply = rejection(ovyxaCustomDialect, body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'invalid_request', field } });
  });

  it('accepts the limits at their boundary', () => {
    const event = parsedOne(ovyxaCustomDialect, {
      ...base,
      event_name: 'e'.repeat(128),
      url: 'https://e.com/' + 'a'.repeat(2048 - 14),
      ip_address: '2001:db8::1',
      event_id: 'x'.repeat(128),
      props: { ['k'.repeat(50)]: 'v'.repeat(1024) },
    });
    expect(event.ip).toBe('2001:db8::1');
  });

  it('accepts 10 props and rejects 11 with invalid_props', () => {
    expect(parsedOne(ovyxaCustomDialect, { ...base, props: props(10) }).props).toEqual(props(10));
    expect(rejection(ovyxaCustomDialect, { ...base, props: props(11) })).toEqual({
      status: 400,
      body: { error: { code: 'invalid_props', message: 'props must have at most 10 keys', field: 'props' } },
    });
  });

  it.each([
    ['a 51-char key', { ['k'.repeat(51)]: 1 }, 'props', 'must be at most 50 characters'],
    ['a nested object', { nested: { a: 1 } }, 'props.nested', 'must be a string, number or boolean'],
    ['an array value', { list: [1] }, 'props.list', 'must be a string, number or boolean'],
    ['a nested object under a numeric key', { 2024: { a: 1 } }, 'props.2024', 'must be a string, number or boolean'],
    ['a 1025-char value', { long: 'v'.repeat(1025) }, 'props.long', 'must be at most 1024 characters'],
    ['a string', 'plan=pro', 'props', 'props must be an object'],
    ['a non-empty array', [1, 2], 'props', 'props must be an object'],
  ])('rejects props with %s as invalid_props', (_label, bad, field, message) => {
    const reply = rejection(ovyxaCustomDialect, { ...base, props: bad });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'invalid_props', field } });
    expect((reply.body as { error: { message: string } }).error.message).toContain(message);
  });

  it('drops null prop values and reads null optional fields as absent', () => {
    const event = parsedOne(ovyxaCustomDialect, { ...base, referrer: null, user_agent: null, timestamp: null, event_id: null, props: { a: null, b: 'x' } });
    expect(event).toMatchObject({ referrer: null, userAgent: null, timestamp: null, eventId: null, props: { b: 'x' } });
  });

  it('reads timestamp and event_id, falling back to the Idempotency-Key header', () => {
    const event = parsedOne(ovyxaCustomDialect, { ...base, timestamp: '2026-01-30T08:00:00+01:00', event_id: 'order-1' }, { idempotencyKey: 'hdr' });
    expect(event.timestamp?.toISOString()).toBe('2026-01-30T07:00:00.000Z');
    expect(event.eventId).toBe('order-1');
    expect(parsedOne(ovyxaCustomDialect, base, { idempotencyKey: 'hdr' }).eventId).toBe('hdr');
  });

  it('never throws on odd bodies', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10000; i++) deep = { a: deep };
    const odd: unknown[] = [undefined, null, 0, 'text', true, [], [base], Object.create(null), { ...base, extra: deep }, { ...base, props: { deep } }, { ...base, props: deep }, { __proto__: 'x' }, JSON.parse('{"__proto__":{"site_id":"s"},"url":"https://e.com/"}')];
    for (const dialect of [ovyxaPageviewDialect, ovyxaCustomDialect]) {
      for (const body of odd) {
        const outcome = dialect.parse(body, ctx);
        if (!outcome.ok) expect(ovyxaFailure(outcome.error).status).toBe(400);
      }
    }
    expect(parseError(ovyxaPageviewDialect, [base])).toMatchObject({ code: 'validation', message: 'Request body must be a JSON object' });
  });
});

describe('Ovyxa failure mapping', () => {
  const body = (code: string, message: string, field: string | null = null) => ({ error: { code, message, field } });

  const cases: [IngestError, number, object, Record<string, string> | undefined][] = [
    [{ code: 'malformed', message: 'Body is not valid JSON' }, 400, body('invalid_request', 'Body is not valid JSON'), undefined],
    [{ code: 'unsupported_media_type', message: 'Content-Type must be application/json' }, 400, body('invalid_request', 'Content-Type must be application/json'), undefined],
    [{ code: 'batch_too_large', message: 'Too many events', limit: 1 }, 400, body('invalid_request', 'Too many events'), undefined],
    [{ code: 'payload_too_large', message: 'Body exceeds 100 KB', limit: 102400 }, 413, body('invalid_request', 'Body exceeds 100 KB'), undefined],
    [{ code: 'unauthorized', message: 'Invalid or missing API key' }, 401, body('unauthorized', 'Invalid or missing API key'), undefined],
    [{ code: 'forbidden', message: 'API key lacks the ingest scope' }, 403, body('unauthorized', 'API key lacks the ingest scope'), undefined],
    [{ code: 'unknown_website', message: 'nope', websiteId: 'site_x' }, 400, body('invalid_site_id', 'Site ID not found or access denied', 'site_id'), undefined],
    [{ code: 'rate_limited', message: 'slow down', retryAfter: 29.2, limit: 1000, remaining: 0, reset: 1 }, 429, body('rate_limit_exceeded', 'Rate limit exceeded. Retry after 30 seconds.'), { 'Retry-After': '30' }],
    [{ code: 'quota_exceeded', message: 'Monthly event quota exceeded' }, 429, body('rate_limit_exceeded', 'Monthly event quota exceeded'), { 'Retry-After': '3600' }],
    [{ code: 'overloaded', message: 'queue full', retryAfter: 5 }, 503, body('service_unavailable', 'Service temporarily unavailable. Retry later.'), { 'Retry-After': '5' }],
    [{ code: 'internal', message: 'Internal server error' }, 500, body('internal_error', 'Internal server error'), undefined],
    [{ code: 'validation', message: 'Missing required field: url', field: 'url' }, 400, body('invalid_request', 'Missing required field: url', 'url'), undefined],
    [{ code: 'invalid_props', message: 'too many' }, 400, body('invalid_props', 'too many', 'props'), undefined],
  ];
  it.each(cases.map((c) => [c[0].code, ...c] as const))('maps %s', (_code, error, status, expected, headers) => {
    const reply = ovyxaFailure(error);
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual(expected);
    expect(reply.headers).toEqual(headers);
  });

  it('never sends Retry-After below one second', () => {
    expect(ovyxaFailure({ code: 'rate_limited', message: '', retryAfter: 0, limit: 1, remaining: 0, reset: 0 }).headers).toEqual({ 'Retry-After': '1' });
  });
});
