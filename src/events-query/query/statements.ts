import { DateRange, Dimension, EventsQuery, FunnelStep, Granularity, Metric, SESSION_DIMENSIONS } from './query-types';
import { eventDimensionExpr, eventsWhere, metricExpr, sessionBounds, Sql, SqlParams } from './sql';

/** The SQL of every query endpoint, as pure functions of the typed query object. */

const STEP: Record<Granularity, string> = { hour: '1 hour', day: '1 day', week: '1 week', month: '1 month' };

/** Custom event names with their counts. */
export function eventNamesSql(q: EventsQuery, limit: number): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p, { kind: 'custom' });
  return {
    text: `SELECT e.name AS event_name, count(*) AS count FROM events e WHERE ${where} AND e.name IS NOT NULL
GROUP BY e.name ORDER BY count DESC, event_name LIMIT ${p.add(limit)}`,
    values: p.values,
  };
}

/** (key, value, count) of one custom event's properties, every pair (the raw side of rollup-answered queries). */
export function eventPropertyCountsSql(q: EventsQuery, eventName: string): Sql {
  const p = new SqlParams();
  return { text: propertyPairs(q, eventName, p), values: p.values };
}

function propertyPairs(q: EventsQuery, eventName: string, p: SqlParams): string {
  const where = eventsWhere(q, p, { kind: 'custom' });
  return `SELECT kv.key, kv.value, count(*) AS count
  FROM events e CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(e.props) = 'object' THEN e.props ELSE '{}'::jsonb END) AS kv
  WHERE ${where} AND e.name = ${p.add(eventName)} AND kv.value IS NOT NULL
  GROUP BY kv.key, kv.value`;
}

/** (key, value, count) of one custom event's properties; keys by events carrying them, top values per key. */
export function eventPropertiesSql(q: EventsQuery, eventName: string, valuesPerKey: number): Sql {
  const p = new SqlParams();
  return {
    text: `WITH pairs AS (
  ${propertyPairs(q, eventName, p)}
), ranked AS (
  SELECT key, value, count, sum(count) OVER (PARTITION BY key) AS key_total,
    row_number() OVER (PARTITION BY key ORDER BY count DESC, value) AS rank
  FROM pairs
)
SELECT key AS property_key, value, count FROM ranked WHERE rank <= ${p.add(valuesPerKey)}
ORDER BY key_total DESC, property_key, count DESC, value`,
    values: p.values,
  };
}

/**
 * Totals of one period. Bounce and duration come from the visit rows (sessions table) of the
 * visits that have matching events in the period.
 */
export function statsSql(q: EventsQuery, range: DateRange): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p, { range });
  const b = sessionBounds(range, p);
  return {
    text: `WITH matched AS (
  SELECT e.session_id, min(e.visitor_id) AS visitor_id, count(*) FILTER (WHERE e.kind = 'pageview') AS pageviews
  FROM events e WHERE ${where} GROUP BY e.session_id
)
SELECT coalesce(sum(m.pageviews), 0) AS pageviews, count(DISTINCT m.visitor_id) AS visitors, count(*) AS sessions,
  count(s.session_id) AS known_sessions, count(s.session_id) FILTER (WHERE s.pageviews <= 1) AS bounces,
  coalesce(sum(extract(epoch FROM s.last_seen_at - s.started_at)), 0)::float8 AS duration_seconds
FROM matched m
LEFT JOIN sessions s ON s.website_id = ${p.add(q.websiteId)} AND s.started_at >= ${b.from} AND s.started_at < ${b.to} AND s.session_id = m.session_id`,
    values: p.values,
  };
}

const BREAKDOWN_ORDER = 'ORDER BY visitors DESC, pageviews DESC, events DESC, value ASC NULLS LAST';

