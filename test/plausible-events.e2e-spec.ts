import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, Browser, Request } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, eventually, runBrowserTests } from './support/chromium';
import { CHROME_WINDOWS, eventsOf, GB_IP, GOOGLEBOT, hugeJson } from './support/ingest-fixtures';
import { Account, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/** Plausible's Events API (POST /api/event), over HTTP, and Plausible's own tracker in headless Chromium. */
const EVENT = '/api/event';
const DROPPED = 'x-plausible-dropped';

type Res = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown; text: string };

/** A POST exactly as given: no Content-Type is added for a string payload (fetch keepalive with a Blob, sendBeacon). */
async function rawPost(t: TestApp, payload: string, headers: Record<string, string> = {}): Promise<Res> {
  const res = await t.app.getHttpAdapter().getInstance().inject({ method: 'POST', url: EVENT, payload, headers: { 'user-agent': CHROME_WINDOWS, ...headers } });
  let body: unknown = res.body;
  try {
    body = JSON.parse(res.body);
  } catch {
    // "ok" and other text stays text
  }
  return { status: res.statusCode, headers: res.headers as Res['headers'], body, text: res.body };
}

describe('Plausible Events API (POST /api/event), behind a trusted proxy', () => {
  let t: TestApp;
  let owner: Account;
  let rival: Account;
  let shop: string;
  let blog: string;
  let closed: string;
  let sharedOwn: string;
  let sharedRival: string;
  let rivalOnly: string;

  const send = (body: unknown, headers: Record<string, string> = {}) =>
    t.http().post(EVENT).set('User-Agent', CHROME_WINDOWS).set('Content-Type', 'application/json').set(headers).send(JSON.stringify(body));
  const paths = async (site: string) => (await eventsOf(t, site)).map((e) => e.path);

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    owner = await signup(t, 'plausible');
    rival = await signup(t, 'rival');
    shop = (await createWebsite(t, owner, { domain: 'www.shop.example' })).id;
    blog = (await createWebsite(t, owner, { domain: 'blog.example' })).id;
    closed = (await createWebsite(t, owner, { domain: 'closed.example', public_collect: false })).id;
    // One domain in two organizations names neither website.
    sharedOwn = (await createWebsite(t, owner, { domain: 'shared.example' })).id;
    sharedRival = (await createWebsite(t, rival, { domain: 'shared.example' })).id;
    rivalOnly = (await createWebsite(t, rival, { domain: 'rival.example' })).id;
  });
  afterAll(() => t.close());

  it('records a pageview named by domain: 202 "ok" as text, the visitor from User-Agent and X-Forwarded-For', async () => {
    const res = await send(
      { name: 'pageview', url: 'https://shop.example/pricing?utm_source=newsletter', domain: 'shop.example', referrer: 'https://www.google.com/search', screen_width: 1280 },
      { 'X-Forwarded-For': GB_IP },
    ).expect(202);
    expect(res.text).toBe('ok');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers[DROPPED]).toBeUndefined();
    const [row] = (await eventsOf(t, shop)).filter((e) => e.path === '/pricing');
    expect(row).toMatchObject({
      kind: 'pageview',
      name: null,
      hostname: 'shop.example',
      referrer_domain: 'google.com',
      utm_source: 'newsletter',
      screen_width: 1280,
      browser: 'Chrome',
      country: 'GB',
      is_bot: false,
    });
  });

  it('records a custom event with props sent as an object or as a JSON string (short names)', async () => {
    await send({ n: 'Signup', u: 'https://shop.example/join', d: 'shop.example', p: { plan: 'pro', seats: 3, trial: true } }).expect(202);
    await send({ n: 'Signup', u: 'https://shop.example/join', d: 'shop.example', p: JSON.stringify({ plan: 'team' }) }).expect(202);
    const rows = (await eventsOf(t, shop)).filter((e) => e.name === 'Signup');
    expect(rows.map((e) => [e.kind, e.path, e.props])).toEqual([
      ['custom', '/join', { plan: 'pro', seats: '3', trial: 'true' }],
      ['custom', '/join', { plan: 'team' }],
    ]);
  });

  it('records the event for each website of a comma-separated domain', async () => {
    const res = await send({ n: 'pageview', u: 'https://blog.example/rollup', d: 'blog.example,shop.example' }).expect(202);
    expect(res.headers[DROPPED]).toBeUndefined();
    expect((await paths(blog)).filter((p) => p === '/rollup')).toHaveLength(1);
    expect((await paths(shop)).filter((p) => p === '/rollup')).toHaveLength(1);
  });

  it('names a website by its id, by its domain with or without www., and by the url when there is no domain', async () => {
    await send({ n: 'pageview', u: 'https://shop.example/by-id', d: shop }).expect(202);
    await send({ n: 'pageview', u: 'https://shop.example/by-www', d: 'www.shop.example' }).expect(202);
    await send({ n: 'pageview', u: 'https://www.shop.example/by-url' }).expect(202);
    expect((await paths(shop)).filter((p) => String(p).startsWith('/by-'))).toEqual(['/by-id', '/by-www', '/by-url']);
  });

  it('drops an unknown or ambiguous domain (202 with x-plausible-dropped) and stores nothing anywhere', async () => {
    for (const d of ['nowhere.example', 'shared.example']) {
      const res = await send({ n: 'pageview', u: `https://${d}/drop`, d }).expect(202);
      expect([res.text, res.headers[DROPPED]]).toEqual(['ok', '1']);
    }
    const partial = await send({ n: 'pageview', u: 'https://blog.example/partial', d: 'blog.example,nowhere.example,shared.example' }).expect(202);
    expect(partial.headers[DROPPED]).toBe('2');
    expect(await paths(blog)).toContain('/partial');
    expect([...(await paths(sharedOwn)), ...(await paths(sharedRival))]).toEqual([]);
  });

  it("never records an event on another organization's website unless the body names that website", async () => {
    // The shared domain reaches neither organization; each website is reached by its own id only.
    await send({ n: 'pageview', u: 'https://shared.example/own', d: sharedOwn }).expect(202);
    expect(await paths(sharedOwn)).toEqual(['/own']);
    expect(await paths(sharedRival)).toEqual([]);
    // Names of one organization's websites never spill over to the other's.
    await send({ n: 'pageview', u: 'https://shop.example/mine', d: 'shop.example,blog.example' }).expect(202);
    expect(await paths(rivalOnly)).toEqual([]);
  });

  it('drops events for a website that does not accept public collection', async () => {
    const res = await send({ n: 'pageview', u: 'https://closed.example/', d: 'closed.example' }).expect(202);
    expect(res.headers[DROPPED]).toBe('1');
    expect(await eventsOf(t, closed)).toEqual([]);
  });

  it('parses JSON sent as text/plain (the tracker) or without Content-Type', async () => {
    const body = (p: string) => JSON.stringify({ n: 'pageview', u: `https://blog.example${p}`, d: 'blog.example' });
    for (const [p, headers] of [['/text-plain', { 'content-type': 'text/plain' }], ['/charset', { 'content-type': 'text/plain;charset=UTF-8' }], ['/no-type', {}]] as const) {
      const res = await rawPost(t, body(p), headers);
      expect([res.status, res.text]).toEqual([202, 'ok']);
    }
    expect((await paths(blog)).filter((p) => ['/text-plain', '/charset', '/no-type'].includes(p as string))).toEqual(['/text-plain', '/charset', '/no-type']);
  });

  it('stores bots flagged (not counted), from the request User-Agent', async () => {
    await send({ n: 'pageview', u: 'https://blog.example/crawled', d: 'blog.example' }, { 'User-Agent': GOOGLEBOT }).expect(202);
    expect((await eventsOf(t, blog)).find((e) => e.path === '/crawled')).toMatchObject({ is_bot: true });
  });

  it('keeps the first 30 props and answers longer names, values or event names with 400 naming the field', async () => {
    const many = Object.fromEntries(Array.from({ length: 35 }, (_, i) => [`k${String(i).padStart(2, '0')}`, `v${i}`]));
    await send({ n: 'Many', u: 'https://blog.example/many', d: 'blog.example', props: many }).expect(202);
    const row = (await eventsOf(t, blog)).find((e) => e.name === 'Many')!;
    expect(Object.keys(row.props as object)).toHaveLength(30);
    const cases: Array<[object, string]> = [
      [{ n: 'x'.repeat(121), u: 'https://blog.example/', d: 'blog.example' }, 'event_name'],
      [{ n: 'Long', u: 'https://blog.example/', d: 'blog.example', p: { k: 'v'.repeat(2001) } }, 'props'],
      [{ n: 'Long', u: 'https://blog.example/', d: 'blog.example', p: { ['k'.repeat(301)]: 'v' } }, 'props'],
      [{ n: 'pageview', d: 'blog.example' }, 'url'],
      [{ u: 'https://blog.example/' }, 'event_name'],
    ];
    for (const [body, field] of cases) {
      const res = await send(body).expect(400);
      expect(res.body).toEqual({ errors: { [field]: [expect.any(String)] } });
    }
    expect((await eventsOf(t, blog)).filter((e) => e.name === 'Long')).toEqual([]);
  });

  it('answers malformed JSON (400), a form body (415) and a body over 1 MB (413) in errors.request', async () => {
    const malformed = await rawPost(t, '{"n": ', { 'content-type': 'application/json' });
    const form = await rawPost(t, 'n=pageview&d=blog.example', { 'content-type': 'application/x-www-form-urlencoded' });
    const huge = await rawPost(t, hugeJson({ n: 'pageview', u: 'https://blog.example/', d: 'blog.example' }, 1_100_000), { 'content-type': 'text/plain' });
    expect([malformed, form, huge].map((r) => [r.status, r.body])).toEqual([
      [400, { errors: { request: [expect.any(String)] } }],
      [415, { errors: { request: [expect.any(String)] } }],
      [413, { errors: { request: [expect.any(String)] } }],
    ]);
  });

  it('acknowledges the tracker engagement pings without storing them; records hash-mode paths', async () => {
    await send({ n: 'engagement', u: 'https://blog.example/read', d: 'blog.example', sd: 60, e: 12000 }).expect(202);
    await send({ n: 'pageview', u: 'https://blog.example/app#/settings', d: 'blog.example', h: 1 }).expect(202);
    const rows = await eventsOf(t, blog);
    expect(rows.filter((e) => e.name === 'engagement' || e.path === '/read')).toEqual([]);
    expect(rows.map((e) => e.path)).toContain('/app#/settings');
  });

  it('stores a retry with the same Idempotency-Key once', async () => {
    for (let i = 0; i < 2; i++) await send({ n: 'Paid', u: 'https://shop.example/paid', d: 'shop.example' }, { 'Idempotency-Key': 'order-7' }).expect(202);
    expect((await eventsOf(t, shop)).filter((e) => e.name === 'Paid')).toHaveLength(1);
  });

  it('answers a CORS preflight from any origin and exposes x-plausible-dropped', async () => {
    const pre = await t.http().options(EVENT).set('Origin', 'https://any-site.example').set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://any-site.example');
    expect(pre.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Content-Type/i);
    const res = await send({ n: 'pageview', u: 'https://blog.example/cors', d: 'nowhere.example' }, { Origin: 'https://any-site.example' }).expect(202);
    expect(res.headers['access-control-allow-origin']).toBe('https://any-site.example');
    expect(res.headers['access-control-expose-headers']).toMatch(/x-plausible-dropped/i);
  });
});

