import { effectiveOrderBy, parseV2Request, V2Request } from './v2-request';
import { queryErrorOf } from '../../test/support/query-error';

/** Request bodies shaped like each example of Plausible's Stats API v2 reference. */
const DOC_EXAMPLES: Record<string, object> = {
  'first request': { site_id: 'shop.example', metrics: ['visitors'], date_range: '7d' },
  'countries and cities': {
    site_id: 'shop.example',
    metrics: ['visitors', 'pageviews', 'bounce_rate'],
    date_range: '7d',
    filters: [['is_not', 'visit:country_name', ['']]],
    dimensions: ['visit:country_name', 'visit:city_name'],
  },
  'aggregate': { site_id: 'shop.example', metrics: ['visitors', 'events'], date_range: '7d' },
  'custom dates': { site_id: 'shop.example', metrics: ['visitors'], date_range: ['2025-03-01', '2025-03-20'] },
  'custom date-times': { site_id: 'shop.example', metrics: ['visitors'], date_range: ['2025-03-01T08:00:00+01:00', '2025-03-01T17:59:59+01:00'] },
  'campaign sources': { site_id: 'shop.example', metrics: ['visitors', 'events', 'pageviews'], date_range: '7d', dimensions: ['visit:utm_medium', 'visit:utm_source'] },
  'page and country filters': {
    site_id: 'shop.example',
    metrics: ['visitors'],
    date_range: '7d',
    filters: [
      ['contains', 'event:page', ['/help', '/plans']],
      ['or', [['not', ['is', 'visit:utm_campaign', ['Newsletter']]], ['is', 'visit:country_name', ['Finland', 'Canada']]]],
    ],
  },
  'daily series': { site_id: 'shop.example', metrics: ['visitors', 'events'], date_range: '7d', filters: [['is', 'visit:os', ['Windows', 'iOS']]], dimensions: ['time:day'] },
  'daily series over dates': {
    site_id: 'shop.example',
    metrics: ['visitors', 'events'],
    date_range: ['2025-05-01', '2025-06-01'],
    filters: [['is', 'visit:os', ['Windows', 'iOS']]],
    dimensions: ['time:day'],
  },
  'hourly with labels': { site_id: 'shop.example', metrics: ['visitors'], date_range: 'day', dimensions: ['time:hour'], include: { time_labels: true } },
  'custom properties': {
    site_id: 'shop.example',
    metrics: ['visitors'],
    date_range: '7d',
    dimensions: ['time:day', 'event:props:plan'],
    order_by: [['time:day', 'asc'], ['event:props:plan', 'desc']],
  },
  'imported data': { site_id: 'shop.example', metrics: ['visitors'], date_range: 'all', dimensions: ['visit:source'], include: { imports: true } },
  'imported data with a filter': {
    site_id: 'shop.example',
    metrics: ['visitors'],
    date_range: 'all',
    dimensions: ['visit:source'],
    filters: [['is', 'visit:country_name', ['Finland']]],
    include: { imports: true },
  },
  'pagination': {
    site_id: 'shop.example',
    metrics: ['visitors', 'events', 'pageviews'],
    date_range: '7d',
    dimensions: ['visit:utm_medium', 'visit:utm_source'],
    include: { total_rows: true },
    pagination: { limit: 5, offset: 2 },
  },
  'case-insensitive filter': { site_id: 'shop.example', metrics: ['visitors'], date_range: '7d', filters: [['contains', 'event:page', ['Help'], { case_sensitive: false }]] },
  'behavioral filter': {
    site_id: 'shop.example',
    metrics: ['visitors'],
    date_range: 'all',
    filters: [['is', 'event:goal', ['Subscribe']], ['has_done', ['is', 'event:page', ['/plans']]]],
  },
  'behavioral filters on goals': {
    site_id: 'shop.example',
    metrics: ['visitors', 'pageviews'],
    date_range: '7d',
    filters: [['is', 'event:page', ['/plans']], ['has_done', ['is', 'event:goal', ['Chat opened']]], ['has_not_done', ['is', 'event:goal', ['Sign up', 'Sign in']]]],
  },
  'and': { site_id: 'shop.example', metrics: ['visitors'], date_range: '30d', filters: [['and', [['is', 'visit:country_name', ['Finland']], ['is', 'visit:city_name', ['Turku']]]]] },
  'or': { site_id: 'shop.example', metrics: ['visitors'], date_range: '30d', filters: [['or', [['is', 'visit:country_name', ['Finland']], ['is', 'visit:city_name', ['Riga']]]]] },
  'not': { site_id: 'shop.example', metrics: ['visitors'], date_range: '30d', filters: [['not', ['is', 'visit:country_name', ['Finland']]]] },
  'regular expression': { site_id: 'shop.example', metrics: ['visitors'], date_range: 'month', filters: [['matches', 'event:page', ['^/orders/\\d+$']], ['matches_not', 'event:page', ['^/admin']]] },
  'other shortcuts': { site_id: 'shop.example', metrics: ['visits', 'views_per_visit', 'visit_duration'], date_range: '12mo' },
  'goal conversions': { site_id: 'shop.example', metrics: ['visitors', 'events', 'conversion_rate'], date_range: 'year', dimensions: ['event:goal'] },
  'group conversion': {
    site_id: 'shop.example',
    metrics: ['visitors', 'group_conversion_rate', 'percentage'],
    date_range: '6mo',
    dimensions: ['visit:source'],
    filters: [['is', 'event:goal', ['Subscribe']]],
  },
};