/** One row per value of the dimension: visitors, visits, pageviews and custom events. */
export function breakdownSql(q: EventsQuery, dimension: Dimension, limit: number, offset: number): Sql {
  const p = new SqlParams();
  if (dimension.kind === 'session') {
    const where = eventsWhere(q, p);
    const b = sessionBounds(q.range, p);
    return {
      text: `WITH matched AS (
  SELECT e.session_id, min(e.visitor_id) AS visitor_id, count(*) FILTER (WHERE e.kind = 'pageview') AS pageviews,
    count(*) FILTER (WHERE e.kind = 'custom') AS events
  FROM events e WHERE ${where} GROUP BY e.session_id
)
SELECT s.${SESSION_DIMENSIONS[dimension.name]} AS value, count(DISTINCT m.visitor_id) AS visitors, count(*) AS sessions,
  sum(m.pageviews) AS pageviews, sum(m.events) AS events
FROM matched m
JOIN sessions s ON s.website_id = ${p.add(q.websiteId)} AND s.started_at >= ${b.from} AND s.started_at < ${b.to} AND s.session_id = m.session_id
GROUP BY 1 ${BREAKDOWN_ORDER} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      values: p.values,
    };
  }
  // Event names describe custom events; a property breakdown counts the events carrying the key.
  const where = eventsWhere(q, p, dimension.kind === 'event' && dimension.name === 'event_name' ? { kind: 'custom' } : {});
  const expr = eventDimensionExpr(dimension, p);
  const present = dimension.kind === 'prop' ? ` AND ${eventDimensionExpr(dimension, p)} IS NOT NULL` : '';
  return {
    text: `SELECT ${expr} AS value, count(DISTINCT e.visitor_id) AS visitors, count(DISTINCT e.session_id) AS sessions,
  ${metricExpr('pageviews')} AS pageviews, ${metricExpr('events')} AS events
FROM events e WHERE ${where}${present}
GROUP BY 1 ${BREAKDOWN_ORDER} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
    values: p.values,
  };
}

/**
 * The bucket starts from first to last. Hours step in absolute time; days, weeks and months step
 * in the website's local calendar (so a DST change keeps them at local midnight). Written without
 * generate_series' time-zone argument, which needs PostgreSQL 16.
 */
function bucketSeries(granularity: Granularity, first: string, last: string, step: string, tz: string): string {
  if (granularity === 'hour') return `SELECT generate_series(${first}, ${last}, ${step}::interval) AS bucket`;
  return `SELECT generate_series((${first}) AT TIME ZONE ${tz}, (${last}) AT TIME ZONE ${tz}, ${step}::interval) AT TIME ZONE ${tz} AS bucket`;
}

/**
 * One row per bucket of the range, zero-filled: buckets are generated in the website's zone
 * (calendar days, ISO weeks from Monday, months) and events are truncated in the same zone.
 */
export function timeseriesSql(q: EventsQuery, metric: Metric, granularity: Granularity): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p);
  const unit = p.add(granularity);
  const tz = p.add(q.timezone);
  const first = `date_trunc(${unit}, ${p.add(q.range.start)}::timestamptz, ${tz})`;
  const last = `${p.add(new Date(q.range.end.getTime() - 1))}::timestamptz`;
  return {
    text: `WITH buckets AS (
  ${bucketSeries(granularity, first, last, p.add(STEP[granularity]), tz)}
), counts AS (
  SELECT date_trunc(${unit}, e.occurred_at, ${tz}) AS bucket, ${metricExpr(metric)} AS value
  FROM events e WHERE ${where} GROUP BY 1
)
SELECT b.bucket, to_char(b.bucket AT TIME ZONE ${tz}, 'YYYY-MM-DD"T"HH24:MI:SS') AS local, coalesce(c.value, 0) AS value
FROM buckets b LEFT JOIN counts c ON c.bucket = b.bucket ORDER BY b.bucket`,
    values: p.values,
  };
}

/** Distinct visitors with events in the range. */
export function visitorsSql(q: EventsQuery): Sql {
  const p = new SqlParams();
  return { text: `SELECT count(DISTINCT e.visitor_id) AS visitors FROM events e WHERE ${eventsWhere(q, p)}`, values: p.values };
}

/** Pages viewed in the range, by visitors. */
export function topPagesSql(q: EventsQuery, limit: number): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p, { kind: 'pageview' });
  return {
    text: `SELECT e.path AS value, count(DISTINCT e.visitor_id) AS visitors FROM events e WHERE ${where}
GROUP BY 1 ORDER BY visitors DESC, value ASC NULLS LAST LIMIT ${p.add(limit)}`,
    values: p.values,
  };
}

/** Where the visits active in the range came from (the visit's referrer domain; null is direct). */
export function topSourcesSql(q: EventsQuery, limit: number): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p);
  const b = sessionBounds(q.range, p);
  return {
    text: `WITH active AS (SELECT DISTINCT e.session_id, e.visitor_id FROM events e WHERE ${where})
SELECT s.referrer_domain AS value, count(DISTINCT a.visitor_id) AS visitors
FROM active a
JOIN sessions s ON s.website_id = ${p.add(q.websiteId)} AND s.started_at >= ${b.from} AND s.started_at < ${b.to} AND s.session_id = a.session_id
GROUP BY 1 ORDER BY visitors DESC, value ASC NULLS LAST LIMIT ${p.add(limit)}`,
    values: p.values,
  };
}

/**
 * Visitors reaching each step in order. Every occurrence of step 1 starts an attempt; each
 * later step takes the attempt's earliest matching event after the previous step (and within
 * the window of the attempt's first step), which is optimal for that attempt. Without a window
 * only each visitor's first occurrence of step 1 matters.
 */
