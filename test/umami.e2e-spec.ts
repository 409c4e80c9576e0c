import { Umami } from '@umami/node';
import { queryDb } from './support/events-db';
import { CHROME_WINDOWS, EventRow, eventsOf, GOOGLEBOT, hugeJson } from './support/ingest-fixtures';
import { createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/** Umami's collection API, POST /api/send, through HTTP: what its tracker and its Node client send. */
const SEND = '/api/send';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A browser per test: the cookieless visitor is derived from address and agent. */
const browser = (n: number) => CHROME_WINDOWS.replace('Chrome/124.0.0.0', `Chrome/124.0.0.${n}`);
const badRequest = (properties: object) => ({ error: { message: 'Bad request', code: 'bad-request', status: 400, errors: [], properties } });

describe('Umami: POST /api/send', () => {
  let t: TestApp;
  let site: string;
  const post = (body: object, agent: string, headers: Record<string, string> = {}) => t.http().post(SEND).set('User-Agent', agent).set(headers).send(body);
  const payload = (fields: Record<string, unknown>) => ({ website: site, hostname: 'example.com', language: 'en-US', screen: '1920x1080', ...fields });
  const at = async (path: string): Promise<EventRow[]> => (await eventsOf(t, site)).filter((e) => e.path === path);
  const visitOf = async (sessionId: unknown) =>
    (await queryDb<{ user_id: string | null; events: number }>(t.dbUrl, 'SELECT user_id, events FROM sessions WHERE website_id = $1 AND session_id = $2', [site, sessionId]))[0];

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    site = (await createWebsite(t, await signup(t, 'umami'), { domain: 'example.com' })).id;
  });
  afterAll(() => t.close());

  it('stores a pageview and answers {cache, sessionId, visitId}: the visitor and the visit it was stored in', async () => {
    const res = await post({ type: 'event', payload: payload({ url: '/pricing?utm_source=news', title: 'Pricing', referrer: 'https://www.google.com/' }) }, browser(1)).expect(200);
    expect(res.body).toEqual({ cache: expect.any(String), sessionId: expect.stringMatching(UUID), visitId: expect.stringMatching(UUID) });
    expect(await at('/pricing')).toEqual([
      expect.objectContaining({
        kind: 'pageview', name: null, hostname: 'example.com', query: 'utm_source=news', title: 'Pricing', referrer_domain: 'google.com', utm_source: 'news',
        language: 'en-US', screen: '1920x1080', screen_width: 1920, screen_height: 1080, browser: 'Chrome', is_bot: false, session_id: res.body.visitId,
      }),
    ]);
    const again = await post({ type: 'event', payload: payload({ url: '/pricing/team' }) }, browser(1)).expect(200);
    expect([again.body.sessionId, again.body.visitId]).toEqual([res.body.sessionId, res.body.visitId]);
  });

  it('stores a custom event with its data, and the time of payload.timestamp (Unix seconds)', async () => {
    const when = Math.floor(Date.now() / 1000) - 3600;
    await post({ type: 'event', payload: payload({ url: '/signup', name: 'signup', data: { plan: 'pro', seats: 3.14159, tags: ['a', 'b'] }, timestamp: when }) }, browser(2)).expect(200);
    expect(await at('/signup')).toEqual([
      expect.objectContaining({ kind: 'custom', name: 'signup', props: { plan: 'pro', seats: 3.1416, tags: '["a","b"]' }, occurred_at: new Date(when * 1000) }),
    ]);
  });

  it('identify attaches the distinct id to the visit: its later events carry user_id, sent without it', async () => {
    const agent = browser(3);
    const first = await post({ type: 'event', payload: payload({ url: '/before-login' }) }, agent).expect(200);
    const identify = await post({ type: 'identify', payload: payload({ url: '/login', id: 'member-4711', data: { plan: 'team' } }) }, agent).expect(200);
    const later = await post({ type: 'event', payload: payload({ url: '/dashboard', name: 'open-report' }) }, agent).expect(200);
    expect(new Set([first.body.visitId, identify.body.visitId, later.body.visitId]).size).toBe(1);
    expect((await at('/before-login'))[0].user_id).toBeNull();
    expect(await at('/login')).toEqual([expect.objectContaining({ kind: 'custom', name: 'identify', user_id: 'member-4711', props: { plan: 'team' } })]);
    expect((await at('/dashboard'))[0]).toMatchObject({ name: 'open-report', user_id: 'member-4711' });
    expect(await visitOf(later.body.visitId)).toEqual({ user_id: 'member-4711', events: 3 });
  });

  it('takes back its x-umami-cache token: the visit continues when the address changes; other tokens are ignored', async () => {
    const agent = browser(4);
    const from = (ip: string, cache?: string) => post({ type: 'event', payload: payload({ url: '/cache' }) }, agent, { 'X-Forwarded-For': ip, ...(cache === undefined ? {} : { 'x-umami-cache': cache }) }).expect(200);
    const first = await from('203.0.113.10');
    const moved = await from('198.51.100.20', first.body.cache);
    expect([moved.body.sessionId, moved.body.visitId]).toEqual([first.body.sessionId, first.body.visitId]);
    // The tracker clears its token before an identify, sending an empty header.
    const [body, mac] = (first.body.cache as string).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), v: 'someone-else' })).toString('base64url');
    for (const bad of ['', `${forged}.${mac}`, `${body}.${mac.slice(2)}`, 'not a token']) {
      const other = await from('192.0.2.30', bad);
      expect(other.body.visitId).not.toBe(first.body.visitId);
    }
    const elsewhere = (await createWebsite(t, await signup(t, 'umami-other'), { domain: 'example.com' })).id;
    const foreign = await post({ type: 'event', payload: { website: elsewhere, url: '/x' } }, agent, { 'X-Forwarded-For': '192.0.2.40' }).expect(200);
    const replayed = await from('192.0.2.41', foreign.body.cache);
    expect(replayed.body.visitId).not.toBe(first.body.visitId);
    expect(replayed.body.sessionId).not.toBe(foreign.body.sessionId);
  });

  it('answers bots, and requests without a User-Agent, {"beep":"boop"} and stores nothing', async () => {
    for (const agent of [GOOGLEBOT, 'curl/8.5.0']) {
      const res = await post({ type: 'event', payload: payload({ url: '/bot' }) }, agent).expect(200);
      expect(res.body).toEqual({ beep: 'boop' });
    }
    const inject = t.app.getHttpAdapter().getInstance().inject;
    const agentless = await inject({ method: 'POST', url: SEND, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ type: 'event', payload: payload({ url: '/bot' }) }) });
    expect([agentless.statusCode, agentless.json()]).toEqual([200, { beep: 'boop' }]);
    expect(await at('/bot')).toEqual([]);
  });

  it('answers an unknown website "Website not found." (400), and one closed to public collection 403', async () => {
    const unknown = await post({ type: 'event', payload: { website: 'no-such-site', url: '/' } }, browser(5)).expect(400);
    expect(unknown.body).toEqual({ error: { message: 'Website not found.', code: 'bad-request', status: 400 } });
    const owner = await signup(t, 'umami-closed');
    const closed = (await createWebsite(t, owner, { domain: 'closed.example', public_collect: false })).id;
    const refused = await post({ type: 'event', payload: { website: closed, url: '/' } }, browser(5)).expect(403);
    expect(refused.body).toEqual({ error: { message: expect.stringContaining('public collection'), code: 'forbidden', status: 403 } });
    expect(await eventsOf(t, closed)).toEqual([]);
  });

  it('answers validation errors as Umami does: 400 with zod\'s tree of messages by field', async () => {
    const missing = await post({ type: 'event', payload: { url: '/' } }, browser(6)).expect(400);
    expect(missing.body).toEqual(badRequest({ payload: { errors: [], properties: { website: { errors: ['Invalid input: expected string, received undefined'] } } } }));
    const long = await post({ type: 'event', payload: payload({ url: '/', name: 'n'.repeat(51) }) }, browser(6)).expect(400);
    expect(long.body).toEqual(badRequest({ payload: { errors: [], properties: { name: { errors: ['Too big: expected string to have <=50 characters'] } } } }));
    const type = await post({ type: 'pageview', payload: payload({ url: '/' }) }, browser(6)).expect(400);
    expect(type.body.error.properties).toEqual({ type: { errors: ['Invalid option: expected one of "event"|"identify"'] } });
    const json = await t.http().post(SEND).set('User-Agent', browser(6)).set('Content-Type', 'application/json').send('{"type":').expect(400);
    expect(json.body).toEqual({ error: { message: 'Bad request', code: 'bad-request', status: 400, errors: [expect.any(String)] } });
    const big = await t.http().post(SEND).set('User-Agent', browser(6)).set('Content-Type', 'application/json').send(hugeJson({ type: 'event', payload: payload({ url: '/' }) }, 101 * 1024)).expect(413);
    expect(big.body).toEqual({ error: { message: 'Payload too large', code: 'payload-too-large', status: 413 } });
  });

  it('answers a CORS preflight from any page, allowing x-umami-cache, and the POST that follows', async () => {
    const preflight = await t.http().options(SEND).set('Origin', 'https://blog.example.org').set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,x-umami-cache').expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://blog.example.org');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']!.toLowerCase()).toEqual(expect.stringContaining('x-umami-cache'));
    const res = await post({ type: 'event', payload: payload({ url: '/cors' }) }, browser(7), { Origin: 'https://blog.example.org' }).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://blog.example.org');
  });

  it('works with Umami\'s own Node client (@umami/node) pointed at Footfall', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const umami = new Umami({ websiteId: site, hostUrl: (await t.app.getUrl()).replace('[::1]', '127.0.0.1') });
    const pageview = await umami.track({ url: '/node/home', hostname: 'example.com', title: 'Home' });
    expect(pageview.status).toBe(200);
    expect(await pageview.json()).toEqual({ cache: expect.any(String), sessionId: expect.stringMatching(UUID), visitId: expect.stringMatching(UUID) });
    const custom = (await (await umami.track('node-signup', { plan: 'pro', seats: 5 })).json()) as { visitId: string };
    expect(custom.visitId).toMatch(UUID);
    expect((await umami.identify({ id: 'node-user-1', company: 'Acme' })).status).toBe(200);
    expect((await umami.track({ url: '/node/after', hostname: 'example.com' })).status).toBe(200);
    const rows = (await eventsOf(t, site)).filter((e) => (e.path as string | null)?.startsWith('/node') || e.name === 'node-signup' || e.user_id === 'node-user-1');
    expect(rows.map((r) => [r.kind, r.name, r.path, r.props, r.user_id])).toEqual([
      ['pageview', null, '/node/home', null, null],
      ['custom', 'node-signup', null, { plan: 'pro', seats: 5 }, null],
      ['custom', 'identify', null, { id: 'node-user-1', company: 'Acme' }, 'node-user-1'],
      ['pageview', null, '/node/after', null, 'node-user-1'],
    ]);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
    expect(rows[0].is_bot).toBe(false);
  });
});

describe('Umami: UMAMI_RATE_LIMIT_PER_MINUTE', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ UMAMI_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('counts requests per client IP and answers 429 too-many-requests with Retry-After', async () => {
    const site = (await createWebsite(t, await signup(t, 'umami-limited'))).id;
    const send = () => t.http().post(SEND).set('User-Agent', CHROME_WINDOWS).send({ type: 'event', payload: { website: site, url: '/limited' } });
    await send().expect(200);
    await send().expect(200);
    const limited = await send().expect(429);
    expect(limited.body).toEqual({ error: { message: 'Too many requests', code: 'too-many-requests', status: 429 } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await eventsOf(t, site)).toHaveLength(2);
  });
});
