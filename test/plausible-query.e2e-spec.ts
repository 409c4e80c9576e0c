import { QueryFixture, startQueryFixture } from './support/query-fixture';
import { bearer } from './support/test-app';
import { postV2, startSpringSite, table, V2Answer, V2Body, WEEK } from './support/v2-query';

/**
 * Plausible's Stats API v2 (POST /api/v2/query) over the hand-counted history of
 * test/support/query-fixture.ts. In the week (WEEK): visits A (V1: /, /pricing, signup, /blog/hello
 * over 600 s), B (V1: /pricing), C (V2: /, /pricing, signup over 180 s), D (V3: /blog/hello, download
 * 60 s later), E (V4: /). V1 and V4 use Chrome on Windows, V2 Mobile Safari on iOS, V3 Firefox on
 * Linux; no address has a country. Bounces (at most one pageview): B, D, E.
 * The spring website (test/support/v2-query.ts) holds the summer-time change and a country.
 */
describe('POST /api/v2/query: metrics, dimensions, filters, order and time', () => {
  let f: QueryFixture;
  let springId: string;

  beforeAll(async () => {
    f = await startQueryFixture();
    springId = await startSpringSite(f.t, f.owner);
  }, 120_000);
  afterAll(() => f.t.close());

  /** The answer for the example.com website (over the week unless the body says otherwise). */
  async function answer(body: V2Body): Promise<V2Answer> {
    const res = await postV2(f.t, f.readKey, { site_id: 'example.com', date_range: WEEK, ...body });
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const rows = async (body: V2Body) => table(await answer(body));
  /** The metrics of a query without dimensions (one row). */
  const totals = async (body: V2Body) => (await rows(body))[0];
  const spring = (body: V2Body) => answer({ site_id: springId, ...body });

  describe('metrics, in Plausible units', () => {
    const ALL = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration', 'events'];

    it('answers every visit metric: counts, views per visit, bounce rate in whole percent, duration in seconds', async () => {
      // 4 visitors (V1-V4), 5 visits, 8 pageviews (A 3, B 1, C 2, D 1, E 1); 8 / 5 = 1.6 views per visit;
      // bounces B, D, E: 3 / 5 = 60 %; (600 + 0 + 180 + 60 + 0) / 5 = 168 s; events 8 + signup x2 + download = 11.
      expect(await totals({ metrics: ALL })).toEqual([4, 5, 8, 1.6, 60, 168, 11]);
    });

    it('rounds views per visit to two decimals and the bounce rate to a whole percent', async () => {
      // Chrome: visits A, B, E of V1 and V4. Pageviews 3 + 1 + 1 = 5, 5 / 3 = 1.67; bounces B, E:
      // 2 / 3 = 67 %; (600 + 0 + 0) / 3 = 200 s; events A 4 + B 1 + E 1 = 6.
      expect(await totals({ metrics: ALL, filters: [['is', 'visit:browser', ['Chrome']]] })).toEqual([2, 3, 5, 1.67, 67, 200, 6]);
    });

    it('answers zeros when nothing matches', async () => {
      // Filters are case-sensitive by default: no browser is called "chrome".
      expect(await totals({ metrics: ALL, filters: [['is', 'visit:browser', ['chrome']]] })).toEqual([0, 0, 0, 0, 0, 0, 0]);
    });

    it('gives percentage as a percent with one decimal of the visitors without dimensions', async () => {
      // Without Firefox: V1, V2, V4. Chrome has V1 and V4: 2 / 3 = 66.7 %; Mobile Safari V2: 33.3 %.
      const res = await rows({ metrics: ['visitors', 'percentage'], dimensions: ['visit:browser'], filters: [['is_not', 'visit:browser', ['Firefox']]] });
      expect(res).toEqual([
        ['Chrome', 2, 66.7],
        ['Mobile Safari', 1, 33.3],
      ]);
    });
  });

  describe('event dimensions', () => {
    it('event:page: visitors, visits, pageviews, events and percentage per page', async () => {
      // /: a1, c1, e1. /blog/hello: a4 (V1), d1 and the download (V3). /pricing: a2, signup, b1 (V1), c2, signup (V2).
      // Percentages of the 4 visitors: 3 / 4 = 75, 2 / 4 = 50.
      expect(await rows({ metrics: ['visitors', 'visits', 'pageviews', 'events', 'percentage'], dimensions: ['event:page'] })).toEqual([
        ['/', 3, 3, 3, 3, 75],
        ['/blog/hello', 2, 2, 2, 3, 50],
        ['/pricing', 2, 3, 3, 5, 50],
      ]);
    });

    it('event:hostname', async () => {
      // Every event was sent from https://example.com.
      expect(await rows({ metrics: ['visitors', 'pageviews', 'events'], dimensions: ['event:hostname'] })).toEqual([['example.com', 4, 8, 11]]);
    });

    it('event:name, pageviews named "pageview" as Plausible names them, in answers and filters', async () => {
      // Two signups (V1, V2), one download (V3); the 8 pageviews (V1-V4) carry no name in Footfall.
      expect(await rows({ metrics: ['visitors', 'events'], dimensions: ['event:name'] })).toEqual([
        ['pageview', 4, 8],
        ['signup', 2, 2],
        ['download', 1, 1],
      ]);
      expect(await rows({ metrics: ['visitors', 'events'], dimensions: ['event:name'], filters: [['is', 'event:name', ['pageview', 'download']]] })).toEqual([
        ['pageview', 4, 8],
        ['download', 1, 1],
      ]);
      expect(await rows({ metrics: ['visitors', 'events'], dimensions: ['event:name'], filters: [['is_not', 'event:name', ['pageview']]] })).toEqual([
        ['signup', 2, 2],
        ['download', 1, 1],
      ]);
    });

    it('event:props:<key>, "(none)" for events without the property, numbers and booleans as text', async () => {
      // plan: pro (A's signup), free (C's signup); the other 9 events of V1-V4 have none.
      expect(await rows({ metrics: ['visitors', 'events'], dimensions: ['event:props:plan'] })).toEqual([
        ['(none)', 4, 9],
        ['free', 1, 1],
        ['pro', 1, 1],
      ]);
      // amount: 49.99 on A's signup only; trial: true (A), false (C).
      expect(await rows({ metrics: ['visitors', 'events'], dimensions: ['event:props:amount'] })).toEqual([
        ['(none)', 4, 10],
        ['49.99', 1, 1],
      ]);
      expect(await rows({ metrics: ['events'], dimensions: ['event:props:trial'], order_by: [['event:props:trial', 'asc']] })).toEqual([
        ['false', 1],
        ['true', 1],
        ['(none)', 9],
      ]);
    });
  });

  describe('visit dimensions', () => {
    it('visit:entry_page and visit:exit_page, with the visit metrics of each', async () => {
      // Entries: / (A, C, E), /pricing (B), /blog/hello (D). On /: bounce E only, 1 / 3 = 33 %; (600 + 180 + 0) / 3 = 260 s.
      expect(await rows({ metrics: ['visitors', 'visits', 'bounce_rate', 'visit_duration'], dimensions: ['visit:entry_page'] })).toEqual([
        ['/', 3, 3, 33, 260],
        ['/blog/hello', 1, 1, 100, 60],
        ['/pricing', 1, 1, 100, 0],
      ]);
      // Last pageviews: /blog/hello (A: 3 pageviews, D: 1), /pricing (B: 1, C: 2), / (E: 1).
      expect(await rows({ metrics: ['visitors', 'visits', 'views_per_visit'], dimensions: ['visit:exit_page'] })).toEqual([
        ['/blog/hello', 2, 2, 2],
        ['/pricing', 2, 2, 1.5],
        ['/', 1, 1, 1],
      ]);
    });

    it('visit:source, "Direct / None" without a referrer', async () => {
      // A and C from Google (V1, V2), B from Hacker News, D from Twitter, E typed in.
      expect(await rows({ metrics: ['visitors', 'visits'], dimensions: ['visit:source'] })).toEqual([
        ['google.com', 2, 2],
        ['news.ycombinator.com', 1, 1],
        ['twitter.com', 1, 1],
        ['Direct / None', 1, 1],
      ]);
    });

    it('visit:referrer, as it was sent', async () => {
      expect(await rows({ metrics: ['visitors'], dimensions: ['visit:referrer'] })).toEqual([
        ['https://news.ycombinator.com/item?id=1', 1], // B
        ['https://twitter.com/someone', 1], // D
        ['https://www.google.com/', 1], // C
        ['https://www.google.com/search?q=x', 1], // A
        ['(not set)', 1], // E
      ]);
    });

    it('visit:utm_*, "(not set)" where the entry page had none', async () => {
      // Only A's entry page carries utm_source=newsletter, utm_medium=email, utm_campaign=jan; B-E: V1-V4, 4 visits.
      const visits = { metrics: ['visitors', 'visits'] };
      expect(await rows({ ...visits, dimensions: ['visit:utm_source'] })).toEqual([['(not set)', 4, 4], ['newsletter', 1, 1]]);
      expect(await rows({ ...visits, dimensions: ['visit:utm_medium'] })).toEqual([['(not set)', 4, 4], ['email', 1, 1]]);
      expect(await rows({ ...visits, dimensions: ['visit:utm_campaign'] })).toEqual([['(not set)', 4, 4], ['jan', 1, 1]]);
      expect(await rows({ ...visits, dimensions: ['visit:utm_term'] })).toEqual([['(not set)', 4, 5]]);
      expect(await rows({ ...visits, dimensions: ['visit:utm_content'] })).toEqual([['(not set)', 4, 5]]);
    });

    it('visit:device, capitalized as Plausible names device types', async () => {
      // Desktop: A, B, D, E (V1, V3, V4); Mobile: C (V2).
      expect(await rows({ metrics: ['visitors', 'visits'], dimensions: ['visit:device'] })).toEqual([
        ['Desktop', 3, 4],
        ['Mobile', 1, 1],
      ]);
    });

    it('visit:browser, visit:browser_version, visit:os and visit:os_version', async () => {
      // Chrome 120 on Windows 10: A, B, E (V1, V4; 3 + 1 + 1 pageviews); Mobile Safari 17.0 on iOS 17.0: C (2);
      // Firefox 121 on Linux (no version): D (1).
      const metrics = ['visitors', 'visits', 'pageviews'];
      expect(await rows({ metrics, dimensions: ['visit:browser'] })).toEqual([
        ['Chrome', 2, 3, 5],
        ['Firefox', 1, 1, 1],
        ['Mobile Safari', 1, 1, 2],
      ]);
      expect(await rows({ metrics, dimensions: ['visit:browser_version'] })).toEqual([
        ['120.0.0.0', 2, 3, 5],
        ['121.0', 1, 1, 1],
        ['17.0', 1, 1, 2],
      ]);
      expect(await rows({ metrics, dimensions: ['visit:os'], order_by: [['visitors', 'desc'], ['pageviews', 'desc']] })).toEqual([
        ['Windows', 2, 3, 5],
        ['iOS', 1, 1, 2],
        ['Linux', 1, 1, 1],
      ]);
      expect(await rows({ metrics, dimensions: ['visit:os_version'] })).toEqual([
        ['10', 2, 3, 5],
        ['17.0', 1, 1, 2],
        ['(not set)', 1, 1, 1],
      ]);
    });

    it('visit:country, visit:country_name, visit:region and visit:city: "(not set)" where unknown', async () => {
      // No address of the fixture has a country: all 4 visitors and 5 visits.
      for (const dimension of ['visit:country', 'visit:country_name', 'visit:region', 'visit:city', 'visit:region_name', 'visit:city_name']) {
        expect({ dimension, rows: await rows({ metrics: ['visitors', 'visits'], dimensions: [dimension] }) }).toEqual({ dimension, rows: [['(not set)', 4, 5]] });
      }
      // Spring: g1 in Great Britain (visits S1, S2, S4, S6), g2 without a country (S3, S5). The bundled
      // database places countries only: region and city are unknown for both.
      const range = { metrics: ['visitors', 'visits'], date_range: ['2025-03-29', '2025-03-31'] };
      expect(table(await spring({ ...range, dimensions: ['visit:country'] }))).toEqual([['GB', 1, 4], ['(not set)', 1, 2]]);
      expect(table(await spring({ ...range, dimensions: ['visit:country_name'] }))).toEqual([['United Kingdom', 1, 4], ['(not set)', 1, 2]]);
      expect(table(await spring({ ...range, dimensions: ['visit:region'] }))).toEqual([['(not set)', 2, 6]]);
      expect(table(await spring({ ...range, dimensions: ['visit:city'] }))).toEqual([['(not set)', 2, 6]]);
    });

    it('two dimensions at once', async () => {
      // /: Chrome a1 (V1), e1 (V4); Mobile Safari c1. /blog/hello: Chrome a4; Firefox d1 + download.
      // /pricing: Chrome a2, signup, b1 (V1); Mobile Safari c2, signup (V2). Ties: each dimension ascending.
      expect(await rows({ metrics: ['visitors', 'events'], dimensions: ['event:page', 'visit:browser'] })).toEqual([
        ['/', 'Chrome', 2, 2],
        ['/', 'Mobile Safari', 1, 1],
        ['/blog/hello', 'Chrome', 1, 1],
        ['/blog/hello', 'Firefox', 1, 2],
        ['/pricing', 'Chrome', 1, 3],
        ['/pricing', 'Mobile Safari', 1, 2],
      ]);
      // Spring by Berlin day and country: 03-29 S1 (GB); 03-30 S2, S4 (GB) and S3; 03-31 S6 (GB) and S5.
      expect(table(await spring({ metrics: ['visitors'], date_range: ['2025-03-29', '2025-03-31'], dimensions: ['time:day', 'visit:country_name'] }))).toEqual([
        ['2025-03-29', 'United Kingdom', 1],
        ['2025-03-30', 'United Kingdom', 1],
        ['2025-03-30', '(not set)', 1],
        ['2025-03-31', 'United Kingdom', 1],
        ['2025-03-31', '(not set)', 1],
      ]);
    });
  });

  describe('filters', () => {
    const COUNTS = ['visitors', 'pageviews', 'events'];
    const counts = (...filters: unknown[]) => totals({ metrics: COUNTS, filters });

    it('is, is_not, contains, contains_not, matches and matches_not', async () => {
      // Events on /pricing: a2, signup, b1 (V1), c2, signup (V2).
      expect(await counts(['is', 'event:page', ['/pricing']])).toEqual([2, 3, 5]);
      // The others: a1, a4 (V1), c1 (V2), d1, download (V3), e1 (V4).
      expect(await counts(['is_not', 'event:page', ['/pricing']])).toEqual([4, 5, 6]);
      // /blog/hello: a4 (V1), d1, download (V3).
      expect(await counts(['contains', 'event:page', ['blog']])).toEqual([2, 2, 3]);
      // Only /: a1, c1, e1.
      expect(await counts(['contains_not', 'event:page', ['blog', 'pricing']])).toEqual([3, 3, 3]);
      // One segment of letters: /pricing only.
      expect(await counts(['matches', 'event:page', ['^/[a-z]+$']])).toEqual([2, 3, 5]);
      // / and /pricing: a1, a2, signup, b1 (V1), c1, c2, signup (V2), e1 (V4).
      expect(await counts(['matches_not', 'event:page', ['^/blog/']])).toEqual([3, 6, 8]);
    });

    it('any of several values', async () => {
      // Visits C (V2, 2 pageviews) and D (V3, 1).
      expect(await totals({ metrics: ['visitors', 'visits', 'pageviews'], filters: [['is', 'visit:browser', ['Firefox', 'Mobile Safari']]] })).toEqual([2, 2, 3]);
    });

    it('case_sensitive false', async () => {
      // Chrome: visits A, B, E of V1 and V4.
      const browser = (modifiers?: object) => totals({ metrics: ['visitors', 'visits'], filters: [['is', 'visit:browser', ['chrome'], ...(modifiers ? [modifiers] : [])]] });
      expect(await browser({ case_sensitive: false })).toEqual([2, 3]);
      expect(await browser({ case_sensitive: true })).toEqual([0, 0]);
      expect(await browser()).toEqual([0, 0]);
      expect(await counts(['contains', 'event:page', ['BLOG'], { case_sensitive: false }])).toEqual([2, 2, 3]);
      expect(await counts(['contains', 'event:page', ['BLOG']])).toEqual([0, 0, 0]);
    });

    it('reads "" as "not set", as Plausible does', async () => {
      // utm_source is set on visit A only; B, C, D, E have none.
      expect(await totals({ metrics: ['visitors', 'visits'], filters: [['is_not', 'visit:utm_source', ['']]] })).toEqual([1, 1]);
      expect(await totals({ metrics: ['visitors', 'visits'], filters: [['is', 'visit:utm_source', ['']]] })).toEqual([4, 4]);
    });

    it('on visit dimensions', async () => {
      // Visits entering on /: A (3 pageviews, 600 s), C (2, 180 s), E (1, a bounce): 1 / 3 = 33 %, 780 / 3 = 260 s.
      expect(await totals({ metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'], filters: [['is', 'visit:entry_page', ['/']]] })).toEqual([
        3, 3, 6, 33, 260,
      ]);
      // From Google: A (V1), C (V2).
      expect(await totals({ metrics: ['visitors', 'visits'], filters: [['contains', 'visit:source', ['google']]] })).toEqual([2, 2]);
      // Plausible's device names, in any case: Desktop visits A, B, D, E of V1, V3, V4.
      expect(await totals({ metrics: ['visitors', 'visits'], filters: [['is', 'visit:device', ['Desktop']]] })).toEqual([3, 4]);
      // Spring: g1's 4 visits in Great Britain, by code or name; g2's 2 without a country.
      const range = { metrics: ['visitors', 'visits'], date_range: ['2025-03-29', '2025-03-31'] };
      expect(table(await spring({ ...range, filters: [['is', 'visit:country', ['gb']]] }))).toEqual([[1, 4]]);
      expect(table(await spring({ ...range, filters: [['is', 'visit:country_name', ['United Kingdom']]] }))).toEqual([[1, 4]]);
      expect(table(await spring({ ...range, filters: [['is_not', 'visit:country_name', ['']]] }))).toEqual([[1, 4]]);
      expect(table(await spring({ ...range, filters: [['is_not', 'visit:country', ['GB']]] }))).toEqual([[1, 2]]);
    });

    it('on event:props', async () => {
      // plan=pro: A's signup only.
      expect(await counts(['is', 'event:props:plan', ['pro']])).toEqual([1, 0, 1]);
      // is_not keeps the events without the property: all 11 but A's signup, of V1-V4.
      expect(await counts(['is_not', 'event:props:plan', ['pro']])).toEqual([4, 8, 10]);
      // "pro" and "free" both contain an r: the two signups.
      expect(await counts(['contains', 'event:props:plan', ['r']])).toEqual([2, 0, 2]);
      expect(await counts(['matches', 'event:props:amount', ['^49\\.']])).toEqual([1, 0, 1]);
    });

    it('and, or and not, nested', async () => {
      // Firefox (d1, download) or desktop events off /pricing (a1, a4, d1, download, e1): a1, a4, d1, download, e1
      // of V1, V3, V4; 4 of them pageviews.
      const nested = ['or', [['is', 'visit:browser', ['Firefox']], ['and', [['is', 'visit:device', ['Desktop']], ['not', ['contains', 'event:page', ['pricing']]]]]]];
      expect(await counts(nested)).toEqual([3, 4, 5]);
      // Not Chrome: visits C (2 pageviews, a signup) and D (1, a download).
      expect(await counts(['not', ['is', 'visit:browser', ['Chrome']]])).toEqual([2, 3, 5]);
      // Top-level filters are combined with and: Chrome pageviews of /: a1 (V1), e1 (V4).
      expect(await counts(['is', 'visit:browser', ['Chrome']], ['is', 'event:page', ['/']])).toEqual([2, 2, 2]);
    });

    it('has_done and has_not_done select visits by another of their events', async () => {
      const visits = ['visitors', 'visits', 'pageviews', 'events'];
      // Visits with a signup: A (3 pageviews, 4 events) and C (2, 3).
      expect(await totals({ metrics: visits, filters: [['has_done', ['is', 'event:name', ['signup']]]] })).toEqual([2, 2, 5, 7]);
      // The others: B (V1), D (V3: a pageview and a download), E (V4).
      expect(await totals({ metrics: visits, filters: [['has_not_done', ['is', 'event:name', ['signup']]]] })).toEqual([3, 3, 3, 4]);
      // Visits that saw /blog/hello: A and D, D a bounce: 50 %.
      expect(await totals({ metrics: ['visitors', 'visits', 'bounce_rate'], filters: [['has_done', ['is', 'event:page', ['/blog/hello']]]] })).toEqual([2, 2, 50]);
      // Pageviews of / in visits with a signup: a1 (A), c1 (C).
      expect(await counts(['has_done', ['is', 'event:name', ['signup']]], ['is', 'event:page', ['/']])).toEqual([2, 2, 2]);
    });

    it('runs regular expressions that backtracking engines blow up on, quickly', async () => {
      // Spring's 03-31 holds LONG_PATH (S6, g1): 1,900 a's then "!"; and /summer (S5, g2).
      const started = Date.now();
      const matching = (pattern: string) => spring({ metrics: ['visitors'], date_range: ['2025-03-31', '2025-03-31'], filters: [['matches', 'event:page', [pattern]]] });
      expect(table(await matching('(a+)+!$'))).toEqual([[1]]);
      expect(table(await matching('(a+)+$'))).toEqual([[0]]);
      expect(table(await matching('^/(a|aa)*$'))).toEqual([[0]]);
      expect(table(await matching('(.*a)+b'))).toEqual([[0]]);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  describe('order, pagination and include', () => {
    const PAGES = { metrics: ['visitors', 'pageviews', 'events'], dimensions: ['event:page'] };
    const pages = async (body: V2Body) => (await answer({ ...PAGES, ...body })).results.map((r) => r.dimensions[0]);
    // Per page: / 3 visitors, 3 pageviews, 3 events; /blog/hello 2, 2, 3; /pricing 2, 3, 5.

    it('orders by the first metric descending, then each dimension ascending, by default', async () => {
      expect(await pages({})).toEqual(['/', '/blog/hello', '/pricing']);
      expect((await answer(PAGES)).query.order_by).toEqual([['visitors', 'desc']]);
      expect((await answer({ metrics: ['visitors'], dimensions: ['time:day'] })).query.order_by).toEqual([['time:day', 'asc'], ['visitors', 'desc']]);
    });

    it('orders by a metric or a dimension, either way, ties by the dimensions ascending', async () => {
      // Pageviews ascending: /blog/hello (2), then / and /pricing (3 each).
      expect(await pages({ order_by: [['pageviews', 'asc']] })).toEqual(['/blog/hello', '/', '/pricing']);
      // Events descending: /pricing (5), then / and /blog/hello (3 each).
      expect(await pages({ order_by: [['events', 'desc']] })).toEqual(['/pricing', '/', '/blog/hello']);
      expect(await pages({ order_by: [['event:page', 'desc']] })).toEqual(['/pricing', '/blog/hello', '/']);
      expect(await pages({ order_by: [['event:page', 'asc']] })).toEqual(['/', '/blog/hello', '/pricing']);
      // Visitors ascending (2, 2, 3), ties by page descending.
      const both = await answer({ ...PAGES, order_by: [['visitors', 'asc'], ['event:page', 'desc']] });
      expect(both.results.map((r) => r.dimensions[0])).toEqual(['/pricing', '/blog/hello', '/']);
      expect(both.query.order_by).toEqual([['visitors', 'asc'], ['event:page', 'desc']]);
    });

    it('pages with limit and offset, counting every row with include.total_rows', async () => {
      const page = async (pagination: object) => {
        const res = await answer({ ...PAGES, pagination, include: { total_rows: true } });
        return { pages: res.results.map((r) => r.dimensions[0]), total: res.meta.total_rows, echo: res.query.pagination };
      };
      expect(await page({ limit: 2 })).toEqual({ pages: ['/', '/blog/hello'], total: 3, echo: { limit: 2, offset: 0 } });
      expect(await page({ limit: 2, offset: 1 })).toEqual({ pages: ['/blog/hello', '/pricing'], total: 3, echo: { limit: 2, offset: 1 } });
      expect(await page({ limit: 2, offset: 2 })).toEqual({ pages: ['/pricing'], total: 3, echo: { limit: 2, offset: 2 } });
      // Past the end: no rows, and still the count.
      expect(await page({ offset: 3 })).toEqual({ pages: [], total: 3, echo: { limit: 10000, offset: 3 } });
      expect(await page({ limit: 5, offset: 1000 })).toEqual({ pages: [], total: 3, echo: { limit: 5, offset: 1000 } });
      // Without dimensions there is one row.
      expect((await answer({ metrics: ['visitors'], include: { total_rows: true } })).meta).toEqual({ total_rows: 1 });
      expect((await answer(PAGES)).meta).toEqual({});
    });

    it('include.imports: says there is no separate imported data, and counts the same', async () => {
      const plain = await answer(PAGES);
      const imports = await answer({ ...PAGES, include: { imports: true } });
      expect(imports.results).toEqual(plain.results);
      expect(imports.meta).toEqual({ imports_included: false, imports_skip_reason: 'no_imported_data', imports_warning: expect.any(String) });
      expect(imports.query.include).toEqual({ imports: true });
    });
  });

  describe('time dimensions', () => {
    const DAYS_OF_WEEK = ['2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16', '2025-01-17', '2025-01-18', '2025-01-19'];

    it('time:day: rows for days with data, time_labels for every day of the range', async () => {
      // 01-14: A (3) and B (1) of V1; 01-15: C (2); 01-16: D (1); 01-19: E at 00:30 Berlin (23:30 UTC on 01-18).
      const res = await answer({ metrics: ['visitors', 'pageviews'], dimensions: ['time:day'], include: { time_labels: true } });
      expect(table(res)).toEqual([
        ['2025-01-14', 1, 4],
        ['2025-01-15', 1, 2],
        ['2025-01-16', 1, 1],
        ['2025-01-19', 1, 1],
      ]);
      expect(res.meta.time_labels).toEqual(DAYS_OF_WEEK);
      // `time` over a week is by day.
      const auto = await answer({ metrics: ['visitors', 'pageviews'], dimensions: ['time'], include: { time_labels: true } });
      expect(auto.results).toEqual(res.results);
      expect(auto.meta.time_labels).toEqual(DAYS_OF_WEEK);
      expect(auto.query.dimensions).toEqual(['time']);
    });

    it('time:hour of a Berlin winter day: local hours', async () => {
      // Visit A 09:00-09:10 UTC = 10:00 CET (3 pageviews), B 11:00 UTC = 12:00 CET (1).
      const res = await answer({ metrics: ['visitors', 'pageviews'], date_range: ['2025-01-14', '2025-01-14'], dimensions: ['time:hour'], include: { time_labels: true } });
      expect(table(res)).toEqual([
        ['2025-01-14 10:00:00', 1, 3],
        ['2025-01-14 12:00:00', 1, 1],
      ]);
      expect(res.meta.time_labels).toEqual(Array.from({ length: 24 }, (_, h) => `2025-01-14 ${String(h).padStart(2, '0')}:00:00`));
      // `time` over one day is by hour.
      expect((await answer({ metrics: ['visitors', 'pageviews'], date_range: ['2025-01-14', '2025-01-14'], dimensions: ['time'] })).results).toEqual(res.results);
    });

    it('time:week from Monday, a week begun before the range labelled with its first day', async () => {
      // From Wed 01-08: V2's 2 pageviews on 01-08 and V4's at 23:59 Berlin on Sun 01-12; then the week of 01-13.
      const res = await answer({ metrics: ['visitors', 'pageviews'], date_range: ['2025-01-08', '2025-01-19'], dimensions: ['time:week'], include: { time_labels: true } });
      expect(table(res)).toEqual([
        ['2025-01-08', 2, 3],
        ['2025-01-13', 4, 8],
      ]);
      expect(res.meta.time_labels).toEqual(['2025-01-08', '2025-01-13']);
    });

    it('time:month, and `time` over a longer range', async () => {
      // January: 3 pageviews before the week, 11 events in it, V4's pageview at 00:30 on 01-20: 15, by V1-V4.
      // February: the 10 shop events of w1, w2, w3. December: nothing.
      const body = { metrics: ['visitors', 'events'], date_range: ['2024-12-01', '2025-02-28'], include: { time_labels: true } };
      const res = await answer({ ...body, dimensions: ['time:month'] });
      expect(table(res)).toEqual([
        ['2025-01-01', 4, 15],
        ['2025-02-01', 3, 10],
      ]);
      expect(res.meta.time_labels).toEqual(['2024-12-01', '2025-01-01', '2025-02-01']);
      // Three months are by day with `time`; a year by month.
      expect(((await answer({ ...body, dimensions: ['time'] })).meta.time_labels as string[]).length).toBe(31 + 31 + 28);
      const year = await answer({ ...body, date_range: ['2024-03-01', '2025-02-28'], dimensions: ['time'] });
      expect(year.results).toEqual(res.results);
      expect((year.meta.time_labels as string[]).length).toBe(12);
    });

    describe('across the start of summer time in Berlin (2025-03-30, 02:00 CET -> 03:00 CEST)', () => {
      it('time:hour has 23 local hours, without 02:00, and the range ends at +02:00', async () => {
        // S2 01:30 CET (g1); S3 03:15 and 03:20 CEST (g2); S4 23:45 CEST (g1).
        const res = await spring({ metrics: ['visitors', 'pageviews'], date_range: ['2025-03-30', '2025-03-30'], dimensions: ['time:hour'], include: { time_labels: true } });
        expect(table(res)).toEqual([
          ['2025-03-30 01:00:00', 1, 1],
          ['2025-03-30 03:00:00', 1, 2],
          ['2025-03-30 23:00:00', 1, 1],
        ]);
        const hours = [0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)];
        expect(res.meta.time_labels).toEqual(hours.map((h) => `2025-03-30 ${String(h).padStart(2, '0')}:00:00`));
        expect(res.query.date_range).toEqual(['2025-03-30T00:00:00+01:00', '2025-03-30T23:59:59+02:00']);
        const auto = await spring({ metrics: ['visitors', 'pageviews'], date_range: ['2025-03-30', '2025-03-30'], dimensions: ['time'], include: { time_labels: true } });
        expect(auto.results).toEqual(res.results);
        expect(auto.meta.time_labels).toEqual(res.meta.time_labels);
      });

      it('time:hour over date-times on both sides of the change', async () => {
        // 00:00 CET to 04:00 CEST is 23:00 to 02:00 UTC: S2 (01:30 CET), S3 (03:15, 03:20 CEST).
        const res = await spring({
          metrics: ['visitors', 'pageviews'],
          date_range: ['2025-03-30T00:00:00+01:00', '2025-03-30T04:00:00+02:00'],
          dimensions: ['time:hour'],
          include: { time_labels: true },
        });
        expect(table(res)).toEqual([
          ['2025-03-30 01:00:00', 1, 1],
          ['2025-03-30 03:00:00', 1, 2],
        ]);
        expect(res.meta.time_labels).toEqual(['2025-03-30 00:00:00', '2025-03-30 01:00:00', '2025-03-30 03:00:00']);
      });

      it('time:day splits the days at local midnight', async () => {
        // 03-29: S1 (g1). 03-30: S2, S4 (g1), S3 (g2, 2 pageviews). 03-31: S5 at 00:15 CEST (g2, 22:15 UTC on 03-30), S6 (g1).
        const res = await spring({ metrics: ['visitors', 'visits', 'pageviews'], date_range: ['2025-03-28', '2025-04-01'], dimensions: ['time:day'], include: { time_labels: true } });
        expect(table(res)).toEqual([
          ['2025-03-29', 1, 1, 1],
          ['2025-03-30', 2, 3, 4],
          ['2025-03-31', 2, 2, 2],
        ]);
        expect(res.meta.time_labels).toEqual(['2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01']);
      });

      it('time:week starts on the local Monday', async () => {
        // S1-S4 (5 pageviews) are in the week of Mon 03-24; S5 (Mon 03-31 00:15 CEST) and S6 in the next.
        const res = await spring({ metrics: ['pageviews'], date_range: ['2025-03-24', '2025-04-06'], dimensions: ['time:week'], include: { time_labels: true } });
        expect(table(res)).toEqual([
          ['2025-03-24', 5],
          ['2025-03-31', 2],
        ]);
        expect(res.meta.time_labels).toEqual(['2025-03-24', '2025-03-31']);
      });
    });
  });

  describe('goals', () => {
    const goals = () => `/api/websites/${f.siteId}/goals`;
    const createGoal = (body: object) => f.t.http().post(goals()).set(bearer(f.owner.token)).send(body).expect(201);

    beforeAll(async () => {
      await createGoal({ goal_type: 'event', event_name: 'signup', display_name: 'Signup' });
      // "Visit /blog/**": pageviews of /blog/hello (a4 of V1, d1 of V3).
      await createGoal({ goal_type: 'page', page_path: '/blog/**' });
      // "Visit /*": one path segment, / and /pricing but not /blog/hello: a1, a2, b1 (V1), c1, c2 (V2), e1 (V4).
      await createGoal({ goal_type: 'page', page_path: '/*' });
    });

    it('event:goal: visitors, events and conversion rate of each goal', async () => {
      // Conversion rates of the 4 visitors: 3 / 4 = 75 %, 2 / 4 = 50 %.
      expect(await rows({ metrics: ['visitors', 'events', 'conversion_rate'], dimensions: ['event:goal'] })).toEqual([
        ['Visit /*', 3, 6, 75],
        ['Signup', 2, 2, 50],
        ['Visit /blog/**', 2, 2, 50],
      ]);
    });

    it('a goal filter: the completions, and the conversion rate against every visitor', async () => {
      expect(await totals({ metrics: ['visitors', 'events', 'conversion_rate'], filters: [['is', 'event:goal', ['Signup']]] })).toEqual([2, 2, 50]);
      // Both page goals contain "visit": every pageview, of all 4 visitors.
      expect(await totals({ metrics: ['visitors', 'events', 'conversion_rate'], filters: [['contains', 'event:goal', ['visit'], { case_sensitive: false }]] })).toEqual([
        4, 8, 100,
      ]);
    });

    it('group_conversion_rate by another dimension: against the visitors of the same group', async () => {
      // Signups: V1 (Chrome; Chrome has V1 and V4: 50 %), V2 (Mobile Safari, alone: 100 %); 1 / 4 = 25 % overall.
      expect(
        await rows({ metrics: ['visitors', 'group_conversion_rate', 'conversion_rate'], dimensions: ['visit:browser'], filters: [['is', 'event:goal', ['Signup']]] }),
      ).toEqual([
        ['Chrome', 1, 50, 25],
        ['Mobile Safari', 1, 100, 25],
      ]);
      // /blog/** from Google (V1 of V1, V2: 50 %) and Twitter (V3 alone: 100 %).
      expect(await rows({ metrics: ['visitors', 'group_conversion_rate'], dimensions: ['visit:source'], filters: [['is', 'event:goal', ['Visit /blog/**']]] })).toEqual([
        ['google.com', 1, 50],
        ['twitter.com', 1, 100],
      ]);
    });

    it('has_done with a goal', async () => {
      // Visits with a signup: A (3 pageviews), C (2).
      expect(await totals({ metrics: ['visitors', 'visits', 'pageviews'], filters: [['has_done', ['is', 'event:goal', ['Signup']]]] })).toEqual([2, 2, 5]);
    });

    it('GET …/breakdown/goal answers the same goals, visitors and conversion rates (as fractions)', async () => {
      const rest = await f.get('/breakdown/goal?start_date=2025-01-13&end_date=2025-01-19').expect(200);
      // Ordered by visitors, pageviews and custom events. Visits with pageviews of / or /pricing: A, B, C, E.
      expect(rest.body.data).toEqual([
        { value: 'Visit /*', visitors: 3, sessions: 4, pageviews: 6, events: 0, conversion_rate: 0.75 },
        { value: 'Visit /blog/**', visitors: 2, sessions: 2, pageviews: 2, events: 0, conversion_rate: 0.5 },
        { value: 'Signup', visitors: 2, sessions: 2, pageviews: 0, events: 2, conversion_rate: 0.5 },
      ]);
      const v2 = await rows({ metrics: ['visitors', 'conversion_rate'], dimensions: ['event:goal'] });
      const fromRest = rest.body.data.map((r: { value: string; visitors: number; conversion_rate: number }) => [r.value, r.visitors, r.conversion_rate * 100]);
      expect([...fromRest].sort()).toEqual([...v2].sort());
    });

    it('counts events sent before the goal was created: goals are matched when queried', async () => {
      const download = { metrics: ['visitors', 'events', 'conversion_rate'], dimensions: ['event:goal'], filters: [['is', 'event:goal', ['Download']]] };
      const before = await postV2(f.t, f.readKey, { site_id: 'example.com', date_range: WEEK, ...download }).expect(400);
      expect(before.body).toEqual({ error: 'filters[0][2][0]: the goal "Download" is not configured for this website' });
      await createGoal({ goal_type: 'event', event_name: 'download', display_name: 'Download' });
      // D's download (V3): 1 of 4 visitors.
      expect(await rows(download)).toEqual([['Download', 1, 1, 25]]);
    });

    it('groups by the goals a goal filter names only, when an event completes several', async () => {
      // "Pricing" overlaps "Visit /*": pageviews of /pricing, a2, b1 (V1), c2 (V2), in visits A, B, C.
      await createGoal({ goal_type: 'page', page_path: '/pricing', display_name: 'Pricing' });
      const goalRows = (filter: unknown[]) => rows({ metrics: ['visitors', 'events', 'conversion_rate'], dimensions: ['event:goal'], filters: [filter] });
      expect(await goalRows(['is', 'event:goal', ['Pricing']])).toEqual([['Pricing', 2, 3, 50]]);
      expect(await goalRows(['contains', 'event:goal', ['Pric']])).toEqual([['Pricing', 2, 3, 50]]);
      // The two signups (V1, V2) and the /pricing pageviews: each goal 2 of 4 visitors.
      expect(await goalRows(['is', 'event:goal', ['Pricing', 'Signup']])).toEqual([
        ['Pricing', 2, 3, 50],
        ['Signup', 2, 2, 50],
      ]);
      const rest = await f.get('/breakdown/goal?start_date=2025-01-13&end_date=2025-01-19&filter[goal]=Pricing').expect(200);
      expect(rest.body.data).toEqual([{ value: 'Pricing', visitors: 2, sessions: 3, pageviews: 3, events: 0, conversion_rate: 0.5 }]);
    });
  });
});
