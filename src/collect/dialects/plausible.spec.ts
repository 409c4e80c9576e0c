import { emptyEvent } from '../canonical-event';
import { IngestError } from '../ingest-error';
import { dialectParsing } from '../../../test/support/dialect-parsing';
import {
  isPlausibleEngagement,
  plausibleAccepted,
  plausibleDialect,
  plausibleDialectOf,
  plausibleFailure,
  plausibleNamesToResolve,
  plausibleProps,
  plausibleSiteNames,
} from './plausible';

const now = new Date('2026-03-10T08:00:00Z');

/** Website names resolved as WebsiteLookup would: these domains and ids are known. */
const KNOWN = new Map<string, string | null>([
  ['shop.test', 'Shop1111aaaa'],
  ['blog.test', 'Blog2222bbbb'],
  ['Shop1111aaaa', 'Shop1111aaaa'],
  ['app.test', 'App33333cccc'],
]);

/** The dialect for a body, with its names resolved against KNOWN (unknown names resolve to null). */
function dialectFor(body: unknown) {
  return plausibleDialect({ ids: new Map(plausibleSiteNames(body).map((n) => [n, KNOWN.get(n) ?? null])) });
}
const parse = (body: unknown, extra: { idempotencyKey?: string } = {}) => dialectParsing(dialectFor(body), now).parsed(body, extra);
const parseOne = (body: unknown) => dialectParsing(dialectFor(body), now).parsedOne(body);
const parseError = (body: unknown): IngestError => dialectParsing(dialectFor(body), now).parseError(body);
/** What the client sees for a body the dialect does not record. */
const answer = (body: unknown) => dialectFor(body).failure(parseError(body));

describe('Plausible: Events API reference examples', () => {
  it('maps the "try it yourself" pageview (long field names, screen width)', () => {
    expect(parseOne({ name: 'pageview', url: 'http://shop.test', domain: 'shop.test', screen_width: 1440 })).toEqual({
      ...emptyEvent('Shop1111aaaa', 'pageview'),
      url: 'http://shop.test',
      screenWidth: 1440,
    });
  });

  it('maps the mobile-app pageview whose url is made up (app://…/screen)', () => {
    expect(parseOne({ name: 'pageview', url: 'app://localhost/checkout', domain: 'app.test' })).toEqual({
      ...emptyEvent('App33333cccc', 'pageview'),
      url: 'app://localhost/checkout',
    });
  });

  it('maps the short field names the tracker sends (n, u, d, r, w, v)', () => {
    expect(parseOne({ n: 'pageview', u: 'https://shop.test/cart?utm_source=mail', d: 'shop.test', r: 'https://news.example/', w: 390, v: 36 })).toEqual({
      ...emptyEvent('Shop1111aaaa', 'pageview'),
      url: 'https://shop.test/cart?utm_source=mail',
      referrer: 'https://news.example/',
      screenWidth: 390,
    });
  });

  it('maps a custom event with props, as an object or as a JSON string, under p, props, m or meta', () => {
    const expected = { ...emptyEvent('Shop1111aaaa', 'custom'), name: 'Checkout', url: 'https://shop.test/pay', props: { plan: 'team', seats: '5' } };
    const base = { name: 'Checkout', url: 'https://shop.test/pay', domain: 'shop.test' };
    for (const key of ['p', 'props', 'm', 'meta']) {
      expect(parseOne({ ...base, [key]: { plan: 'team', seats: '5' } })).toEqual(expected);
      expect(parseOne({ ...base, [key]: JSON.stringify({ plan: 'team', seats: '5' }) })).toEqual(expected);
    }
  });

  it('attaches props to pageviews too (custom pageview properties)', () => {
    expect(parseOne({ n: 'pageview', u: 'https://blog.test/post/7', d: 'blog.test', p: { author: 'Grace' } }).props).toEqual({ author: 'Grace' });
  });

  it('accepts revenue ({amount, currency}, the amount a number or a string) and interactive: false, storing neither', () => {
    const purchase = parseOne({ n: 'Purchase', u: 'https://shop.test/done', d: 'shop.test', $: { amount: '19.90', currency: 'EUR' }, i: false });
    const long = parseOne({ name: 'Purchase', url: 'https://shop.test/done', domain: 'shop.test', revenue: { amount: 19.9, currency: 'EUR' }, interactive: false });
    const plain = { ...emptyEvent('Shop1111aaaa', 'custom'), name: 'Purchase', url: 'https://shop.test/done' };
    expect([purchase, long]).toEqual([plain, plain]);
  });

  it('records the fragment as part of the path in hash mode (h: 1), and ignores it otherwise', () => {
    expect(parseOne({ n: 'pageview', u: 'https://app.test/?tab=2#/settings/team', d: 'app.test', h: 1 })).toEqual({
      ...emptyEvent('App33333cccc', 'pageview'),
      hostname: 'app.test',
      pathname: '/#/settings/team',
      querystring: 'tab=2',
    });
    expect(parseOne({ n: 'pageview', u: 'https://app.test/#/settings', d: 'app.test' }).url).toBe('https://app.test/#/settings');
  });

  it('takes an integer name as text (error pages send their status code)', () => {
    expect(parseOne({ n: 404, u: 'https://shop.test/missing', d: 'shop.test' }).name).toBe('404');
  });
});

