import { CHROME_WINDOWS, eventsOf, expireKey, fromNow, GB_IP, GOOGLEBOT, hugeJson, nested, storedText } from './support/ingest-fixtures';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

const TRACK = '/api/track';
const OK = { success: true };
const invalidPayload = (fieldErrors: Record<string, unknown>, formErrors: unknown[] = []) => ({ success: false, error: 'Invalid payload', details: { fieldErrors, formErrors } });

describe('Rybbit HTTP API', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  let key: string;
  /** Events of the site whose path is `path`. */
  const at = async (path: string) => (await eventsOf(t, site)).filter((e) => e.path === path);
  const track = (body: object) => t.http().post(TRACK).send({ api_key: key, site_id: site, ...body });

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'rybbit');
    site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  });
  afterAll(() => t.close());

  describe('documented examples', () => {
    it('stores the cURL pageview and answers 200 {"success":true}', async () => {
      const res = await t.http().post(TRACK).set('Content-Type', 'application/json').send({
        api_key: key, site_id: site, type: 'pageview', pathname: '/api/users', hostname: 'api.example.com',
        page_title: 'User API Endpoint', user_agent: 'MyApp/1.0 (Linux; x64)', ip_address: '192.168.1.1',
      }).expect(200);
      expect(res.body).toEqual(OK);
      const [row] = await at('/api/users');
      expect(row).toMatchObject({ kind: 'pageview', name: null, hostname: 'api.example.com', title: 'User API Endpoint', os: 'Linux', props: null });
      expect(await storedText(t, site)).not.toContain('192.168.1.1');
    });

    it('stores the cURL custom event with its string-encoded properties decoded', async () => {
      const res = await track({ type: 'custom_event', pathname: '/checkout', event_name: 'purchase', properties: '{"amount": 99.99, "currency": "USD", "product_id": "abc123"}' }).expect(200);
      expect(res.body).toEqual(OK);
      const [row] = await at('/checkout');
      expect(row).toMatchObject({ kind: 'custom', name: 'purchase', props: { amount: 99.99, currency: 'USD', product_id: 'abc123' } });
    });

    it('defaults type to pageview (language examples) and stores the mobile fields', async () => {
      await track({ pathname: '/home', hostname: 'api.example.com' }).expect(200);
      expect(await at('/home')).toEqual([expect.objectContaining({ kind: 'pageview', hostname: 'api.example.com' })]);
      await track({
        type: 'pageview', pathname: '/app', hostname: 'api.example.com', page_title: 'User API Endpoint', user_agent: 'MyApp/1.0.0 (iOS 17.4; iPhone)',
        screenWidth: 390, screenHeight: 844, language: 'en', user_id: 'user_123', querystring: '?utm_source=app&utm_campaign=launch', referrer: 'https://news.ycombinator.com/item?id=1',
      }).expect(200);
      expect((await at('/app'))[0]).toMatchObject({
        screen_width: 390, screen_height: 844, screen: '390x844', language: 'en', user_id: 'user_123', query: 'utm_source=app&utm_campaign=launch',
        utm_source: 'app', utm_campaign: 'launch', referrer: 'https://news.ycombinator.com/item?id=1', referrer_domain: 'news.ycombinator.com',
      });
    });

    it('takes the key from Authorization: Bearer when the body has none', async () => {
      await t.http().post(TRACK).set(bearer(key)).send({ site_id: site, pathname: '/bearer' }).expect(200);
      expect(await at('/bearer')).toHaveLength(1);
      // The body's key wins when both are present.
      await t.http().post(TRACK).set(bearer(key)).send({ api_key: 'ff_live_' + 'C'.repeat(43), site_id: site, pathname: '/both' }).expect(401);
      expect(await at('/both')).toEqual([]);
    });
  });

  describe('validation', () => {
    it('answers the documented body for a custom event without event_name', async () => {
      const res = await track({ type: 'custom_event', pathname: '/no-name' }).expect(400);
      expect(res.body).toEqual(invalidPayload({}, ['Custom events require event_name']));
    });

    it.each([
      ['an unknown type', { type: 'click' }, 'type'],
      ['a pathname of the wrong type', { pathname: 5 }, 'pathname'],
      ['a page_title over 512 characters', { page_title: 't'.repeat(513) }, 'page_title'],
      ['a referrer over 2048 characters', { referrer: 'https://a.com/' + 'r'.repeat(2048) }, 'referrer'],
      ['a user_id over 255 characters', { user_id: 'u'.repeat(256) }, 'user_id'],
      ['a user_agent over 512 characters', { user_agent: 'a'.repeat(513) }, 'user_agent'],
      ['an event_name over 256 characters', { type: 'custom_event', event_name: 'e'.repeat(257) }, 'event_name'],
      ['properties over 2048 characters', { type: 'custom_event', event_name: 'e', properties: JSON.stringify({ a: 'x'.repeat(2100) }) }, 'properties'],
      ['properties that are not JSON', { type: 'custom_event', event_name: 'e', properties: '{amount: 1' }, 'properties'],
      ['properties as an object instead of a string', { type: 'custom_event', event_name: 'e', properties: { amount: 1 } }, 'properties'],
      ['deeply nested properties', { type: 'custom_event', event_name: 'e', properties: JSON.stringify(nested(50)) }, 'properties'],
      ['a screenWidth that is a string', { screenWidth: 'wide' }, 'screenWidth'],
      ['an invalid ip_address', { ip_address: 'nope' }, 'ip_address'],
    ])('answers 400 Invalid payload naming the field for %s', async (what, body, field) => {
      const path = `/invalid/${what.replace(/\W+/g, '-')}`;
      const res = await track({ pathname: path, ...body }).expect(400);
      expect(res.body).toEqual(invalidPayload({ [field]: [expect.any(String)] }));
      expect(await at(path)).toEqual([]);
    });
  });

  describe('credentials and sites', () => {
    it('answers 401 {"success":false,"error":"Invalid API key"} for a missing, unknown, revoked or expired key', async () => {
      const expected = { success: false, error: 'Invalid API key' };
      expect((await t.http().post(TRACK).send({ site_id: site }).expect(401)).body).toEqual(expected);
      expect((await t.http().post(TRACK).send({ api_key: 'rb_0123456789abcdef0123456789abcdef', site_id: site }).expect(401)).body).toEqual(expected);
      const revoked = await createApiKey(t, owner, { scopes: ['ingest'] });
      await t.http().post(TRACK).send({ api_key: revoked.key, site_id: site }).expect(200);
      await t.http().delete(`/api/api-keys/${revoked.id}`).set(bearer(owner.token)).expect(204);
      expect((await t.http().post(TRACK).send({ api_key: revoked.key, site_id: site }).expect(401)).body).toEqual(expected);
      const expired = await createApiKey(t, owner, { scopes: ['ingest'] });
      await expireKey(t, expired.id);
      expect((await t.http().post(TRACK).send({ api_key: expired.key, site_id: site }).expect(401)).body).toEqual(expected);
    });

    it('answers 404 {"success":false,"error":"Site not found"} for an unknown site and another organization\'s site', async () => {
      const stranger = await signup(t, 'stranger');
      const theirs = await createWebsite(t, stranger);
      for (const id of ['no-such-site', theirs.id, 123, '\u0000', `${site}\u0000`]) {
        const res = await track({ site_id: id }).expect(404);
        expect(res.body).toEqual({ success: false, error: 'Site not found' });
      }
      expect(await eventsOf(t, theirs.id)).toEqual([]);
    });

    it('answers 403 for a key without the ingest scope or limited to another website', async () => {
      const other = await createWebsite(t, owner);
      const readOnly = await createApiKey(t, owner, { scopes: ['read'] });
      const limited = await createApiKey(t, owner, { scopes: ['ingest'], website_ids: [other.id] });
      for (const k of [readOnly.key, limited.key]) {
        const res = await t.http().post(TRACK).send({ api_key: k, site_id: site, pathname: '/forbidden' }).expect(403);
        expect(res.body).toMatchObject({ success: false, error: expect.any(String) });
      }
      expect(await at('/forbidden')).toEqual([]);
      await t.http().post(TRACK).send({ api_key: limited.key, site_id: other.id }).expect(200);
    });

    it('does not accept a dashboard access token', async () => {
      await t.http().post(TRACK).set(bearer(owner.token)).send({ site_id: site }).expect(401);
    });
  });

  describe('idempotency', () => {
    it('replays an Idempotency-Key or an event_id: same 200 body, one row', async () => {
      const first = await track({ pathname: '/idem-header' }).set('Idempotency-Key', 'req-1').expect(200);
      const again = await track({ pathname: '/idem-header' }).set('Idempotency-Key', 'req-1').expect(200);
      expect(again.body).toEqual(first.body);
      expect(await at('/idem-header')).toHaveLength(1);
      await track({ pathname: '/idem-body', event_id: 'e-1' }).expect(200);
      expect((await track({ pathname: '/idem-body', event_id: 'e-1' }).expect(200)).body).toEqual(OK);
      expect(await at('/idem-body')).toHaveLength(1);
      expect((await at('/idem-body'))[0].event_key).toBe('e-1');
    });

    it('stores identical bodies without a key as separate events', async () => {
      await track({ pathname: '/twice' }).expect(200);
      await track({ pathname: '/twice' }).expect(200);
      expect(await at('/twice')).toHaveLength(2);
    });
  });

  describe('timestamps', () => {
    it('stores the event at its timestamp', async () => {
      await track({ pathname: '/past', timestamp: '2026-01-15T10:30:00Z' }).expect(200);
      expect((await at('/past'))[0].occurred_at.toISOString()).toBe('2026-01-15T10:30:00.000Z');
    });

    it.each([
      ['a number', 1767225600000],
      ['an invalid date', '2026-02-30T25:00:00Z'],
      ['a day that does not exist', '2026-02-30T10:00:00Z'],
      ['no time zone', '2026-01-15 10:30:00'],
      ['more than 5 minutes ahead', fromNow(10 * 60_000)],
    ])('answers 400 with details.fieldErrors.timestamp for %s', async (what, timestamp) => {
      const path = `/bad-ts/${what.replace(/\W+/g, '-')}`;
      const res = await track({ pathname: path, timestamp }).expect(400);
      expect(res.body).toEqual(invalidPayload({ timestamp: [expect.any(String)] }));
      expect(await at(path)).toEqual([]);
    });
  });

  describe('enrichment', () => {
    it('enriches from the body\'s user_agent and ip_address, never storing the IP', async () => {
      await track({ pathname: '/enriched', user_agent: CHROME_WINDOWS, ip_address: GB_IP }).expect(200);
      expect((await at('/enriched'))[0]).toMatchObject({ browser: 'Chrome', os: 'Windows', device_type: 'desktop', country: 'GB', is_bot: false });
      expect(await storedText(t, site)).not.toContain(GB_IP);
      expect(await storedText(t, site)).not.toContain('127.0.0.1');
      await track({ pathname: '/bot', user_agent: GOOGLEBOT }).expect(200);
      expect((await at('/bot'))[0].is_bot).toBe(true);
    });

    it('ignores the request\'s own User-Agent', async () => {
      await track({ pathname: '/hdr-bot' }).set('User-Agent', GOOGLEBOT).expect(200);
      await track({ pathname: '/hdr-chrome' }).set('User-Agent', CHROME_WINDOWS).expect(200);
      for (const path of ['/hdr-bot', '/hdr-chrome']) expect((await at(path))[0]).toMatchObject({ is_bot: false, browser: null, os: null });
    });
  });

  describe('bodies', () => {
    it('accepts JSON sent as text/plain or with a charset, ignoring unknown fields', async () => {
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/json; charset=utf-8']) {
        const body = JSON.stringify({ api_key: key, site_id: site, pathname: '/plain', sdk: { v: [1] } });
        await t.http().post(TRACK).set('Content-Type', type).send(body).expect(200);
      }
      expect(await at('/plain')).toHaveLength(3);
    });

    it('answers malformed JSON and a non-object body with 400 Invalid payload', async () => {
      for (const raw of ['{"site_id": ', '"just a string"', '']) {
        const res = await t.http().post(TRACK).set(bearer(key)).set('Content-Type', 'application/json').send(raw).expect(400);
        expect(res.body).toEqual(invalidPayload({}, [expect.any(String)]));
      }
    });

    it('answers a form-encoded body with 4xx in Rybbit\'s format', async () => {
      const res = await t.http().post(TRACK).set(bearer(key)).type('form').send(`api_key=${key}&site_id=${site}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ success: false, error: expect.any(String) });
    });

    it('answers a 2 MB body with 413 in Rybbit\'s format', async () => {
      const res = await t.http().post(TRACK).set('Content-Type', 'application/json').send(hugeJson({ api_key: key, site_id: site }, 2 * 1024 * 1024));
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ success: false, error: expect.any(String) });
    });
  });

  describe('rate limit', () => {
    it('allows 20 requests per second per key, then 429 with the documented body', async () => {
      const limited = await createApiKey(t, owner, { scopes: ['ingest'] });
      const results = await Promise.all(Array.from({ length: 21 }, () => t.http().post(TRACK).send({ api_key: limited.key, site_id: site, pathname: '/burst' })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      const refused = results.filter((r) => r.status === 429);
      expect(refused).toHaveLength(1);
      expect(refused[0].body).toEqual({ success: false, error: 'Rate limit exceeded. Maximum 20 requests per second per API key.' });
      expect(await at('/burst')).toHaveLength(20);
      await track({ pathname: '/other-key' }).expect(200);
    });
  });
});

describe('Rybbit with RYBBIT_RATE_LIMIT_PER_SECOND=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RYBBIT_RATE_LIMIT_PER_SECOND: '0' });
  });
  afterAll(() => t.close());

  it('does not limit requests', async () => {
    const a = await signup(t, 'unlimited');
    const site = (await createWebsite(t, a)).id;
    const { key } = await createApiKey(t, a, { scopes: ['ingest'] });
    const results = await Promise.all(Array.from({ length: 30 }, () => t.http().post(TRACK).send({ api_key: key, site_id: site })));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(await eventsOf(t, site)).toHaveLength(30);
  });
});
