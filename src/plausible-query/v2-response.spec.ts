import { QueryResult } from '../analytics/query';
import { toQuery } from './v2-query';
import { parseV2Request } from './v2-request';
import { localDateTime, metricValue, roundHalfEven, timeLabel, toV2Response } from './v2-response';

const BERLIN = { id: 'site-1', timezone: 'Europe/Berlin' };
const NOW = new Date('2026-03-30T10:00:00Z');

function respond(body: object, result: Partial<QueryResult>, site = BERLIN) {
  const request = parseV2Request({ site_id: 'shop.example', ...body });
  const query = toQuery(request, site, [{ displayName: 'Signup', type: 'event', match: 'Signup' }], NOW);
  return toV2Response(request, query, { rows: [], estimated: false, ...result });
}

describe('toV2Response', () => {
  it('answers like the documented pagination example', () => {
    const response = respond(
      {
        metrics: ['visitors', 'events', 'pageviews'],
        date_range: '7d',
        dimensions: ['visit:utm_medium', 'visit:utm_source'],
        include: { total_rows: true },
        pagination: { limit: 3, offset: 1 },
      },
      {
        rows: [
          { dimensions: [null, 'duckduckgo'], metrics: { visitors: 325, events: 397, pageviews: 317 } },
          { dimensions: ['social', 'mastodon'], metrics: { visitors: 296, events: 357, pageviews: 292 } },
        ],
        totalRows: 6,
      },
    );
    expect(response).toEqual({
      results: [
        { metrics: [325, 397, 317], dimensions: ['(not set)', 'duckduckgo'] },
        { metrics: [296, 357, 292], dimensions: ['social', 'mastodon'] },
      ],
      meta: { total_rows: 6 },
      query: {
        site_id: 'shop.example',
        metrics: ['visitors', 'events', 'pageviews'],
        // The week before 2026-03-30 in Berlin, which moved to summer time on the 29th.
        date_range: ['2026-03-23T00:00:00+01:00', '2026-03-29T23:59:59+02:00'],
        filters: [],
        dimensions: ['visit:utm_medium', 'visit:utm_source'],
        order_by: [['visitors', 'desc']],
        include: { total_rows: true },
        pagination: { offset: 1, limit: 3 },
      },
    });
  });

  it('labels missing values as Plausible does and names countries and devices', () => {
    const response = respond(
      { metrics: ['visitors'], date_range: 'day', dimensions: ['visit:source', 'event:props:plan', 'visit:country_name', 'visit:country', 'visit:device', 'visit:city_name'] },
      {
        rows: [
          { dimensions: [null, null, null, null, null, null], metrics: { visitors: 3 } },
          { dimensions: ['news.example', 'pro', 'FI', 'FI', 'desktop', 'Helsinki'], metrics: { visitors: 2 } },
          { dimensions: ['a.example', 'free', 'US', 'US', 'tv', 'Boston'], metrics: { visitors: 1 } },
        ],
      },
    );
    expect(response.results.map((r) => r.dimensions)).toEqual([
      ['Direct / None', '(none)', '(not set)', '(not set)', '(not set)', '(not set)'],
      ['news.example', 'pro', 'Finland', 'FI', 'Desktop', 'Helsinki'],
      ['a.example', 'free', 'United States', 'US', 'TV', 'Boston'],
    ]);
  });

  it('writes hours as local "YYYY-MM-DD HH:MM:SS" and lists time labels', () => {
    const response = respond(
      { metrics: ['visitors'], date_range: ['2026-03-29', '2026-03-29'], dimensions: ['time'], include: { time_labels: true } },
      {
        rows: [
          { dimensions: ['2026-03-29T01:00:00+01:00'], metrics: { visitors: 4 } },
          { dimensions: ['2026-03-29T03:00:00+02:00'], metrics: { visitors: 2 } },
        ],
        timeLabels: ['2026-03-29T00:00:00+01:00', '2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00'],
      },
    );
    expect(response.results.map((r) => r.dimensions[0])).toEqual(['2026-03-29 01:00:00', '2026-03-29 03:00:00']);
    expect(response.meta.time_labels).toEqual(['2026-03-29 00:00:00', '2026-03-29 01:00:00', '2026-03-29 03:00:00']);
    expect(response.query.dimensions).toEqual(['time']);
    expect(response.query.order_by).toEqual([['time', 'asc'], ['visitors', 'desc']]);
    expect(response.query.date_range).toEqual(['2026-03-29T00:00:00+01:00', '2026-03-29T23:59:59+02:00']);
  });

  it('labels a week that began before the range with the range first day', () => {
    const response = respond(
      { metrics: ['visitors'], date_range: ['2026-03-04', '2026-03-20'], dimensions: ['time:week'], include: { time_labels: true } },
      { rows: [{ dimensions: ['2026-03-02'], metrics: { visitors: 1 } }], timeLabels: ['2026-03-02', '2026-03-09', '2026-03-16'] },
    );
    expect(response.results[0].dimensions).toEqual(['2026-03-04']);
    expect(response.meta.time_labels).toEqual(['2026-03-04', '2026-03-09', '2026-03-16']);
  });

  it('sets the documented meta keys when asked', () => {
    const response = respond(
      { metrics: ['visitors', 'conversion_rate'], date_range: '7d', dimensions: ['event:goal'], include: { imports: true, total_rows: true } },
      { rows: [{ dimensions: ['Signup'], metrics: { visitors: 10, conversion_rate: 0.25 } }], estimated: true },
    );
    expect(response.results).toEqual([{ metrics: [10, 25], dimensions: ['Signup'] }]);
    expect(response.meta).toEqual({
      total_rows: null,
      imports_included: false,
      imports_skip_reason: 'no_imported_data',
      imports_warning: expect.stringContaining('imported'),
      metric_warnings: {
        visitors: { code: 'estimated', warning: expect.any(String) },
        conversion_rate: { code: 'estimated', warning: expect.any(String) },
      },
    });
    expect(response.query.include).toEqual({ imports: true, total_rows: true });
  });

  it('echoes filters as validated and date-times to the second', () => {
    const filters = [['is_not', 'visit:country_name', ['']], ['has_done', ['is', 'event:goal', ['Signup']]], ['is', 'visit:city', [658225]]];
    const response = respond({ metrics: ['visitors'], date_range: ['2026-03-29T01:30:00.5+01:00', '2026-03-29T04:00:00+02:00'], filters }, {});
    expect(response.query.filters).toEqual(filters);
    expect(response.query.date_range).toEqual(['2026-03-29T01:30:00+01:00', '2026-03-29T03:59:59+02:00']);
    expect(response.results).toEqual([]);
  });
});