describe('Plausible: websites named by domain or id', () => {
  it('records one event per website of a comma-separated domain, in order', () => {
    const events = parse({ n: 'Signup', u: 'https://blog.test/join', d: 'blog.test, shop.test' });
    expect(events.map((e) => [e.websiteId, e.name])).toEqual([['Blog2222bbbb', 'Signup'], ['Shop1111aaaa', 'Signup']]);
  });

  it('takes the domain from the url when none is sent, without www.', () => {
    expect(plausibleSiteNames({ n: 'pageview', u: 'https://www.shop.test/a' })).toEqual(['shop.test']);
    expect(parseOne({ n: 'pageview', u: 'https://www.shop.test/a' }).websiteId).toBe('Shop1111aaaa');
  });

  it('trims names, drops www. and empty entries, and names each website once (id or domain)', () => {
    expect(plausibleSiteNames({ d: ' www.shop.test ,, blog.test,shop.test , Shop1111aaaa' })).toEqual(['shop.test', 'blog.test', 'Shop1111aaaa']);
    expect(parse({ n: 'pageview', u: 'https://shop.test/', d: 'shop.test,Shop1111aaaa' }).map((e) => e.websiteId)).toEqual(['Shop1111aaaa']);
  });

  it('answers 202 with x-plausible-dropped when no named website can be found, as Plausible does for an unknown domain', () => {
    expect(parseError({ n: 'pageview', u: 'https://nowhere.test/', d: 'nowhere.test' })).toMatchObject({ code: 'unknown_website', websiteId: 'nowhere.test' });
    expect(answer({ n: 'pageview', u: 'https://nowhere.test/', d: 'nowhere.test,elsewhere.test' })).toEqual({ status: 202, body: 'ok', headers: { 'x-plausible-dropped': '2' } });
  });

  it('records the known websites of a list and says how many names were dropped', () => {
    const body = { n: 'pageview', u: 'https://shop.test/', d: 'shop.test,nowhere.test' };
    expect(parse(body).map((e) => e.websiteId)).toEqual(['Shop1111aaaa']);
    expect(dialectFor(body).success({ eventIds: ['1'], replayed: false }, [])).toEqual({ status: 202, body: 'ok', headers: { 'x-plausible-dropped': '1' } });
    expect(dialectFor({ ...body, d: 'shop.test' }).success({ eventIds: ['1'], replayed: false }, [])).toEqual({ status: 202, body: 'ok' });
  });

  it('looks nothing up for a body naming more websites than allowed, and refuses it', () => {
    const d = Array.from({ length: 21 }, (_, i) => `s${i}.test`).join(',');
    expect(plausibleNamesToResolve({ n: 'pageview', u: 'https://s0.test/', d })).toEqual([]);
    expect(parseError({ n: 'pageview', u: 'https://s0.test/', d })).toMatchObject({ code: 'validation', field: 'domain' });
  });

  it('answers a failed website lookup as the ingestion error it is', () => {
    const error: IngestError = { code: 'overloaded', message: 'Service temporarily unavailable; retry shortly', retryAfter: 5 };
    const dialect = plausibleDialect({ ids: new Map(), error });
    const outcome = dialect.parse({ n: 'pageview', u: 'https://shop.test/', d: 'shop.test' }, { now });
    expect(outcome).toEqual({ ok: false, error });
    expect(dialect.failure(error)).toEqual({ status: 503, body: { errors: { request: [error.message] } }, headers: { 'Retry-After': '5' } });
  });

  it('looks the names up for one request, and answers a lookup that fails once the body is found valid', async () => {
    const log = { error: jest.fn(), warn: jest.fn() };
    const body = { n: 'pageview', u: 'https://shop.test/', d: 'shop.test,nowhere.test' };
    const asked: string[][] = [];
    const found = await plausibleDialectOf(body, async (names) => (asked.push(names), new Map(names.map((n) => [n, KNOWN.get(n) ?? null]))), log);
    expect(asked).toEqual([['shop.test', 'nowhere.test']]);
    expect(found.parse(body, { now })).toMatchObject({ ok: true, value: [{ websiteId: 'Shop1111aaaa' }] });
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const failed = await plausibleDialectOf(body, () => Promise.reject(down), log);
    expect(failed.parse(body, { now })).toMatchObject({ ok: false, error: { code: 'overloaded' } });
    expect(failed.parse({ ...body, u: '' }, { now })).toMatchObject({ ok: false, error: { code: 'validation', field: 'url' } });
    expect(log.warn).toHaveBeenCalledTimes(1);
  });
});