describe('Plausible rate limit (PLAUSIBLE_RATE_LIMIT_PER_MINUTE=2), no trusted proxy', () => {
  let t: TestApp;
  let site: string;
  beforeAll(async () => {
    t = await startTestApp({ PLAUSIBLE_RATE_LIMIT_PER_MINUTE: '2' });
    site = (await createWebsite(t, await signup(t, 'limited'), { domain: 'limited.example' })).id;
  });
  afterAll(() => t.close());

  it('answers the third request in a minute from one address with 429 and Retry-After, whatever X-Forwarded-For says', async () => {
    const post = (forwarded: string) =>
      t.http().post(EVENT).set('X-Forwarded-For', forwarded).send({ n: 'pageview', u: 'https://limited.example/', d: 'limited.example' });
    expect((await post('203.0.113.1')).status).toBe(202);
    expect((await post('203.0.113.2')).status).toBe(202);
    const refused = await post('203.0.113.3');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body).toEqual({ errors: { request: [expect.any(String)] } });
    expect(await eventsOf(t, site)).toHaveLength(2);
  });
});

/** Plausible's official tracker (npm @plausible-analytics/tracker, MIT) pointed at Footfall, in headless Chromium. */
const TRACKER = readFileSync(path.join(__dirname, '..', 'node_modules', '@plausible-analytics', 'tracker', 'plausible.js'), 'utf8');

