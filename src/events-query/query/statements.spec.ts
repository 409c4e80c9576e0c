import { EventsQuery, Filter } from './query-types';
import { eventsWhere, likePattern, SESSION_LOOKBACK_MS, Sql, SqlParams } from './sql';
import { breakdownSql, eventNamesSql, eventPropertiesSql, funnelSql, statsSql, timeseriesSql, topSourcesSql, valueSketchesSql } from './statements';

const HOSTILE = "x'); DROP TABLE events; --";
const range = { start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-03-01T00:00:00Z') };
const base: EventsQuery = { websiteId: 'site1', timezone: 'Europe/Berlin', range, filters: [] };
const withFilters = (...filters: Filter[]): EventsQuery => ({ ...base, filters });

/** Every $n placeholder refers to a value, and every value is referred to. */
function expectWellFormed(sql: Sql): void {
  const used = new Set([...sql.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  expect([...used].sort((a, b) => a - b)).toEqual(sql.values.map((_, i) => i + 1));
}

describe('eventsWhere', () => {
  it('leads with the website, bounds occurred_at with parameters and excludes bots', () => {
    const p = new SqlParams();
    expect(eventsWhere(base, p, { kind: 'pageview' })).toBe("e.website_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 AND NOT e.is_bot AND e.kind = 'pageview'");
    expect(p.values).toEqual(['site1', range.start, range.end]);
  });

  it('turns each operator into a parameterised comparison', () => {
    const p = new SqlParams();
    const where = eventsWhere(
      withFilters(
        { dimension: { kind: 'event', name: 'page' }, operator: 'contains', value: '50%_off' },
        { dimension: { kind: 'event', name: 'country' }, operator: 'is_not', value: 'US' },
        { dimension: { kind: 'prop', key: HOSTILE }, operator: 'is', value: HOSTILE },
      ),
      p,
    );
    expect(where).toContain('e.path ILIKE $4');
    expect(where).toContain('e.country IS DISTINCT FROM $5');
    expect(where).toContain('(e.props ->> $6) = $7');
    expect(where).not.toContain('DROP');
    expect(p.values.slice(3)).toEqual(['%50\\%\\_off%', 'US', HOSTILE, HOSTILE]);
  });

  it('filters on visit dimensions through the sessions table, bounded by started_at', () => {
    const p = new SqlParams();
    const where = eventsWhere(withFilters({ dimension: { kind: 'session', name: 'entry_page' }, operator: 'is', value: '/' }), p);
    expect(where).toContain('EXISTS (SELECT 1 FROM sessions fs WHERE fs.website_id = $1 AND fs.started_at >= $4 AND fs.started_at < $5 AND fs.session_id = e.session_id AND fs.entry_path = $6)');
    expect(p.values[3]).toEqual(new Date(range.start.getTime() - SESSION_LOOKBACK_MS));
    expect(p.values[4]).toEqual(range.end);
  });
});

describe('likePattern', () => {
  it('escapes wildcards and backslashes', () => {
    expect(likePattern('a%b_c\\d')).toBe('%a\\%b\\_c\\\\d%');
  });
});

describe('statements', () => {
  const hostile = withFilters({ dimension: { kind: 'prop', key: HOSTILE }, operator: 'contains', value: HOSTILE });
  const all: [string, Sql][] = [
    ['event names', eventNamesSql(hostile, 1000)],
    ['event properties', eventPropertiesSql(hostile, HOSTILE, 100)],
    ['stats', statsSql(hostile, range)],
    ['breakdown by property', breakdownSql(hostile, { kind: 'prop', key: HOSTILE }, 10, 20)],
    ['breakdown by entry page', breakdownSql(hostile, { kind: 'session', name: 'entry_page' }, 10, 0)],
    ['timeseries', timeseriesSql({ ...hostile, timezone: HOSTILE }, 'visitors', 'week')],
    ['sources', topSourcesSql(hostile, 10)],
    ['funnel', funnelSql(hostile, [{ type: 'page', value: HOSTILE }, { type: 'event', value: HOSTILE }], 30)],
    ['value sketches', valueSketchesSql(hostile, { kind: 'prop', key: HOSTILE }, 2001)],
  ];

  it.each(all)('%s: request values travel only as parameters', (_, sql) => {
    expect(sql.text).not.toContain('DROP');
    expect(sql.values).toContain(HOSTILE);
    expectWellFormed(sql);
    expect(sql.text).toMatch(/e\.website_id = \$1 AND e\.occurred_at >= \$2 AND e\.occurred_at < \$3 AND NOT e\.is_bot/);
  });

  it('stats joins the visit rows, bounding started_at for partition pruning', () => {
    const sql = statsSql(base, range);
    expect(sql.text).toContain('LEFT JOIN sessions s ON s.website_id = $6 AND s.started_at >= $4 AND s.started_at < $5 AND s.session_id = m.session_id');
    expect(sql.text).toContain('FILTER (WHERE s.pageviews <= 1) AS bounces');
  });

  it('breaks event names down over custom events only', () => {
    const sql = breakdownSql(base, { kind: 'event', name: 'event_name' }, 10, 0);
    expect(sql.text).toContain("e.kind = 'custom'");
    expect(sql.text).toContain('SELECT e.name AS value');
    expect(sql.values.slice(-2)).toEqual([10, 0]);
  });

  it('breaks properties down over the events carrying the key', () => {
    const sql = breakdownSql(base, { kind: 'prop', key: 'plan' }, 5, 5);
    expect(sql.text).toContain('SELECT (e.props ->> $4) AS value');
    expect(sql.text).toContain('(e.props ->> $5) IS NOT NULL');
    expect(sql.values).toEqual(['site1', range.start, range.end, 'plan', 'plan', 5, 5]);
  });

  it('orders and limits a breakdown in SQL, so only the requested page of values leaves Postgres', () => {
    const sql = breakdownSql(base, { kind: 'prop', key: 'k' }, 10, 20);
    expect(sql.text).toMatch(/GROUP BY 1 ORDER BY visitors DESC, pageviews DESC, events DESC, value ASC NULLS LAST LIMIT \$\d+ OFFSET \$\d+$/);
    expect(sql.values.slice(-2)).toEqual([10, 20]);
  });

  it('bounds the value sketches a rollup-answered breakdown fetches (one sketch per value)', () => {
    const sql = valueSketchesSql(base, { kind: 'prop', key: 'k' }, 2001);
    expect(sql.text).toMatch(/GROUP BY 1 LIMIT \$6$/);
    expect(sql.values[5]).toBe(2001);
  });

  it('generates zone-aware buckets up to the last instant of the range', () => {
    const sql = timeseriesSql(base, 'pageviews', 'day');
    // Local-calendar steps converted back to instants (PostgreSQL 15 has no zone argument here).
    expect(sql.text).toContain('generate_series((date_trunc($4, $6::timestamptz, $5)) AT TIME ZONE $5, ($7::timestamptz) AT TIME ZONE $5, $8::interval) AT TIME ZONE $5');
    expect(sql.text).toContain('date_trunc($4, e.occurred_at, $5)');
    expect(sql.values.slice(3)).toEqual(['day', 'Europe/Berlin', range.start, new Date(range.end.getTime() - 1), '1 day']);
  });

  it('steps hours in absolute time, so DST changes neither skip nor repeat an hour', () => {
    const sql = timeseriesSql(base, 'pageviews', 'hour');
    expect(sql.text).toContain('generate_series(date_trunc($4, $6::timestamptz, $5), $7::timestamptz, $8::interval) AS bucket');
  });

  it('chains funnel steps strictly after each other, with an optional window', () => {
    const steps = [{ type: 'page' as const, value: '/' }, { type: 'page' as const, value: '/pricing' }, { type: 'event' as const, value: 'signup' }];
    const open = funnelSql(base, steps, null);
    expect(open.text).toContain('s1 AS (SELECT DISTINCT ON (visitor_id)');
    expect(open.text).toContain('(n.t, n.id) > (a.t, a.id)');
    expect(open.text).not.toContain('make_interval');
    expect(open.text).toContain('(SELECT count(DISTINCT visitor_id) FROM s3) AS step3');
    const windowed = funnelSql(base, steps, 60);
    expect(windowed.text).toContain('n.t <= a.t0 + make_interval(mins => $7)');
    expect(windowed.values[6]).toBe(60);
  });
});