describe('Plausible: custom properties as documented (scalars only, 30 props, 300/2000 characters)', () => {
  it('keeps strings, numbers and booleans as strings; leaves out objects, arrays, null and blank values', () => {
    expect(plausibleProps({ a: 'x', n: 2.5, b: false, o: { k: 1 }, l: [1], z: null, e: '  ', ' ': 'blank key' })).toEqual({ ok: true, value: { a: 'x', n: '2.5', b: 'false' } });
  });

  it('keeps the first 30 properties and leaves out the rest', () => {
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    const kept = plausibleProps(many);
    expect(kept.ok && Object.keys(kept.value!)).toEqual(Array.from({ length: 30 }, (_, i) => `k${i}`));
  });

  it('accepts names of 300 and values of 2000 characters, and answers one more with 400 errors.props', () => {
    expect(plausibleProps({ ['k'.repeat(300)]: 'é'.repeat(2000) }).ok).toBe(true);
    const base = { n: 'Download', u: 'https://shop.test/', d: 'shop.test' };
    for (const p of [{ ['k'.repeat(301)]: 'v' }, { k: 'v'.repeat(2001) }]) {
      expect(answer({ ...base, p })).toEqual({ status: 400, body: { errors: { props: [expect.stringContaining('300')] } } });
    }
  });

  it('treats empty or null props as none, and refuses props that are not an object', () => {
    expect(plausibleProps('')).toEqual({ ok: true, value: null });
    expect(plausibleProps('null')).toEqual({ ok: true, value: null });
    expect(plausibleProps({})).toEqual({ ok: true, value: null });
    for (const bad of ['{not json', '[1,2]', 5, ['a']]) expect(plausibleProps(bad)).toMatchObject({ ok: false, error: { field: 'props' } });
  });

  it('keeps a "__proto__" property as an ordinary property', () => {
    const props = plausibleProps(JSON.parse('{"__proto__":"x","a":"y"}'));
    expect(props.ok && Object.entries(props.value!)).toEqual([['__proto__', 'x'], ['a', 'y']]);
  });
});

