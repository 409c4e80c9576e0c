import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/** Who may query a website, and how bad parameters are answered, on every query route. */
const FUNNEL = { steps: [{ type: 'page', value: '/' }, { type: 'page', value: '/pricing' }] };
const ROUTES: [string, string][] = [
  ['get', '/events'],
  ['get', '/events/properties?event_name=signup'],
  ['get', '/events/timeseries?event_name=signup'],
  ['get', '/stats'],
  ['get', '/breakdown/page'],
  ['get', '/breakdown/prop:plan'],
  ['get', '/timeseries'],
  ['get', '/realtime'],
  ['post', '/funnels/query'],
];

describe('query: access and validation', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  let siteId: string;
  let otherSiteId: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
    siteId = (await createWebsite(t, owner)).id;
    otherSiteId = (await createWebsite(t, owner)).id;
  });
  afterAll(() => t.close());

  function call(method: string, route: string, token: string | null, site = siteId) {
    const [path, query = ''] = route.split('?');
    const url = `/api/websites/${site}${path}?${query}`;
    const req = method === 'post' ? t.http().post(url).send(FUNNEL) : t.http().get(url);
    return token === null ? req : req.set(bearer(token));
  }

  /** The status of every route for this credential. */
  async function statuses(token: string | null, site = siteId): Promise<number[]> {
    const out: number[] = [];
    for (const [method, route] of ROUTES) out.push((await call(method, route, token, site)).status);
    return out;
  }
  const all = (status: number) => ROUTES.map(() => status);

  it('answers members of the organization, whatever their role', async () => {
    expect(await statuses(owner.token)).toEqual(all(200));
    const viewer = await signup(t, 'viewer');
    await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: viewer.email, role: 'viewer' }).expect(201);
    expect(await statuses(viewer.token)).toEqual(all(200));
  });

  it('answers read keys of the organization, and read keys limited to this website', async () => {
    expect(await statuses((await createApiKey(t, owner, { scopes: ['read'] })).key)).toEqual(all(200));
    expect(await statuses((await createApiKey(t, owner, { scopes: ['read'], website_ids: [siteId] })).key)).toEqual(all(200));
  });

  it('is 401 without, or with invalid, revoked or expired credentials', async () => {
    expect(await statuses(null)).toEqual(all(401));
    expect(await statuses('ff_live_not-a-real-key')).toEqual(all(401));
    const revoked = await createApiKey(t, owner, { scopes: ['read'] });
    await t.http().delete(`/api/api-keys/${revoked.id}`).set(bearer(owner.token)).expect(204);
    expect(await statuses(revoked.key)).toEqual(all(401));
    const expired = await createApiKey(t, owner, { scopes: ['read'] });
    await queryDb(t.dbUrl, "UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired.id]);
    expect(await statuses(expired.key)).toEqual(all(401));
  });

  it('is 403 for a key without the read scope, or limited to other websites', async () => {
    const ingestOnly = await createApiKey(t, owner, { scopes: ['ingest'] });
    expect(await statuses(ingestOnly.key)).toEqual(all(403));
    const elsewhere = await createApiKey(t, owner, { scopes: ['read'], website_ids: [otherSiteId] });
    expect(await statuses(elsewhere.key)).toEqual(all(403));
    const res = await call('get', '/stats', elsewhere.key);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'This API key is not allowed for this website' });
  });

  it("is 404 for another organization's users and keys, and for unknown websites", async () => {
    expect(await statuses(stranger.token)).toEqual(all(404));
    expect(await statuses((await createApiKey(t, stranger, { scopes: ['read'] })).key)).toEqual(all(404));
    expect(await statuses(owner.token, 'no-such-site')).toEqual(all(404));
    const res = await call('get', '/stats', stranger.token);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Website not found' });
  });

  it('checks access before parameters', async () => {
    const res = await t.http().get(`/api/websites/${siteId}/breakdown/planet?filter[nope]=x&start_date=bad`).set(bearer(stranger.token));
    expect(res.status).toBe(404);
  });

  describe('dates', () => {
    it.each([
      ['start_date=2025-02-30', /^start_date must be a date \(YYYY-MM-DD, a day in the website's time zone\) or an ISO 8601 date-time with a time zone/],
      ['end_date=tomorrow', /^end_date must be a date/],
      ['start_date=2025-01-10T10:00:00', /with a time zone/],
      ['start_date=2025-01-10&start_date=2025-01-11', /start_date/],
      ['start_date=2025-01-10&end_date=2025-01-09', /^end_date must not be before start_date$/],
      ['start_date=2025-01-10T10:00:00Z&end_date=2025-01-10T10:00:00Z', /^end_date must be after start_date$/],
      ['start_date=2022-01-01&end_date=2025-01-01', /^The date range must not be longer than 2 years \(731 days\)$/],
      ['start_date=2999-01-01', /^start_date must not be after today/],
    ])('%s is 400 on every route', async (query, message) => {
      for (const [method, route] of ROUTES) {
        if (route === '/realtime') continue; // realtime is always the last 5 minutes
        const res = await call(method, `${route}${route.includes('?') ? '&' : '?'}${query}`, owner.token);
        expect([route, res.status]).toEqual([route, 400]);
        // A repeated parameter fails validation of the parameter list (a list of messages).
        expect(Array.isArray(res.body.message) ? res.body.message.join('; ') : res.body.message).toMatch(message);
      }
    });
  });

  describe('filters', () => {
    it.each([
      ['filter[planet]=mars', /^Unknown filter dimension "planet". Valid dimensions: page, entry_page, exit_page, hostname, .*, prop:<property key>$/],
      ['filter[page]=starts_with:/a', /^Unknown filter operator "starts_with" in filter\[page\]. Valid operators: is, is_not, contains/],
      ['filter=page', /^Filters are written filter\[<dimension>\]=\[<operator>:\]value/],
      ['filter[prop:]=x', /needs a property key/],
    ])('%s is 400 on every route', async (query, message) => {
      for (const [method, route] of ROUTES) {
        const res = await call(method, `${route}${route.includes('?') ? '&' : '?'}${query}`, owner.token);
        expect([route, res.status]).toEqual([route, 400]);
        expect(res.body.message).toMatch(message);
      }
    });

    it('accepts every documented dimension and operator', async () => {
      const dims = ['page', 'entry_page', 'exit_page', 'hostname', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
        'country', 'region', 'city', 'browser', 'browser_version', 'os', 'os_version', 'device_type', 'language', 'screen', 'event_name', 'prop:plan'];
      for (const d of dims) {
        const query = `filter[${d}]=x&filter[${d}]=is_not:y&filter[${d}]=contains:z`;
        await call('get', `/stats?${query}`, owner.token).expect(200);
        const res = await call('get', `/breakdown/${d}?${query}`, owner.token).expect(200);
        expect(res.body).toEqual({ data: [], page: 1, limit: 10 });
      }
    });
  });
});
