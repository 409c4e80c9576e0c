import { CHROME_WINDOWS, eventById, eventsOf, expireKey, fromNow, GB_IP, GOOGLEBOT, hugeJson, nested, storedText } from './support/ingest-fixtures';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

const PAGEVIEW = '/api/v1/events/pageview';
const CUSTOM = '/api/v1/events/custom';
const err = (code: string, field: string | null = null) => ({ error: { code, message: expect.any(String), field } });
const idOf = (body: { event_id: string }) => body.event_id.replace(/^evt_/, '');

describe('Ovyxa Events API', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  let key: string;
  const post = (path: string, body: object, token = key) => t.http().post(path).set(bearer(token)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'ovyxa');
    site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  });
  afterAll(() => t.close());

  describe('documented examples', () => {
    it('stores the cURL pageview and answers 201 {success, event_id}', async () => {
      const res = await post(PAGEVIEW, {
        site_id: site,
        url: 'https://example.com/pricing',
        referrer: 'https://google.com/search',
        user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36',
        ip_address: '203.0.113.42',
      }).expect(201);
      expect(res.body).toEqual({ success: true, event_id: expect.stringMatching(/^evt_\d+$/) });
      const row = await eventById(t, idOf(res.body));
      expect(row).toMatchObject({
        website_id: site, kind: 'pageview', name: null, hostname: 'example.com', path: '/pricing',
        referrer: 'https://google.com/search', referrer_domain: 'google.com', props: null, os: 'Mac OS', is_bot: false,
      });
      expect(await storedText(t, site)).not.toContain('203.0.113.42');
    });

    it.each([
      ['signup', 'https://example.com/signup/complete', { plan: 'pro', source: 'landing-page', trial_days: 14 }],
      ['signup', 'https://example.com/signup/complete', { plan: 'pro', source: 'api', timestamp: '2026-01-31T12:00:00.000Z' }],
      ['purchase', 'https://example.com/checkout/success', { amount: 99.99, currency: 'USD', product: 'Pro Plan Annual' }],
      ['payment_successful', 'https://example.com/checkout/success', { plan: 'enterprise', amount: 999, currency: 'USD' }],
      ['report_generated', 'https://example.com/reports/daily', { report_type: 'daily', records_processed: 15000, duration_seconds: 42 }],
    ])('stores custom event %s with its props as sent', async (name, url, props) => {
      const res = await post(CUSTOM, { site_id: site, event_name: name, url, props }).expect(201);
      expect(res.body).toEqual({ success: true, event_id: expect.stringMatching(/^evt_\d+$/) });
      const { pathname } = new URL(url);
      expect(await eventById(t, idOf(res.body))).toMatchObject({ kind: 'custom', name, hostname: 'example.com', path: pathname, props });
    });

    it('stores the documented referrer of a custom event, and an app:// URL (mobile example)', async () => {
      const a = await post(CUSTOM, { site_id: site, event_name: 'signup', url: 'https://example.com/signup/complete', referrer: 'https://example.com/pricing', props: { plan: 'pro' } }).expect(201);
      expect(await eventById(t, idOf(a.body))).toMatchObject({ referrer: 'https://example.com/pricing', referrer_domain: null });
      const b = await post(CUSTOM, { site_id: site, event_name: 'feature_used', url: 'app://example/feature_used', props: { feature: 'export_data', format: 'csv' } }).expect(201);
      expect(await eventById(t, idOf(b.body))).toMatchObject({ name: 'feature_used', path: '/feature_used', props: { feature: 'export_data', format: 'csv' } });
    });

    it('ignores props on a pageview', async () => {
      const res = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/pv-props', props: { a: 1 } }).expect(201);
      expect((await eventById(t, idOf(res.body)))?.props).toBeNull();
    });

    it('accepts an empty props object and stores UTM parameters from the URL', async () => {
      const res = await post(CUSTOM, { site_id: site, event_name: 'download', url: 'https://example.com/a?utm_source=news&utm_medium=email&utm_campaign=spring', props: {} }).expect(201);
      expect(await eventById(t, idOf(res.body))).toMatchObject({ props: null, query: 'utm_source=news&utm_medium=email&utm_campaign=spring', utm_source: 'news', utm_medium: 'email', utm_campaign: 'spring' });
    });
  });

  describe('errors', () => {
    it('answers the documented body for a missing event_name', async () => {
      const res = await post(CUSTOM, { site_id: site, url: 'https://example.com/x' }).expect(400);
      expect(res.body).toEqual({ error: { code: 'invalid_request', message: 'Missing required field: event_name', field: 'event_name' } });
    });

    it.each([
      ['no url', PAGEVIEW, { site_id: 'S' }, 'url'],
      ['no site_id', PAGEVIEW, { url: 'https://example.com/' }, 'site_id'],
      ['url not absolute', PAGEVIEW, { site_id: 'S', url: 'pricing' }, 'url'],
      ['url of the wrong type', PAGEVIEW, { site_id: 'S', url: 42 }, 'url'],
      ['huge url', PAGEVIEW, { site_id: 'S', url: 'https://example.com/' + 'a'.repeat(10000) }, 'url'],
      ['event_name of the wrong type', CUSTOM, { site_id: 'S', url: 'https://example.com/', event_name: ['x'] }, 'event_name'],
      ['bad ip_address', PAGEVIEW, { site_id: 'S', url: 'https://example.com/', ip_address: 'not-an-ip' }, 'ip_address'],
    ])('answers 400 invalid_request for %s', async (_what, path, body, field) => {
      const fields: Record<string, unknown> = { ...body };
      if (fields.site_id === 'S') fields.site_id = site;
      const res = await post(path, fields).expect(400);
      expect(res.body).toEqual(err('invalid_request', field));
    });

    it.each([
      ['11 props', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]))],
      ['a key over 50 characters', { ['k'.repeat(51)]: 1 }],
      ['a nested value', { a: { b: 1 } }],
      ['deeply nested props', nested(200)],
      ['an array value', { a: [1, 2] }],
    ])('answers 400 invalid_props for %s', async (what, props) => {
      const res = await post(CUSTOM, { site_id: site, event_name: what, url: 'https://example.com/', props }).expect(400);
      expect(res.body).toEqual({ error: { code: 'invalid_props', message: expect.any(String), field: expect.stringMatching(/^props/) } });
      expect((await eventsOf(t, site)).map((e) => e.name)).not.toContain(what);
    });

    it('answers 401 unauthorized without a key, with an unknown, revoked or expired key', async () => {
      const body = { site_id: site, url: 'https://example.com/' };
      expect((await t.http().post(PAGEVIEW).send(body).expect(401)).body).toEqual(err('unauthorized'));
      await post(PAGEVIEW, body, 'ff_live_' + 'A'.repeat(43)).expect(401);
      const revoked = await createApiKey(t, owner, { scopes: ['ingest'] });
      await post(PAGEVIEW, body, revoked.key).expect(201);
      await t.http().delete(`/api/api-keys/${revoked.id}`).set(bearer(owner.token)).expect(204);
      expect((await post(PAGEVIEW, body, revoked.key).expect(401)).body).toEqual(err('unauthorized'));
      const expired = await createApiKey(t, owner, { scopes: ['ingest'] });
      await expireKey(t, expired.id);
      expect((await post(PAGEVIEW, body, expired.key).expect(401)).body).toEqual(err('unauthorized'));
    });

    it('answers 403 for a key without the ingest scope or limited to another website', async () => {
      const other = await createWebsite(t, owner);
      const readOnly = await createApiKey(t, owner, { scopes: ['read'] });
      const limited = await createApiKey(t, owner, { scopes: ['ingest'], website_ids: [other.id] });
      for (const k of [readOnly.key, limited.key]) {
        const res = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/forbidden' }, k).expect(403);
        expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), field: null } });
      }
      await post(PAGEVIEW, { site_id: other.id, url: 'https://example.com/allowed' }, limited.key).expect(201);
      expect((await eventsOf(t, site)).map((e) => e.path)).not.toContain('/forbidden');
    });

    it('answers 400 invalid_site_id for an unknown site and for another organization\'s site', async () => {
      const stranger = await signup(t, 'stranger');
      const theirs = await createWebsite(t, stranger);
      for (const id of ['no-such-site', theirs.id, '\u0000', `${site}\u0000`]) {
        const res = await post(PAGEVIEW, { site_id: id, url: 'https://example.com/' }).expect(400);
        expect(res.body).toEqual(err('invalid_site_id', 'site_id'));
      }
      expect(await eventsOf(t, theirs.id)).toEqual([]);
    });
  });

  describe('dashboard access tokens', () => {
    it('accepts a member\'s JWT for the organization\'s website, and 400 invalid_site_id for another organization\'s JWT', async () => {
      const res = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/jwt' }, owner.token).expect(201);
      expect((await eventById(t, idOf(res.body)))?.path).toBe('/jwt');
      const member = await signup(t, 'member');
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: member.email, role: 'member' }).expect(201);
      await post(CUSTOM, { site_id: site, event_name: 'by_member', url: 'https://example.com/' }, member.token).expect(201);
      const outsider = await signup(t, 'outsider');
      const denied = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/outsider' }, outsider.token).expect(400);
      expect(denied.body).toEqual(err('invalid_site_id', 'site_id'));
      await post(PAGEVIEW, { site_id: site, url: 'https://example.com/' }, owner.token + 'x').expect(401);
    });

    it('refuses a viewer\'s JWT with 403 in Ovyxa\'s error format, storing nothing: viewers read, they do not write', async () => {
      const viewer = await signup(t, 'viewer');
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: viewer.email, role: 'viewer' }).expect(201);
      for (const [path, body] of [
        [PAGEVIEW, { site_id: site, url: 'https://example.com/by-viewer' }],
        [CUSTOM, { site_id: site, event_name: 'by_viewer', url: 'https://example.com/by-viewer' }],
      ] as const) {
        const res = await post(path, body, viewer.token).expect(403);
        expect(res.body).toEqual(err('unauthorized'));
      }
      expect((await eventsOf(t, site)).filter((e) => e.path === '/by-viewer')).toEqual([]);
    });
  });

  describe('idempotency', () => {
    it('replays an Idempotency-Key: same 201 body, one row', async () => {
      const body = { site_id: site, event_name: 'paid', url: 'https://example.com/idem-header' };
      const first = await post(CUSTOM, body).set('Idempotency-Key', 'order-1').expect(201);
      const again = await post(CUSTOM, body).set('Idempotency-Key', 'order-1').expect(201);
      expect(again.body).toEqual(first.body);
      expect((await eventsOf(t, site)).filter((e) => e.path === '/idem-header')).toHaveLength(1);
    });

    it('replays an event_id: same 201 body, one row; identical bodies without a key are separate events', async () => {
      const body = { site_id: site, url: 'https://example.com/idem-body', event_id: 'evt-abc' };
      const first = await post(PAGEVIEW, body).expect(201);
      const again = await post(PAGEVIEW, body).expect(201);
      expect(again.body).toEqual(first.body);
      expect((await eventsOf(t, site)).filter((e) => e.path === '/idem-body')).toHaveLength(1);
      const a = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/twice' }).expect(201);
      const b = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/twice' }).expect(201);
      expect(a.body.event_id).not.toBe(b.body.event_id);
      expect((await eventsOf(t, site)).filter((e) => e.path === '/twice')).toHaveLength(2);
    });
  });

  describe('timestamps', () => {
    it('stores the event at its timestamp', async () => {
      const res = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/past', timestamp: '2026-01-15T10:30:00+02:00' }).expect(201);
      expect((await eventById(t, idOf(res.body)))?.occurred_at.toISOString()).toBe('2026-01-15T08:30:00.000Z');
      const soon = fromNow(60_000);
      const ok = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/soon', timestamp: soon }).expect(201);
      expect((await eventById(t, idOf(ok.body)))?.occurred_at.toISOString()).toBe(soon);
    });

    it.each([
      ['a number', 1767225600000],
      ['an invalid date', '2026-13-45T00:00:00Z'],
      ['a day that does not exist', '2026-02-30T10:00:00Z'],
      ['no time zone', '2026-01-15T10:30:00'],
      ['not a date', 'yesterday'],
      ['more than 5 minutes ahead', fromNow(10 * 60_000)],
    ])('answers 400 invalid_request for %s', async (_what, timestamp) => {
      const res = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/bad-ts', timestamp }).expect(400);
      expect(res.body).toEqual(err('invalid_request', 'timestamp'));
    });
  });

  describe('enrichment', () => {
    it('enriches a Chrome-on-Windows pageview from the body, never storing the IP', async () => {
      const res = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/enriched', user_agent: CHROME_WINDOWS, ip_address: GB_IP }).expect(201);
      expect(await eventById(t, idOf(res.body))).toMatchObject({ browser: 'Chrome', os: 'Windows', device_type: 'desktop', country: 'GB', is_bot: false });
      expect(await storedText(t, site)).not.toContain(GB_IP);
      expect(await storedText(t, site)).not.toContain('127.0.0.1');
    });

    it('flags a bot user agent from the body', async () => {
      const res = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/bot', user_agent: GOOGLEBOT }).expect(201);
      expect((await eventById(t, idOf(res.body)))?.is_bot).toBe(true);
    });

    it('ignores the request\'s own User-Agent: no enrichment, no bot flag', async () => {
      const bot = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/hdr-bot' }).set('User-Agent', GOOGLEBOT).expect(201);
      expect(await eventById(t, idOf(bot.body))).toMatchObject({ is_bot: false, browser: null, os: null });
      const chrome = await post(PAGEVIEW, { site_id: site, url: 'https://example.com/hdr-chrome' }).set('User-Agent', CHROME_WINDOWS).expect(201);
      expect(await eventById(t, idOf(chrome.body))).toMatchObject({ is_bot: false, browser: null, os: null });
    });
  });

  describe('bodies', () => {
    const ok = () => ({ site_id: site, url: 'https://example.com/plain' });

    it('accepts JSON sent as text/plain, and ignores unknown fields', async () => {
      const res = await t.http().post(PAGEVIEW).set(bearer(key)).set('Content-Type', 'text/plain;charset=UTF-8').send(JSON.stringify({ ...ok(), whatever: { deep: [1] } })).expect(201);
      expect((await eventById(t, idOf(res.body)))?.path).toBe('/plain');
    });

    it('answers malformed JSON, a form body and a non-object with 400 invalid_request', async () => {
      const bad = [
        t.http().post(PAGEVIEW).set(bearer(key)).set('Content-Type', 'application/json').send('{"site_id": '),
        t.http().post(PAGEVIEW).set(bearer(key)).type('form').send(`site_id=${site}&url=https://example.com/`),
        t.http().post(PAGEVIEW).set(bearer(key)).set('Content-Type', 'application/json').send('[1,2]'),
        t.http().post(PAGEVIEW).set(bearer(key)).set('Content-Type', 'application/json').send(''),
        t.http().post(PAGEVIEW).set(bearer(key)).set('Content-Type', 'application/xml').send('<site_id/>'),
      ];
      for (const req of bad) {
        const res = await req;
        expect(res.status).toBe(400);
        expect(res.body).toEqual(err('invalid_request'));
      }
    });

    it('answers a 2 MB body with 413 in Ovyxa\'s format', async () => {
      const res = await t.http().post(PAGEVIEW).set(bearer(key)).set('Content-Type', 'application/json').send(hugeJson(ok(), 2 * 1024 * 1024));
      expect(res.status).toBe(413);
      expect(res.body).toEqual(err('invalid_request'));
    });

    it('never answers 5xx for a pathologically nested body', async () => {
      const deep = '{"site_id":"' + site + '","url":"https://example.com/","x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
      const res = await t.http().post(PAGEVIEW).set(bearer(key)).set('Content-Type', 'application/json').send(deep);
      expect(res.status).toBeLessThan(500);
      if (res.status !== 201) expect(res.body).toEqual(err('invalid_request'));
    });
  });
});

describe('Ovyxa rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OVYXA_EVENTS_PER_HOUR: '3' });
  });
  afterAll(() => t.close());

  it('allows OVYXA_EVENTS_PER_HOUR events per key, then 429 rate_limit_exceeded with Retry-After', async () => {
    const a = await signup(t, 'limited');
    const site = (await createWebsite(t, a)).id;
    const [k1, k2] = [await createApiKey(t, a, { scopes: ['ingest'] }), await createApiKey(t, a, { scopes: ['ingest'] })];
    const send = (k: string, n: number) => t.http().post(PAGEVIEW).set(bearer(k)).send({ site_id: site, url: `https://example.com/${n}` });
    for (let i = 0; i < 3; i++) await send(k1.key, i).expect(201);
    const res = await send(k1.key, 99).expect(429);
    expect(res.body).toEqual(err('rate_limit_exceeded'));
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect((await eventsOf(t, site)).map((e) => e.path)).not.toContain('/99');
    await send(k2.key, 4).expect(201); // per key
  });
});
