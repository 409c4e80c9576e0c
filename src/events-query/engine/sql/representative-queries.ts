import { daySummariesSql } from '../../../analytics/day-summary';
import { canonicalQuery, Condition, Query } from '../../../analytics/query';
import { NamedSql } from '../../../analytics/sql';
import { CUSTOM_EVENTS } from '../conditions';
import { querySql, timeBucketsSql } from '../query-sql';
import { eventPropertiesSql, funnelSql, valueSketchesSql } from '../report-sql';

/**
 * A fixed list of queries, one per shape the builder produces, rendered into the .sql files beside
 * this one (`npm run queries`) so reviewers read the SQL as SQL; a test fails when they drift.
 */

const range = { start: new Date('2026-02-01T00:00:00+01:00'), end: new Date('2026-03-01T00:00:00+01:00') };
const base: Query = canonicalQuery({ websiteId: 'site1', timezone: 'Europe/Berlin', range });
const is = (dimension: Condition['dimension'], ...values: string[]): Condition => ({ type: 'condition', operator: 'is', dimension, values, caseSensitive: true });
const goals = [
  { displayName: 'Signup', type: 'event' as const, match: 'signup' },
  { displayName: 'Visit /blog/**', type: 'page' as const, match: '/blog/**' },
];

export const REPRESENTATIVE_QUERIES: Record<string, NamedSql> = {
  /** The headline numbers, unfiltered: from the visit rows (see visitsInRange). */
  'headline-metrics': querySql({ ...base, metrics: ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration', 'views_per_visit'] }),
  /** A breakdown by page, filtered, paged, with the total row count. */
  'breakdown-filtered': querySql({
    ...base,
    metrics: ['visitors', 'visits', 'pageviews', 'percentage'],
    dimensions: [{ kind: 'event', name: 'page' }],
    filter: {
      type: 'and',
      children: [
        { type: 'condition', operator: 'contains', dimension: { kind: 'event', name: 'page' }, values: ['/blog'], caseSensitive: false },
        { type: 'condition', operator: 'is_not', dimension: { kind: 'visit', name: 'country' }, values: ['US', 'CA'], caseSensitive: true },
      ],
    },
    orderBy: [{ key: { metric: 'visitors' }, direction: 'desc' }],
    limit: 10,
    offset: 20,
    include: { totalRows: true, timeLabels: false },
  }),
  /** Two dimensions: the visit's source and the day. */
  'two-dimensions': querySql({
    ...base,
    metrics: ['visitors', 'pageviews', 'bounce_rate'],
    dimensions: [{ kind: 'visit', name: 'source' }, { kind: 'time', unit: 'day' }],
    orderBy: [{ key: { dimension: 1 }, direction: 'asc' }],
  }),
  /** Visit attributes only: answered from the visit rows, not by grouping every event. */
  'visit-breakdown': querySql({
    ...base,
    metrics: ['visitors', 'visits', 'bounce_rate', 'percentage'],
    dimensions: [{ kind: 'visit', name: 'country' }, { kind: 'visit', name: 'device' }],
    filter: is({ kind: 'visit', name: 'source' }, 'news.example'),
    orderBy: [{ key: { metric: 'visitors' }, direction: 'desc' }],
  }),
  /** Nested and/or/not with a regular expression, a property and has_done. */
  'nested-filters': querySql({
    ...base,
    metrics: ['visitors', 'events'],
    filter: {
      type: 'or',
      children: [
        { type: 'not', child: { type: 'condition', operator: 'matches', dimension: { kind: 'event', name: 'page' }, values: ['^/docs/[0-9]+$'], caseSensitive: true } },
        { type: 'and', children: [is({ kind: 'prop', key: 'plan' }, 'pro'), { type: 'has_done', child: is({ kind: 'event', name: 'event_name' }, 'signup') }] },
      ],
    },
  }),
  /** Goals as a dimension, with their conversion rates. */
  'goal-conversions': querySql({
    ...base,
    metrics: ['visitors', 'events', 'conversion_rate'],
    dimensions: [{ kind: 'goal' }],
    orderBy: [{ key: { metric: 'visitors' }, direction: 'desc' }],
    goals,
  }),
  /** A goal filter, broken down by page with each page's own conversion rate. */
  'goal-filter-group-conversion': querySql({
    ...base,
    metrics: ['visitors', 'group_conversion_rate'],
    dimensions: [{ kind: 'visit', name: 'entry_page' }],
    filter: is({ kind: 'goal' }, 'Signup'),
    goals,
  }),
  /** Every bucket of a range in the website's zone (time labels, zero-filled series). */
  'time-buckets': timeBucketsSql(base, 'day'),
  /** A 3-step funnel within 30 minutes. */
  funnel: funnelSql(
    base,
    [
      { type: 'page', value: '/' },
      { type: 'page', value: '/pricing' },
      { type: 'event', value: 'signup' },
    ],
    30,
  ),
  /** A custom event's properties with their top values. */
  'event-properties': eventPropertiesSql({ ...base, filter: CUSTOM_EVENTS }, 'purchase', 100),
  /** The raw part of a rolled-up day: the shape rollup_days stores. */
  'day-summaries': daySummariesSql('site1', 'Europe/Berlin', range),
  /** The raw part of rolled-up values of one dimension. */
  'value-sketches': valueSketchesSql(base, 'utm_source', 2001),
};

/** The committed file of a rendered query: its statement, then its parameters' values. */
export function renderQuery(name: string, sql: NamedSql): string {
  const params = Object.entries(sql.params).map(([k, v]) => `--   :${k} = ${JSON.stringify(v)}`);
  return `-- ${name}: generated by \`npm run queries\` from src/events-query/engine/sql/representative-queries.ts; do not edit.\n-- Parameters:\n${params.join('\n')}\n${sql.text};\n`;
}