describe('Plausible: errors as {"errors": {"<field>": ["<message>"]}}', () => {
  const ok = { n: 'pageview', u: 'https://shop.test/', d: 'shop.test' };

  it.each([
    ['no name', 'event_name', { u: 'https://shop.test/', d: 'shop.test' }],
    ['a blank name', 'event_name', { ...ok, n: '  ' }],
    ['a boolean name', 'event_name', { ...ok, n: true }],
    ['a name of 121 characters', 'event_name', { ...ok, n: 'x'.repeat(121) }],
    ['no url', 'url', { n: 'pageview', d: 'shop.test' }],
    ['a url of 2001 bytes', 'url', { ...ok, u: 'x'.repeat(2001) }],
    ['a data: url', 'url', { ...ok, u: 'data:text/html,hi' }],
    ['a domain list of blanks', 'domain', { ...ok, d: ' , ' }],
    ['no domain and a url without host', 'domain', { n: 'pageview', u: '/no-host' }],
    ['a timestamp that is not ISO 8601', 'timestamp', { ...ok, timestamp: 'yesterday' }],
    ['an empty event_id', 'event_id', { ...ok, event_id: '' }],
  ])('answers %s with 400 naming %s', (_label, field, body) => {
    const reply = answer(body);
    expect(reply.status).toBe(400);
    expect(Object.keys((reply.body as { errors: object }).errors)).toEqual([field]);
  });

  it('names the request for a body that is not an object', () => {
    for (const body of [null, [ok], 'pageview', 7]) expect(answer(body)).toEqual({ status: 400, body: { errors: { request: [expect.any(String)] } } });
  });

  it('accepts a name of 120 characters and a url of 2000 bytes', () => {
    expect(parseOne({ ...ok, n: 'é'.repeat(120) }).name).toBe('é'.repeat(120));
    const url = `https://shop.test/${'p'.repeat(2000 - 'https://shop.test/'.length)}`;
    expect(parseOne({ ...ok, u: url }).url).toBe(url);
  });

  it('cuts a referrer to 2000 characters rather than refusing it', () => {
    expect(parseOne({ ...ok, r: `https://ref.test/${'r'.repeat(3000)}` }).referrer).toHaveLength(2000);
  });

  it.each([
    ['malformed', 400, { code: 'malformed', message: 'Request body is not valid JSON' }, {}],
    ['payload_too_large', 413, { code: 'payload_too_large', message: 'Request body exceeds the 1024 KB limit', limit: 1 }, {}],
    ['unsupported_media_type', 415, { code: 'unsupported_media_type', message: 'Unsupported Content-Type' }, {}],
    ['rate_limited', 429, { code: 'rate_limited', message: 'Rate limit exceeded', retryAfter: 12.2, limit: 5, remaining: 0, reset: 0 }, { 'Retry-After': '13' }],
    ['overloaded', 503, { code: 'overloaded', message: 'busy', retryAfter: 2 }, { 'Retry-After': '2' }],
    ['internal', 500, { code: 'internal', message: 'Internal server error' }, {}],
  ] as Array<[string, number, IngestError, Record<string, string>]>)('maps %s to %i with errors.request', (_code, status, error, headers) => {
    const reply = plausibleFailure(error);
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ errors: { request: [expect.any(String)] } });
    expect(reply.headers ?? {}).toEqual(headers);
  });

  it('answers a website closed to public collection, or the monthly quota, as dropped events', () => {
    expect(plausibleFailure({ code: 'forbidden', message: 'closed' }, 2)).toEqual({ status: 202, body: 'ok', headers: { 'x-plausible-dropped': '2' } });
    expect(plausibleFailure({ code: 'quota_exceeded', message: 'quota' })).toEqual(plausibleAccepted(1));
  });
});

describe('Plausible: Footfall extensions and tracker pings', () => {
  const ok = { n: 'pageview', u: 'https://shop.test/', d: 'shop.test' };

  it('records a past timestamp and an event_id, or the Idempotency-Key header', () => {
    expect(parseOne({ ...ok, timestamp: '2026-03-09T21:15:00Z', event_id: 'order-81' })).toMatchObject({ timestamp: new Date('2026-03-09T21:15:00Z'), eventId: 'order-81' });
    expect(parse(ok, { idempotencyKey: 'retry-1' })[0].eventId).toBe('retry-1');
  });

  it("recognises the tracker's engagement pings, which are not events", () => {
    expect(isPlausibleEngagement({ n: 'engagement', u: 'https://shop.test/', d: 'shop.test', sd: 40, e: 5000 })).toBe(true);
    expect([ok, null, [], { name: 'Engagement' }].map(isPlausibleEngagement)).toEqual([false, false, false, false]);
  });

  it('answers success with "ok" and nothing else', () => {
    expect(plausibleAccepted(0)).toEqual({ status: 202, body: 'ok' });
  });
});
