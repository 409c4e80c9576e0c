import { GoalDefinition, Query } from '../analytics/query';
import { parseV2Request } from './v2-request';
import { toQuery, V2Site } from './v2-query';
import { queryErrorOf } from '../../test/support/query-error';

const BERLIN: V2Site = { id: 'site-1', timezone: 'Europe/Berlin' };
const NEW_YORK = { id: 'site-2', timezone: 'America/New_York' };
const GOALS: GoalDefinition[] = [
  { displayName: 'Signup', type: 'event', match: 'Signup' },
  { displayName: 'Visit /plans', type: 'page', match: '/plans' },
];

function query(body: object, site = BERLIN, now = new Date('2026-03-30T10:00:00Z'), goals = GOALS): Query {
  return toQuery(parseV2Request({ site_id: 'shop.example', metrics: ['visitors'], ...body }), site, goals, now);
}

function range(body: object, site = BERLIN, now = new Date('2026-03-30T10:00:00Z')): [string, string] {
  const { start, end } = query(body, site, now).range;
  return [start.toISOString(), end.toISOString()];
}

describe('toQuery: date ranges in the website zone', () => {
  it('resolves the day shortcuts to whole local days before today (Berlin, across the spring change)', () => {
    // Now is Monday 2026-03-30, 12:00 in Berlin; clocks went forward on Sunday 2026-03-29.
    expect(range({ date_range: 'day' })).toEqual(['2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z']);
    expect(range({ date_range: '7d' })).toEqual(['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(range({ date_range: '28d' })).toEqual(['2026-03-01T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(range({ date_range: '30d' })).toEqual(['2026-02-27T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(range({ date_range: '91d' })).toEqual(['2025-12-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(range({ date_range: '24h' })).toEqual(['2026-03-29T10:00:00.000Z', '2026-03-30T10:00:00.000Z']);
  });

  it('resolves months and years to whole calendar months in the zone', () => {
    expect(range({ date_range: 'month' })).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
    expect(range({ date_range: '6mo' })).toEqual(['2025-08-31T22:00:00.000Z', '2026-02-28T23:00:00.000Z']);
    expect(range({ date_range: '12mo' })).toEqual(['2025-02-28T23:00:00.000Z', '2026-02-28T23:00:00.000Z']);
    expect(range({ date_range: 'year' })).toEqual(['2025-12-31T23:00:00.000Z', '2026-12-31T23:00:00.000Z']);
    expect(range({ date_range: 'all' })).toEqual(['1969-12-31T23:00:00.000Z', '2026-03-30T22:00:00.000Z']);
    // From the website's first event's day when known; a website without events gets today.
    expect(range({ date_range: 'all' }, { ...BERLIN, firstDay: '2025-11-02' })).toEqual(['2025-11-01T23:00:00.000Z', '2026-03-30T22:00:00.000Z']);
    expect(range({ date_range: 'all' }, { ...BERLIN, firstDay: '2027-01-01' })).toEqual(['2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z']);
    // January: the months before it are last year's.
    expect(range({ date_range: '6mo' }, BERLIN, new Date('2026-01-15T12:00:00Z'))).toEqual(['2025-06-30T22:00:00.000Z', '2025-12-31T23:00:00.000Z']);
  });

  it('uses the local day, not the UTC one (New York, across the autumn change)', () => {
    // 2026-11-02T03:00Z is still Sunday 2026-11-01 in New York, the day clocks went back (25 hours).
    const now = new Date('2026-11-02T03:00:00Z');
    expect(range({ date_range: 'day' }, NEW_YORK, now)).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(range({ date_range: '7d' }, NEW_YORK, now)).toEqual(['2026-10-25T04:00:00.000Z', '2026-11-01T04:00:00.000Z']);
  });

  it('reads dates as whole local days, both inclusive, and date-times exactly', () => {
    expect(range({ date_range: ['2026-10-24', '2026-10-25'] })).toEqual(['2026-10-23T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(range({ date_range: ['2026-03-08', '2026-03-08'] }, NEW_YORK)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(range({ date_range: ['2026-03-29T01:30:00+01:00', '2026-03-29 04:00:00+02:00'] })).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T02:00:00.000Z']);
    expect(range({ date_range: ['2026-03-29T00:00:00Z', '2026-03-30T00:00:00.250+0000'] })).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-30T00:00:00.250Z']);
  });

  it('refuses a range that reaches past the supported years', () => {
    const error = queryErrorOf(() => query({ date_range: 'year' }, BERLIN, new Date('9999-01-01T12:00:00Z')));
    expect(error.field).toBe('date_range');
  });
});

describe('toQuery: the canonical query', () => {
  it('maps metrics, dimensions, order, include and pagination', () => {
    const q = query({
      metrics: ['visitors', 'events', 'bounce_rate'],
      date_range: '7d',
      dimensions: ['visit:country_name', 'time:week'],
      order_by: [['visit:country_name', 'asc'], ['events', 'desc']],
      include: { total_rows: true, imports: true },
      pagination: { limit: 25, offset: 50 },
    });
    expect(q).toEqual({
      websiteId: 'site-1',
      timezone: 'Europe/Berlin',
      range: { start: new Date('2026-03-22T23:00:00Z'), end: new Date('2026-03-29T22:00:00Z') },
      metrics: ['visitors', 'events', 'bounce_rate'],
      dimensions: [{ kind: 'visit', name: 'country' }, { kind: 'time', unit: 'week' }],
      filter: null,
      orderBy: [
        { key: { dimension: 0 }, direction: 'asc' },
        { key: { metric: 'events' }, direction: 'desc' },
      ],
      limit: 25,
      offset: 50,
      include: { totalRows: true, timeLabels: false },
      goals: [],
    });
  });

  it('writes the default order with the time dimension first', () => {
    expect(query({ date_range: '7d', dimensions: ['event:page', 'time'] }).orderBy).toEqual([
      { key: { dimension: 1 }, direction: 'asc' },
      { key: { metric: 'visitors' }, direction: 'desc' },
    ]);
  });

  it('lets `time` follow the range: hours up to two days, days up to 92, then months', () => {
    const unit = (date_range: unknown) => query({ date_range, dimensions: ['time'] }).dimensions[0];
    expect(unit('day')).toEqual({ kind: 'time', unit: 'hour' });
    expect(unit('24h')).toEqual({ kind: 'time', unit: 'hour' });
    expect(unit(['2026-10-24', '2026-10-25'])).toEqual({ kind: 'time', unit: 'hour' }); // 49 hours
    expect(unit(['2026-10-24', '2026-10-26'])).toEqual({ kind: 'time', unit: 'day' });
    expect(unit('7d')).toEqual({ kind: 'time', unit: 'day' });
    expect(unit('91d')).toEqual({ kind: 'time', unit: 'day' });
    expect(unit(['2026-01-01', '2026-04-02'])).toEqual({ kind: 'time', unit: 'day' }); // 92 days
    expect(unit(['2026-01-01', '2026-04-03'])).toEqual({ kind: 'time', unit: 'month' });
    expect(unit('6mo')).toEqual({ kind: 'time', unit: 'month' });
    expect(unit('all')).toEqual({ kind: 'time', unit: 'month' });
  });

  it('refuses time labels for an enormous number of buckets', () => {
    const error = queryErrorOf(() => query({ date_range: 'all', dimensions: ['time:hour'], include: { time_labels: true } }));
    expect(error.field).toBe('include.time_labels');
    expect(query({ date_range: 'all', dimensions: ['time:day'], include: { time_labels: true } }).include.timeLabels).toBe(true);
  });
});

describe('toQuery: filters', () => {
  const filterOf = (filters: unknown[], dimensions: string[] = []) => query({ date_range: '7d', filters, dimensions }).filter;

  it('combines top-level filters with AND and keeps logical forms', () => {
    expect(
      filterOf([
        ['contains', 'event:page', ['/help'], { case_sensitive: false }],
        ['or', [['not', ['is', 'visit:utm_campaign', ['Newsletter']]], ['has_done', ['is', 'event:name', ['Download']]]]],
      ]),
    ).toEqual({
      type: 'and',
      children: [
        { type: 'condition', operator: 'contains', dimension: { kind: 'event', name: 'page' }, values: ['/help'], caseSensitive: false },
        {
          type: 'or',
          children: [
            { type: 'not', child: { type: 'condition', operator: 'is', dimension: { kind: 'visit', name: 'utm_campaign' }, values: ['Newsletter'], caseSensitive: true } },
            { type: 'has_done', child: { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'event_name' }, values: ['Download'], caseSensitive: true } },
          ],
        },
      ],
    });
  });

  it('turns country names into the stored codes', () => {
    expect(filterOf([['is', 'visit:country_name', ['Germany', 'united states']]])).toEqual(
      expect.objectContaining({ operator: 'is', dimension: { kind: 'visit', name: 'country' }, values: ['DE'] }),
    );
    expect(filterOf([['is_not', 'visit:country_name', ['germany'], { case_sensitive: false }]])).toEqual(expect.objectContaining({ operator: 'is_not', values: ['DE'] }));
    const contains = filterOf([['contains', 'visit:country_name', ['Guinea']]]);
    expect(contains).toEqual(expect.objectContaining({ operator: 'is', values: expect.arrayContaining(['GN', 'GQ', 'GW', 'PG']) }));
    expect(filterOf([['contains_not', 'visit:country_name', ['Atlantis']]])).toEqual(expect.objectContaining({ operator: 'is_not', values: [''] }));
  });

  it('reads an empty clause as "not set", as Plausible does', () => {
    const known = { type: 'present', dimension: { kind: 'visit', name: 'country' } };
    expect(filterOf([['is_not', 'visit:country_name', ['']]])).toEqual(known);
    expect(filterOf([['is', 'visit:country_name', ['']]])).toEqual({ type: 'not', child: known });
    expect(filterOf([['is', 'visit:utm_source', ['', 'news']]])).toEqual({
      type: 'or',
      children: [
        { type: 'condition', operator: 'is', dimension: { kind: 'visit', name: 'utm_source' }, values: ['news'], caseSensitive: true },
        { type: 'not', child: { ...known, dimension: { kind: 'visit', name: 'utm_source' } } },
      ],
    });
  });

  it('reads "pageview" in event:name as the pageviews, which Footfall stores without a name', () => {
    const pageviews = { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'kind' }, values: ['pageview'], caseSensitive: true };
    const named = { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'event_name' }, values: ['signup'], caseSensitive: true };
    expect(filterOf([['is', 'event:name', ['pageview']]])).toEqual(pageviews);
    expect(filterOf([['is', 'event:name', ['signup', 'pageview']]])).toEqual({ type: 'or', children: [named, pageviews] });
    expect(filterOf([['is_not', 'event:name', ['pageview']]])).toEqual({ type: 'not', child: pageviews });
  });

  it('matches device types whatever their case', () => {
    expect(filterOf([['is', 'visit:device', ['Desktop']]])).toEqual(expect.objectContaining({ values: ['Desktop'], caseSensitive: false }));
  });

  it('checks goal names against the website and hands the goals over only when used', () => {
    const q = query({ date_range: '7d', filters: [['is', 'event:goal', ['Signup']]] });
    expect(q.goals).toEqual(GOALS);
    expect(q.filter).toEqual({ type: 'condition', operator: 'is', dimension: { kind: 'goal' }, values: ['Signup'], caseSensitive: true });
    expect(query({ date_range: '7d', dimensions: ['event:goal'] }).goals).toEqual(GOALS);
    expect(query({ date_range: '7d', dimensions: ['event:page'] }).goals).toEqual([]);
    expect(query({ date_range: '7d', filters: [['is', 'event:goal', ['signup'], { case_sensitive: false }]] }).goals).toEqual(GOALS);

    const error = queryErrorOf(() => query({ date_range: '7d', filters: [['has_not_done', ['is', 'event:goal', ['Signup', 'Purchase']]]] }));
    expect(error.field).toBe('filters[0][1][2][1]');
    expect(error.message).toBe('filters[0][1][2][1]: the goal "Purchase" is not configured for this website');
    expect(queryErrorOf(() => query({ date_range: '7d', filters: [['is', 'event:goal', ['signup']]] })).message).toMatch(/"signup"/);
    // contains may match nothing: no check.
    expect(query({ date_range: '7d', filters: [['contains', 'event:goal', ['Purch']]] }).goals).toEqual(GOALS);
  });
});