const errorOf = (body: unknown) => queryErrorOf(() => parseV2Request(body));

const base = { site_id: 'shop.example', metrics: ['visitors'], date_range: '7d' };
const withBase = (extra: object) => ({ ...base, ...extra });

describe('parseV2Request: the documented examples', () => {
  it.each(Object.entries(DOC_EXAMPLES))('parses "%s"', (_name, body) => {
    const request = parseV2Request(body);
    expect(request.siteId).toBe('shop.example');
    expect(request.pagination.limit).toBeGreaterThan(0);
  });

  it('keeps names, defaults and an echo of the filters', () => {
    const request = parseV2Request(DOC_EXAMPLES['page and country filters']);
    expect(request.filtersEcho).toEqual((DOC_EXAMPLES['page and country filters'] as { filters: unknown }).filters);
    expect(request.pagination).toEqual({ limit: 10000, offset: 0 });
    expect(request.include).toEqual({ timeLabels: false, totalRows: false, imports: false });
    expect(request.orderBy).toBeNull();

    const props = parseV2Request(DOC_EXAMPLES['custom properties']);
    expect(props.dimensions).toEqual([
      { name: 'time:day', kind: 'time', unit: 'day' },
      { name: 'event:props:plan', kind: 'data', target: { kind: 'prop', key: 'plan' } },
    ]);
  });

  it('maps every dimension to the canonical one', () => {
    const names = ['event:page', 'event:hostname', 'event:name', 'event:goal', 'visit:device', 'visit:source', 'visit:country_name', 'visit:region', 'visit:city_name', 'visit:entry_page_hostname'];
    const request = parseV2Request(withBase({ dimensions: names }));
    expect(request.dimensions.map((d) => (d.kind === 'data' ? d.target : d))).toEqual([
      { kind: 'event', name: 'page' },
      { kind: 'event', name: 'hostname' },
      { kind: 'event', name: 'event_name' },
      { kind: 'goal' },
      { kind: 'visit', name: 'device' },
      { kind: 'visit', name: 'source' },
      { kind: 'visit', name: 'country' },
      { kind: 'visit', name: 'region' },
      { kind: 'visit', name: 'city' },
      { kind: 'visit', name: 'hostname' },
    ]);
  });

  it('orders by time ascending, then the first metric descending, unless told', () => {
    const order = (body: object) => effectiveOrderBy(parseV2Request(body));
    expect(order(withBase({ metrics: ['events', 'visitors'] }))).toEqual([{ key: 'events', direction: 'desc' }]);
    expect(order(withBase({ dimensions: ['visit:os', 'time'] }))).toEqual([
      { key: 'time', direction: 'asc' },
      { key: 'visitors', direction: 'desc' },
    ]);
    expect(order(withBase({ dimensions: ['visit:os'], order_by: [['visit:os', 'asc']] }))).toEqual([{ key: 'visit:os', direction: 'asc' }]);
  });

  it('parses filters into a tree', () => {
    const request = parseV2Request(withBase({ filters: [['not', ['contains', 'visit:country', ['f'], { case_sensitive: false }]], ['is', 'visit:country', ['fi']]] }));
    expect(request.filters).toEqual([
      { type: 'not', child: expect.objectContaining({ type: 'condition', operator: 'contains', values: ['f'], caseSensitive: false, path: 'filters[0][1]' }) },
      expect.objectContaining({ operator: 'is', values: ['FI'], caseSensitive: true, path: 'filters[1]' }),
    ]);
  });
});

