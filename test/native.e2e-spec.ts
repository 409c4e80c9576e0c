import { queryDb } from './support/events-db';
import { CHROME_WINDOWS, eventById, eventsOf, expireKey, fromNow, GB_IP, GOOGLEBOT, hugeJson, nested, storedText } from './support/ingest-fixtures';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

const EVENTS = '/api/v1/events';
const err = (code: string, field: string | null = null, index: number | null = null) => ({ error: { code, message: expect.any(String), field, index } });
const ID = /^\d+$/;

describe('Native POST /api/v1/events', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  let key: string;
  const post = (body: unknown, k = key) => t.http().post(EVENTS).set(bearer(k)).send(body as object);
  const named = async (name: string, id = site) => (await eventsOf(t, id)).filter((e) => e.name === name);
  const custom = (name: string, extra: Record<string, unknown> = {}) => ({ website_id: site, type: 'custom', name, url: 'https://example.com/n', ...extra });

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'native');
    site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  });
  afterAll(() => t.close());

  describe('single events and batches', () => {
    it('stores a custom event with every field and answers 202 {"ok":true,"event_id"}', async () => {
      const res = await post({
        website_id: site, type: 'custom', name: 'signup', url: 'https://example.com/pricing?plan=pro&utm_source=news', referrer: 'https://www.google.com/search?q=x',
        title: 'Pricing', props: { plan: 'pro', amount: 49.99, nested: { ok: true } }, visitor_id: 'v-1', user_id: 'u-1', language: 'en-US',
        screen_width: 390, screen_height: 844, utm_campaign: 'spring', user_agent: CHROME_WINDOWS, ip_address: GB_IP,
      }).expect(202);
      expect(res.body).toEqual({ ok: true, event_id: expect.stringMatching(ID) });
      expect(await eventById(t, res.body.event_id)).toMatchObject({
        website_id: site, kind: 'custom', name: 'signup', hostname: 'example.com', path: '/pricing', query: 'plan=pro&utm_source=news', title: 'Pricing',
        referrer_domain: 'google.com', props: { plan: 'pro', amount: 49.99, nested: { ok: true } }, visitor_id: 'v-1', user_id: 'u-1', language: 'en-US',
        screen: '390x844', screen_width: 390, screen_height: 844, utm_source: 'news', utm_campaign: 'spring',
        browser: 'Chrome', os: 'Windows', device_type: 'desktop', country: 'GB', is_bot: false,
      });
      expect(await storedText(t, site)).not.toContain(GB_IP);
    });

    it('stores text exactly: quotes, backslashes, braces, emoji and other scripts; a lone surrogate half as U+FFFD', async () => {
      const title = 'He said "hi" \\ {a,b} \'x\' — 日本語 😀 \t';
      const props = { 'quote"key': 'a\\b"c', emoji: '😀', nested: { list: [1, '{x}', null], script: 'Ελληνικά' } };
      const res = await post(custom('exact_text', { title, props, user_id: 'u"1\\', language: 'de-CH' })).expect(202);
      expect(await eventById(t, res.body.event_id)).toMatchObject({ title: title.trim(), props, user_id: 'u"1\\', language: 'de-CH' });
      const words = await post(custom('NULL', { title: 'null', user_id: 'NuLl', referrer: 'https://example.org/a b,c{d}' })).expect(202);
      expect(await eventById(t, words.body.event_id)).toMatchObject({ name: 'NULL', title: 'null', user_id: 'NuLl', referrer: 'https://example.org/a b,c{d}' });
      const lone = await post(custom('lone_surrogate', { title: 'a\ud800b' })).expect(202);
      expect((await eventById(t, lone.body.event_id))?.title).toBe('a\ufffdb');
    });

    it('stores text holding NUL characters without them (Postgres text cannot hold them), keys and ids included', async () => {
      const body = custom('nul\u0000name', {
        url: 'https://example.com/a\u0000b?q=\u0000', title: 't\u0000', referrer: 'https://ref.example.org/\u0000', props: { 'k\u0000': 'v\u0000', deep: { x: ['\u0000'] } },
        visitor_id: 'v\u0000', user_id: 'u\u0000', event_id: 'e\u0000', utm_campaign: 'c\u0000',
      });
      const res = await post(body).expect(202);
      expect(await eventById(t, res.body.event_id)).toMatchObject({
        name: 'nulname', title: 't', referrer: 'https://ref.example.org/', props: { k: 'v', deep: { x: [''] } }, visitor_id: 'v', user_id: 'u', event_key: 'e', utm_campaign: 'c',
      });
      // The key is the same on a retry: the replay answers with the first event's id.
      expect((await post(body).expect(202)).body).toEqual(res.body);
      expect(await named('nulname')).toHaveLength(1);
    });

    it('defaults to a pageview (name ignored), treats null as absent and ignores unknown fields', async () => {
      const res = await post({ website_id: site, name: 'ignored', url: 'https://example.com/pv', referrer: null, props: null, timestamp: null, event_id: null, events: null, whatever: [1] }).expect(202);
      expect(await eventById(t, res.body.event_id)).toMatchObject({ kind: 'pageview', name: null, path: '/pv', referrer: null, props: null, event_key: null });
    });

    it('stores a batch and answers {"ok":true,"accepted":n,"event_ids"} in input order (a batch of one too)', async () => {
      const res = await post({ events: [custom('b1'), custom('b2', { props: { i: 2 } }), { website_id: site, url: 'https://example.com/b3' }] }).expect(202);
      expect(res.body).toEqual({ ok: true, accepted: 3, event_ids: [expect.stringMatching(ID), expect.stringMatching(ID), expect.stringMatching(ID)] });
      expect(new Set(res.body.event_ids).size).toBe(3);
      const rows = await Promise.all(res.body.event_ids.map((id: string) => eventById(t, id)));
      expect(rows.map((r) => [r?.kind, r?.name, r?.path, r?.props])).toEqual([['custom', 'b1', '/n', null], ['custom', 'b2', '/n', { i: 2 }], ['pageview', null, '/b3', null]]);
      const one = await post({ events: [custom('b4')] }).expect(202);
      expect(one.body).toEqual({ ok: true, accepted: 1, event_ids: [expect.stringMatching(ID)] });
    });

    it('accepts 500 events, and answers 501 with 400 batch_too_large storing nothing', async () => {
      const res = await post({ events: Array.from({ length: 500 }, () => custom('five_hundred')) }).expect(202);
      expect(res.body.accepted).toBe(500);
      expect(await named('five_hundred')).toHaveLength(500);
      expect((await post({ events: Array.from({ length: 501 }, () => custom('too_many')) }).expect(400)).body).toEqual(err('batch_too_large', 'events'));
      expect(await named('too_many')).toEqual([]);
    });
  });

  describe('all or nothing', () => {
    it.each([
      ['a url of the wrong type', { url: 42 }, err('validation_error', 'url', 2)],
      ['a custom event without name', { name: undefined }, err('validation_error', 'name', 2)],
      ['props nested too deep', { props: nested(10) }, err('invalid_props', 'props', 2)],
      ['a timestamp an hour ahead', { timestamp: fromNow(3_600_000) }, err('validation_error', 'timestamp', 2)],
      ['a bad ip_address', { ip_address: 'not-an-ip' }, err('validation_error', 'ip_address', 2)],
    ])('rejects the batch when event 2 has %s, naming index and field, and stores nothing', async (what, bad, expected) => {
      const name = `aon_${what.replace(/\W+/g, '_')}`;
      const res = await post({ events: [custom(name), custom(name), custom(name, bad)] }).expect(400);
      expect(res.body).toEqual(expected);
      expect(await named(name)).toEqual([]);
    });

    it('rejects the batch when one event is not an object, or names another organization\'s website', async () => {
      expect((await post({ events: [custom('aon_shape'), 'x'] }).expect(400)).body).toEqual(err('validation_error', null, 1));
      const theirs = (await createWebsite(t, await signup(t, 'other-org'))).id;
      const res = await post({ events: [custom('aon_org'), { ...custom('aon_org'), website_id: theirs }] }).expect(404);
      expect(res.body.error.code).toBe('website_not_found');
      expect([...(await named('aon_shape')), ...(await named('aon_org')), ...(await eventsOf(t, theirs))]).toEqual([]);
    });
  });

  describe('validation and bodies', () => {
    it.each([
      ['no website_id', { url: 'https://example.com/' }, err('validation_error', 'website_id')],
      ['website_id of the wrong type', { website_id: 7 }, err('validation_error', 'website_id')],
      ['an unknown type', { website_id: 'S', type: 'click' }, err('validation_error', 'type')],
      ['a name over 128 characters', { website_id: 'S', type: 'custom', name: 'n'.repeat(129) }, err('validation_error', 'name')],
      ['a url over 2048 characters', { website_id: 'S', url: 'https://example.com/' + 'a'.repeat(2029) }, err('validation_error', 'url')],
      ['a huge url', { website_id: 'S', url: 'https://example.com/' + 'a'.repeat(200_000) }, err('validation_error', 'url')],
      ['screen_width as a string', { website_id: 'S', screen_width: '390' }, err('validation_error', 'screen_width')],
      ['a numeric timestamp', { website_id: 'S', timestamp: 1767225600000 }, err('validation_error', 'timestamp')],
      ['props an array', { website_id: 'S', type: 'custom', name: 'x', props: [1] }, err('invalid_props', 'props')],
      ['props over 4096 bytes', { website_id: 'S', type: 'custom', name: 'x', props: { k: 'x'.repeat(4100) } }, err('invalid_props', 'props')],
      ['events not an array', { events: 'x' }, err('validation_error', 'events')],
      ['an empty events array', { events: [] }, err('validation_error', 'events')],
      ['a top-level array', [{ website_id: 'S' }], err('validation_error')],
    ])('answers 400 for %s', async (_what, body, expected) => {
      const withSite = Array.isArray(body) ? body : (body as { website_id?: unknown }).website_id === 'S' ? { ...body, website_id: site } : body;
      expect((await post(withSite).expect(400)).body).toEqual(expected);
    });

    it('answers malformed JSON 400 invalid_json, a form body 400/415, a 2 MB body 413 payload_too_large, never 5xx', async () => {
      const raw = (type: string, text: string) => t.http().post(EVENTS).set(bearer(key)).set('Content-Type', type).send(text);
      expect((await raw('application/json', '{"website_id": ').expect(400)).body).toEqual(err('invalid_json'));
      const form = await t.http().post(EVENTS).set(bearer(key)).type('form').send(`website_id=${site}`);
      expect([400, 415]).toContain(form.status);
      expect(form.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), field: null, index: null } });
      expect((await raw('application/json', hugeJson({ website_id: site }, 2 * 1024 * 1024)).expect(413)).body).toEqual(err('payload_too_large'));
      const deep = await raw('application/json', `{"website_id":"${site}","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      expect(deep.status).toBeLessThan(500);
      const plain = await raw('text/plain;charset=UTF-8', JSON.stringify(custom('plain_text'))).expect(202);
      expect((await eventById(t, plain.body.event_id))?.name).toBe('plain_text');
    });
  });

  describe('credentials and websites', () => {
    it('answers 401 unauthorized for an unknown, revoked or expired key', async () => {
      const body = custom('denied');
      expect((await post(body, 'ff_live_' + 'C'.repeat(43)).expect(401)).body).toEqual(err('unauthorized'));
      const revoked = await createApiKey(t, owner, { scopes: ['ingest'] });
      await post(custom('before_revoke'), revoked.key).expect(202);
      await t.http().delete(`/api/api-keys/${revoked.id}`).set(bearer(owner.token)).expect(204);
      expect((await post(body, revoked.key).expect(401)).body).toEqual(err('unauthorized'));
      const expired = await createApiKey(t, owner, { scopes: ['ingest'] });
      await expireKey(t, expired.id);
      expect((await post(body, expired.key).expect(401)).body).toEqual(err('unauthorized'));
      expect(await named('denied')).toEqual([]);
    });

    it('answers 403 forbidden for a key without the ingest scope or limited to another website', async () => {
      const other = (await createWebsite(t, owner)).id;
      const readOnly = await createApiKey(t, owner, { scopes: ['read'] });
      const limited = await createApiKey(t, owner, { scopes: ['ingest'], website_ids: [other] });
      for (const k of [readOnly.key, limited.key]) expect((await post(custom('forbidden'), k).expect(403)).body).toEqual(err('forbidden'));
      await post({ ...custom('allowed'), website_id: other }, limited.key).expect(202);
      expect(await named('forbidden')).toEqual([]);
    });

    it('answers 404 website_not_found for another organization\'s website and for an unknown one', async () => {
      const theirs = (await createWebsite(t, await signup(t, 'stranger'))).id;
      for (const id of [theirs, 'no-such-site', '\u0000', `${site}\u0000`]) expect((await post({ ...custom('x'), website_id: id }).expect(404)).body).toEqual(err('website_not_found', 'website_id'));
      expect(await eventsOf(t, theirs)).toEqual([]);
    });

    it('accepts a public collect without a key, enriched from the request\'s own User-Agent; 403 when public collection is off', async () => {
      // The body's user_agent and ip_address are not the visitor's word on a public collect.
      const res = await t.http().post(EVENTS).set('User-Agent', CHROME_WINDOWS).send(custom('public', { user_agent: GOOGLEBOT, ip_address: GB_IP })).expect(202);
      expect(await eventById(t, res.body.event_id)).toMatchObject({ name: 'public', browser: 'Chrome', os: 'Windows', device_type: 'desktop', is_bot: false, country: null });
      const closed = (await createWebsite(t, owner)).id;
      await t.http().patch(`/api/websites/${closed}`).set(bearer(owner.token)).send({ public_collect: false }).expect(200);
      expect((await t.http().post(EVENTS).send({ ...custom('closed'), website_id: closed }).expect(403)).body).toEqual(err('forbidden'));
      await post({ ...custom('closed_with_key'), website_id: closed }).expect(202);
      expect((await eventsOf(t, closed)).map((e) => e.name)).toEqual(['closed_with_key']);
    });

    it('with a key, ignores the request\'s own User-Agent, flags a bot user_agent from the body, and counts no user agent as human', async () => {
      const hdr = await post(custom('hdr_bot')).set('User-Agent', GOOGLEBOT).expect(202);
      expect(await eventById(t, hdr.body.event_id)).toMatchObject({ is_bot: false, browser: null, os: null });
      const hdrChrome = await post(custom('hdr_chrome')).set('User-Agent', CHROME_WINDOWS).expect(202);
      expect(await eventById(t, hdrChrome.body.event_id)).toMatchObject({ is_bot: false, browser: null });
      const bot = await post(custom('body_bot', { user_agent: GOOGLEBOT })).expect(202);
      expect((await eventById(t, bot.body.event_id))?.is_bot).toBe(true);
      const none = await post(custom('no_ua')).expect(202);
      expect((await eventById(t, none.body.event_id))?.is_bot).toBe(false);
    });
  });

  describe('dry_run', () => {
    it('answers 200 with the enriched events and stores nothing, single or batch', async () => {
      const ts = '2026-01-15T08:30:00.000Z';
      const res = await t.http().post(`${EVENTS}?dry_run=true`).set(bearer(key))
        .send(custom('dry', { url: 'https://example.com/dry?utm_source=x', props: { a: 1 }, user_agent: CHROME_WINDOWS, ip_address: GB_IP, timestamp: ts })).expect(200);
      expect(res.body).toEqual({ ok: true, dry_run: true, events: [expect.objectContaining({
        website_id: site, type: 'custom', name: 'dry', hostname: 'example.com', path: '/dry', utm_source: 'x', props: { a: 1 }, occurred_at: ts,
        browser: 'Chrome', os: 'Windows', device_type: 'desktop', country: 'GB', is_bot: false,
      })] });
      expect(JSON.stringify(res.body)).not.toContain(GB_IP);
      const batch = await t.http().post(`${EVENTS}?dry_run=true`).set(bearer(key)).send({ events: [custom('dry'), custom('dry', { user_agent: GOOGLEBOT })] }).expect(200);
      expect(batch.body.events.map((e: { is_bot: boolean }) => e.is_bot)).toEqual([false, true]);
      expect(await named('dry')).toEqual([]);
      expect((await t.http().post(`${EVENTS}?dry_run=true`).set(bearer(key)).send({ events: [custom('dry'), { website_id: site, type: 'custom' }] }).expect(400)).body)
        .toEqual(err('validation_error', 'name', 1));
    });

    it('does not use up an event_id', async () => {
      await t.http().post(`${EVENTS}?dry_run=true`).set(bearer(key)).send(custom('dry_key', { event_id: 'dry-1' })).expect(200);
      const res = await post(custom('dry_key', { event_id: 'dry-1' })).expect(202);
      expect(await named('dry_key')).toEqual([expect.objectContaining({ id: res.body.event_id, event_key: 'dry-1' })]);
    });
  });

  describe('timestamps', () => {
    it('imports an event from a year ago into its monthly partition, and older ones too', async () => {
      for (const ts of [new Date(Date.now() - 365 * 86_400_000).toISOString(), '2023-03-15T12:00:00.000Z']) {
        const res = await post(custom('import', { timestamp: ts })).expect(202);
        const [row] = await queryDb<{ occurred_at: Date; part: string }>(t.dbUrl, 'SELECT occurred_at, tableoid::regclass::text AS part FROM events WHERE id = $1', [res.body.event_id]);
        expect(row.occurred_at.toISOString()).toBe(ts);
        expect(row.part).toBe(`events_p${ts.slice(0, 4)}${ts.slice(5, 7)}`);
      }
      const zoned = await post(custom('zoned', { timestamp: '2026-01-15T10:30:00+02:00' })).expect(202);
      expect((await eventById(t, zoned.body.event_id))?.occurred_at.toISOString()).toBe('2026-01-15T08:30:00.000Z');
    });

    it.each([
      ['an invalid date', '2026-13-45T00:00:00Z'],
      ['a day that does not exist', '2026-02-30T10:00:00Z'],
      ['no time zone', '2026-01-15T10:30:00'],
      ['not a date', 'yesterday'],
      ['more than 5 minutes ahead', fromNow(10 * 60_000)],
    ])('answers 400 validation_error for a timestamp with %s', async (_what, timestamp) => {
      expect((await post(custom('bad_ts', { timestamp })).expect(400)).body).toEqual(err('validation_error', 'timestamp'));
    });
  });

  describe('idempotency', () => {
    it('replays an event_id or Idempotency-Key with the same id and stores one row', async () => {
      const first = await post(custom('idem_body', { event_id: 'order-1' })).expect(202);
      const again = await post(custom('idem_body', { event_id: 'order-1' })).expect(202);
      expect(again.body).toEqual(first.body);
      const h1 = await post(custom('idem_header')).set('Idempotency-Key', 'hdr-1').expect(202);
      const h2 = await post(custom('idem_header')).set('Idempotency-Key', 'hdr-1').expect(202);
      expect(h2.body).toEqual(h1.body);
      expect([(await named('idem_body')).length, (await named('idem_header')).length]).toEqual([1, 1]);
    });

    it('replays the event_ids of a batch, storing only the new events; identical bodies without a key are separate events', async () => {
      const first = await post({ events: [custom('idem_batch', { event_id: 'e-1' }), custom('idem_batch', { event_id: 'e-2' })] }).expect(202);
      const again = await post({ events: [custom('idem_batch', { event_id: 'e-2' }), custom('idem_batch', { event_id: 'e-3' })] }).expect(202);
      expect(again.body.event_ids[0]).toBe(first.body.event_ids[1]);
      expect(first.body.event_ids).not.toContain(again.body.event_ids[1]);
      expect((await named('idem_batch')).map((e) => e.event_key)).toEqual(['e-1', 'e-2', 'e-3']);
      const a = await post(custom('twice')).expect(202);
      const b = await post(custom('twice')).expect(202);
      expect(a.body.event_id).not.toBe(b.body.event_id);
      expect(await named('twice')).toHaveLength(2);
    });
  });
});
