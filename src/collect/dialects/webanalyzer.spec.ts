import { CanonicalEvent, emptyEvent } from '../canonical-event';
import { IngestError } from '../ingest-error';
import { Dialect } from './dialect';
import { webAnalyzerBatchDialect, webAnalyzerFailure, webAnalyzerTrackDialect } from './webanalyzer';

const now = new Date('2026-01-31T12:00:00Z');
const ctx = { now, pathWebsiteId: '1' };

function parsed(dialect: Dialect, body: unknown, extra: object = {}): CanonicalEvent[] {
  const outcome = dialect.parse(body, { ...ctx, ...extra });
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

/** What the client sees for a body the dialect rejects. */
function rejection(dialect: Dialect, body: unknown) {
  const outcome = dialect.parse(body, ctx);
  if (outcome.ok) throw new Error('expected an error');
  return webAnalyzerFailure(outcome.error);
}

const validationError = (message: string) => ({ status: 400, body: { ok: false, error: 'validation_error', message } });
const custom = (name: string, rest: Partial<CanonicalEvent> = {}): CanonicalEvent => ({ ...emptyEvent('1', 'custom'), name, ...rest });
const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));

describe('Web Analyzer: seed examples', () => {
  it('maps the single-event cURL example and answers {"ok":true,"event_id":4521}', () => {
    const events = parsed(webAnalyzerTrackDialect, {
      name: 'purchase',
      payload: { order_id: 'ORD-1234', amount: '49.99', currency: 'USD', plan: 'pro' },
      visitor_id: '550e8400-e29b-41d4-a716-446655440000',
      url: 'https://example.com/checkout',
    });
    expect(events).toEqual([
      custom('purchase', {
        props: { order_id: 'ORD-1234', amount: '49.99', currency: 'USD', plan: 'pro' },
        visitorId: '550e8400-e29b-41d4-a716-446655440000',
        url: 'https://example.com/checkout',
      }),
    ]);
    expect(webAnalyzerTrackDialect.success({ eventIds: ['4521'], replayed: false }, events)).toEqual({ status: 200, body: { ok: true, event_id: 4521 } });
  });

  it('maps the batch cURL example and answers processed and numeric event_ids', () => {
    const events = parsed(webAnalyzerBatchDialect, {
      events: [
        { name: 'purchase', payload: { order_id: 'ORD-1001', amount: '29.99' }, visitor_id: '550e8400-e29b-41d4-a716-446655440000' },
        { name: 'purchase', payload: { order_id: 'ORD-1002', amount: '59.99' }, visitor_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
        { name: 'signup', payload: { source: 'landing_page', plan: 'free' } },
      ],
    });
    expect(events).toEqual([
      custom('purchase', { props: { order_id: 'ORD-1001', amount: '29.99' }, visitorId: '550e8400-e29b-41d4-a716-446655440000' }),
      custom('purchase', { props: { order_id: 'ORD-1002', amount: '59.99' }, visitorId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
      custom('signup', { props: { source: 'landing_page', plan: 'free' } }),
    ]);
    expect(webAnalyzerBatchDialect.success({ eventIds: ['4522', '4523', '4524'], replayed: false }, events)).toEqual({
      status: 200,
      body: { ok: true, processed: 3, event_ids: [4522, 4523, 4524] },
    });
  });

  it.each([
    ['Stripe webhook (PHP)', { name: 'purchase', visitor_id: null, payload: { order_id: 'cs_test_1', amount: '49.00', currency: 'USD', customer: 'a@b.co' }, url: null }, custom('purchase', { props: { order_id: 'cs_test_1', amount: '49.00', currency: 'USD', customer: 'a@b.co' } })],
    ['form submission (PHP, empty subject)', { name: 'form_submit', visitor_id: null, payload: { form: 'contact', subject: null } }, custom('form_submit', { props: { form: 'contact' } })],
    ['CRM lead (Node, numeric id)', { name: 'lead_created', payload: { lead_id: 981, source: 'web', company: 'Acme', value: '1200' } }, custom('lead_created', { props: { lead_id: '981', source: 'web', company: 'Acme', value: '1200' } })],
    ['email campaign (Node)', { name: 'email_open', payload: { campaign_id: 'c-1', recipient: 'r@x.io' } }, custom('email_open', { props: { campaign_id: 'c-1', recipient: 'r@x.io' } })],
    ['IoT sensor (Python)', { name: 'sensor_reading', payload: { sensor_id: 's1', temperature: '21.5', humidity: '40' } }, custom('sensor_reading', { props: { sensor_id: 's1', temperature: '21.5', humidity: '40' } })],
    ['linked visitor (PHP)', { name: 'purchase', visitor_id: '550E8400-E29B-41D4-A716-446655440000', payload: { order_id: 'pi_1' } }, custom('purchase', { visitorId: '550e8400-e29b-41d4-a716-446655440000', props: { order_id: 'pi_1' } })],
    ['PHP cURL', { name: 'server_action', payload: { action: 'user_registered', email: 'user@example.com' } }, custom('server_action', { props: { action: 'user_registered', email: 'user@example.com' } })],
    ['Node trackEvent', { name: 'signup', payload: { plan: 'free', source: 'organic' } }, custom('signup', { props: { plan: 'free', source: 'organic' } })],
    ['Python track_event', { name: 'invoice_paid', payload: { invoice_id: 'INV-2024-001', amount: '149.99', currency: 'USD' } }, custom('invoice_paid', { props: { invoice_id: 'INV-2024-001', amount: '149.99', currency: 'USD' } })],
    ['Ruby track_event', { name: 'subscription_renewed', payload: { plan: 'pro', amount: '14.99' } }, custom('subscription_renewed', { props: { plan: 'pro', amount: '14.99' } })],
    ['Ruby with the default empty payload', { name: 'ping', payload: {} }, custom('ping')],
    ['PHP with an empty payload array', { name: 'ping', payload: [] }, custom('ping')],
    ['idempotent webhook (PHP)', { name: 'purchase', payload: { order_id: 'pi_2' } }, custom('purchase', { props: { order_id: 'pi_2' } })],
  ])('maps the %s example', (_label, body, expected) => {
    expect(parsed(webAnalyzerTrackDialect, body)).toEqual([expected]);
  });
});

describe('Web Analyzer: mapping rules', () => {
  it('casts numbers and booleans to strings', () => {
    const [event] = parsed(webAnalyzerTrackDialect, { name: 'n', payload: { a: 1.5, b: true, c: false, d: 0 } });
    expect(event.props).toEqual({ a: '1.5', b: 'true', c: 'false', d: '0' });
  });

  it('reads the extras: referrer, user_agent, ip_address, timestamp, event_id', () => {
    const [event] = parsed(webAnalyzerTrackDialect, {
      name: 'n',
      referrer: 'https://google.com/',
      user_agent: 'Mozilla/5.0',
      ip_address: '2001:db8::2',
      timestamp: '2026-01-31T10:00:00Z',
      event_id: 'evt-1',
      unknown_field: { ignored: true },
    });
    expect(event).toMatchObject({ referrer: 'https://google.com/', userAgent: 'Mozilla/5.0', ip: '2001:db8::2', eventId: 'evt-1' });
    expect(event.timestamp?.toISOString()).toBe('2026-01-31T10:00:00.000Z');
  });

  it('uses the Idempotency-Key header for single events only', () => {
    expect(parsed(webAnalyzerTrackDialect, { name: 'n' }, { idempotencyKey: 'k1' })[0].eventId).toBe('k1');
    expect(parsed(webAnalyzerTrackDialect, { name: 'n', event_id: 'body' }, { idempotencyKey: 'k1' })[0].eventId).toBe('body');
    const batch = parsed(webAnalyzerBatchDialect, { events: [{ name: 'a', event_id: 'a-1' }, { name: 'b' }] }, { idempotencyKey: 'k1' });
    expect(batch.map((e) => e.eventId)).toEqual(['a-1', null]);
  });

  it('takes the website from the path, and answers 404 without one', () => {
    expect(parsed(webAnalyzerTrackDialect, { name: 'n' }, { pathWebsiteId: 'site_9' })[0].websiteId).toBe('site_9');
    const outcome = webAnalyzerTrackDialect.parse({ name: 'n' }, { now, pathWebsiteId: '' });
    expect(!outcome.ok && webAnalyzerFailure(outcome.error).status).toBe(404);
  });
});

describe('Web Analyzer: validation errors', () => {
  it('names the batch index and field', () => {
    const events = [{ name: 'a' }, { name: 'b' }, { payload: { x: '1' } }];
    expect(rejection(webAnalyzerBatchDialect, { events })).toEqual(validationError('events[2].name: Missing required field: name'));
    expect(rejection(webAnalyzerBatchDialect, { events: [{ name: 'a' }, 'b'] })).toEqual(validationError('events[1]: Event must be a JSON object'));
    expect(rejection(webAnalyzerBatchDialect, { events: [{ name: 'a', payload: { o: { n: 1 } } }] })).toEqual(
      validationError('events[0].payload.o must be a string, number or boolean (nested objects and arrays are not allowed)'),
    );
  });

  it('accepts 25 events and rejects 26, or none', () => {
    const batch = (n: number) => ({ events: Array.from({ length: n }, (_, i) => ({ name: `e${i}` })) });
    expect(parsed(webAnalyzerBatchDialect, batch(25))).toHaveLength(25);
    expect(rejection(webAnalyzerBatchDialect, batch(26))).toEqual(validationError('Too many events: at most 25 per batch, got 26'));
    expect(rejection(webAnalyzerBatchDialect, batch(0))).toEqual(validationError('events must contain at least 1 event'));
    expect(rejection(webAnalyzerBatchDialect, {})).toEqual(validationError('events: Missing required field: events'));
    expect(rejection(webAnalyzerBatchDialect, { events: { name: 'a' } })).toEqual(validationError('events must be an array'));
  });

  it('accepts 10 payload keys and values of 255 characters, and rejects 11 keys or 256 characters', () => {
    expect(parsed(webAnalyzerTrackDialect, { name: 'n', payload: keys(10) })[0].props).toEqual(keys(10));
    expect(parsed(webAnalyzerTrackDialect, { name: 'n', payload: { v: 'x'.repeat(255) } })[0].props).toEqual({ v: 'x'.repeat(255) });
    expect(rejection(webAnalyzerTrackDialect, { name: 'n', payload: keys(11) })).toEqual(validationError('payload must have at most 10 keys'));
    expect(rejection(webAnalyzerTrackDialect, { name: 'n', payload: { v: 'x'.repeat(256) } })).toEqual(validationError('payload.v must be at most 255 characters'));
  });

  it('accepts a name of 128 characters and rejects 129, or none', () => {
    expect(parsed(webAnalyzerTrackDialect, { name: 'n'.repeat(128) })[0].name).toHaveLength(128);
    expect(rejection(webAnalyzerTrackDialect, { name: 'n'.repeat(129) })).toEqual(validationError('name must be at most 128 characters'));
    expect(rejection(webAnalyzerTrackDialect, { payload: { a: '1' } })).toEqual(validationError('name: Missing required field: name'));
    expect(rejection(webAnalyzerTrackDialect, { name: null })).toEqual(validationError('name: Missing required field: name'));
  });

  it.each([
    ['nested payload', { name: 'n', payload: { a: { b: 1 } } }, 'payload.a must be a string, number or boolean (nested objects and arrays are not allowed)'],
    ['array payload value', { name: 'n', payload: { a: [1] } }, 'payload.a must be a string, number or boolean (nested objects and arrays are not allowed)'],
    ['string payload', { name: 'n', payload: 'a=1' }, 'payload must be an object'],
    ['non-UUID visitor_id', { name: 'n', visitor_id: 'visitor-1' }, 'visitor_id must be a UUID'],
    ['numeric name', { name: 42 }, 'name must be a string'],
    ['bad ip_address', { name: 'n', ip_address: '1.2.3' }, 'ip_address must be a valid IPv4 or IPv6 address'],
    ['bad timestamp', { name: 'n', timestamp: '2026-01-31 12:00' }, 'timestamp must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z'],
    ['future timestamp', { name: 'n', timestamp: '2026-02-01T00:00:00Z' }, 'timestamp must not be more than 5 minutes in the future'],
    ['long event_id', { name: 'n', event_id: 'e'.repeat(129) }, 'event_id must be at most 128 characters'],
    ['a JSON array body', [{ name: 'n' }], 'Request body must be a JSON object'],
  ])('rejects a %s', (_label, body, message) => {
    expect(rejection(webAnalyzerTrackDialect, body)).toEqual(validationError(message));
  });

  it('names the index of a batch element with a bad timestamp', () => {
    expect(rejection(webAnalyzerBatchDialect, { events: [{ name: 'a' }, { name: 'b', timestamp: 'now' }] }).body).toMatchObject({
      message: 'events[1].timestamp must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z',
    });
  });

  it('never throws on odd bodies', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10000; i++) deep = { d: deep };
    const odd: unknown[] = [undefined, null, 7, 'x', true, [], Object.create(null), { name: 'n', extra: deep }, { name: 'n', payload: deep }, { name: deep }, { events: [deep] }, { events: 'all' }, JSON.parse('{"__proto__":{"name":"n"}}')];
    for (const dialect of [webAnalyzerTrackDialect, webAnalyzerBatchDialect]) {
      for (const body of odd) {
        const outcome = dialect.parse(body, ctx);
        if (!outcome.ok) expect(webAnalyzerFailure(outcome.error).status).toBe(400);
      }
    }
  });
});

describe('Web Analyzer failure mapping', () => {
  const reply = (status: number, error: string, message: string, retryAfter?: number) =>
    retryAfter === undefined
      ? { status, body: { ok: false, error, message } }
      : { status, body: { ok: false, error, message, retry_after: retryAfter }, headers: { 'Retry-After': String(retryAfter) } };

  const cases: [IngestError, object][] = [
    [{ code: 'malformed', message: 'Body is not valid JSON' }, reply(400, 'validation_error', 'Body is not valid JSON')],
    [{ code: 'unsupported_media_type', message: 'Content-Type must be application/json' }, reply(400, 'validation_error', 'Content-Type must be application/json')],
    [{ code: 'invalid_props', message: 'too many', field: 'payload' }, reply(400, 'validation_error', 'payload: too many')],
    [{ code: 'unauthorized', message: 'Missing or invalid API key' }, reply(401, 'unauthorized', 'Missing or invalid API key')],
    [{ code: 'quota_exceeded', message: 'Monthly event quota exceeded' }, reply(402, 'monthly_limit_reached', 'Monthly event quota exceeded')],
    [{ code: 'forbidden', message: 'API key lacks the ingest scope' }, reply(403, 'plan_required', 'API key lacks the ingest scope')],
    [{ code: 'unknown_website', message: 'x', websiteId: '1' }, reply(404, 'website_not_found', 'Website ID does not exist or does not belong to your account')],
    [{ code: 'payload_too_large', message: 'Body exceeds 1 MB', limit: 1048576 }, reply(413, 'payload_too_large', 'Body exceeds 1 MB')],
    [{ code: 'overloaded', message: 'queue full', retryAfter: 2.5 }, reply(503, 'server_unavailable', 'Service temporarily unavailable. Retry later.', 3)],
    [{ code: 'internal', message: 'Internal server error' }, reply(500, 'server_error', 'Internal server error')],
  ];
  it.each(cases.map((c) => [c[0].code, ...c] as const))('maps %s', (_code, error, expected) => {
    expect(webAnalyzerFailure(error)).toEqual(expected);
  });

  it('answers the seed 429 body fields and Retry-After header', () => {
    const answer = webAnalyzerFailure({ code: 'rate_limited', message: 'x', retryAfter: 30, limit: 60, remaining: 0, reset: 1 });
    expect(answer.status).toBe(429);
    expect(answer.headers).toEqual({ 'Retry-After': '30' });
    expect(answer.body).toEqual({ ok: false, error: 'rate_limit_exceeded', retry_after: 30 });
  });
});