describe('parseV2Request: errors name the field', () => {
  const cases: [string, unknown, string | undefined, RegExp][] = [
    ['a non-object body', [1], undefined, /JSON object/],
    ['an unknown top-level key', withBase({ date: '2024-01-01' }), 'date', /unknown key/],
    ['a missing site_id', { metrics: ['visitors'], date_range: '7d' }, 'site_id', /required/],
    ['a numeric site_id', withBase({ site_id: 42 }), 'site_id', /string/],
    ['missing metrics', { site_id: 'a', date_range: '7d' }, 'metrics', /required/],
    ['empty metrics', withBase({ metrics: [] }), 'metrics', /non-empty/],
    ['metrics as a string', withBase({ metrics: 'visitors' }), 'metrics', /array/],
    ['a duplicate metric', withBase({ metrics: ['visitors', 'visitors'] }), 'metrics[1]', /twice/],
    ['an unknown metric', withBase({ metrics: ['visitors', 'clicks'] }), 'metrics[1]', /unknown metric "clicks"/],
    ['a non-string metric', withBase({ metrics: [3] }), 'metrics[0]', /string/],
    ['scroll_depth', withBase({ metrics: ['scroll_depth'] }), 'metrics[0]', /Footfall does not compute `scroll_depth`/],
    ['time_on_page', withBase({ metrics: ['time_on_page'] }), 'metrics[0]', /does not compute `time_on_page`/],
    ['exit_rate', withBase({ metrics: ['exit_rate'] }), 'metrics[0]', /does not compute `exit_rate`/],
    ['total_revenue', withBase({ metrics: ['total_revenue'] }), 'metrics[0]', /does not compute `total_revenue`/],
    ['average_revenue', withBase({ metrics: ['average_revenue'] }), 'metrics[0]', /does not compute `average_revenue`/],
    ['a missing date_range', { site_id: 'a', metrics: ['visitors'] }, 'date_range', /required/],
    ['an unknown shortcut', withBase({ date_range: '5d' }), 'date_range', /unknown shortcut/],
    ['a one-element range', withBase({ date_range: ['2024-01-01'] }), 'date_range', /two ISO 8601/],
    ['a numeric bound', withBase({ date_range: ['2024-01-01', 20240102] }), 'date_range[1]', /string/],
    ['an impossible date', withBase({ date_range: ['2024-02-30', '2024-03-01'] }), 'date_range[0]', /ISO 8601/],
    ['a date-time without offset', withBase({ date_range: ['2024-01-01T10:00:00', '2024-01-01T12:00:00Z'] }), 'date_range[0]', /offset/],
    ['a date paired with a date-time', withBase({ date_range: ['2024-01-01', '2024-01-01T12:00:00Z'] }), 'date_range[0]', /paired/],
    ['reversed days', withBase({ date_range: ['2024-01-02', '2024-01-01'] }), 'date_range[1]', /before the first/],
    ['reversed instants', withBase({ date_range: ['2024-01-01T12:00:00Z', '2024-01-01T12:00:00Z'] }), 'date_range[1]', /after the start/],
    ['a day before 1970', withBase({ date_range: ['1969-12-31', '2024-01-01'] }), 'date_range[0]', /between 1970-01-01 and 9998-12-31/],
    ['a day past 9998', withBase({ date_range: ['2024-01-01', '9999-01-01'] }), 'date_range[1]', /between/],
    ['hour 24', withBase({ date_range: ['2024-01-01T10:00:00Z', '2024-01-01T24:00:00Z'] }), 'date_range[1]', /not a valid/],
    ['dimensions as a string', withBase({ dimensions: 'event:page' }), 'dimensions', /array/],
    ['an unknown dimension', withBase({ dimensions: ['visit:planet'] }), 'dimensions[0]', /unknown dimension/],
    ['a metric as dimension', withBase({ dimensions: ['visitors'] }), 'dimensions[0]', /unknown dimension/],
    ['a duplicate dimension', withBase({ dimensions: ['event:page', 'event:page'] }), 'dimensions[1]', /twice/],
    ['two time dimensions', withBase({ dimensions: ['time:day', 'time:hour'] }), 'dimensions[1]', /one time dimension/],
    ['an empty prop key', withBase({ dimensions: ['event:props:'] }), 'dimensions[0]', /1 to 255/],
    ['a long prop key', withBase({ dimensions: [`event:props:${'k'.repeat(256)}`] }), 'dimensions[0]', /1 to 255/],
    ['a channel dimension', withBase({ dimensions: ['visit:channel'] }), 'dimensions[0]', /does not record/],
    ['too many dimensions', withBase({ dimensions: Array.from({ length: 11 }, (_, i) => `event:props:p${i}`) }), 'dimensions', /at most 10/],
    ['order_by not an array', withBase({ order_by: 'visitors' }), 'order_by', /array/],
    ['order_by on what is not queried', withBase({ order_by: [['pageviews', 'desc']] }), 'order_by[0][0]', /query's metrics or dimensions/],
    ['order_by with a bad direction', withBase({ order_by: [['visitors', 'up']] }), 'order_by[0][1]', /"asc" or "desc"/],
    ['order_by entry not a pair', withBase({ order_by: [['visitors']] }), 'order_by[0]', /pair/],
    ['order_by twice on one key', withBase({ metrics: ['visitors', 'events'], order_by: [['visitors', 'asc'], ['visitors', 'desc']] }), 'order_by[1][0]', /twice/],
    ['include not an object', withBase({ include: [] }), 'include', /object/],
    ['an unknown include', withBase({ include: { everything: true } }), 'include', /unknown key/],
    ['a non-boolean include', withBase({ include: { total_rows: 'yes' } }), 'include.total_rows', /true or false/],
    ['comparisons', withBase({ include: { comparisons: { mode: 'previous_period' } } }), 'include.comparisons', /comparisons/],
    ['time labels without time', withBase({ include: { time_labels: true } }), 'include.time_labels', /time dimension/],
    ['pagination not an object', withBase({ pagination: 5 }), 'pagination', /object/],
    ['limit 0', withBase({ pagination: { limit: 0 } }), 'pagination.limit', /1 to 10000/],
    ['limit 10001', withBase({ pagination: { limit: 10001 } }), 'pagination.limit', /1 to 10000/],
    ['a fractional limit', withBase({ pagination: { limit: 2.5 } }), 'pagination.limit', /whole number/],
    ['a string limit', withBase({ pagination: { limit: '10' } }), 'pagination.limit', /whole number/],
    ['a negative offset', withBase({ pagination: { offset: -1 } }), 'pagination.offset', /whole number from 0/],
    ['an unknown pagination key', withBase({ pagination: { page: 2 } }), 'pagination', /unknown key/],
    ['conversion_rate without goals', withBase({ metrics: ['conversion_rate'], dimensions: ['visit:source'] }), 'metrics[0]', /event:goal/],
    ['conversion_rate with a goal only inside has_done', withBase({ metrics: ['conversion_rate'], filters: [['has_done', ['is', 'event:goal', ['Signup']]]] }), 'metrics[0]', /event:goal/],
    ['group_conversion_rate without dimensions', withBase({ metrics: ['group_conversion_rate'], filters: [['is', 'event:goal', ['Signup']]] }), 'metrics[0]', /at least one dimension/],
    ['percentage without dimensions', withBase({ metrics: ['percentage'] }), 'metrics[0]', /at least one dimension/],
    ['bounce_rate by page', withBase({ metrics: ['visitors', 'bounce_rate'], dimensions: ['event:page'] }), 'metrics[1]', /event dimension event:page/],
    ['visit_duration by custom property', withBase({ metrics: ['visit_duration'], dimensions: ['event:props:plan'] }), 'metrics[0]', /visit metric/],
    ['views_per_visit by goal', withBase({ metrics: ['views_per_visit'], dimensions: ['event:goal'] }), 'metrics[0]', /visit metric/],
  ];

  it.each(cases)('refuses %s', (_name, body, field, message) => {
    const error = errorOf(body);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    if (field) expect(error.message.startsWith(`${field}:`) || error.message.startsWith(`"${field}"`)).toBe(true);
  });

  it('returns the parsed request type', () => {
    const request: V2Request = parseV2Request(base);
    expect(request.dateRange).toEqual({ kind: 'shortcut', shortcut: '7d' });
  });
});
