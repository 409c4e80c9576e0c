import { bearer } from './support/test-app';
import { QueryFixture, startQueryFixture } from './support/query-fixture';

/** Expected numbers are counted by hand from test/support/query-fixture.ts. */
const WEEK = 'start_date=2025-01-13&end_date=2025-01-19';
const SHOP_WEEK = 'start_date=2025-02-10&end_date=2025-02-16';

describe('query: custom events (Sparklytics) and funnels', () => {
  let f: QueryFixture;
  beforeAll(async () => (f = await startQueryFixture()), 120_000);
  afterAll(() => f.t.close());

  const funnel = (body: object, query = WEEK) => f.t.http().post(`/api/websites/${f.siteId}/funnels/query?${query}`).set(bearer(f.readKey)).send(body);

  describe('GET /events', () => {
    it('lists custom event names with counts, most frequent first', async () => {
      // Two signups (A, C) and a download (D); the crawler's signup is not counted.
      const res = await f.get(`/events?${WEEK}`).expect(200);
      expect(res.body).toEqual({ data: [{ event_name: 'signup', count: 2 }, { event_name: 'download', count: 1 }] });
      const shop = await f.get(`/events?${SHOP_WEEK}`).expect(200);
      expect(shop.body).toEqual({
        data: [
          { event_name: 'add_to_cart', count: 4 },
          { event_name: 'checkout', count: 3 },
          { event_name: 'purchase', count: 3 },
        ],
      });
    });

    it('filters', async () => {
      const res = await f.get(`/events?${WEEK}&filter[browser]=Firefox`).expect(200);
      expect(res.body).toEqual({ data: [{ event_name: 'download', count: 1 }] });
    });
  });

  describe('GET /events/properties', () => {
    it("breaks one event's properties down by key and value, values as strings", async () => {
      const res = await f.get(`/events/properties?${WEEK}&event_name=signup`).expect(200);
      expect(res.body).toEqual({
        data: [
          { property_key: 'plan', values: [{ value: 'free', count: 1 }, { value: 'pro', count: 1 }] },
          { property_key: 'trial', values: [{ value: 'false', count: 1 }, { value: 'true', count: 1 }] },
          { property_key: 'amount', values: [{ value: '49.99', count: 1 }] },
        ],
      });
      const shop = await f.get(`/events/properties?${SHOP_WEEK}&event_name=%20add_to_cart%20`).expect(200);
      expect(shop.body).toEqual({ data: [{ property_key: 'currency', values: [{ value: 'EUR', count: 4 }] }] });
    });

    it('answers an empty list for an unknown event', async () => {
      expect((await f.get(`/events/properties?${WEEK}&event_name=nothing`).expect(200)).body).toEqual({ data: [] });
    });
  });

  describe('GET /events/timeseries', () => {
    it('counts one event per Berlin day, zeros included', async () => {
      const res = await f.get(`/events/timeseries?${WEEK}&event_name=signup&granularity=day`).expect(200);
      expect(res.body).toEqual({
        data: {
          series: [
            { date: '2025-01-13', count: 0 },
            { date: '2025-01-14', count: 1 },
            { date: '2025-01-15', count: 1 },
            { date: '2025-01-16', count: 0 },
            { date: '2025-01-17', count: 0 },
            { date: '2025-01-18', count: 0 },
            { date: '2025-01-19', count: 0 },
          ],
          granularity: 'day',
        },
      });
    });

    it('defaults to days and takes other granularities', async () => {
      expect((await f.get(`/events/timeseries?${SHOP_WEEK}&event_name=purchase`).expect(200)).body.data.granularity).toBe('day');
      const months = await f.get('/events/timeseries?start_date=2025-01-01&end_date=2025-02-28&event_name=add_to_cart&granularity=month').expect(200);
      expect(months.body.data.series).toEqual([
        { date: '2025-01-01', count: 0 },
        { date: '2025-02-01', count: 4 },
      ]);
    });
  });

  describe('event_name validation (Sparklytics messages)', () => {
    it.each(['/events/properties', '/events/timeseries'])('%s', async (path) => {
      expect((await f.get(`${path}?${WEEK}`).expect(400)).body.message).toBe('event_name query parameter is required');
      expect((await f.get(`${path}?${WEEK}&event_name=%20%20`).expect(400)).body.message).toBe('event_name must not be empty');
      expect((await f.get(`${path}?${WEEK}&event_name=${'x'.repeat(256)}`).expect(400)).body.message).toBe('event_name must be 255 characters or fewer');
    });
  });

  describe('POST /funnels/query', () => {
    it('counts visitors through ordered page and event steps', async () => {
      // V1 (A) and V2 (C): / -> /pricing -> signup. V4 (E) only reached /. V3 never saw /.
      const res = await funnel({ steps: [{ type: 'page', value: '/' }, { type: 'page', value: '/pricing' }, { type: 'event', value: 'signup' }] }).expect(200);
      expect(res.body).toEqual({
        steps: [
          { type: 'page', value: '/', visitors: 3, conversion_from_previous: 1, conversion_from_first: 1 },
          { type: 'page', value: '/pricing', visitors: 2, conversion_from_previous: 0.6667, conversion_from_first: 0.6667 },
          { type: 'event', value: 'signup', visitors: 2, conversion_from_previous: 1, conversion_from_first: 0.6667 },
        ],
      });
    });

    it('requires each step after the previous one', async () => {
      // Nobody viewed / after /pricing.
      const res = await funnel({ steps: [{ type: 'page', value: '/pricing' }, { type: 'page', value: '/' }] }).expect(200);
      expect(res.body.steps.map((s: { visitors: number }) => s.visitors)).toEqual([2, 0]);
      expect(res.body.steps[1]).toMatchObject({ conversion_from_previous: 0, conversion_from_first: 0 });
    });

    it('applies the window from the first step', async () => {
      const steps = [{ type: 'page', value: '/' }, { type: 'page', value: '/blog/hello' }];
      // V1 read /blog/hello 10 minutes after /.
      expect((await funnel({ steps }).expect(200)).body.steps[1].visitors).toBe(1);
      expect((await funnel({ steps, window_minutes: 10 }).expect(200)).body.steps[1].visitors).toBe(1);
      expect((await funnel({ steps, window_minutes: 9 }).expect(200)).body.steps[1].visitors).toBe(0);
    });

    it('tries every start of the funnel within the window (explicit visitors)', async () => {
      const steps = [{ type: 'event', value: 'add_to_cart' }, { type: 'event', value: 'checkout' }, { type: 'event', value: 'purchase' }];
      // w1 completes; w2 bought before checking out; w3 completes on the second cart.
      const open = await funnel({ steps }, SHOP_WEEK).expect(200);
      expect(open.body.steps.map((s: { visitors: number }) => s.visitors)).toEqual([3, 3, 2]);
      // Within 30 minutes: w1's purchase came 50 minutes after the cart; w3's second attempt took 20.
      const windowed = await funnel({ steps, window_minutes: 30 }, SHOP_WEEK).expect(200);
      expect(windowed.body.steps).toEqual([
        { type: 'event', value: 'add_to_cart', visitors: 3, conversion_from_previous: 1, conversion_from_first: 1 },
        { type: 'event', value: 'checkout', visitors: 3, conversion_from_previous: 1, conversion_from_first: 1 },
        { type: 'event', value: 'purchase', visitors: 1, conversion_from_previous: 0.3333, conversion_from_first: 0.3333 },
      ]);
    });

    it('applies filters and the date range', async () => {
      const steps = [{ type: 'page', value: '/' }, { type: 'page', value: '/pricing' }];
      const mobile = await funnel({ steps }, `${WEEK}&filter[device_type]=mobile`).expect(200);
      expect(mobile.body.steps.map((s: { visitors: number }) => s.visitors)).toEqual([1, 1]);
      const before = await funnel({ steps }, 'start_date=2025-01-06&end_date=2025-01-12').expect(200);
      expect(before.body.steps.map((s: { visitors: number }) => s.visitors)).toEqual([1, 1]);
    });

    it.each([
      ['one step', { steps: [{ type: 'page', value: '/' }] }, /steps must contain at least 2 elements/],
      ['nine steps', { steps: Array.from({ length: 9 }, () => ({ type: 'page', value: '/' })) }, /steps must contain no more than 8 elements/],
      ['an unknown step type', { steps: [{ type: 'click', value: '/' }, { type: 'page', value: '/' }] }, /type must be one of: page, event/],
      ['an empty step value', { steps: [{ type: 'page', value: '' }, { type: 'page', value: '/' }] }, /value must be longer than or equal to 1 characters/],
      ['a zero window', { steps: [{ type: 'page', value: '/' }, { type: 'page', value: '/a' }], window_minutes: 0 }, /window_minutes must not be less than 1/],
      ['no steps', {}, /steps/],
    ])('rejects %s', async (_, body, message) => {
      const res = await funnel(body).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });
  });
});
