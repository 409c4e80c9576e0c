import { bucketLabel, funnelConversions, headlineMetrics, relativeChange } from './results';

describe('results', () => {
  it('computes relative change, null when previous is 0', () => {
    expect(relativeChange(150, 100)).toBe(0.5);
    expect(relativeChange(1, 3)).toBe(-0.6667);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(0, 0)).toBeNull();
  });

  it('derives the headline metrics', () => {
    expect(headlineMetrics({ pageviews: 7, visitors: 2, visits: 3, bounce_rate: 1 / 3, visit_duration: 200 / 3, views_per_visit: 7 / 3 })).toEqual({
      pageviews: 7,
      visitors: 2,
      sessions: 3,
      bounce_rate: 0.3333,
      avg_session_duration: 66.7,
      views_per_session: 2.33,
    });
    expect(headlineMetrics({ pageviews: 0, visitors: 0, visits: 0, bounce_rate: 0, visit_duration: 0, views_per_visit: 0 }).bounce_rate).toBe(0);
  });

  it('labels buckets with the local day, or the local hour and offset', () => {
    expect(bucketLabel(new Date('2026-01-31T23:00:00Z'), '2026-02-01T00:00:00', 'day')).toBe('2026-02-01');
    expect(bucketLabel(new Date('2026-01-31T23:00:00Z'), '2026-02-01T00:00:00', 'hour')).toBe('2026-02-01T00:00:00+01:00');
    expect(bucketLabel(new Date('2026-02-01T05:00:00Z'), '2026-02-01T00:00:00', 'hour')).toBe('2026-02-01T00:00:00-05:00');
  });

  it('computes funnel conversions', () => {
    expect(funnelConversions([4, 2, 1])).toEqual([
      { visitors: 4, conversion_from_previous: 1, conversion_from_first: 1 },
      { visitors: 2, conversion_from_previous: 0.5, conversion_from_first: 0.5 },
      { visitors: 1, conversion_from_previous: 0.5, conversion_from_first: 0.25 },
    ]);
    expect(funnelConversions([0, 0])).toEqual([
      { visitors: 0, conversion_from_previous: 0, conversion_from_first: 0 },
      { visitors: 0, conversion_from_previous: 0, conversion_from_first: 0 },
    ]);
  });
});
