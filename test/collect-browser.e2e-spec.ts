import { loadConfig } from '../src/config/config';
import { CHROME_WINDOWS, eventById, eventsOf, GB_IP, GOOGLEBOT, hugeJson, storedText } from './support/ingest-fixtures';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/** What browsers send to /api/collect and /api/v1/events: CORS, body types, size limit, rate-limit headers. */
const COLLECT = '/api/collect';
const NATIVE = '/api/v1/events';
const anError = { error: expect.any(String) };

type Res = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown };

const preflight = (t: TestApp, path: string, origin: string) =>
  t.http().options(path).set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type');

/** A POST exactly as given: no Content-Type is added for a string payload (fetch with a Blob body, sendBeacon). */
async function rawPost(t: TestApp, path: string, payload: string, headers: Record<string, string> = {}): Promise<Res> {
  const res = await t.app.getHttpAdapter().getInstance().inject({ method: 'POST', url: path, payload, headers });
  let body: unknown = res.body;
  try {
    body = JSON.parse(res.body);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.statusCode, headers: res.headers as Res['headers'], body };
}

function listOf(value: string | string[] | undefined): string[] {
  return String(value ?? '').toLowerCase().split(',').map((s) => s.trim());
}

/** The preflight allows a cross-origin POST with Content-Type from `origin`. */
function expectPreflightAllowed(res: Res, origin: string): void {
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(300);
  expect([origin, '*']).toContain(res.headers['access-control-allow-origin']);
  expect(listOf(res.headers['access-control-allow-methods'])).toContain('post');
  const headers = listOf(res.headers['access-control-allow-headers']);
  expect(headers.includes('content-type') || headers.includes('*')).toBe(true);
}

