import { canonicalQuery, Query } from '../../analytics/query';
import { bucketDay, dayBuckets, finish, mergeDays, mergeValues, rankProperties, rowOrder } from './merge';

/** Local days first..last in UTC as a half-open range. */
const days = (first: string, last: string) => ({ start: new Date(`${first}T00:00:00Z`), end: new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000) });

const query = (over: Partial<Query>): Query => canonicalQuery({ websiteId: 'w', timezone: 'UTC', range: days('2025-01-14', '2025-02-03') }, { metrics: ['pageviews'], ...over });

/** A one-register sketch: every day with the same bytes holds the same single visitor. */
const day = (d: string, pageviews: number) => ({ day: d, pageviews, events: 1, sessions: 2, bounces: 1, durationSeconds: 30, visitors: Uint8Array.from([0x00, 0x11]) });

describe('bucketDay', () => {
  it('maps a day to the first day of its bucket', () => {
    expect(bucketDay('2025-01-15', 'day')).toBe('2025-01-15');
    expect(bucketDay('2025-01-15', 'week')).toBe('2025-01-13'); // a Wednesday: its Monday
    expect(bucketDay('2025-01-13', 'week')).toBe('2025-01-13');
    expect(bucketDay('2025-01-19', 'week')).toBe('2025-01-13'); // Sunday ends the ISO week
    expect(bucketDay('2025-02-28', 'month')).toBe('2025-02-01');
  });

  it('lists every bucket of a range', () => {
    expect(dayBuckets(query({}), 'week')).toEqual(['2025-01-13', '2025-01-20', '2025-01-27', '2025-02-03']);
    expect(dayBuckets(query({ range: days('2025-01-14', '2025-03-01') }), 'month')).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
  });
});

describe('mergeDays', () => {
  it('sums days into buckets, leaving empty buckets out as the raw path does', () => {
    const summaries = [day('2025-01-14', 3), day('2025-01-14', 1), day('2025-01-27', 5)];
    expect(mergeDays(summaries, query({ metrics: ['pageviews', 'events', 'visits'] }), 'week')).toEqual([
      { dimensions: ['2025-01-13'], metrics: { pageviews: 4, events: 6, visits: 4 } },
      { dimensions: ['2025-01-27'], metrics: { pageviews: 5, events: 6, visits: 2 } },
    ]);
  });

  it('counts a visitor of several days once, and derives the visit metrics from the sums', () => {
    const [row] = mergeDays([day('2025-01-14', 1), day('2025-01-15', 3)], query({ metrics: ['visitors', 'views_per_visit', 'bounce_rate', 'visit_duration'] }), null);
    expect(row.metrics).toEqual({ visitors: 1, views_per_visit: 1, bounce_rate: 0.5, visit_duration: 15 });
  });
});

describe('mergeValues and finish', () => {
  const value = (v: string | null, pageviews: number) => ({ value: v, pageviews, events: 0, sessions: 1, visitors: Uint8Array.from([0x00, 0x11]) });

  it('sums a value over its parts, orders by the query then by value (nulls last), and pages', () => {
    const q = query({ metrics: ['visitors', 'pageviews'], dimensions: [{ kind: 'event', name: 'page' }], orderBy: [{ key: { metric: 'pageviews' }, direction: 'desc' }], limit: 2, offset: 1, include: { totalRows: true, timeLabels: false } });
    const rows = mergeValues([value('/b', 2), value(null, 5), value('/a', 5), value('/b', 3), value('/c', 1)], q);
    expect(finish(rows, q)).toEqual({
      // Ordered: /a 5, /b 5, null 5, /c 1; the page after the first row.
      rows: [
        { dimensions: ['/b'], metrics: { visitors: 1, pageviews: 5 } },
        { dimensions: [null], metrics: { visitors: 1, pageviews: 5 } },
      ],
      totalRows: 4,
    });
  });

  it('orders nulls last in both directions', () => {
    const rows = [{ dimensions: [null], metrics: {} }, { dimensions: ['a'], metrics: {} }, { dimensions: ['b'], metrics: {} }];
    expect([...rows].sort(rowOrder([{ key: { dimension: 0 }, direction: 'desc' }], 1)).map((r) => r.dimensions[0])).toEqual(['b', 'a', null]);
  });
});

describe('rankProperties', () => {
  it('sums repeated pairs, orders keys by events then name, and keeps the top values of each', () => {
    const pairs = [
      { key: 'plan', value: 'pro', count: 2 },
      { key: 'currency', value: 'EUR', count: 3 },
      { key: 'plan', value: 'free', count: 1 },
      { key: 'plan', value: 'pro', count: 2 },
      { key: 'amount', value: '9', count: 3 },
      { key: 'plan', value: 'team', count: 1 },
    ];
    expect(rankProperties(pairs, 2)).toEqual([
      { property_key: 'plan', values: [{ value: 'pro', count: 4 }, { value: 'free', count: 1 }] },
      { property_key: 'amount', values: [{ value: '9', count: 3 }] },
      { property_key: 'currency', values: [{ value: 'EUR', count: 3 }] },
    ]);
  });
});
