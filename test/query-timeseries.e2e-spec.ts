import { bearer } from './support/test-app';
import { QueryFixture, startQueryFixture } from './support/query-fixture';

/** Expected numbers are counted by hand from test/support/query-fixture.ts. */
const WEEK = 'start_date=2025-01-13&end_date=2025-01-19';
const days = (values: number[], first = 13) => values.map((value, i) => ({ date: `2025-01-${String(first + i).padStart(2, '0')}`, value }));

describe('query: timeseries and realtime', () => {
  let f: QueryFixture;
  beforeAll(async () => (f = await startQueryFixture()), 120_000);
  afterAll(() => f.t.close());

  describe('timeseries', () => {
    it('has every Berlin day of the week, zeros included', async () => {
      const res = await f.get(`/timeseries?${WEEK}&metric=pageviews&granularity=day`).expect(200);
      // 01-14: A 3 + B 1; 01-15: C 2 (not the crawler); 01-16: D 1; 01-19: E at 00:30 Berlin (23:30 UTC on 01-18).
      expect(res.body).toEqual({ metric: 'pageviews', granularity: 'day', data: days([0, 4, 2, 1, 0, 0, 1]) });
    });

    it('defaults to pageviews per day', async () => {
      const res = await f.get(`/timeseries?${WEEK}`).expect(200);
      expect(res.body).toMatchObject({ metric: 'pageviews', granularity: 'day' });
      expect(res.body.data).toEqual(days([0, 4, 2, 1, 0, 0, 1]));
    });

    it('counts visitors, sessions and custom events', async () => {
      expect((await f.get(`/timeseries?${WEEK}&metric=visitors`).expect(200)).body.data).toEqual(days([0, 1, 1, 1, 0, 0, 1]));
      expect((await f.get(`/timeseries?${WEEK}&metric=sessions`).expect(200)).body.data).toEqual(days([0, 2, 1, 1, 0, 0, 1]));
      expect((await f.get(`/timeseries?${WEEK}&metric=events`).expect(200)).body.data).toEqual(days([0, 1, 1, 1, 0, 0, 0]));
    });

    it('gives 24 hourly buckets of a Berlin day, with their offset', async () => {
      const res = await f.get('/timeseries?start_date=2025-01-14&end_date=2025-01-14&granularity=hour').expect(200);
      const hours = Array.from({ length: 24 }, (_, h) => ({ date: `2025-01-14T${String(h).padStart(2, '0')}:00:00+01:00`, value: 0 }));
      hours[10].value = 3; // visit A, 09:00-09:10 UTC
      hours[12].value = 1; // visit B, 11:00 UTC
      expect(res.body.data).toEqual(hours);
    });

    it('keeps buckets right across a daylight-saving change', async () => {
      const daily = await f.get('/timeseries?start_date=2025-03-29&end_date=2025-03-31').expect(200);
      expect(daily.body.data.map((d: { date: string }) => d.date)).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']);
      // Berlin skips 02:00 on 2025-03-30: 23 hours, +01:00 before the change and +02:00 after.
      const hours = await f.get('/timeseries?start_date=2025-03-30&end_date=2025-03-30&granularity=hour').expect(200);
      const labels = hours.body.data.map((d: { date: string }) => d.date);
      expect(labels).toHaveLength(23);
      expect(labels.slice(0, 4)).toEqual(['2025-03-30T00:00:00+01:00', '2025-03-30T01:00:00+01:00', '2025-03-30T03:00:00+02:00', '2025-03-30T04:00:00+02:00']);
      expect(labels[22]).toBe('2025-03-30T23:00:00+02:00');
    });

    it('buckets weeks from Monday and calendar months', async () => {
      const weeks = await f.get('/timeseries?start_date=2025-01-06&end_date=2025-01-19&granularity=week').expect(200);
      expect(weeks.body.data).toEqual([
        { date: '2025-01-06', value: 3 },
        { date: '2025-01-13', value: 8 },
      ]);
      const months = await f.get('/timeseries?start_date=2024-12-01&end_date=2025-02-28&granularity=month&metric=events').expect(200);
      // January: 3 signups/downloads; February: 10 shop events (Web Analyzer batch).
      expect(months.body.data).toEqual([
        { date: '2024-12-01', value: 0 },
        { date: '2025-01-01', value: 3 },
        { date: '2025-02-01', value: 10 },
      ]);
    });

    it('filters', async () => {
      const res = await f.get(`/timeseries?${WEEK}&filter[page]=/pricing`).expect(200);
      expect(res.body.data).toEqual(days([0, 2, 1, 0, 0, 0, 0]));
    });

    it('rejects unknown metrics and granularities, and too many buckets', async () => {
      const metric = await f.get(`/timeseries?${WEEK}&metric=bounces`).expect(400);
      expect(metric.body.message).toEqual(['metric must be one of: pageviews, visitors, sessions, events']);
      const granularity = await f.get(`/timeseries?${WEEK}&granularity=minute`).expect(400);
      expect(granularity.body.message).toEqual(['granularity must be one of: hour, day, week, month']);
      const buckets = await f.get('/timeseries?start_date=2024-01-01&end_date=2025-01-01&granularity=hour').expect(400);
      expect(buckets.body.message).toMatch(/choose a coarser granularity/);
    });

    it('follows the website time zone', async () => {
      // In UTC the event at 23:30 UTC on 01-19 falls inside the week, and E moves to Saturday 01-18.
      await f.t.http().patch(`/api/websites/${f.siteId}`).set(bearer(f.owner.token)).send({ timezone: 'UTC' }).expect(200);
      try {
        const res = await f.get(`/timeseries?${WEEK}`).expect(200);
        expect(res.body.data).toEqual(days([0, 4, 2, 1, 0, 1, 1]));
      } finally {
        await f.t.http().patch(`/api/websites/${f.siteId}`).set(bearer(f.owner.token)).send({ timezone: 'Europe/Berlin' }).expect(200);
      }
    });
  });

  describe('realtime', () => {
    it('counts visitors, pages and sources of the last 5 minutes', async () => {
      const res = await f.get('/realtime').expect(200);
      // V1, V5 and V6 (V7 was 10 minutes ago; the crawler never counts). V1's new visit and V6 came direct.
      expect(res.body).toEqual({
        visitors: 3,
        pages: [
          { value: '/live', visitors: 2 },
          { value: '/pricing', visitors: 1 },
        ],
        sources: [
          { value: null, visitors: 2 },
          { value: 'duckduckgo.com', visitors: 1 },
        ],
      });
    });

    it('filters', async () => {
      const res = await f.get('/realtime?filter[page]=/live').expect(200);
      // Ties are ordered by value, with null (direct) last.
      expect(res.body).toEqual({
        visitors: 2,
        pages: [{ value: '/live', visitors: 2 }],
        sources: [
          { value: 'duckduckgo.com', visitors: 1 },
          { value: null, visitors: 1 },
        ],
      });
    });
  });
});
