import { CHROME_WINDOWS, eventsOf, fromNow, GB_IP, GOOGLEBOT, nested, storedText } from './support/ingest-fixtures';
import { Account, bearer, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

const COLLECT = '/api/collect';
const anError = { error: expect.any(String) };

describe('Sparklytics /api/collect', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  const collect = (body: unknown) => t.http().post(COLLECT).send(body as object);
  const at = async (path: string, id = site) => (await eventsOf(t, id)).filter((e) => e.path === path);
  const named = async (name: string) => (await eventsOf(t, site)).filter((e) => e.name === name);
  /** A website of its own, so a test can check every row the request stored. */
  const freshSite = async () => (await createWebsite(t, owner, { domain: 'example.com' })).id;
  const accepted = (res: { status: number; body: unknown; headers: Record<string, string> }) => {
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ ok: true });
    expect(res.headers['x-sparklytics-ingest-ack']).toBe('queued');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  };

  beforeAll(async () => {
    // The per-IP limit is covered in collect-browser.e2e-spec.ts; here every request comes from one address.
    t = await startTestApp({ SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '0' });
    owner = await signup(t, 'sparklytics');
    site = await freshSite();
  });
  afterAll(() => t.close());

  describe('documented examples (000: HTTP API)', () => {
    it('stores the pageview example with referrer, language, screen and UTM, answering 202 {"ok":true} with the ack header', async () => {
      const id = await freshSite();
      accepted(await collect({
        website_id: id, type: 'pageview', url: 'https://example.com/pricing', referrer: 'https://google.com/search?q=analytics',
        language: 'en-US', screen: '1920x1080', screen_width: 1920, screen_height: 1080, utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring-sale',
      }));
      expect(await eventsOf(t, id)).toEqual([expect.objectContaining({
        website_id: id, kind: 'pageview', name: null, hostname: 'example.com', path: '/pricing', query: null, props: null,
        referrer: 'https://google.com/search?q=analytics', referrer_domain: 'google.com', language: 'en-US', screen: '1920x1080',
        screen_width: 1920, screen_height: 1080, utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring-sale', utm_term: null, utm_content: null,
        visitor_id: expect.stringMatching(/^[0-9a-f]{16}$/), is_bot: false,
      })]);
    });

    it('stores the custom event example with its event_data object as props (own-site referrer has no referrer_domain)', async () => {
      const id = await freshSite();
      accepted(await collect({
        website_id: id, type: 'event', url: 'https://example.com/pricing', event_name: 'signup_click',
        event_data: { plan: 'pro', source: 'hero_cta' }, referrer: 'https://example.com/home', language: 'en-US',
      }));
      expect(await eventsOf(t, id)).toEqual([expect.objectContaining({
        kind: 'custom', name: 'signup_click', hostname: 'example.com', path: '/pricing', props: { plan: 'pro', source: 'hero_cta' },
        referrer: 'https://example.com/home', referrer_domain: null, language: 'en-US', screen: null, utm_source: null,
      })]);
    });

    it('stores both events of the batch example', async () => {
      const id = await freshSite();
      accepted(await collect([
        { website_id: id, type: 'pageview', url: 'https://example.com/home' },
        { website_id: id, type: 'event', url: 'https://example.com/home', event_name: 'cta_click', event_data: { button: 'hero' } },
      ]));
      const rows = await eventsOf(t, id);
      expect(rows.map((r) => [r.kind, r.name, r.path, r.props])).toEqual([['pageview', null, '/home', null], ['custom', 'cta_click', '/home', { button: 'hero' }]]);
    });

    it('stores the client examples: fetch (keepalive, no referrer), Python, Go, Ruby and cURL', async () => {
      const id = await freshSite();
      accepted(await collect({ website_id: id, type: 'pageview', url: 'https://example.com/js', language: 'de-DE', screen: '1440x900' }));
      accepted(await collect({ website_id: id, type: 'event', url: 'https://example.com/js', event_name: 'signup_click', event_data: { plan: 'pro' }, language: 'de-DE' }));
      accepted(await collect({ website_id: id, type: 'pageview', url: 'https://example.com/py', referrer: 'https://www.bing.com/', visitor_id: 'visitor-7' }));
      accepted(await collect({ website_id: id, type: 'pageview', url: 'https://example.com/go', referrer: 'https://google.com' }));
      accepted(await collect({ website_id: id, type: 'event', url: 'https://example.com/rb', event_name: 'signup_click', event_data: { plan: 'pro', source: 'hero_cta' } }));
      accepted(await collect({ website_id: id, type: 'pageview', url: 'https://example.com/test' }));
      const rows = await eventsOf(t, id);
      expect(rows.map((r) => [r.kind, r.name, r.path, r.props, r.referrer_domain, r.language, r.screen])).toEqual([
        ['pageview', null, '/js', null, null, 'de-DE', '1440x900'],
        ['custom', 'signup_click', '/js', { plan: 'pro' }, null, 'de-DE', null],
        ['pageview', null, '/py', null, 'bing.com', null, null],
        ['pageview', null, '/go', null, 'google.com', null, null],
        ['custom', 'signup_click', '/rb', { plan: 'pro', source: 'hero_cta' }, null, null, null],
        ['pageview', null, '/test', null, null, null, null],
      ]);
      expect(rows[2].visitor_id).toBe('visitor-7');
    });

    it('stores the server-side conversion example with its stable visitor_id', async () => {
      const id = await freshSite();
      accepted(await collect({
        website_id: id, type: 'event', url: 'https://example.com/checkout', event_name: 'subscription_created',
        event_data: { plan: 'pro', price: 49.99, currency: 'USD' }, visitor_id: 'user_123',
      }));
      expect(await eventsOf(t, id)).toEqual([expect.objectContaining({
        kind: 'custom', name: 'subscription_created', path: '/checkout', props: { plan: 'pro', price: 49.99, currency: 'USD' }, visitor_id: 'user_123',
      })]);
    });

    it('takes UTM parameters from the page URL when the fields are absent', async () => {
      accepted(await collect({ website_id: site, type: 'pageview', url: 'https://example.com/utm?utm_source=news&utm_medium=email&utm_term=a&utm_content=b' }));
      expect((await at('/utm'))[0]).toMatchObject({ query: 'utm_source=news&utm_medium=email&utm_term=a&utm_content=b', utm_source: 'news', utm_medium: 'email', utm_term: 'a', utm_content: 'b' });
    });
  });

  describe('documented examples (001: custom events)', () => {
    it('stores the single event with event_type "custom" and event_data as a JSON string', async () => {
      const id = await freshSite();
      accepted(await collect({ website_id: id, event_type: 'custom', event_name: 'signup_click', url: 'https://example.com/pricing', event_data: '{"plan":"pro"}' }));
      expect(await eventsOf(t, id)).toEqual([expect.objectContaining({ kind: 'custom', name: 'signup_click', hostname: 'example.com', path: '/pricing', props: { plan: 'pro' } })]);
    });

    it('stores the batch example, whose events have no url', async () => {
      const id = await freshSite();
      accepted(await collect([
        { website_id: id, event_type: 'custom', event_name: 'add_to_cart', event_data: '{"product_id":123}' },
        { website_id: id, event_type: 'custom', event_name: 'checkout_start', event_data: '{"cart_value":149.99}' },
      ]));
      const rows = await eventsOf(t, id);
      expect(rows.map((r) => [r.kind, r.name, r.props, r.hostname, r.path])).toEqual([
        ['custom', 'add_to_cart', { product_id: 123 }, null, null],
        ['custom', 'checkout_start', { cart_value: 149.99 }, null, null],
      ]);
    });

    it.each([
      ['an object', (d: object) => d],
      ['a JSON string', (d: object) => JSON.stringify(d)],
    ])('keeps strings, numbers, booleans and nested objects in event_data sent as %s', async (shape, encode) => {
      const data = { plan: 'pro', amount: 49.99, items: 2, paid: true, product: { id: 123, name: 'Widget' } };
      const name = `typed_${shape.replace(/ /g, '_')}`;
      accepted(await collect({ website_id: site, event_type: 'custom', event_name: name, event_data: encode(data) }));
      expect((await named(name))[0].props).toEqual(data);
    });
  });

  describe('validation', () => {
    const pv = (extra: Record<string, unknown>) => ({ website_id: site, type: 'pageview', url: 'https://example.com/limits', ...extra });
    const long = (n: number) => 'a'.repeat(n);

    it.each([
      ['url', { url: 'https://example.com/' + long(2048 - 20) }, { url: 'https://example.com/' + long(2048 - 19) }],
      ['event_name', { type: 'event', event_name: long(50) }, { type: 'event', event_name: long(51) }],
      ['referrer', { referrer: 'https://google.com/' + long(2048 - 19) }, { referrer: 'https://google.com/' + long(2048 - 18) }],
      ['visitor_id', { visitor_id: long(64) }, { visitor_id: long(65) }],
      ['language', { language: 'zh-Hant-TW' }, { language: 'zh-Hant-TWX' }],
      ['screen', { screen: '1'.repeat(20) }, { screen: '1'.repeat(21) }],
      ...['source', 'medium', 'campaign', 'term', 'content'].map((p) => [`utm_${p}`, { [`utm_${p}`]: long(100) }, { [`utm_${p}`]: long(101) }]),
    ] as [string, Record<string, unknown>, Record<string, unknown>][])('accepts %s at its limit and answers 400 {"error"} one past it', async (_field, atLimit, over) => {
      accepted(await collect(pv(atLimit)));
      const res = await collect(pv({ ...over, url: over.url ?? 'https://example.com/over-limit' })).expect(400);
      expect(res.body).toEqual(anError);
      expect(await at('/over-limit')).toEqual([]);
    });

    it('answers 400 for a website_id over 64 characters (not 404)', async () => {
      expect((await collect(pv({ website_id: long(65) })).expect(400)).body).toEqual(anError);
    });

    it.each([
      ['an object', (s: string) => ({ k: s })],
      ['a JSON string', (s: string) => JSON.stringify({ k: s })],
    ])('limits event_data sent as %s to 4096 bytes serialized', async (_shape, encode) => {
      const ev = (s: string, path: string) => ({ website_id: site, type: 'event', url: `https://example.com/${path}`, event_name: 'sized', event_data: encode(s) });
      accepted(await collect(ev('x'.repeat(4096 - 8), 'data-at-limit'))); // {"k":"..."} is 8 bytes plus the value
      expect((await collect(ev('x'.repeat(4096 - 7), 'data-over')).expect(400)).body).toEqual(anError);
      // Bytes, not characters: 2045 × "é" is 4090 bytes.
      expect((await collect(ev('é'.repeat(2045), 'data-over')).expect(400)).body).toEqual(anError);
      expect(await at('/data-over')).toEqual([]);
    });

    it.each([
      ['no website_id', { type: 'pageview', url: 'https://example.com/' }],
      ['no type nor event_type', { website_id: 'S', url: 'https://example.com/' }],
      ['an unknown type', { website_id: 'S', type: 'click', url: 'https://example.com/' }],
      ['type without url', { website_id: 'S', type: 'pageview' }],
      ['type with a null url', { website_id: 'S', type: 'pageview', url: null }],
      ['type "event" without event_name', { website_id: 'S', type: 'event', url: 'https://example.com/' }],
      ['event_type "custom" without event_name', { website_id: 'S', event_type: 'custom' }],
      ['url of the wrong type', { website_id: 'S', type: 'pageview', url: 42 }],
      ['website_id of the wrong type', { website_id: 42, type: 'pageview', url: 'https://example.com/' }],
      ['screen_width as a string', { website_id: 'S', type: 'pageview', url: 'https://example.com/', screen_width: '1920' }],
      ['event_data an array', { website_id: 'S', type: 'event', url: 'https://example.com/', event_name: 'x', event_data: [1, 2] }],
      ['event_data a number', { website_id: 'S', type: 'event', url: 'https://example.com/', event_name: 'x', event_data: 42 }],
      ['event_data a string that is not JSON', { website_id: 'S', event_type: 'custom', event_name: 'x', event_data: '{plan: pro' }],
      ['deeply nested event_data', { website_id: 'S', type: 'event', url: 'https://example.com/', event_name: 'x', event_data: nested(200) }],
      ['a huge url', { website_id: 'S', type: 'pageview', url: 'https://example.com/' + 'a'.repeat(50_000) }],
      ['a number body', 42],
      ['a string body', 'pageview'],
      ['a null body', null],
      ['an array of non-objects', [1, 2]],
      ['an empty array', []],
    ])('answers 400 {"error"} for %s', async (_what, body) => {
      const withSite = body && typeof body === 'object' && !Array.isArray(body) && (body as { website_id?: unknown }).website_id === 'S' ? { ...body, website_id: site } : body;
      const res = await t.http().post(COLLECT).set('Content-Type', 'application/json').send(JSON.stringify(withSite)).expect(400);
      expect(res.body).toEqual(anError);
    });

    it('answers malformed JSON with 400 {"error"}, never 5xx for a pathologically nested body', async () => {
      const bad = await t.http().post(COLLECT).set('Content-Type', 'application/json').send('{"website_id": ').expect(400);
      expect(bad.body).toEqual(anError);
      const deep = '{"website_id":"' + site + '","type":"pageview","url":"https://example.com/deep","x":' + '['.repeat(40_000) + ']'.repeat(40_000) + '}';
      const res = await t.http().post(COLLECT).set('Content-Type', 'application/json').send(deep);
      expect(res.status).toBeLessThan(500);
      if (res.status !== 202) expect(res.body).toEqual(anError);
    });

    it('treats null as absent and ignores unknown fields', async () => {
      accepted(await collect({
        website_id: site, type: 'pageview', url: 'https://example.com/nulls', referrer: null, visitor_id: null, language: null, screen: null,
        screen_width: null, screen_height: null, event_name: null, event_data: null, utm_source: null, utm_term: null, event_id: null, timestamp: null,
        title: 'ignored', session_id: 'abc', foo: { bar: [1, 2] },
      }));
      expect((await at('/nulls'))[0]).toMatchObject({ kind: 'pageview', referrer: null, language: null, screen: null, screen_width: null, utm_source: null, props: null, title: null });
      accepted(await collect({ website_id: site, event_type: 'custom', event_name: 'null_url', url: null, event_data: null }));
      expect(await named('null_url')).toHaveLength(1);
    });
  });

  describe('batches and websites', () => {
    const batch = (n: number, name: string, id = site) => Array.from({ length: n }, (_, i) => ({ website_id: id, type: 'event', url: `https://example.com/b${i}`, event_name: name }));

    it('accepts 50 events, and answers 51 with 400 code batch_too_large storing nothing', async () => {
      accepted(await collect(batch(50, 'fifty')));
      expect(await named('fifty')).toHaveLength(50);
      const res = await collect(batch(51, 'fifty_one')).expect(400);
      expect(res.body).toEqual({ error: expect.any(String), code: 'batch_too_large' });
      expect(await named('fifty_one')).toEqual([]);
    });

    it('rejects a whole batch when one event is invalid', async () => {
      const events: unknown[] = batch(3, 'one_bad');
      events[2] = { website_id: site, type: 'event', url: 'https://example.com/' };
      expect((await collect(events).expect(400)).body).toEqual(anError);
      expect(await named('one_bad')).toEqual([]);
    });

    it('answers 404 {"error":"Unknown website_id: X"} for an unknown website, alone or in a batch', async () => {
      const res = await collect({ website_id: 'no-such-site', type: 'pageview', url: 'https://example.com/' }).expect(404);
      expect(res.body).toEqual({ error: 'Unknown website_id: no-such-site' });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const mixed = await collect([...batch(1, 'mixed'), { website_id: 'abc123', type: 'pageview', url: 'https://example.com/' }]).expect(404);
      expect(mixed.body).toEqual({ error: 'Unknown website_id: abc123' });
      expect(await named('mixed')).toEqual([]);
    });

    it('answers 404 for a website_id holding a NUL character, never 503 as if overloaded', async () => {
      for (const id of ['\u0000', `${site}\u0000`]) {
        const res = await collect({ website_id: id, type: 'pageview', url: 'https://example.com/' }).expect(404);
        expect(res.body).toEqual({ error: `Unknown website_id: ${id}` });
        expect((await collect([{ website_id: id, type: 'pageview', url: 'https://example.com/' }]).expect(404)).body).toEqual(anError);
      }
    });

    it('stores text holding NUL characters without them (Postgres text cannot hold them)', async () => {
      const id = await freshSite();
      accepted(await collect({
        website_id: id, type: 'event', event_name: 'sign\u0000up', url: 'https://example.com/nul\u0000path', referrer: 'https://ref.example.org/\u0000',
        event_data: { 'k\u0000': 'v\u0000', list: ['\u0000'] }, visitor_id: 'v\u0000', language: 'en\u0000', utm_source: 'news\u0000',
      }));
      const [row] = await eventsOf(t, id);
      expect(row).toMatchObject({
        name: 'signup', props: { k: 'v', list: [''] }, visitor_id: 'v', language: 'en', utm_source: 'news', referrer: 'https://ref.example.org/',
      });
      expect(JSON.stringify(row)).not.toContain('\\u0000');
    });

    it('answers 403 {"error"} when the website refuses public collection', async () => {
      const id = await freshSite();
      await t.http().patch(`/api/websites/${id}`).set(bearer(owner.token)).send({ public_collect: false }).expect(200);
      const res = await collect({ website_id: id, type: 'pageview', url: 'https://example.com/closed' }).expect(403);
      expect(res.body).toEqual(anError);
      expect(await eventsOf(t, id)).toEqual([]);
    });

    it('does not rate limit when SPARKLYTICS_RATE_LIMIT_PER_MINUTE is 0', async () => {
      for (let i = 0; i < 70; i++) expect((await collect({ website_id: 'none', type: 'pageview', url: 'https://example.com/' })).status).toBe(404);
    });
  });

  describe('idempotency', () => {
    it('replays an Idempotency-Key: same 202 answer, one row', async () => {
      const body = { website_id: site, type: 'pageview', url: 'https://example.com/idem-header' };
      const first = await collect(body).set('Idempotency-Key', 'spk-1');
      const again = await collect(body).set('Idempotency-Key', 'spk-1');
      accepted(first);
      accepted(again);
      expect(await at('/idem-header')).toHaveLength(1);
    });

    it('replays event_id on each event of a batch; identical bodies without a key are separate events', async () => {
      const events = [
        { website_id: site, type: 'pageview', url: 'https://example.com/idem-a', event_id: 'a-1' },
        { website_id: site, type: 'pageview', url: 'https://example.com/idem-b', event_id: 'b-1' },
      ];
      accepted(await collect(events));
      accepted(await collect(events));
      accepted(await collect([events[1], { ...events[0], url: 'https://example.com/idem-c', event_id: 'c-1' }]));
      expect([(await at('/idem-a')).length, (await at('/idem-b')).length, (await at('/idem-c')).length]).toEqual([1, 1, 1]);
      accepted(await collect({ website_id: site, type: 'pageview', url: 'https://example.com/twice' }));
      accepted(await collect({ website_id: site, type: 'pageview', url: 'https://example.com/twice' }));
      expect(await at('/twice')).toHaveLength(2);
    });
  });

  describe('timestamps', () => {
    it('stores the event at its timestamp', async () => {
      accepted(await collect({ website_id: site, type: 'pageview', url: 'https://example.com/ts', timestamp: '2026-01-15T10:30:00+02:00' }));
      expect((await at('/ts'))[0].occurred_at.toISOString()).toBe('2026-01-15T08:30:00.000Z');
      const soon = fromNow(60_000);
      accepted(await collect({ website_id: site, event_type: 'custom', event_name: 'soon', timestamp: soon }));
      expect((await named('soon'))[0].occurred_at.toISOString()).toBe(soon);
    });

    it.each([
      ['a number', 1767225600000],
      ['an invalid date', '2026-13-45T00:00:00Z'],
      ['no time zone', '2026-01-15T10:30:00'],
      ['not a date', 'yesterday'],
      ['more than 5 minutes ahead', fromNow(10 * 60_000)],
    ])('answers 400 {"error"} for a timestamp that is %s, alone or in a batch', async (_what, timestamp) => {
      const ev = { website_id: site, type: 'pageview', url: 'https://example.com/bad-ts', timestamp };
      expect((await collect(ev).expect(400)).body).toEqual(anError);
      expect((await collect([{ ...ev, timestamp: undefined }, ev]).expect(400)).body).toEqual(anError);
      expect(await at('/bad-ts')).toEqual([]);
    });
  });

  describe('enrichment', () => {
    const send = (path: string) => collect({ website_id: site, type: 'pageview', url: `https://example.com/${path}` });

    it('counts an event without a user agent as a human visit', async () => {
      accepted(await send('no-ua'));
      expect((await at('/no-ua'))[0]).toMatchObject({ is_bot: false, browser: null });
    });

    it('enriches from the request\'s own User-Agent: Chrome on Windows, and Googlebot as a bot', async () => {
      accepted(await send('chrome').set('User-Agent', CHROME_WINDOWS));
      expect((await at('/chrome'))[0]).toMatchObject({ browser: 'Chrome', os: 'Windows', device_type: 'desktop', is_bot: false });
      accepted(await send('googlebot').set('User-Agent', GOOGLEBOT));
      expect((await at('/googlebot'))[0]).toMatchObject({ is_bot: true });
    });

    it('ignores X-Forwarded-For without TRUST_PROXY and never stores the client address', async () => {
      accepted(await send('xff').set('X-Forwarded-For', GB_IP).set('User-Agent', CHROME_WINDOWS));
      expect((await at('/xff'))[0].country).not.toBe('GB');
      const text = await storedText(t, site);
      for (const ip of [GB_IP, '127.0.0.1', '::1']) expect(text).not.toContain(ip);
    });
  });
});
