import { QueryFixture, startQueryFixture } from './support/query-fixture';
import { Account, bearer, createApiKey, createWebsite, signup } from './support/test-app';
import { postV2, postV2Text, V2Body, WEEK } from './support/v2-query';

/**
 * Who may query through the Stats API v2, how site_id finds the website, and how bad input is
 * answered: always {"error": "..."} as Plausible does, the message naming what is wrong.
 * Counts are of the fixture's week (test/support/query-fixture.ts): 4 visitors, V1-V4.
 */
const BASE = { site_id: 'example.com', metrics: ['visitors'], date_range: WEEK };

describe('POST /api/v2/query: access, site_id and bad input', () => {
  let f: QueryFixture;
  let stranger: Account;

  beforeAll(async () => {
    f = await startQueryFixture();
    stranger = await signup(f.t, 'stranger');
  }, 120_000);
  afterAll(() => f.t.close());

  const post = (token: string | null, body: V2Body = {}) => postV2(f.t, token, { ...BASE, ...body });
  /** The fixture website's visitors in the week as one credential sees them. */
  const visitors = async (token: string, body: V2Body = {}) => {
    const res = await post(token, body).expect(200);
    return res.body.results[0].metrics[0];
  };
  /** The error of a refused request: exactly {"error": message}. */
  const refused = async (status: number, req: ReturnType<typeof post>) => {
    const res = await req;
    expect({ status: res.status, body: res.body }).toEqual({ status, body: { error: expect.any(String) } });
    return res.body.error as string;
  };

  describe('credentials', () => {
    it('answers a read API key and the bearer token of any member', async () => {
      expect(await visitors(f.readKey)).toBe(4);
      expect(await visitors(f.owner.token)).toBe(4);
      const viewer = await signup(f.t, 'viewer');
      await f.t.http().post(`/api/organizations/${f.owner.organizationId}/members`).set(bearer(f.owner.token)).send({ email: viewer.email, role: 'viewer' }).expect(201);
      expect(await visitors(viewer.token)).toBe(4);
    });

    it('is 401 without or with an invalid credential', async () => {
      expect(await refused(401, post(null))).toBe('Missing, invalid, revoked or expired credentials');
      expect(await refused(401, post('ff_live_not-a-real-key'))).toBe('Missing, invalid, revoked or expired credentials');
    });

    it("is 404 for another tenant's website, by id, to its members and its keys", async () => {
      const strangerKey = (await createApiKey(f.t, stranger, { scopes: ['read'] })).key;
      for (const token of [stranger.token, strangerKey]) {
        expect(await refused(404, post(token, { site_id: f.siteId }))).toBe('Website not found');
        expect(await refused(404, post(token))).toBe('Website not found');
      }
    });

    it('is 403 for a key limited to another website, and for a key without the read scope', async () => {
      const other = await createWebsite(f.t, f.owner, { domain: 'other.example.org' });
      const limited = (await createApiKey(f.t, f.owner, { scopes: ['read'], website_ids: [other.id] })).key;
      expect(await refused(403, post(limited, { site_id: f.siteId }))).toBe('This API key is not allowed for this website');
      expect(await refused(403, post(limited))).toBe('This API key is not allowed for this website');
      expect(await visitors(limited, { site_id: 'other.example.org' })).toBe(0);
      const ingestOnly = (await createApiKey(f.t, f.owner, { scopes: ['ingest'] })).key;
      expect(await refused(403, post(ingestOnly))).toBe('This API key lacks the "read" scope');
    });
  });

  describe('bad input: 400 naming the field', () => {
    // undefined: the key is left out of the JSON body.
    const without = (key: string) => ({ [key]: undefined });
    const deepNot = (depth: number): unknown => {
      let filter: unknown = ['is', 'event:page', ['/']];
      for (let i = 0; i < depth; i++) filter = ['not', filter];
      return filter;
    };

    it.each<[string, V2Body, RegExp]>([
      ['no site_id', without('site_id'), /^site_id: required/],
      ['site_id a number', { site_id: 42 }, /^site_id: must be a string/],
      ['site_id empty', { site_id: '' }, /^site_id: must be a string/],
      ['no metrics', without('metrics'), /^metrics: required/],
      ['metrics a string', { metrics: 'visitors' }, /^metrics: must be a non-empty array/],
      ['metrics empty', { metrics: [] }, /^metrics: must be a non-empty array/],
      ['a metric a number', { metrics: [42] }, /^metrics\[0\]: a metric must be a string/],
      ['a metric twice', { metrics: ['visitors', 'visitors'] }, /^metrics\[1\]: `visitors` is listed twice/],
      ['an unknown metric', { metrics: ['visitors', 'bounces'] }, /^metrics\[1\]: unknown metric "bounces"; valid metrics: visitors, visits/],
      ['time_on_page', { metrics: ['time_on_page'], dimensions: ['event:page'] }, /^metrics\[0\]: Footfall does not compute `time_on_page`/],
      ['scroll_depth', { metrics: ['visitors', 'scroll_depth'] }, /^metrics\[1\]: Footfall does not compute `scroll_depth`/],
      ['no date_range', without('date_range'), /^date_range: required/],
      ['date_range a number', { date_range: 7 }, /^date_range: a shortcut such as "7d"/],
      ['date_range an unknown shortcut', { date_range: 'fortnight' }, /^date_range: unknown shortcut "fortnight"/],
      ['date_range one date', { date_range: ['2025-01-13'] }, /^date_range: a shortcut such as "7d"/],
      ['date_range a number inside', { date_range: ['2025-01-13', 20250119] }, /^date_range\[1\]: must be a string/],
      ['date_range backwards', { date_range: ['2025-01-19', '2025-01-13'] }, /^date_range\[1\]: the last day must not be before the first/],
      ['date_range not a date', { date_range: ['2025-02-30', '2025-03-01'] }, /^date_range\[0\]: /],
      ['dimensions a string', { dimensions: 'event:page' }, /^dimensions: must be an array/],
      ['a dimension a number', { dimensions: [7] }, /^dimensions\[0\]: a dimension must be a string/],
      ['an unknown dimension', { dimensions: ['visit:planet'] }, /^dimensions\[0\]: unknown dimension "visit:planet"/],
      ['an unrecorded dimension', { dimensions: ['visit:channel'] }, /^dimensions\[0\]: Footfall does not record acquisition channels/],
      ['two time dimensions', { dimensions: ['time:day', 'time:hour'] }, /^dimensions\[1\]: only one time dimension/],
      ['filters an object', { filters: {} }, /^filters: must be an array/],
      ['a filter a number', { filters: [42] }, /^filters\[0\]: a filter is an array/],
      ['an unknown operator', { filters: [['equals', 'event:page', ['/']]] }, /^filters\[0\]\[0\]: unknown filter operator/],
      ['clauses a string', { filters: [['is', 'event:page', '/']] }, /^filters\[0\]\[2\]: clauses are a non-empty array of strings/],
      ['a clause a number', { filters: [['is', 'event:page', [1]]] }, /^filters\[0\]\[2\]\[0\]: a clause must be a string/],
      ['case_sensitive a string', { filters: [['is', 'event:page', ['/'], { case_sensitive: 'no' }]] }, /^filters\[0\]\[3\]\.case_sensitive: must be true or false/],
      ['a filter on a metric', { filters: [['is', 'visitors', ['1']]] }, /^filters\[0\]\[1\]: `visitors` is a metric; filters take dimensions/],
      ['a filter on time', { filters: [['is', 'time:day', ['2025-01-13']]] }, /^filters\[0\]\[1\]: time dimensions cannot be filtered on/],
      ['a visit dimension in has_done', { filters: [['has_done', ['is', 'visit:browser', ['Chrome']]]] }, /^filters\[0\]\[1\]\[1\]: has_done and has_not_done take event dimensions only/],
      ['is_not on a goal', { filters: [['is_not', 'event:goal', ['Signup']]] }, /^filters\[0\]\[0\]: event:goal can only be filtered with "is" or "contains"/],
      ['a filter 20 levels deep', { filters: [deepNot(19)] }, /^filters\[0\](\[1\])+: filters may nest at most 10 levels deep/],
      ['order_by a string', { order_by: 'visitors' }, /^order_by: must be an array/],
      ['order_by an unknown direction', { order_by: [['visitors', 'up']] }, /^order_by\[0\]\[1\]: must be "asc" or "desc"/],
      ['order_by a metric not queried', { order_by: [['pageviews', 'desc']] }, /^order_by\[0\]\[0\]: must be one of the query's metrics or dimensions \(visitors\)/],
      ['include an array', { include: [] }, /^include: must be an object/],
      ['include.total_rows a string', { include: { total_rows: 'yes' } }, /^include\.total_rows: must be true or false/],
      ['an unknown include', { include: { everything: true } }, /^include: unknown key "everything"/],
      ['time_labels without a time dimension', { include: { time_labels: true } }, /^include\.time_labels: needs a time dimension/],
      ['pagination an array', { pagination: [] }, /^pagination: must be an object/],
      ['limit a string', { pagination: { limit: '10' } }, /^pagination\.limit: must be a whole number from 1 to 10000/],
      ['limit 0', { pagination: { limit: 0 } }, /^pagination\.limit: must be a whole number from 1 to 10000/],
      ['limit above 10000', { pagination: { limit: 10001 } }, /^pagination\.limit: must be a whole number from 1 to 10000/],
      ['offset negative', { pagination: { offset: -1 } }, /^pagination\.offset: must be a whole number from 0 up/],
      ['offset a fraction', { pagination: { offset: 1.5 } }, /^pagination\.offset: must be a whole number from 0 up/],
      ['an unknown key', { metric: ['visitors'] }, /^"metric": unknown key; a query takes site_id, metrics/],
      ['conversion_rate without a goal', { metrics: ['conversion_rate'] }, /^metrics\[0\]: `conversion_rate` needs an event:goal dimension or an event:goal filter/],
      ['percentage without a dimension', { metrics: ['percentage'] }, /^metrics\[0\]: `percentage` needs at least one dimension/],
      ['a visit metric by an event dimension', { metrics: ['visitors', 'bounce_rate'], dimensions: ['event:page'] }, /^metrics\[1\]: the visit metric `bounce_rate` cannot be queried with the event dimension event:page/],
      ['a goal the website lacks', { filters: [['is', 'event:goal', ['Signup']]] }, /^filters\[0\]\[2\]\[0\]: the goal "Signup" is not configured for this website/],
      ['hours over years', { dimensions: ['time:hour'], date_range: ['2020-01-01', '2025-01-01'] }, /hour time dimension would give about 43872 buckets/],
    ])('%s', async (_name, body, message) => {
      expect(await refused(400, post(f.readKey, body))).toMatch(message);
    });

    it('refuses a body that is not a JSON object', async () => {
      for (const text of ['[]', 'null', '"visitors"', '42', '']) {
        expect({ text, error: await refused(400, postV2Text(f.t, f.readKey, text)) }).toEqual({ text, error: 'the body must be a JSON object' });
      }
      expect(await refused(400, postV2Text(f.t, f.readKey, '{"site_id": "example.com",'))).toBe('Request body is not valid JSON');
      expect(await refused(415, postV2Text(f.t, f.readKey, '<query/>', 'application/xml'))).toBe('Unsupported Content-Type application/xml; send application/json');
      expect(await refused(400, post(f.readKey, { site_id: 'example\u0000.com' }))).toBe('The request body must not contain NUL (\\u0000) characters');
    });

    it('refuses a filter nested 10,000 levels deep (sent as JSON text) before reading it', async () => {
      // Written out iteratively: JSON.stringify would recurse 10,000 levels.
      const depth = 10_000;
      const filter = `${'["not",'.repeat(depth)}["is","event:page",["/"]]${']'.repeat(depth)}`;
      const text = `{"site_id":"example.com","metrics":["visitors"],"date_range":["2025-01-13","2025-01-19"],"filters":[${filter}]}`;
      expect(await refused(400, postV2Text(f.t, f.readKey, text))).toBe('Request body is nested more than 64 levels deep');
      const and = `${'["and",['.repeat(depth)}["is","event:page",["/"]]${']]'.repeat(depth)}`;
      expect(await refused(400, postV2Text(f.t, f.readKey, text.replace(filter, and)))).toBe('Request body is nested more than 64 levels deep');
    });

    it('refuses 100,000 values of one condition', async () => {
      const values = Array.from({ length: 100_000 }, (_, i) => `/${i}`);
      expect(await refused(400, post(f.readKey, { filters: [['is', 'event:page', values]] }))).toBe('filters[0][2]: at most 1000 clauses per condition (got 100000)');
    });

    it('refuses regular expressions that could run away, and one Postgres cannot compile', async () => {
      const matches = (pattern: string) => post(f.readKey, { filters: [['matches', 'event:page', [pattern]]] });
      const nested = /^filters\[0\]\[2\]\[0\]: regular expression refused: a repeated group may not hold a bounded repetition/;
      expect(await refused(400, matches('(a{1,255}){1,255}'))).toMatch(nested);
      expect(await refused(400, matches('(.*a){20}'))).toMatch(nested);
      expect(await refused(400, matches('(a{1,256})'))).toBe('filters[0][2][0]: regular expression refused: repetition counts may not exceed 255');
      expect(await refused(400, matches('^(a+)\\1$'))).toBe('filters[0][2][0]: regular expression refused: back-references (\\1 to \\9) are not allowed');
      expect(await refused(400, matches('(unclosed'))).toBe('filters[0][2][0]: regular expression refused: a ( is never closed');
      // Accepted by the check, refused by Postgres when it compiles it.
      expect(await refused(400, matches('[z-a]'))).toBe('Invalid regular expression in filters: invalid regular expression: invalid character range');
      expect(await refused(400, matches('[[:nope:]]'))).toBe('Invalid regular expression in filters: invalid regular expression: invalid character class');
      // Unbounded nesting is no danger to Postgres' engine: answered (no path ends in "a").
      expect((await matches('(a+)+$').expect(200)).body.results).toEqual([{ metrics: [0], dimensions: [] }]);
    });
  });

  describe('site_id', () => {
    it('finds the website by id, or by its domain in any spelling', async () => {
      expect(await visitors(f.readKey, { site_id: f.siteId })).toBe(4);
      expect(await visitors(f.readKey, { site_id: 'Example.COM' })).toBe(4);
      const res = await post(f.readKey, { site_id: 'Example.COM' }).expect(200);
      expect(res.body.query.site_id).toBe('Example.COM');
      expect(await refused(404, post(f.readKey, { site_id: 'nowhere.example.net' }))).toBe('Website not found');
    });

    it("ignores other tenants' websites of the same domain", async () => {
      const theirs = await createWebsite(f.t, stranger, { domain: 'example.com' });
      expect(await visitors(f.readKey)).toBe(4);
      const strangerKey = (await createApiKey(f.t, stranger, { scopes: ['read'] })).key;
      // Their own website, which has no events.
      expect(await visitors(strangerKey)).toBe(0);
      expect(await visitors(strangerKey, { site_id: theirs.id })).toBe(0);
    });

    it('is 400 when two of the caller’s websites have the domain, unless the key sees one of them', async () => {
      const twin = await createWebsite(f.t, f.owner, { domain: 'example.com' });
      expect(await refused(400, post(f.readKey))).toBe('2 of your websites have the domain example.com; name one by its id');
      expect(await refused(400, post(f.owner.token))).toBe('2 of your websites have the domain example.com; name one by its id');
      // By id there is no doubt.
      expect(await visitors(f.readKey, { site_id: f.siteId })).toBe(4);
      expect(await visitors(f.readKey, { site_id: twin.id })).toBe(0);
      // A key limited to one of them reads that one by domain.
      const twinKey = (await createApiKey(f.t, f.owner, { scopes: ['read'], website_ids: [twin.id] })).key;
      expect(await visitors(twinKey)).toBe(0);
      const fixtureKey = (await createApiKey(f.t, f.owner, { scopes: ['read'], website_ids: [f.siteId] })).key;
      expect(await visitors(fixtureKey)).toBe(4);
      // Once the twin is gone the domain is unique again.
      await f.t.http().delete(`/api/websites/${twin.id}`).set(bearer(f.owner.token)).expect(204);
      expect(await visitors(f.readKey)).toBe(4);
    });
  });
});
