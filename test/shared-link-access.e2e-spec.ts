import { JwtService } from '@nestjs/jwt';
import { registeredRoutes, Route } from './support/routes';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/**
 * A shared link's session against every route the app serves (read from its router, so a route
 * added later is covered without touching this file): only the link's website's queries answer;
 * every other route refuses it, in its own error format, or treats it as no credential at all.
 */
const FUNNEL = { steps: [{ type: 'page', value: '/' }, { type: 'page', value: '/pricing' }] };

/** The routes a session may call, with what a valid request needs besides the website id. */
const ALLOWED: Record<string, { query?: string; body?: (websiteId: string) => object }> = {
  'GET /api/websites/:id/stats': {},
  'GET /api/websites/:id/breakdown/:dimension': {},
  'GET /api/websites/:id/timeseries': {},
  'GET /api/websites/:id/realtime': {},
  'GET /api/websites/:id/events': {},
  'GET /api/websites/:id/events/properties': { query: 'event_name=signup' },
  'GET /api/websites/:id/events/timeseries': { query: 'event_name=signup' },
  'POST /api/websites/:id/funnels/query': { body: () => FUNNEL },
  'GET /api/websites/:id/goals': {},
  'POST /api/v2/query': { body: (websiteId) => ({ site_id: websiteId, metrics: ['visitors', 'pageviews'], date_range: '7d' }) },
};

const is2xx = (status: number) => status >= 200 && status < 300;

