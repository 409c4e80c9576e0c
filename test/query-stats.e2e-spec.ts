import { queryDb } from './support/events-db';
import { QueryFixture, startQueryFixture } from './support/query-fixture';

/** Expected numbers are counted by hand from test/support/query-fixture.ts (visits A-E). */
const WEEK = 'start_date=2025-01-13&end_date=2025-01-19';

describe('query: stats and breakdown', () => {
  let f: QueryFixture;
  beforeAll(async () => (f = await startQueryFixture()), 120_000);
  afterAll(() => f.t.close());

  describe('stats', () => {
    it('counts the week in the website time zone and compares it with the week before', async () => {
      const res = await f.get(`/stats?${WEEK}`).expect(200);
      expect(res.body).toEqual({
        // A 3 + B 1 + C 2 + D 1 + E 1; the crawler and 00:30 Berlin on 01-20 are not counted.
        pageviews: { value: 8, previous: 3, change: 1.6667 },
        visitors: { value: 4, previous: 2, change: 1 },
        sessions: { value: 5, previous: 2, change: 1.5 },
        // B, D (one pageview and a custom event) and E bounce: 3/5. Before: V4's single pageview, 1/2.
        bounce_rate: { value: 0.6, previous: 0.5, change: 0.2 },
        // (600 + 0 + 180 + 60 + 0) / 5 = 168; before (60 + 0) / 2 = 30.
        avg_session_duration: { value: 168, previous: 30, change: 4.6 },
        views_per_session: { value: 1.6, previous: 1.5, change: 0.0667 },
        period: { start: '2025-01-12T23:00:00.000Z', end: '2025-01-19T23:00:00.000Z' },
        previous_period: { start: '2025-01-05T23:00:00.000Z', end: '2025-01-12T23:00:00.000Z' },
      });
    });

    it('applies filters, including contains and repeated keys', async () => {
      // Events on /pricing: A (pageview + signup), B, C (pageview + signup). Visit bounces: B only.
      const pricing = await f.get(`/stats?${WEEK}&filter[page]=/pricing`).expect(200);
      expect(pricing.body).toMatchObject({
        pageviews: { value: 3 },
        visitors: { value: 2 },
        sessions: { value: 3 },
        bounce_rate: { value: 0.3333 },
        avg_session_duration: { value: 260 },
        views_per_session: { value: 1 },
      });
      // Neither Chrome (V1, V4) nor Firefox (V3): only V2's visit C.
      const safari = await f.get(`/stats?${WEEK}&filter[browser]=is_not:Chrome&filter[browser]=is_not:Firefox`).expect(200);
      expect(safari.body).toMatchObject({ pageviews: { value: 2 }, visitors: { value: 1 }, sessions: { value: 1 }, bounce_rate: { value: 0 } });
      const blog = await f.get(`/stats?${WEEK}&filter[page]=contains:/BLOG`).expect(200);
      expect(blog.body).toMatchObject({ pageviews: { value: 2 }, visitors: { value: 2 }, sessions: { value: 2 } });
    });

    it('takes date-times as exact instants', async () => {
      // 2025-01-14 10:00-11:00 UTC: visit B's pageview only; the hour before holds visit A.
      const res = await f.get('/stats?start_date=2025-01-14T10:00:00Z&end_date=2025-01-14T11:30:00Z').expect(200);
      expect(res.body).toMatchObject({
        pageviews: { value: 1, previous: 3 },
        period: { start: '2025-01-14T10:00:00.000Z', end: '2025-01-14T11:30:00.000Z' },
        previous_period: { start: '2025-01-14T08:30:00.000Z', end: '2025-01-14T10:00:00.000Z' },
      });
    });

    it('defaults to the last 30 days', async () => {
      // The recent events: V7, V1, V5, V6 (the crawler is not counted).
      const res = await f.get('/stats').expect(200);
      expect(res.body).toMatchObject({ pageviews: { value: 4, previous: 0, change: null }, visitors: { value: 4 }, sessions: { value: 4 } });
    });

    it('never counts crawlers, although their events are stored', async () => {
      const stored = await queryDb<{ n: number }>(f.t.dbUrl, 'SELECT count(*)::int AS n FROM events WHERE website_id = $1 AND is_bot', [f.siteId]);
      expect(stored[0].n).toBe(3);
      const rows = await f.get(`/breakdown/device_type?${WEEK}`).expect(200);
      expect(rows.body.data.map((r: { value: string }) => r.value)).toEqual(['desktop', 'mobile']);
      const signups = await f.get(`/stats?${WEEK}&filter[event_name]=signup`).expect(200);
      expect(signups.body.visitors.value).toBe(2);
    });
  });

  describe('breakdown', () => {
    const rows = async (path: string) => (await f.get(path).expect(200)).body;

    it('breaks pages down by visitors, visits, pageviews and custom events', async () => {
      expect(await rows(`/breakdown/page?${WEEK}`)).toEqual({
        data: [
          { value: '/', visitors: 3, sessions: 3, pageviews: 3, events: 0 },
          { value: '/pricing', visitors: 2, sessions: 3, pageviews: 3, events: 2 },
          { value: '/blog/hello', visitors: 2, sessions: 2, pageviews: 2, events: 1 },
        ],
        page: 1,
        limit: 10,
      });
    });

    it('paginates', async () => {
      expect(await rows(`/breakdown/page?${WEEK}&limit=2&page=2`)).toEqual({
        data: [{ value: '/blog/hello', visitors: 2, sessions: 2, pageviews: 2, events: 1 }],
        page: 2,
        limit: 2,
      });
    });

    it('breaks visits down by entry and exit page', async () => {
      expect((await rows(`/breakdown/entry_page?${WEEK}`)).data).toEqual([
        { value: '/', visitors: 3, sessions: 3, pageviews: 6, events: 2 },
        { value: '/blog/hello', visitors: 1, sessions: 1, pageviews: 1, events: 1 },
        { value: '/pricing', visitors: 1, sessions: 1, pageviews: 1, events: 0 },
      ]);
      expect((await rows(`/breakdown/exit_page?${WEEK}`)).data).toEqual([
        { value: '/blog/hello', visitors: 2, sessions: 2, pageviews: 4, events: 2 },
        { value: '/pricing', visitors: 2, sessions: 2, pageviews: 3, events: 1 },
        { value: '/', visitors: 1, sessions: 1, pageviews: 1, events: 0 },
      ]);
    });

    it('breaks down by referrer domain (null: none) and campaign', async () => {
      expect((await rows(`/breakdown/referrer_domain?${WEEK}`)).data).toEqual([
        { value: null, visitors: 4, sessions: 4, pageviews: 4, events: 3 },
        { value: 'google.com', visitors: 2, sessions: 2, pageviews: 2, events: 0 },
        { value: 'news.ycombinator.com', visitors: 1, sessions: 1, pageviews: 1, events: 0 },
        { value: 'twitter.com', visitors: 1, sessions: 1, pageviews: 1, events: 0 },
      ]);
      // Only visit A's landing pageview carries a campaign; every other event has none (null).
      expect((await rows(`/breakdown/utm_source?${WEEK}`)).data).toEqual([
        { value: null, visitors: 4, sessions: 5, pageviews: 7, events: 3 },
        { value: 'newsletter', visitors: 1, sessions: 1, pageviews: 1, events: 0 },
      ]);
      // is_not keeps events where the dimension is not set.
      expect((await rows(`/breakdown/utm_campaign?${WEEK}&filter[utm_medium]=is_not:email`)).data).toEqual([
        { value: null, visitors: 4, sessions: 5, pageviews: 7, events: 3 },
      ]);
    });

    it('breaks down by browser and device type', async () => {
      expect((await rows(`/breakdown/browser?${WEEK}`)).data).toEqual([
        { value: 'Chrome', visitors: 2, sessions: 3, pageviews: 5, events: 1 },
        { value: 'Mobile Safari', visitors: 1, sessions: 1, pageviews: 2, events: 1 },
        { value: 'Firefox', visitors: 1, sessions: 1, pageviews: 1, events: 1 },
      ]);
      expect((await rows(`/breakdown/device_type?${WEEK}`)).data).toEqual([
        { value: 'desktop', visitors: 3, sessions: 4, pageviews: 6, events: 2 },
        { value: 'mobile', visitors: 1, sessions: 1, pageviews: 2, events: 1 },
      ]);
    });

    it('breaks custom events down by name and by property', async () => {
      expect((await rows(`/breakdown/event_name?${WEEK}`)).data).toEqual([
        { value: 'signup', visitors: 2, sessions: 2, pageviews: 0, events: 2 },
        { value: 'download', visitors: 1, sessions: 1, pageviews: 0, events: 1 },
      ]);
      expect((await rows(`/breakdown/prop:plan?${WEEK}`)).data).toEqual([
        { value: 'free', visitors: 1, sessions: 1, pageviews: 0, events: 1 },
        { value: 'pro', visitors: 1, sessions: 1, pageviews: 0, events: 1 },
      ]);
    });

    it('filters a breakdown, on event and visit dimensions', async () => {
      // Events on a /blog page: A's pageview (Chrome), D's pageview and download (Firefox).
      expect((await rows(`/breakdown/browser?${WEEK}&filter[page]=contains:/blog`)).data).toEqual([
        { value: 'Firefox', visitors: 1, sessions: 1, pageviews: 1, events: 1 },
        { value: 'Chrome', visitors: 1, sessions: 1, pageviews: 1, events: 0 },
      ]);
      // Visits that entered on /: A, C, E.
      expect((await rows(`/breakdown/page?${WEEK}&filter[entry_page]=/`)).data).toEqual([
        { value: '/', visitors: 3, sessions: 3, pageviews: 3, events: 0 },
        { value: '/pricing', visitors: 2, sessions: 2, pageviews: 2, events: 2 },
        { value: '/blog/hello', visitors: 1, sessions: 1, pageviews: 1, events: 0 },
      ]);
      expect((await rows(`/breakdown/page?${WEEK}&filter[prop:plan]=pro`)).data).toEqual([
        { value: '/pricing', visitors: 1, sessions: 1, pageviews: 0, events: 1 },
      ]);
    });

    it('rejects unknown dimensions and bad paging, listing what is valid', async () => {
      const res = await f.get(`/breakdown/planet?${WEEK}`).expect(400);
      expect(res.body.message).toMatch(/^Unknown dimension "planet". Valid dimensions: page, entry_page, exit_page, hostname, referrer_domain, utm_source/);
      expect(res.body.message).toContain('prop:<property key>');
      for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'page=0']) {
        const bad = await f.get(`/breakdown/page?${WEEK}&${q}`).expect(400);
        expect(JSON.stringify(bad.body.message)).toMatch(/limit|page/);
      }
    });
  });
});
