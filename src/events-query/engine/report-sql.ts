import { RollupDimension, summaryEventsWhere, VISITORS_SKETCH } from '../../analytics/day-summary';
import { EVENT_FIELDS, Query } from '../../analytics/query';
import { NamedSql, Params } from '../../analytics/sql';
import { QueryBuilder } from './query-sql';

/**
 * The statements of the reports that are not a grouping of events: the raw parts of rolled-up
 * values, a custom event's property pairs, and funnels. Built on the same event conditions.
 */

export type ReportScope = Pick<Query, 'websiteId' | 'timezone' | 'range' | 'filter' | 'goals'>;

/**
 * Per value of a rolled-up dimension: pageviews, custom events, visits and a visitors sketch, for
 * the parts of a range no rollup covers (event names count custom events only; a property only
 * events carrying it). At most `maxRows` rows: a caller given that many knows there are too many
 * values to merge in memory, and counts them in SQL instead.
 */
export function valueSketchesSql(q: Pick<Query, 'websiteId' | 'range'>, dimension: RollupDimension, maxRows: number): NamedSql {
  const p = new Params();
  const where = [summaryEventsWhere(p, q.websiteId, q.range, null)];
  let expr: string;
  if (dimension.startsWith('prop:')) {
    expr = `(e.props ->> ${p.add('prop_key', dimension.slice('prop:'.length))})`;
    where.push(`${expr} IS NOT NULL`);
  } else {
    expr = `e.${EVENT_FIELDS[dimension as keyof typeof EVENT_FIELDS]}`;
    if (dimension === 'event_name') where.push("e.kind = 'custom'");
  }
  return p.sql(`SELECT ${expr} AS value, count(*) FILTER (WHERE e.kind = 'pageview') AS pageviews, count(*) FILTER (WHERE e.kind = 'custom') AS events,
  count(DISTINCT e.session_id) AS sessions, ${VISITORS_SKETCH} AS visitors
FROM events e WHERE ${where.join(' AND ')} GROUP BY 1 LIMIT ${p.add('max_rows', maxRows)}`);
}

/** (key, value, count) of one custom event's properties: every pair of the matching events. */
function propertyPairs(b: QueryBuilder, q: ReportScope, eventName: string): string {
  const custom = { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'kind' }, values: ['custom'], caseSensitive: true } as const;
  const named = { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'event_name' }, values: [eventName], caseSensitive: true } as const;
  const filter = { type: 'and' as const, children: q.filter ? [custom, named, q.filter] : [custom, named] };
  return `SELECT kv.key, kv.value, count(*) AS count
  FROM (${b.events([], filter, ['props'])}) e
  CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(e.props) = 'object' THEN e.props ELSE '{}'::jsonb END) AS kv
  WHERE kv.value IS NOT NULL
  GROUP BY kv.key, kv.value`;
}

/** Every (key, value, count) of one custom event's properties (the raw side of rollup-answered queries). */
export function eventPropertyCountsSql(q: ReportScope, eventName: string): NamedSql {
  const b = new QueryBuilder(q);
  return b.p.sql(propertyPairs(b, q, eventName));
}

/** A custom event's properties: keys by the events carrying them, then name; per key its top values. */
export function eventPropertiesSql(q: ReportScope, eventName: string, valuesPerKey: number): NamedSql {
  const b = new QueryBuilder(q);
  return b.p.sql(`WITH pairs AS (
  ${propertyPairs(b, q, eventName)}
), ranked AS (
  SELECT key, value, count, sum(count) OVER (PARTITION BY key) AS key_total,
    row_number() OVER (PARTITION BY key ORDER BY count DESC, value) AS rank
  FROM pairs
)
SELECT key AS property_key, value, count FROM ranked WHERE rank <= ${b.p.add('values_per_key', valuesPerKey)}
ORDER BY key_total DESC, property_key, count DESC, value`);
}

export interface FunnelStep {
  type: 'page' | 'event';
  value: string;
}

/**
 * Visitors reaching each step in order. Every occurrence of step 1 starts an attempt; each later
 * step takes the attempt's earliest matching event after the previous step (and within the
 * window of the attempt's first step), which is optimal for that attempt. Without a window only
 * each visitor's first occurrence of step 1 matters.
 */
export function funnelSql(q: ReportScope, steps: readonly FunnelStep[], windowMinutes: number | null): NamedSql {
  const b = new QueryBuilder(q);
  const p = b.p;
  const matches = steps.map((s, i) =>
    s.type === 'page' ? `(e.kind = 'pageview' AND e.path = ${p.add(`step${i + 1}`, s.value)})` : `(e.kind = 'custom' AND e.name = ${p.add(`step${i + 1}`, s.value)})`,
  );
  const ctes = [
    `ev AS (SELECT e.visitor_id, e.occurred_at AS t, e.id, ${matches.map((m, i) => `${m} AS m${i + 1}`).join(', ')}
  FROM (${b.events([], q.filter, ['visitor_id', 'occurred_at', 'id', 'kind', 'path', 'name'])}) e
  WHERE ${matches.join(' OR ')})`,
    windowMinutes === null
      ? 's1 AS (SELECT DISTINCT ON (visitor_id) visitor_id, t AS t0, id AS id0, t, id FROM ev WHERE m1 ORDER BY visitor_id, t, id)'
      : 's1 AS (SELECT visitor_id, t AS t0, id AS id0, t, id FROM ev WHERE m1)',
  ];
  const window = windowMinutes === null ? '' : ` AND n.t <= a.t0 + make_interval(mins => ${p.add('window_minutes', windowMinutes)})`;
  for (let i = 2; i <= steps.length; i++) {
    // One row per attempt (visitor, t0, id0): its earliest next step.
    ctes.push(`s${i} AS (SELECT DISTINCT ON (a.visitor_id, a.t0, a.id0) a.visitor_id, a.t0, a.id0, n.t, n.id
  FROM s${i - 1} a JOIN ev n ON n.visitor_id = a.visitor_id AND n.m${i} AND (n.t, n.id) > (a.t, a.id)${window}
  ORDER BY a.visitor_id, a.t0, a.id0, n.t, n.id)`);
  }
  const counts = steps.map((_, i) => `(SELECT count(DISTINCT visitor_id) FROM s${i + 1}) AS step${i + 1}`);
  return p.sql(`WITH ${ctes.join(',\n')}\nSELECT ${counts.join(', ')}`);
}

/** When a website's first event happened (bots included: the index answers it without reading rows). */
export function firstEventSql(websiteId: string): NamedSql {
  const p = new Params();
  return p.sql(`SELECT min(e.occurred_at) AS first FROM events e WHERE e.website_id = ${p.add('website_id', websiteId)}`);
}
