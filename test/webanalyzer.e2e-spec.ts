import { CHROME_WINDOWS, eventById, eventsOf, expireKey, fromNow, GB_IP, GOOGLEBOT, hugeJson, nested, storedText } from './support/ingest-fixtures';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

const VISITOR = '550e8400-e29b-41d4-a716-446655440000';
const failure = (error: string) => ({ ok: false, error, message: expect.any(String) });

describe('Web Analyzer Measurement Protocol', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  let key: string;
  const track = (body: unknown, k = key, id = site) => t.http().post(`/api/v1/websites/${id}/track`).set(bearer(k)).send(body as object);
  const batch = (body: unknown, k = key, id = site) => t.http().post(`/api/v1/websites/${id}/track/batch`).set(bearer(k)).send(body as object);
  const named = async (name: string) => (await eventsOf(t, site)).filter((e) => e.name === name);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'wa');
    site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  });
  afterAll(() => t.close());

  describe('documented examples', () => {
    it('stores the single-event example and answers 200 {ok, event_id:<number>}', async () => {
      const res = await track({
        name: 'purchase', payload: { order_id: 'ORD-1234', amount: '49.99', currency: 'USD', plan: 'pro' }, visitor_id: VISITOR, url: 'https://example.com/checkout',
      }).expect(200);
      expect(res.body).toEqual({ ok: true, event_id: expect.any(Number) });
      expect(await eventById(t, res.body.event_id)).toMatchObject({
        website_id: site, kind: 'custom', name: 'purchase', props: { order_id: 'ORD-1234', amount: '49.99', currency: 'USD', plan: 'pro' },
        visitor_id: VISITOR, hostname: 'example.com', path: '/checkout',
      });
    });

    it('stores the batch example and answers 200 {ok, processed, event_ids} in input order', async () => {
      const res = await batch({
        events: [
          { name: 'purchase', payload: { order_id: 'ORD-1001', amount: '29.99' }, visitor_id: VISITOR },
          { name: 'purchase', payload: { order_id: 'ORD-1002', amount: '59.99' }, visitor_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
          { name: 'signup', payload: { source: 'landing_page', plan: 'free' } },
        ],
      }).expect(200);
      expect(res.body).toEqual({ ok: true, processed: 3, event_ids: [expect.any(Number), expect.any(Number), expect.any(Number)] });
      const rows = await Promise.all(res.body.event_ids.map((id: number) => eventById(t, id)));
      expect(rows.map((r) => r?.props)).toEqual([{ order_id: 'ORD-1001', amount: '29.99' }, { order_id: 'ORD-1002', amount: '59.99' }, { source: 'landing_page', plan: 'free' }]);
      expect(rows[1]?.visitor_id).toBe('7c9e6679-7425-40de-944b-e07fc1f90ae7');
    });

    it.each([
      ['lead_created', { lead_id: 'L-1', source: 'web', company: 'Acme', value: '5000' }],
      ['email_open', { campaign_id: 'c-9', recipient: 'someone' }],
      ['sensor_reading', { sensor_id: 's-1', temperature: '21.5', humidity: '40' }],
      ['invoice_paid', { invoice_id: 'INV-2024-001', amount: '149.99', currency: 'USD' }],
      ['subscription_renewed', { plan: 'pro', amount: '14.99' }],
      ['signup', { plan: 'free', source: 'organic' }],
      ['server_action', { action: 'user_registered', email: 'user@example.com' }],
    ])('stores the %s example', async (name, payload) => {
      const res = await track({ name, payload }).expect(200);
      expect(await eventById(t, res.body.event_id)).toMatchObject({ name, props: payload });
    });

    it('accepts the webhook examples\' null visitor_id and url, and PHP\'s empty payload array', async () => {
      const res = await track({ name: 'form_submit', visitor_id: null, url: null, payload: { form: 'contact', subject: null } }).expect(200);
      expect(await eventById(t, res.body.event_id)).toMatchObject({ name: 'form_submit', props: { form: 'contact' }, path: null });
      const empty = await track({ name: 'server_action', payload: [] }).expect(200);
      expect((await eventById(t, empty.body.event_id))?.props).toBeNull();
    });

    it('casts numbers and booleans in the payload to strings, and stores referrer and UTM', async () => {
      const res = await track({ name: 'cast', payload: { count: 3, paid: true }, url: 'https://example.com/p?utm_source=mail', referrer: 'https://www.bing.com/search?q=x' }).expect(200);
      expect(await eventById(t, res.body.event_id)).toMatchObject({ props: { count: '3', paid: 'true' }, utm_source: 'mail', referrer_domain: 'bing.com' });
    });
  });

  describe('validation', () => {
    it.each([
      ['no name', {}],
      ['a name over 128 characters', { name: 'n'.repeat(129) }],
      ['a name of the wrong type', { name: 7 }],
      ['11 payload keys', { name: 'x', payload: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }],
      ['a payload value over 255 characters', { name: 'x', payload: { a: 'v'.repeat(256) } }],
      ['a nested payload', { name: 'x', payload: { a: { b: 'c' } } }],
      ['a deeply nested payload', { name: 'x', payload: nested(300) }],
      ['a visitor_id that is not a UUID', { name: 'x', visitor_id: 'visitor-1' }],
      ['an array body', [{ name: 'x' }]],
    ])('answers 400 validation_error for %s', async (_what, body) => {
      const res = await track(body).expect(400);
      expect(res.body).toEqual(failure('validation_error'));
    });

    it('answers 400 validation_error for more than 25 events, and for a batch without events', async () => {
      const res = await batch({ events: Array.from({ length: 26 }, () => ({ name: 'too_many' })) }).expect(400);
      expect(res.body).toEqual(failure('validation_error'));
      for (const body of [{}, { events: [] }, { events: 'x' }]) expect((await batch(body).expect(400)).body).toEqual(failure('validation_error'));
      expect(await named('too_many')).toEqual([]);
      await batch({ events: Array.from({ length: 25 }, () => ({ name: 'twenty_five' })) }).expect(200);
      expect(await named('twenty_five')).toHaveLength(25);
    });

    it('rejects a whole batch with one invalid event, naming its index, and stores nothing', async () => {
      const res = await batch({ events: [{ name: 'all_or_nothing' }, { name: 'all_or_nothing' }, { payload: { a: 'b' } }] }).expect(400);
      expect(res.body).toEqual(failure('validation_error'));
      expect(res.body.message).toContain('events[2]');
      const late = await batch({ events: [{ name: 'all_or_nothing' }, { name: 'all_or_nothing', timestamp: fromNow(3_600_000) }] }).expect(400);
      expect(late.body.message).toContain('events[1]');
      expect(await named('all_or_nothing')).toEqual([]);
    });
  });

  describe('credentials and websites', () => {
    it('answers 401 unauthorized without a key, or with an unknown, revoked or expired key', async () => {
      expect((await t.http().post(`/api/v1/websites/${site}/track`).send({ name: 'x' }).expect(401)).body).toEqual(failure('unauthorized'));
      await track({ name: 'x' }, 'ff_live_' + 'B'.repeat(43)).expect(401);
      const revoked = await createApiKey(t, owner, { scopes: ['ingest'] });
      await track({ name: 'x' }, revoked.key).expect(200);
      await t.http().delete(`/api/api-keys/${revoked.id}`).set(bearer(owner.token)).expect(204);
      expect((await track({ name: 'x' }, revoked.key).expect(401)).body).toEqual(failure('unauthorized'));
      const expired = await createApiKey(t, owner, { scopes: ['ingest'] });
      await expireKey(t, expired.id);
      expect((await batch({ events: [{ name: 'x' }] }, expired.key).expect(401)).body).toEqual(failure('unauthorized'));
      await track({ name: 'x' }, owner.token).expect(401); // dashboard tokens are not API keys here
    });

    it('answers 403 plan_required for a key without the ingest scope or limited to another website', async () => {
      const other = await createWebsite(t, owner);
      const readOnly = await createApiKey(t, owner, { scopes: ['read'] });
      const limited = await createApiKey(t, owner, { scopes: ['ingest'], website_ids: [other.id] });
      for (const k of [readOnly.key, limited.key]) {
        expect((await track({ name: 'forbidden' }, k).expect(403)).body).toEqual(failure('plan_required'));
        expect((await batch({ events: [{ name: 'forbidden' }] }, k).expect(403)).body).toEqual(failure('plan_required'));
      }
      expect(await named('forbidden')).toEqual([]);
      await track({ name: 'allowed' }, limited.key, other.id).expect(200);
    });

    it('answers 404 website_not_found for an unknown website and another account\'s website', async () => {
      const stranger = await signup(t, 'stranger');
      const theirs = await createWebsite(t, stranger);
      for (const id of ['999999', theirs.id, '%00', `${site}%00`]) {
        expect((await track({ name: 'x' }, key, id).expect(404)).body).toEqual(failure('website_not_found'));
        expect((await batch({ events: [{ name: 'x' }] }, key, id).expect(404)).body).toEqual(failure('website_not_found'));
      }
      expect(await eventsOf(t, theirs.id)).toEqual([]);
    });

    it('allows 60 requests per minute per key by default', async () => {
      const { key: burst } = await createApiKey(t, owner, { scopes: ['ingest'] });
      const results = await Promise.all(Array.from({ length: 61 }, () => track({ name: 'burst' }, burst)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(60);
      expect(results.filter((r) => r.status === 429)).toHaveLength(1);
      expect(await named('burst')).toHaveLength(60);
    });
  });

  describe('idempotency', () => {
    it('replays an Idempotency-Key: same body and event id, one row', async () => {
      const first = await track({ name: 'idem_header' }).set('Idempotency-Key', 'stripe-evt-1').expect(200);
      const again = await track({ name: 'idem_header' }).set('Idempotency-Key', 'stripe-evt-1').expect(200);
      expect(again.body).toEqual(first.body);
      expect(await named('idem_header')).toHaveLength(1);
    });

    it('replays event_ids in single events and batches, and keeps identical bodies without a key apart', async () => {
      const first = await track({ name: 'idem_body', event_id: 'wh-1' }).expect(200);
      expect((await track({ name: 'idem_body', event_id: 'wh-1' }).expect(200)).body).toEqual(first.body);
      const body = { events: [{ name: 'idem_batch', event_id: 'b-1' }, { name: 'idem_batch', event_id: 'b-2' }] };
      const b1 = await batch(body).expect(200);
      expect((await batch(body).expect(200)).body).toEqual(b1.body);
      expect(await named('idem_body')).toHaveLength(1);
      expect(await named('idem_batch')).toHaveLength(2);
      const a = await track({ name: 'twice' }).expect(200);
      const b = await track({ name: 'twice' }).expect(200);
      expect(a.body.event_id).not.toBe(b.body.event_id);
      expect(await named('twice')).toHaveLength(2);
    });
  });

  describe('timestamps', () => {
    it('stores each event at its timestamp', async () => {
      const res = await batch({ events: [{ name: 'ts', timestamp: '2026-01-15T10:30:00-05:00' }, { name: 'ts', timestamp: '2026-01-16T00:00:00Z' }] }).expect(200);
      const rows = await Promise.all(res.body.event_ids.map((id: number) => eventById(t, id)));
      expect(rows.map((r) => r?.occurred_at.toISOString())).toEqual(['2026-01-15T15:30:00.000Z', '2026-01-16T00:00:00.000Z']);
    });

    it.each([
      ['a number', 1767225600],
      ['an invalid date', '2026-13-01T00:00:00Z'],
      ['a day that does not exist', '2026-02-30T10:00:00Z'],
      ['no time zone', '2026-01-15T10:30:00'],
      ['more than 5 minutes ahead', fromNow(10 * 60_000)],
    ])('answers 400 validation_error for %s', async (_what, timestamp) => {
      const res = await track({ name: 'bad_ts', timestamp }).expect(400);
      expect(res.body).toEqual(failure('validation_error'));
      expect(res.body.message).toContain('timestamp');
    });
  });

  describe('enrichment', () => {
    it('enriches from the body\'s user_agent and ip_address, never storing the IP', async () => {
      const res = await track({ name: 'enriched', user_agent: CHROME_WINDOWS, ip_address: GB_IP }).expect(200);
      expect(await eventById(t, res.body.event_id)).toMatchObject({ browser: 'Chrome', os: 'Windows', device_type: 'desktop', country: 'GB', is_bot: false });
      expect(await storedText(t, site)).not.toContain(GB_IP);
      expect(await storedText(t, site)).not.toContain('127.0.0.1');
      const bot = await track({ name: 'bot', user_agent: GOOGLEBOT }).expect(200);
      expect((await eventById(t, bot.body.event_id))?.is_bot).toBe(true);
    });

    it('ignores the request\'s own User-Agent', async () => {
      for (const ua of [GOOGLEBOT, CHROME_WINDOWS]) {
        const res = await track({ name: 'hdr' }).set('User-Agent', ua).expect(200);
        expect(await eventById(t, res.body.event_id)).toMatchObject({ is_bot: false, browser: null, os: null });
      }
    });
  });

  describe('bodies', () => {
    it('accepts JSON sent as text/plain', async () => {
      const res = await t.http().post(`/api/v1/websites/${site}/track`).set(bearer(key)).set('Content-Type', 'text/plain').send(JSON.stringify({ name: 'plain', extra: 1 })).expect(200);
      expect((await eventById(t, res.body.event_id))?.name).toBe('plain');
    });

    it('answers malformed JSON and a form-encoded body with 400 validation_error', async () => {
      const malformed = await t.http().post(`/api/v1/websites/${site}/track`).set(bearer(key)).set('Content-Type', 'application/json').send('{"name":');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual(failure('validation_error'));
      const form = await t.http().post(`/api/v1/websites/${site}/track`).set(bearer(key)).type('form').send('name=purchase');
      expect(form.status).toBe(400);
      expect(form.body).toEqual(failure('validation_error'));
    });

    it('answers a 2 MB body with 413 in Web Analyzer\'s format', async () => {
      const res = await t.http().post(`/api/v1/websites/${site}/track/batch`).set(bearer(key)).set('Content-Type', 'application/json').send(hugeJson({ events: [{ name: 'x' }] }, 2 * 1024 * 1024));
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ ok: false, error: expect.any(String) });
    });
  });
});