export function funnelSql(q: EventsQuery, steps: readonly FunnelStep[], windowMinutes: number | null): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p);
  const matches = steps.map((s) =>
    s.type === 'page' ? `(e.kind = 'pageview' AND e.path = ${p.add(s.value)})` : `(e.kind = 'custom' AND e.name = ${p.add(s.value)})`,
  );
  const ctes = [
    `ev AS (SELECT e.visitor_id, e.occurred_at AS t, e.id, ${matches.map((m, i) => `${m} AS m${i + 1}`).join(', ')}
  FROM events e WHERE ${where} AND (${matches.join(' OR ')}))`,
    windowMinutes === null
      ? 's1 AS (SELECT DISTINCT ON (visitor_id) visitor_id, t AS t0, id AS id0, t, id FROM ev WHERE m1 ORDER BY visitor_id, t, id)'
      : 's1 AS (SELECT visitor_id, t AS t0, id AS id0, t, id FROM ev WHERE m1)',
  ];
  const window = windowMinutes === null ? '' : ` AND n.t <= a.t0 + make_interval(mins => ${p.add(windowMinutes)})`;
  for (let i = 2; i <= steps.length; i++) {
    // One row per attempt (visitor, t0, id0): its earliest next step.
    ctes.push(`s${i} AS (SELECT DISTINCT ON (a.visitor_id, a.t0, a.id0) a.visitor_id, a.t0, a.id0, n.t, n.id
  FROM s${i - 1} a JOIN ev n ON n.visitor_id = a.visitor_id AND n.m${i} AND (n.t, n.id) > (a.t, a.id)${window}
  ORDER BY a.visitor_id, a.t0, a.id0, n.t, n.id)`);
  }
  const counts = steps.map((_, i) => `(SELECT count(DISTINCT visitor_id) FROM s${i + 1}) AS step${i + 1}`);
  return { text: `WITH ${ctes.join(',\n')}\nSELECT ${counts.join(', ')}`, values: p.values };
}

/** The packed visitors sketch (migration 0005) of the events `e` of a group. */
const VISITORS_SKETCH = 'footfall_hll_pack(array_agg(footfall_hll_entry(e.visitor_id)))';

/**
 * Per local day of the range: pageviews, custom events and a visitors sketch from the events,
 * and the visits that started that day (bots excluded) with their bounces and duration. The
 * shape of a rollup_days row: the rollup job stores it, and queries read it raw for the parts of
 * a range no rollup covers.
 */
export function daySummariesSql(q: EventsQuery): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p);
  const tz = p.add(q.timezone);
  return {
    text: `WITH ev AS (
  SELECT to_char(e.occurred_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, ${metricExpr('pageviews')} AS pageviews,
    ${metricExpr('events')} AS events, ${VISITORS_SKETCH} AS visitors
  FROM events e WHERE ${where} GROUP BY 1
), se AS (
  SELECT to_char(s.started_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*) AS sessions,
    count(*) FILTER (WHERE s.pageviews <= 1) AS bounces, coalesce(sum(extract(epoch FROM s.last_seen_at - s.started_at)), 0)::float8 AS duration_seconds
  FROM sessions s WHERE s.website_id = ${p.add(q.websiteId)} AND s.started_at >= ${p.add(q.range.start)} AND s.started_at < ${p.add(q.range.end)} AND NOT s.is_bot
  GROUP BY 1
)
SELECT coalesce(ev.day, se.day) AS day, coalesce(ev.pageviews, 0) AS pageviews, coalesce(ev.events, 0) AS events,
  coalesce(se.sessions, 0) AS sessions, coalesce(se.bounces, 0) AS bounces, coalesce(se.duration_seconds, 0) AS duration_seconds,
  coalesce(ev.visitors, ''::bytea) AS visitors
FROM ev FULL JOIN se ON se.day = ev.day`,
    values: p.values,
  };
}

/**
 * Per value of an event-level dimension or event property: pageviews, custom events, visits and a
 * visitors sketch (event names count custom events only; a property only events carrying it),
 * for the parts of a range no rollup covers. At most `maxRows` rows: a caller given that many
 * knows there are too many values to merge in memory, and counts them in SQL instead.
 */
export function valueSketchesSql(q: EventsQuery, dimension: Exclude<Dimension, { kind: 'session' }>, maxRows: number): Sql {
  const p = new SqlParams();
  const where = eventsWhere(q, p, dimension.kind === 'event' && dimension.name === 'event_name' ? { kind: 'custom' } : {});
  const expr = eventDimensionExpr(dimension, p);
  const present = dimension.kind === 'prop' ? ` AND ${eventDimensionExpr(dimension, p)} IS NOT NULL` : '';
  return {
    text: `SELECT ${expr} AS value, ${metricExpr('pageviews')} AS pageviews, ${metricExpr('events')} AS events,
  ${metricExpr('sessions')} AS sessions, ${VISITORS_SKETCH} AS visitors
FROM events e WHERE ${where}${present} GROUP BY 1 LIMIT ${p.add(maxRows)}`,
    values: p.values,
  };
}
