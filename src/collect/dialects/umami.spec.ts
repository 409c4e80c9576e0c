import { CanonicalEvent, emptyEvent, IngestResult } from '../canonical-event';
import { IngestError } from '../ingest-error';
import { readUmamiCache, signUmamiCache, umamiCacheKey, umamiSessionId } from './umami-cache';
import { IDENTIFY_EVENT, umamiDialect, umamiFailure } from './umami';

const now = new Date('2026-01-31T12:00:00Z');
const key = umamiCacheKey('a test secret of at least thirty-two characters');
const SITE = 'k3Jd8aPq2xYz';
const dialect = (cacheToken: string | null = null) => umamiDialect({ cacheKey: key, cacheToken, now: () => now });

function parsedOne(body: unknown, cacheToken: string | null = null): CanonicalEvent {
  const outcome = dialect(cacheToken).parse(body, { now });
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.error)}`);
  expect(outcome.value).toHaveLength(1);
  return outcome.value[0];
}

/** What the client sees for a body the dialect rejects. */
function rejection(body: unknown) {
  const outcome = dialect().parse(body, { now });
  if (outcome.ok) throw new Error('expected an error');
  return umamiFailure(outcome.error);
}

/** A 400 as Umami answers validation errors: zod's tree of messages under payload.<field>. */
const badPayloadField = (field: string, message: string) => ({
  status: 400,
  body: { error: { message: 'Bad request', code: 'bad-request', status: 400, errors: [], properties: { payload: { errors: [], properties: { [field]: { errors: [message] } } } } } },
});

const send = (payload: Record<string, unknown>, type = 'event') => ({ type, payload: { website: SITE, ...payload } });

/** What the browser tracker sends for every call: its default properties (getPayload). */
const trackerDefaults = {
  website: SITE,
  screen: '1440x900',
  language: 'de-DE',
  title: 'Pricing – Acme',
  hostname: 'acme.example',
  url: 'https://acme.example/pricing?plan=team',
  referrer: 'https://search.example/?q=acme',
  vid: '8d1f0c52-0c3a-4c61-9a07-52b8f3a1e6a4',
};
const trackerPage = {
  ...emptyEvent(SITE, 'pageview'),
  url: 'https://acme.example/pricing?plan=team',
  hostname: 'acme.example',
  title: 'Pricing – Acme',
  referrer: 'https://search.example/?q=acme',
  language: 'de-DE',
  screen: '1440x900',
  screenWidth: 1440,
  screenHeight: 900,
};

describe('Umami: the Sending stats page', () => {
  it('maps the sample payload: a custom event with data', () => {
    const event = parsedOne({
      payload: { hostname: 'shop.example', language: 'fr-FR', referrer: '', screen: '2560x1440', title: 'Basket', url: '/basket', website: SITE, name: 'checkout-start', data: { basket: 'b-17' } },
      type: 'event',
    });
    expect(event).toEqual({
      ...emptyEvent(SITE, 'custom'),
      name: 'checkout-start',
      url: '/basket',
      hostname: 'shop.example',
      title: 'Basket',
      props: { basket: 'b-17' },
      language: 'fr-FR',
      screen: '2560x1440',
      screenWidth: 2560,
      screenHeight: 1440,
    });
  });

  it('maps the "programmatically" example: the browser\'s values, a name and no data', () => {
    const event = parsedOne({
      payload: { hostname: 'docs.example', language: 'en-GB', referrer: 'https://news.example/item/9', screen: '390x844', title: 'Install', url: '/docs/install', website: SITE, name: 'copy-command' },
      type: 'event',
    });
    expect(event).toMatchObject({ kind: 'custom', name: 'copy-command', url: '/docs/install', hostname: 'docs.example', referrer: 'https://news.example/item/9', props: null, screenWidth: 390 });
  });

  it('answers as the sample response: a cache token, the visitor as sessionId and the visit as visitId, both UUIDs', () => {
    const result: IngestResult = { eventIds: ['1'], replayed: false, visits: [{ visitorId: 'a1b2c3d4e5f60718', sessionId: '0e4c6f52-1d3b-4f7e-9a2b-3c4d5e6f7a8b' }] };
    const reply = dialect().success(result, [emptyEvent(SITE, 'pageview')]);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(reply).toEqual({ status: 200, body: { cache: expect.any(String), sessionId: expect.stringMatching(uuid), visitId: '0e4c6f52-1d3b-4f7e-9a2b-3c4d5e6f7a8b' } });
    const body = reply.body as { cache: string; sessionId: string };
    expect(body.sessionId).toBe(umamiSessionId(SITE, 'a1b2c3d4e5f60718'));
    expect(readUmamiCache(key, body.cache, SITE, now)).toEqual({ websiteId: SITE, visitorId: 'a1b2c3d4e5f60718', issuedAt: now.getTime() / 1000 });
  });

  it('answers {"beep":"boop"} when the request came from a bot or had no User-Agent (nothing stored)', () => {
    expect(dialect().success({ eventIds: [], replayed: false, skipped: true }, [emptyEvent(SITE, 'pageview')])).toEqual({ status: 200, body: { beep: 'boop' } });
  });

  it('accepts the types event and identify only (not the later "performance")', () => {
    expect(rejection(send({ url: '/' }, 'performance'))).toEqual({
      status: 400,
      body: { error: { message: 'Bad request', code: 'bad-request', status: 400, errors: [], properties: { type: { errors: ['Invalid option: expected one of "event"|"identify"'] } } } },
    });
  });
});

describe('Umami: the Node client page', () => {
  it('maps umami.track({ url }): a pageview of the website set by umami.init', () => {
    expect(parsedOne({ type: 'event', payload: { website: SITE, url: '/home' } })).toEqual({ ...emptyEvent(SITE, 'pageview'), url: '/home' });
  });

  it('maps every property .track sends: hostname, language, referrer, screen, title, url, name, data', () => {
    const event = parsedOne(send({ hostname: 'api.example', language: 'en-US', referrer: 'https://partner.example/', screen: '1920x1080', title: 'Export', url: '/export', name: 'export-csv', data: { rows: 1200, format: 'csv' } }));
    expect(event).toMatchObject({ kind: 'custom', name: 'export-csv', hostname: 'api.example', url: '/export', title: 'Export', props: { rows: 1200, format: 'csv' }, screen: '1920x1080' });
  });
});

describe('Umami: the Tracker functions page (what the tracker sends)', () => {
  it('umami.track(): a pageview with the default properties; the tracker\'s vid is not used', () => {
    expect(parsedOne({ type: 'event', payload: trackerDefaults })).toEqual(trackerPage);
  });

  it('umami.track({ website, url, title }) and umami.track(props => ({ ...props, url, title }))', () => {
    expect(parsedOne(send({ url: '/home', title: 'Home page' }))).toEqual({ ...emptyEvent(SITE, 'pageview'), url: '/home', title: 'Home page' });
    expect(parsedOne({ type: 'event', payload: { ...trackerDefaults, url: '/home', title: 'Home page' } })).toEqual({ ...trackerPage, url: '/home', title: 'Home page' });
  });

  it('umami.track(name) and umami.track(name, data): custom events; an event\'s data.id is only data', () => {
    expect(parsedOne({ type: 'event', payload: { ...trackerDefaults, name: 'signup-button' } })).toEqual({ ...trackerPage, kind: 'custom', name: 'signup-button' });
    const withData = parsedOne({ type: 'event', payload: { ...trackerDefaults, name: 'signup-button', data: { name: 'newsletter', id: 123 } } });
    expect(withData).toEqual({ ...trackerPage, kind: 'custom', name: 'signup-button', props: { name: 'newsletter', id: 123 } });
  });

  it('umami.identify(id) and umami.identify(id, data): the custom event "identify" carrying the id as user id', () => {
    const onlyId = parsedOne({ type: 'identify', payload: { ...trackerDefaults, id: 'member-4711' } });
    expect(onlyId).toEqual({ ...trackerPage, kind: 'custom', name: IDENTIFY_EVENT, userId: 'member-4711' });
    const withData = parsedOne({ type: 'identify', payload: { ...trackerDefaults, id: 'member-4711', data: { name: 'Ida', email: 'ida@example.org' } } });
    expect(withData).toMatchObject({ name: IDENTIFY_EVENT, userId: 'member-4711', props: { name: 'Ida', email: 'ida@example.org' } });
  });

  it('umami.identify(data): session data without an id', () => {
    expect(parsedOne({ type: 'identify', payload: { ...trackerDefaults, data: { name: 'Ida', email: 'ida@example.org' } } })).toMatchObject({
      name: IDENTIFY_EVENT,
      userId: null,
      props: { name: 'Ida', email: 'ida@example.org' },
    });
  });

  it('after identify, the tracker sends the id with every event: they carry the user id', () => {
    expect(parsedOne({ type: 'event', payload: { ...trackerDefaults, id: 'member-4711' } })).toEqual({ ...trackerPage, userId: 'member-4711' });
  });

  it('keeps the tracker\'s data-tag as the event property "tag" (a "tag" in the data wins)', () => {
    expect(parsedOne(send({ url: '/', tag: 'variant-b' })).props).toEqual({ tag: 'variant-b' });
    expect(parsedOne(send({ url: '/', name: 'cta', tag: 'variant-b', data: { tag: 'own' } })).props).toEqual({ tag: 'own' });
  });
});

describe('Umami: Event Data limits', () => {
  it('rounds numbers to 4 decimals, cuts strings to 500 characters and stores arrays as JSON text', () => {
    const event = parsedOne(send({ name: 'quote', data: { price: 29.987654, ratio: 1 / 3, big: 1e300, note: 'n'.repeat(600), tags: ['a', 'b', 2], nested: { x: 0.123456, s: 's'.repeat(501) } } }));
    expect(event.props).toEqual({ price: 29.9877, ratio: 0.3333, big: 1e300, note: 'n'.repeat(500), tags: '["a","b",2]', nested: { x: 0.1235, s: 's'.repeat(500) } });
    expect(parsedOne(send({ name: 'long-list', data: { list: Array(300).fill('xy') } })).props!.list).toHaveLength(500);
  });

  it('allows 50 properties (an array counts as one, nested values each), not 51', () => {
    const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(parsedOne(send({ name: 'wide', data: { ...props(49), list: [1, 2, 3] } })).props!)).toHaveLength(50);
    expect(rejection(send({ name: 'wide', data: props(51) }))).toEqual(badPayloadField('data', 'Data may have at most 50 properties (an array counts as one).'));
    expect(rejection(send({ name: 'deep-wide', data: { a: props(30), b: props(21) } })).status).toBe(400);
  });

  it('refuses event names over 50 characters, as Umami\'s server does (its tracker cuts them)', () => {
    expect(parsedOne(send({ name: 'n'.repeat(50) })).name).toHaveLength(50);
    expect(rejection(send({ name: 'n'.repeat(51) }))).toEqual(badPayloadField('name', 'Too big: expected string to have <=50 characters'));
  });

  it('refuses data nested deeper than 5 levels, or data that is not an object', () => {
    expect(rejection(send({ name: 'd', data: { a: { b: { c: { d: { e: { f: 1 } } } } } } }))).toEqual(badPayloadField('data', 'Data must not nest deeper than 5 levels.'));
    expect(rejection(send({ name: 'd', data: ['a'] }))).toEqual(badPayloadField('data', 'Invalid input: expected record, received array'));
    expect(rejection(send({ name: 'd', data: 'x' }))).toEqual(badPayloadField('data', 'Invalid input: expected record, received string'));
  });
});

describe('Umami: the Distinct IDs page and the Identify logged-in users guide', () => {
  it('maps the id of an event payload to the user id', () => {
    const event = parsedOne({ payload: { hostname: 'app.example', language: 'en-US', referrer: '', screen: '1920x1080', title: 'dashboard', url: '/', website: SITE, id: 'ida@example.org' }, type: 'event' });
    expect(event).toMatchObject({ kind: 'pageview', userId: 'ida@example.org', url: '/' });
  });

  it('umami.identify({ id }) and umami.identify({ id, name, plan, company }): the data\'s id is the distinct id', () => {
    expect(parsedOne({ type: 'identify', payload: { ...trackerDefaults, data: { id: 'u-981' } } })).toMatchObject({ userId: 'u-981', props: { id: 'u-981' } });
    const guide = parsedOne({ type: 'identify', payload: { ...trackerDefaults, data: { id: 981, name: 'Ida', plan: 'team', company: 'Acme' } } });
    expect(guide).toMatchObject({ userId: '981', props: { id: 981, name: 'Ida', plan: 'team', company: 'Acme' } });
    expect(parsedOne({ type: 'identify', payload: { ...trackerDefaults, id: 'own', data: { id: 'other' } } }).userId).toBe('own');
  });

  it('limits the id to 50 characters', () => {
    expect(parsedOne(send({ url: '/', id: 'i'.repeat(50) })).userId).toHaveLength(50);
    expect(rejection(send({ url: '/', id: 'i'.repeat(51) }))).toEqual(badPayloadField('id', 'Too big: expected string to have <=50 characters'));
    expect(rejection(send({ data: { id: 'i'.repeat(51) } }, 'identify')).status).toBe(400);
  });
});

describe('Umami: validation', () => {
  it('answers zod\'s wording at the field\'s path', () => {
    expect(rejection({ type: 'event' })).toEqual({
      status: 400,
      body: { error: { message: 'Bad request', code: 'bad-request', status: 400, errors: [], properties: { payload: { errors: ['Invalid input: expected object, received undefined'] } } } },
    });
    expect(rejection({ type: 'event', payload: { url: '/' } })).toEqual(badPayloadField('website', 'Invalid input: expected string, received undefined'));
    expect(rejection(send({ hostname: 'h'.repeat(101) }))).toEqual(badPayloadField('hostname', 'Too big: expected string to have <=100 characters'));
    expect(rejection(send({ language: 'l'.repeat(36) }))).toEqual(badPayloadField('language', 'Too big: expected string to have <=35 characters'));
    expect(rejection(send({ screen: '123456x123456' }))).toEqual(badPayloadField('screen', 'Too big: expected string to have <=11 characters'));
    expect(rejection(send({ tag: 't'.repeat(51) }))).toEqual(badPayloadField('tag', 'Too big: expected string to have <=50 characters'));
    expect(rejection(send({ title: 42 }))).toEqual(badPayloadField('title', 'Invalid input: expected string, received number'));
    expect(rejection(send({ url: 'http://[oops' }))).toEqual(badPayloadField('url', 'Invalid URL.'));
    expect(rejection(send({ referrer: 'https://exa mple.com:99999/' }))).toEqual(badPayloadField('referrer', 'Invalid URL.'));
  });

  it('answers a body that is not an object at the root', () => {
    for (const [body, got] of [[[], 'array'], ['x', 'string'], [null, 'null'], [undefined, 'undefined']] as const) {
      expect(rejection(body)).toEqual({ status: 400, body: { error: { message: 'Bad request', code: 'bad-request', status: 400, errors: [`Invalid input: expected object, received ${got}`] } } });
    }
  });

  it('reads null as absent, and a blank name as a pageview', () => {
    expect(parsedOne({ type: 'event', payload: { website: SITE, url: '/', name: null, data: null, id: null, referrer: null } })).toEqual({ ...emptyEvent(SITE, 'pageview'), url: '/' });
    expect(parsedOne(send({ url: '/', name: '  ' })).kind).toBe('pageview');
  });

  it('takes the timestamp in Unix seconds, as a number or digits, at most 5 minutes ahead and not before 1990', () => {
    const at = Date.parse('2026-01-30T08:00:00Z') / 1000;
    expect(parsedOne(send({ url: '/', timestamp: at })).timestamp).toEqual(new Date(at * 1000));
    expect(parsedOne(send({ url: '/', timestamp: String(at) })).timestamp).toEqual(new Date(at * 1000));
    const range = 'Timestamp must be Unix seconds from 1990-01-01 to at most 5 minutes from now.';
    expect(rejection(send({ url: '/', timestamp: now.getTime() / 1000 + 301 }))).toEqual(badPayloadField('timestamp', range));
    expect(rejection(send({ url: '/', timestamp: 599_616_000 }))).toEqual(badPayloadField('timestamp', range));
    expect(rejection(send({ url: '/', timestamp: 1.5e9 + 0.5 }))).toEqual(badPayloadField('timestamp', 'Invalid input: expected int, received number'));
    expect(rejection(send({ url: '/', timestamp: '2026-01-30' }))).toEqual(badPayloadField('timestamp', 'Invalid input: expected number, received NaN'));
  });
});

describe('Umami: the x-umami-cache token', () => {
  const token = (over: Partial<{ websiteId: string; visitorId: string; issuedAt: number }> = {}) =>
    signUmamiCache(key, { websiteId: SITE, visitorId: 'v-from-token', issuedAt: now.getTime() / 1000 - 60, ...over });

  it('keeps the visitor of a valid token: this website, issued today, signed by this server', () => {
    expect(parsedOne(send({ url: '/' }), token()).visitorId).toBe('v-from-token');
  });

  it('ignores a token of another website, of yesterday, altered, signed with another key, or not a token', () => {
    const [body, mac] = token().split('.');
    const forged = Buffer.from(JSON.stringify({ w: SITE, v: 'someone-else', t: now.getTime() / 1000 })).toString('base64url');
    for (const bad of [
      token({ websiteId: 'other-site' }),
      token({ issuedAt: now.getTime() / 1000 - 86_400 }),
      `${forged}.${mac}`,
      `${body}.${mac.slice(0, -2)}`,
      signUmamiCache(umamiCacheKey('another secret of at least thirty-two characters'), { websiteId: SITE, visitorId: 'v', issuedAt: now.getTime() / 1000 }),
      '',
      'x.y',
      `${'a'.repeat(2000)}.b`,
    ]) {
      expect(parsedOne(send({ url: '/' }), bad).visitorId).toBeNull();
    }
  });
});

describe('Umami: errors', () => {
  const e = (error: IngestError) => umamiFailure(error);
  it('maps every typed error to Umami\'s {"error":{message, code, status}}', () => {
    expect(e({ code: 'unknown_website', message: 'x', websiteId: 'w' })).toEqual({ status: 400, body: { error: { message: 'Website not found.', code: 'bad-request', status: 400 } } });
    expect(e({ code: 'forbidden', message: 'Website w does not accept public collection' })).toEqual({ status: 403, body: { error: { message: 'Website w does not accept public collection', code: 'forbidden', status: 403 } } });
    expect(e({ code: 'malformed', message: 'Request body is not valid JSON' })).toEqual({ status: 400, body: { error: { message: 'Bad request', code: 'bad-request', status: 400, errors: ['Request body is not valid JSON'] } } });
    expect(e({ code: 'unsupported_media_type', message: 'Unsupported' }).status).toBe(400);
    expect(e({ code: 'payload_too_large', message: 'x', limit: 1 })).toEqual({ status: 413, body: { error: { message: 'Payload too large', code: 'payload-too-large', status: 413 } } });
    expect(e({ code: 'rate_limited', message: 'x', retryAfter: 7, limit: 1, remaining: 0, reset: 0 })).toEqual({
      status: 429,
      body: { error: { message: 'Too many requests', code: 'too-many-requests', status: 429 } },
      headers: { 'Retry-After': '7' },
    });
    expect(e({ code: 'quota_exceeded', message: 'Monthly event quota reached' })).toMatchObject({ status: 429, headers: { 'Retry-After': '3600' } });
    expect(e({ code: 'overloaded', message: 'x', retryAfter: 2 })).toEqual({ status: 503, body: { error: { message: 'Service unavailable', code: 'service-unavailable', status: 503 } }, headers: { 'Retry-After': '2' } });
    expect(e({ code: 'internal', message: 'x' })).toEqual({ status: 500, body: { error: { message: 'Server error', code: 'server-error', status: 500 } } });
    expect(e({ code: 'unauthorized', message: 'x' }).status).toBe(401);
  });

  it('never throws on bodies that are not plain JSON', () => {
    const hostile = { type: 'event', get payload(): never { throw new Error('boom'); } };
    expect(dialect().parse(hostile, { now }).ok).toBe(false);
  });
});