describe('Web Analyzer limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WEBANALYZER_RATE_LIMIT_PER_MINUTE: '2', MONTHLY_EVENT_QUOTA: '4' });
  });
  afterAll(() => t.close());

  /** A new organization with one website; send() uses a fresh key each time, so only the quota applies. */
  const setup = async () => {
    const a = await signup(t, 'limits');
    const site = (await createWebsite(t, a)).id;
    const keys = await Promise.all(Array.from({ length: 5 }, () => createApiKey(t, a, { scopes: ['ingest'] })));
    let used = 0;
    const send = (body: object, path = 'track') => t.http().post(`/api/v1/websites/${site}/${path}`).set(bearer(keys[used++].key)).send(body);
    const names = async () => (await eventsOf(t, site)).map((e) => e.name);
    return { a, site, send, names };
  };
  const three = { events: [{ name: 'q1' }, { name: 'q2' }, { name: 'q3' }] };

  it('allows WEBANALYZER_RATE_LIMIT_PER_MINUTE requests per key (a batch counts once), then 429 with Retry-After', async () => {
    const { a, site, send, names } = await setup();
    const key = (await createApiKey(t, a, { scopes: ['ingest'] })).key;
    await t.http().post(`/api/v1/websites/${site}/track/batch`).set(bearer(key)).send({ events: [{ name: 'a' }, { name: 'b' }] }).expect(200);
    await t.http().post(`/api/v1/websites/${site}/track`).set(bearer(key)).send({ name: 'c' }).expect(200);
    const res = await t.http().post(`/api/v1/websites/${site}/track`).set(bearer(key)).send({ name: 'refused' }).expect(429);
    expect(res.body).toEqual({ ok: false, error: 'rate_limit_exceeded', retry_after: expect.any(Number) });
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(res.headers['retry-after'])).toBe(res.body.retry_after);
    expect(res.body.retry_after).toBeGreaterThanOrEqual(1);
    expect(res.body.retry_after).toBeLessThanOrEqual(60);
    expect(await names()).toEqual(['a', 'b', 'c']);
    await send({ name: 'd' }).expect(200); // per key
  });

  it('answers 402 monthly_limit_reached once the organization\'s MONTHLY_EVENT_QUOTA is used', async () => {
    const { send, names } = await setup();
    await send(three, 'track/batch').expect(200);
    await send({ name: 'q4' }).expect(200);
    const res = await send({ name: 'q5' }).expect(402);
    expect(res.body).toEqual(failure('monthly_limit_reached'));
    expect((await send({ events: [{ name: 'q6' }] }, 'track/batch').expect(402)).body).toEqual(failure('monthly_limit_reached'));
    expect(await names()).toEqual(['q1', 'q2', 'q3', 'q4']);
  });

  it('does not count the events of a refused batch against the quota', async () => {
    const { send, names } = await setup();
    await send(three, 'track/batch').expect(200);
    await send({ events: [{ name: 'x1' }, { name: 'x2' }] }, 'track/batch').expect(402);
    await send({ name: 'q4' }).expect(200);
    expect(await names()).toEqual(['q1', 'q2', 'q3', 'q4']);
  });

  it('answers a retry of a stored event with its first answer even when the quota is used up', async () => {
    const { send, names } = await setup();
    const first = await send({ name: 'webhook', event_id: 'wh-1' }).expect(200);
    await send(three, 'track/batch').expect(200);
    const retry = await send({ name: 'webhook', event_id: 'wh-1' });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await names()).toEqual(['webhook', 'q1', 'q2', 'q3']);
  });
});
