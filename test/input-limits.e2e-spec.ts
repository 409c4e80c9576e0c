import { Account, bearer, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/** JSON text nested `depth` arrays deep around a value, built as text (JSON.stringify would recurse). */
function deepJson(depth: number, inner = '1'): string {
  return '['.repeat(depth) + inner + ']'.repeat(depth);
}

describe('input limits on management and query routes', () => {
  let t: TestApp;
  let owner: Account;
  let site: string;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    site = (await createWebsite(t, owner)).id;
  });
  afterAll(() => t.close());

  const expect400 = (res: { status: number; body: { statusCode?: number; error?: string; message?: unknown } }, message: RegExp) => {
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: expect.anything() } });
    expect(JSON.stringify(res.body.message)).toMatch(message);
  };

  describe('NUL characters answer 400', () => {
    it.each([
      ['a filter value', 'get', (): string => `/api/websites/${site}/stats?filter[page]=%00`],
      ['a breakdown property key', 'get', (): string => `/api/websites/${site}/breakdown/prop:%00`],
      ['an event name', 'get', (): string => `/api/websites/${site}/events/properties?event_name=%00`],
      ['a website id', 'get', (): string => '/api/websites/%00'],
      ['a visitor id', 'delete', (): string => `/api/websites/${site}/visitors/%00`],
    ] as const)('in %s', async (_, method, path) => {
      expect400(await t.http()[method](path()).set(bearer(owner.token)), /NUL/);
    });

    it.each([
      ['a website name', 'post', (): string => '/api/websites', { name: 'a\u0000b', domain: 'example.com' }],
      ['an API key name', 'post', (): string => '/api/api-keys', { name: 'a\u0000b', scopes: ['read'] }],
      ['an organization name', 'post', (): string => '/api/organizations', { name: 'a\u0000b' }],
      ['a funnel step value', 'post', (): string => `/api/websites/${site}/funnels/query`, { steps: [{ type: 'page', value: '/a\u0000' }, { type: 'page', value: '/b' }] }],
    ] as const)('in %s', async (_, method, path, body) => {
      expect400(await t.http()[method](path()).set(bearer(owner.token)).send(body), /NUL/);
    });

    it('in a login email, without credentials', async () => {
      expect400(await t.http().post('/api/auth/login').send({ email: 'a\u0000@example.com', password: 'correct horse battery' }), /NUL/);
    });
  });

  describe('deeply nested JSON answers 400', () => {
    it.each([
      ['login', '/api/auth/login', false],
      ['signup', '/api/auth/signup', false],
      ['website creation', '/api/websites', true],
      ['a funnel query', (): string => `/api/websites/${site}/funnels/query`, true],
    ] as const)('on %s', async (_, path, auth) => {
      const body = `{"email":${deepJson(3000)},"name":${deepJson(3000)},"steps":${deepJson(3000)}}`;
      let req = t.http().post(typeof path === 'function' ? path() : path).set('Content-Type', 'application/json');
      if (auth) req = req.set(bearer(owner.token));
      expect400(await req.send(body), /nested/);
    });

    it('but accepts ordinary nesting', async () => {
      const res = await t.http().post(`/api/websites/${site}/funnels/query`).set(bearer(owner.token))
        .send({ steps: [{ type: 'page', value: '/a' }, { type: 'page', value: '/b' }] });
      expect(res.status).toBe(200);
    });
  });

  describe('lone surrogates in an email answer 400', () => {
    it('at signup', async () => {
      expect400(await t.http().post('/api/auth/signup').send({ email: '\ud800@example.com', password: 'correct horse battery' }), /surrogate/);
    });
    it('when adding a member', async () => {
      const res = await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: 'x\udc00@example.com', role: 'viewer' });
      expect400(res, /surrogate/);
    });
  });

  describe('PATCH /api/websites/{id} with null', () => {
    it.each(['name', 'domain', 'timezone', 'public_collect'])('answers 400 for %s: null', async (field) => {
      const res = await t.http().patch(`/api/websites/${site}`).set(bearer(owner.token)).send({ [field]: null });
      expect400(res, new RegExp(field));
    });
    it('still accepts retention_days: null', async () => {
      const res = await t.http().patch(`/api/websites/${site}`).set(bearer(owner.token)).send({ retention_days: null }).expect(200);
      expect(res.body.retention_days).toBeNull();
    });
  });

  describe('dates far from today answer 400', () => {
    it.each([
      ['end_date=9999-12-31'],
      ['start_date=9999-12-30&end_date=9999-12-31'],
      ['start_date=0001-01-01&end_date=0001-01-02'],
      ['end_date=9999-12-31T23:00:00Z'],
    ])('%s', async (query) => {
      expect400(await t.http().get(`/api/websites/${site}/stats?${query}`).set(bearer(owner.token)), /between 1970-01-01 and 9998-12-31/);
    });
  });
});