describe('a shared link reads its website\'s statistics and nothing else', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  let site: string;
  let sibling: string;
  let foreign: string;
  let goalId: string;
  let keyId: string;
  let link: { id: string; token: string };
  let session: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
    site = (await createWebsite(t, owner)).id;
    sibling = (await createWebsite(t, owner)).id;
    foreign = (await createWebsite(t, stranger)).id;
    await t.http().post('/api/collect').send({ website_id: site, type: 'pageview', url: 'https://example.com/' }).expect(202);
    goalId = (await t.http().post(`/api/websites/${site}/goals`).set(bearer(owner.token)).send({ goal_type: 'event', event_name: 'signup' }).expect(201)).body.id;
    keyId = (await createApiKey(t, owner)).id;
    link = (await t.http().post(`/api/websites/${site}/shared-links`).set(bearer(owner.token)).send({}).expect(201)).body;
    session = (await t.http().post(`/api/share/${link.token}/session`).send({}).expect(200)).body.access_token;
  });
  afterAll(() => t.close());

  /** Real ids in every path parameter, so a route that wrongly admitted the session would act on real data. */
  function fill(route: Route, websiteId: string): string {
    const values: Record<string, string> = {
      id: route.path.startsWith('/api/organizations/') ? owner.organizationId : route.path.startsWith('/api/api-keys/') ? keyId : websiteId,
      website_id: websiteId,
      goal_id: goalId,
      link_id: link.id,
      token: link.token,
      dimension: 'page',
      user_id: owner.userId,
      userId: owner.userId,
      visitor_id: 'visitor-1',
    };
    return route.path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? 'x').replace(/\*/g, 'x');
  }

  function send(route: Route, websiteId: string, token: string | null) {
    const allowed = ALLOWED[`${route.method} ${route.path}`];
    const query = allowed?.query ? `?${allowed.query}` : '';
    const req = t.http()[route.method.toLowerCase() as 'get'](fill(route, websiteId) + query);
    if (token) req.set(bearer(token));
    return ['POST', 'PUT', 'PATCH'].includes(route.method) ? req.send(allowed?.body?.(websiteId) ?? {}) : req;
  }

  it('finds the routes in the router', () => {
    const routes = registeredRoutes(t.app).map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(40);
    expect(new Set(routes).size).toBe(routes.length);
    for (const allowed of Object.keys(ALLOWED)) expect(routes).toContain(allowed);
    for (const other of ['DELETE /api/websites/:id', 'GET /api/websites/:id/export', 'POST /api/v1/events', 'GET /api/websites/:id/shared-links']) expect(routes).toContain(other);
  });

  it('answers the allowed queries of its website, and refuses every other route', async () => {
    const wrong: string[] = [];
    const answered: string[] = [];
    for (const route of registeredRoutes(t.app)) {
      const name = `${route.method} ${route.path}`;
      const anonymous = await send(route, site, null);
      const res = await send(route, site, session);
      if (ALLOWED[name]) {
        if (!is2xx(res.status)) wrong.push(`${name}: allowed, answered ${res.status} ${res.text.slice(0, 200)}`);
        else answered.push(name);
      } else if (anonymous.status === 401) {
        // A route that needs credentials refuses these, in the error format it gives anyone it refuses.
        if (![401, 403, 404].includes(res.status)) wrong.push(`${name}: answered ${res.status} ${res.text.slice(0, 200)}`);
        else if (JSON.stringify(Object.keys(res.body).sort()) !== JSON.stringify(Object.keys(anonymous.body).sort())) {
          wrong.push(`${name}: error ${res.text} is not in the route's format ${anonymous.text}`);
        }
      } else if (is2xx(res.status) && !is2xx(anonymous.status)) {
        // A public route: the session may get no more than no credential gets.
        wrong.push(`${name}: answered ${res.status} with the session but ${anonymous.status} without credentials`);
      }
    }
    expect(wrong).toEqual([]);
    expect(answered.sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('refuses the allowed queries for another website of the organization and for another tenant\'s', async () => {
    const wrong: string[] = [];
    for (const route of registeredRoutes(t.app).filter((r) => ALLOWED[`${r.method} ${r.path}`])) {
      for (const other of [sibling, foreign]) {
        const res = await send(route, other, session);
        if (res.status !== 404) wrong.push(`${route.method} ${route.path} for ${other === sibling ? 'a sibling' : 'a foreign'} website: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names its website by domain only among itself: a sibling with the same domain does not make it ambiguous', async () => {
    const res = await t.http().post('/api/v2/query').set(bearer(session)).send({ site_id: 'example.com', metrics: ['pageviews'], date_range: 'day' }).expect(200);
    expect(res.body.results[0].metrics).toEqual([1]);
  });

  it('left everything as it was', async () => {
    await t.http().get(`/api/websites/${site}`).set(bearer(owner.token)).expect(200);
    expect((await t.http().get(`/api/websites/${site}/goals`).set(bearer(owner.token)).expect(200)).body.data).toHaveLength(1);
    expect((await t.http().get(`/api/websites/${site}/shared-links`).set(bearer(owner.token)).expect(200)).body.data).toHaveLength(1);
    expect((await t.http().get('/api/api-keys').set(bearer(owner.token)).expect(200)).body.data.map((k: { id: string }) => k.id)).toContain(keyId);
  });

  it('cannot be reshaped: a session names its link and website, signed; neither swaps, and it is no user token', async () => {
    const jwt = new JwtService({ secret: t.config.jwtSecret, signOptions: { algorithm: 'HS256', expiresIn: 600 } });
    const stats = (token: string, websiteId = site) => t.http().get(`/api/websites/${websiteId}/stats`).set(bearer(token));
    await stats(session).expect(200);
    // The link's id under another website of the organization: no such link.
    await stats(await jwt.signAsync({ typ: 'share', sub: link.id, wid: sibling }), sibling).expect(401);
    // A user's id as a link, and a link without the session's type: neither is anything.
    await stats(await jwt.signAsync({ typ: 'share', sub: owner.userId, wid: site })).expect(401);
    await stats(await jwt.signAsync({ sub: link.id, wid: site })).expect(401);
    await stats(await jwt.signAsync({ typ: 'user', sub: owner.userId, email: owner.email })).expect(401);
    // Another key signs nothing.
    const forged = await new JwtService({ secret: 'y'.repeat(64) }).signAsync({ typ: 'share', sub: link.id, wid: site });
    await stats(forged).expect(401);
  });
});