/** The browser globals the page callbacks use (this project compiles without the DOM lib). */
interface BrowserGlobals {
  plausible?: (name: string, options: object) => void;
  history: { pushState(state: unknown, unused: string, url?: string): void };
}

// Required in CI (.ci/run installs Debian's chromium); elsewhere skipped, saying what is missing.
if (!runBrowserTests) {
  describe("Plausible's tracker in headless Chromium", () => {
    it.skip(`skipped: ${CHROMIUM} is missing (Debian: apt-get install -y chromium)`, () => undefined);
  });
}
(runBrowserTests ? describe : describe.skip)("Plausible's tracker in headless Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  let pages: Server;
  let api: string;
  let pageOrigin: string;
  let site: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed: ${CHROMIUM} is missing (Debian: apt-get install -y chromium)`);
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    api = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    site = (await createWebsite(t, await signup(t, 'tracker'), { domain: 'tracked-shop.example' })).id;
    // The measured site: another origin serving the tracker module and a page that starts it.
    pages = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/plausible.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        res.end(TRACKER);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      // The tracker sends nothing under browser automation unless window.__plausible is set, nor on
      // 127.0.0.1 without captureOnLocalhost; the endpoint is the only Footfall-specific setting.
      res.end(`<!doctype html><html><head><title>Shop</title>
<script>window.__plausible = true</script>
<script type="module">
import { init } from '/plausible.js'
init({ domain: 'tracked-shop.example', endpoint: '${api}/api/event', captureOnLocalhost: true, logging: false })
</script></head><body>hello</body></html>`);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (pages) await new Promise((resolve) => pages.close(resolve));
    await t?.close();
  });

  it('records its pageviews (load and pushState) and a custom event with props, sent as text/plain', async () => {
    const context = await browser.newContext();
    const sent: Request[] = [];
    context.on('request', (r) => {
      if (r.url() === `${api}/api/event`) sent.push(r);
    });
    try {
      const page = await context.newPage();
      await page.goto(`${pageOrigin}/shop.html?ref=home`);
      const rows = () => eventsOf(t, site);
      await eventually(async () => ((await rows()).length >= 1 ? true : undefined), 'the first pageview');
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).history.pushState({}, '', '/checkout'));
      await eventually(async () => ((await rows()).length >= 2 ? true : undefined), 'the pushState pageview');
      const status = await page.evaluate(
        () =>
          new Promise((resolve) =>
            (globalThis as unknown as BrowserGlobals).plausible!('Purchase', {
              props: { plan: 'pro', coupon: 'SPRING' },
              revenue: { amount: 29.9, currency: 'EUR' },
              callback: (result: { status?: number }) => resolve(result?.status),
            }),
          ),
      );
      expect(status).toBe(202);
      const stored = await rows();
      expect(stored.map((e) => [e.kind, e.name, e.path, e.props])).toEqual([
        ['pageview', null, '/shop.html', null],
        ['pageview', null, '/checkout', null],
        ['custom', 'Purchase', '/checkout', { plan: 'pro', coupon: 'SPRING' }],
      ]);
      const events = sent.filter((r) => JSON.parse(r.postData() ?? '{}').n !== 'engagement');
      expect(events).toHaveLength(3);
      for (const r of events) {
        expect(r.method()).toBe('POST');
        expect(r.headers()['content-type']).toMatch(/^text\/plain/);
        expect(JSON.parse(r.postData()!)).toMatchObject({ d: 'tracked-shop.example', u: expect.stringMatching(/^http:\/\/127\.0\.0\.1/) });
      }
      // Engagement pings, if the tracker sent any, are acknowledged and not stored.
      expect((await rows()).length).toBe(3);
    } finally {
      await context.close();
    }
  });
});