describe('browser collects, no allowed-origins setting (defaults)', () => {
  let t: TestApp;
  let site: string;
  const pageview = (path: string) => JSON.stringify({ website_id: site, type: 'pageview', url: `https://example.com/${path}` });
  const at = async (path: string) => (await eventsOf(t, site)).filter((e) => e.path === path);

  beforeAll(async () => {
    t = await startTestApp();
    site = (await createWebsite(t, await signup(t, 'browser'), { domain: 'example.com' })).id;
  });
  afterAll(() => t.close());

  it.each([COLLECT, NATIVE])('answers a preflight to %s from any origin', async (path) => {
    expectPreflightAllowed(await preflight(t, path, 'https://any-site.test'), 'https://any-site.test');
  });

  it('answers a cross-origin POST with Access-Control-Allow-Origin and exposes the rate-limit headers to scripts', async () => {
    const res = await t.http().post(COLLECT).set('Origin', 'https://any-site.test').set('Content-Type', 'application/json').send(pageview('cors')).expect(202);
    expect(['https://any-site.test', '*']).toContain(res.headers['access-control-allow-origin']);
    expect(listOf(res.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']));
    const native = await t.http().post(NATIVE).set('Origin', 'https://any-site.test').send({ website_id: site, url: 'https://example.com/cors-native' }).expect(202);
    expect(['https://any-site.test', '*']).toContain(native.headers['access-control-allow-origin']);
  });

  it('parses JSON sent as text/plain (sendBeacon) or with no Content-Type (fetch keepalive with a Blob), single or batch', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8']) {
      const res = await t.http().post(COLLECT).set('Content-Type', type).send(pageview('beacon')).expect(202);
      expect(res.body).toEqual({ ok: true });
    }
    const single = await rawPost(t, COLLECT, pageview('no-type'));
    expect([single.status, single.body]).toEqual([202, { ok: true }]);
    const batch = await rawPost(t, COLLECT, `[${pageview('no-type-batch')},${pageview('no-type-batch')}]`);
    expect(batch.status).toBe(202);
    const native = await rawPost(t, NATIVE, JSON.stringify({ website_id: site, url: 'https://example.com/native-no-type' }));
    expect(native.status).toBe(202);
    expect([(await at('/beacon')).length, (await at('/no-type')).length, (await at('/no-type-batch')).length, (await at('/native-no-type')).length]).toEqual([2, 1, 2, 1]);
  });

  it('answers a form-encoded or XML body with 400 or 415 {"error"}, storing nothing', async () => {
    const form = await t.http().post(COLLECT).type('form').send(`website_id=${site}&type=pageview&url=https://example.com/form`);
    const xml = await t.http().post(COLLECT).set('Content-Type', 'application/xml').send(`<event website_id="${site}" url="https://example.com/form"/>`);
    for (const res of [form, xml]) {
      expect([400, 415]).toContain(res.status);
      expect(res.body).toEqual(anError);
    }
    expect(await at('/form')).toEqual([]);
  });

  it('answers malformed or empty JSON with 400 {"error"}', async () => {
    for (const raw of ['{"website_id": ', '']) {
      const res = await t.http().post(COLLECT).set('Content-Type', 'application/json').send(raw).expect(400);
      expect(res.body).toEqual(anError);
    }
  });

  it('accepts a body of exactly 100 KB (102400 bytes) and answers 413 {"error"} one byte over, at 101 KB and at 2 MB', async () => {
    const base = { website_id: site, type: 'pageview', url: 'https://example.com/size' };
    const exact = hugeJson(base, 0);
    const sized = (bytes: number) => hugeJson(base, bytes - Buffer.byteLength(exact));
    expect(Buffer.byteLength(sized(102_400))).toBe(102_400);
    await t.http().post(COLLECT).set('Content-Type', 'application/json').send(sized(102_400)).expect(202);
    for (const bytes of [102_401, 101 * 1024, 2 * 1024 * 1024]) {
      const res = await t.http().post(COLLECT).set('Content-Type', 'application/json').send(sized(bytes));
      expect(res.status).toBe(413);
      expect(res.body).toEqual(anError);
    }
    expect(await at('/size')).toHaveLength(1);
  });

  it('sends X-RateLimit-Limit/-Remaining/-Reset (Unix seconds) on every /api/collect response', async () => {
    const json = (raw: string) => t.http().post(COLLECT).set('Content-Type', 'application/json').send(raw);
    const responses: [string, Res][] = [
      ['202', await json(pageview('headers'))],
      ['202 again', await json(pageview('headers'))],
      ['400 validation', await json(JSON.stringify({ website_id: site, type: 'pageview' }))],
      ['404 unknown website', await json(JSON.stringify({ website_id: 'nope', type: 'pageview', url: 'https://example.com/' }))],
      ['400 malformed JSON', await json('{"website_id": ')],
      ['415/400 form body', await t.http().post(COLLECT).type('form').send('website_id=x')],
      ['413 body too large', await json(hugeJson({ website_id: site }, 101 * 1024))],
    ];
    const now = Date.now() / 1000;
    const missing = responses.filter(([, r]) => r.headers['x-ratelimit-limit'] === undefined).map(([label]) => label);
    expect(missing).toEqual([]);
    for (const [, r] of responses) {
      expect(r.headers['x-ratelimit-limit']).toBe('60');
      expect(r.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
      const reset = Number(r.headers['x-ratelimit-reset']);
      expect(Number.isInteger(reset)).toBe(true);
      expect(reset).toBeGreaterThanOrEqual(Math.floor(now));
      expect(reset).toBeLessThanOrEqual(Math.ceil(now) + 60);
    }
    expect(Number(responses[1][1].headers['x-ratelimit-remaining'])).toBe(Number(responses[0][1].headers['x-ratelimit-remaining']) - 1);
  });
});

describe('browser collects with SPARKLYTICS_CORS_ORIGINS set, behind a trusted proxy', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  const ALLOWED = ['https://allowed.test', 'https://app.allowed.test', 'https://shop.example.org', 'https://www.shop.example.org', 'https://brand.test', 'https://www.brand.test'];
  const REFUSED = ['https://evil.test', 'https://shop.example.org.evil.test', 'https://evilshop.example.org', 'https://sub.allowed.test'];

  beforeAll(async () => {
    t = await startTestApp({ SPARKLYTICS_CORS_ORIGINS: 'https://allowed.test, https://app.allowed.test', TRUST_PROXY: 'true' });
    owner = await signup(t, 'cors');
    // Websites first: their domains are allowed origins.
    site = (await createWebsite(t, owner, { domain: 'shop.example.org' })).id;
    await createWebsite(t, owner, { domain: 'www.brand.test' });
  });
  afterAll(() => t.close());

  it.each([COLLECT, NATIVE])('allows the listed origins and each website\'s domain, with or without www., on %s', async (path) => {
    for (const origin of ALLOWED) {
      expectPreflightAllowed(await preflight(t, path, origin), origin);
      const body = path === COLLECT ? { website_id: site, type: 'pageview', url: 'https://shop.example.org/' } : { website_id: site, url: 'https://shop.example.org/' };
      const res = await t.http().post(path).set('Origin', origin).send(body).expect(202);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it.each([COLLECT, NATIVE])('gives other origins no Access-Control-Allow-Origin on %s', async (path) => {
    for (const origin of REFUSED) {
      expect((await preflight(t, path, origin)).headers['access-control-allow-origin']).toBeUndefined();
      const res = await t.http().post(path).set('Origin', origin).send({ website_id: site, type: 'pageview', url: 'https://shop.example.org/' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('reads COLLECT_CORS_ORIGINS, and SPARKLYTICS_CORS_ORIGINS as its alias', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ ...base, COLLECT_CORS_ORIGINS: 'https://a.test,https://b.test' }).collectCorsOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(loadConfig({ ...base, SPARKLYTICS_CORS_ORIGINS: 'https://a.test, https://b.test' }).collectCorsOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(loadConfig(base).collectCorsOrigins).toBeNull();
  });

  it('enriches a public collect from X-Forwarded-For and the request\'s User-Agent, never storing the address', async () => {
    await t.http().post(COLLECT).set('X-Forwarded-For', GB_IP).set('User-Agent', CHROME_WINDOWS)
      .send({ website_id: site, type: 'pageview', url: 'https://shop.example.org/geo' }).expect(202);
    const native = await t.http().post(NATIVE).set('X-Forwarded-For', GB_IP).set('User-Agent', CHROME_WINDOWS)
      .send({ website_id: site, url: 'https://shop.example.org/geo-native' }).expect(202);
    const rows = (await eventsOf(t, site)).filter((e) => e.path === '/geo');
    expect(rows).toEqual([expect.objectContaining({ country: 'GB', browser: 'Chrome', os: 'Windows', device_type: 'desktop', is_bot: false })]);
    expect(await eventById(t, native.body.event_id)).toMatchObject({ country: 'GB', browser: 'Chrome', is_bot: false });
    expect(await storedText(t, site)).not.toContain(GB_IP);
  });

  it('with an API key, enriches only from the body\'s user_agent and ip_address, not the request\'s', async () => {
    const key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
    const post = (body: object) => t.http().post(NATIVE).set(bearer(key)).set('X-Forwarded-For', GB_IP).set('User-Agent', GOOGLEBOT).send({ website_id: site, ...body }).expect(202);
    const own = await post({ url: 'https://shop.example.org/keyed' });
    expect(await eventById(t, own.body.event_id)).toMatchObject({ country: null, browser: null, is_bot: false });
    const body = await post({ url: 'https://shop.example.org/keyed-body', user_agent: CHROME_WINDOWS, ip_address: GB_IP });
    expect(await eventById(t, body.body.event_id)).toMatchObject({ country: 'GB', browser: 'Chrome', is_bot: false });
  });
});

describe('Sparklytics rate limit (SPARKLYTICS_RATE_LIMIT_PER_MINUTE=3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('counts every request per client IP, then answers 429 {"error":"Rate limit exceeded"} with the headers, on /api/collect only', async () => {
    const site = (await createWebsite(t, await signup(t, 'limited'))).id;
    const send = (body: object) => t.http().post(COLLECT).send(body);
    const ok = await send({ website_id: site, type: 'pageview', url: 'https://example.com/1' }).expect(202);
    const unknown = await send({ website_id: 'nope', type: 'pageview', url: 'https://example.com/' }).expect(404);
    const invalid = await send({ website_id: site, type: 'pageview' }).expect(400);
    const limited = await send({ website_id: site, type: 'pageview', url: 'https://example.com/over' }).expect(429);
    expect(limited.body).toEqual({ error: 'Rate limit exceeded' });
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect([ok, unknown, invalid, limited].map((r) => [r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining']])).toEqual([
      ['3', '2'], ['3', '1'], ['3', '0'], ['3', '0'],
    ]);
    const reset = Number(ok.headers['x-ratelimit-reset']);
    const now = Date.now() / 1000;
    expect(reset).toBeGreaterThanOrEqual(Math.floor(now));
    expect(reset).toBeLessThanOrEqual(Math.ceil(now) + 60);
    expect(limited.headers['x-ratelimit-reset']).toBe(String(reset));
    expect((await eventsOf(t, site)).map((e) => e.path)).toEqual(['/1']);
    // The limit applies to /api/collect only.
    await t.http().post(NATIVE).send({ website_id: site, url: 'https://example.com/native' }).expect(202);
  });
});