describe('metric values', () => {
  it('scales and rounds as Plausible documents', () => {
    expect(metricValue('visitors', 1069)).toBe(1069);
    expect(metricValue('visitors', 1068.6)).toBe(1069);
    expect(metricValue('bounce_rate', 0.4567)).toBe(46);
    expect(metricValue('bounce_rate', 0.125)).toBe(12);
    expect(metricValue('visit_duration', 86.5)).toBe(86);
    expect(metricValue('visit_duration', 87.5)).toBe(88);
    expect(metricValue('views_per_visit', 2.3456)).toBe(2.35);
    expect(metricValue('percentage', 0.12345)).toBe(12.3);
    expect(metricValue('conversion_rate', 1 / 3)).toBe(33.3);
    expect(metricValue('group_conversion_rate', 0.0667)).toBe(6.7);
  });

  it('answers a rate over nothing as Plausible does, and never invents a count', () => {
    expect(metricValue('bounce_rate', NaN)).toBe(0);
    expect(metricValue('visit_duration', undefined)).toBe(0);
    expect(metricValue('views_per_visit', Infinity)).toBe(0);
    expect(metricValue('conversion_rate', NaN)).toBe(0);
    expect(metricValue('percentage', NaN)).toBeNull();
    expect(metricValue('events', undefined)).toBeNull();
  });

  it('rounds ties to even', () => {
    expect(roundHalfEven(2.5, 0)).toBe(2);
    expect(roundHalfEven(3.5, 0)).toBe(4);
    expect(roundHalfEven(0.25, 1)).toBe(0.2);
    expect(roundHalfEven(-0.4, 0)).toBe(0);
    expect(Object.is(roundHalfEven(-0.4, 0), -0)).toBe(false);
  });
});

describe('labels and names', () => {
  it('converts engine time labels', () => {
    expect(timeLabel('2026-10-25T02:00:00+02:00', 'hour', '2026-10-25')).toBe('2026-10-25 02:00:00');
    expect(timeLabel('2026-10-25T02:00:00+01:00', 'hour', '2026-10-25')).toBe('2026-10-25 02:00:00');
    expect(timeLabel('2026-10-01', 'month', '2026-10-25')).toBe('2026-10-01');
    expect(timeLabel('2026-10-19', 'week', '2026-10-21')).toBe('2026-10-21');
  });

  it('writes instants in the zone with its offset', () => {
    expect(localDateTime(new Date('2026-07-01T12:34:56.789Z'), 'America/New_York')).toBe('2026-07-01T08:34:56-04:00');
    expect(localDateTime(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00:00+00:00');
  });
});
