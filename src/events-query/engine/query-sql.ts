import { pagePathPattern } from '../../analytics/goal-pattern';
import { Condition, Dimension, EVENT_FIELDS, FilterNode, GoalDefinition, Metric, OrderBy, Query, TimeUnit, VISIT_FIELDS } from '../../analytics/query';
import { NamedSql, Params } from '../../analytics/sql';
import { SESSION_TIMEOUT_MS } from '../../collect/writer/sessionizer';

/**
 * The one SQL builder of the query engine: a canonical query to one statement over the raw
 * events (and the visit rows when a visit attribute or a visit metric is asked). Grouping,
 * every metric, ordering, pagination and the total row count happen in SQL.
 */

/**
 * A visit with events in the range may have started before it. Visit rows are partitioned by
 * started_at, so joins bound it: visits that started more than this before the range are not
 * joined (their attributes and bounce are unknown to the query).
 */
export const VISIT_LOOKBACK_MS = 24 * 3_600_000;

/** Metrics that read the visit row (bounce and duration); the others count events. */
const VISIT_ROW_METRICS: readonly Metric[] = ['bounce_rate', 'visit_duration'];
/** Metrics a visit row answers alone, from its counters, bounce and duration. */
const VISIT_ROW_ANSWERS: readonly Metric[] = ['visitors', 'visits', 'pageviews', 'events', 'custom_events', 'views_per_visit', 'bounce_rate', 'visit_duration', 'percentage'];
/** Metrics whose denominator drops the query's goal conditions. */
const CONVERSION_METRICS: readonly Metric[] = ['conversion_rate', 'group_conversion_rate'];

/** The aggregates a group carries, from which every metric is derived. */
export type Aggregate = 'visitors' | 'visits' | 'pageviews' | 'events' | 'custom_events' | 'known_visits' | 'bounces' | 'duration_seconds';

export function aggregatesOf(metrics: readonly Metric[]): Aggregate[] {
  const out = new Set<Aggregate>();
  for (const m of metrics) {
    switch (m) {
      case 'visitors':
      case 'percentage':
      case 'conversion_rate':
      case 'group_conversion_rate':
        out.add('visitors');
        break;
      case 'visits':
      case 'pageviews':
      case 'events':
      case 'custom_events':
        out.add(m);
        break;
      case 'views_per_visit':
        out.add('pageviews').add('visits');
        break;
      case 'bounce_rate':
        out.add('known_visits').add('bounces');
        break;
      case 'visit_duration':
        out.add('known_visits').add('duration_seconds');
        break;
    }
  }
  return [...out];
}

/** Whether a query reads visit rows for its metrics (per-visit grouping first). */
export const needsVisitRows = (q: Pick<Query, 'metrics'>): boolean => q.metrics.some((m) => VISIT_ROW_METRICS.includes(m));

const isGoalCondition = (f: FilterNode): f is Condition => f.type === 'condition' && f.dimension.kind === 'goal';

/** The filter's top-level goal conditions: those withoutGoalConditions drops. */
function topLevelGoalConditions(filter: FilterNode | null): Condition[] {
  if (!filter) return [];
  return (filter.type === 'and' ? filter.children : [filter]).filter(isGoalCondition);
}

/** The filter without its top-level goal conditions: the population a conversion rate divides by. */
export function withoutGoalConditions(filter: FilterNode | null): FilterNode | null {
  if (!filter || isGoalCondition(filter)) return null;
  if (filter.type !== 'and') return filter;
  const children = filter.children.filter((c) => !isGoalCondition(c));
  return children.length === 0 ? null : children.length === 1 ? children[0] : { type: 'and', children };
}

/** The tests a filter tree makes: its conditions, presence tests and has_done / has_not_done. */
function filterLeaves(f: FilterNode | null): FilterNode[] {
  if (!f) return [];
  if (f.type === 'and' || f.type === 'or') return f.children.flatMap(filterLeaves);
  if (f.type === 'not') return filterLeaves(f.child);
  return [f];
}

const testsVisit = (f: FilterNode): boolean => (f.type === 'condition' || f.type === 'present') && f.dimension.kind === 'visit';
const usesVisitFields = (f: FilterNode | null): boolean => filterLeaves(f).some(testsVisit);
const onlyVisitFields = (f: FilterNode | null): boolean => filterLeaves(f).every(testsVisit);

/**
 * Whether the visit rows alone answer a query: its dimensions and filters are visit attributes
 * and its metrics count visits, visitors and their events. Such a query reads one row per visit
 * instead of grouping every event of the range by visit.
 */
export const answeredByVisitRows = (q: Pick<Query, 'dimensions' | 'filter' | 'metrics'>): boolean =>
  q.dimensions.every((d) => d.kind === 'visit') && onlyVisitFields(q.filter) && q.metrics.every((m) => VISIT_ROW_ANSWERS.includes(m));

/** Escapes LIKE wildcards so "contains" matches the text literally. */
export function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Builds the statement of one query; keeps the parameters and the aliases consistent. */
export class QueryBuilder {
  readonly p = new Params();

  constructor(private readonly q: Pick<Query, 'websiteId' | 'timezone' | 'range' | 'goals'>) {}

  private site(): string {
    return this.p.add('website_id', this.q.websiteId);
  }

  /** The events of the range, with their dimensions, over alias `alias`. */
  private eventsWhere(alias: string): string {
    const { start, end } = this.q.range;
    return `${alias}.website_id = ${this.site()} AND ${alias}.occurred_at >= ${this.p.add('from', start)} AND ${alias}.occurred_at < ${this.p.add('to', end)} AND NOT ${alias}.is_bot`;
  }

  /** The visit rows that can hold a visit with events in the range (partition pruning). */
  visitBounds(alias: string): string {
    const from = this.p.add('visits_from', new Date(this.q.range.start.getTime() - VISIT_LOOKBACK_MS));
    return `${alias}.website_id = ${this.site()} AND ${alias}.started_at >= ${from} AND ${alias}.started_at < ${this.p.add('to', this.q.range.end)}`;
  }

  private goalsTable(): string {
    const goals: readonly GoalDefinition[] = this.q.goals;
    const names = this.p.add('goal_names', goals.map((g) => g.displayName));
    const events = this.p.add('goal_events', goals.map((g) => (g.type === 'event' ? g.match : null)));
    const pages = this.p.add('goal_pages', goals.map((g) => (g.type === 'page' ? pagePathPattern(g.match) : null)));
    return `unnest(${names}::text[], ${events}::text[], ${pages}::text[]) AS g(name, event_name, page_pattern)`;
  }

  /** Whether event `e` completes goal `g`. */
  private static goalMatch(e: string): string {
    return `((${e}.kind = 'custom' AND ${e}.name = g.event_name) OR (${e}.kind = 'pageview' AND ${e}.path ~ g.page_pattern))`;
  }

  /** The SQL expression of a dimension; `e` the event, `s` its visit row. */
  expr(d: Dimension, e = 'e', s = 's'): string {
    switch (d.kind) {
      case 'event':
        return `${e}.${EVENT_FIELDS[d.name]}`;
      case 'visit':
        return `${s}.${VISIT_FIELDS[d.name]}`;
      case 'prop':
        return `(${e}.props ->> ${this.p.add('prop_key', d.key)})`;
      case 'goal':
        return 'goal.name';
      case 'time':
        return `date_trunc(${this.p.add(`unit_${d.unit}`, d.unit)}, ${e}.occurred_at, ${this.p.add('tz', this.q.timezone)})`;
    }
  }

  /** Whether `expr` equals / contains / matches any of the condition's values (null: unknown). */
  private positive(expr: string, c: Condition): string {
    const ci = !c.caseSensitive;
    const values = ci ? c.values.map((v) => v.toLowerCase()) : [...c.values];
    switch (c.operator) {
      case 'is':
      case 'is_not':
        return `${ci ? `lower(${expr})` : expr} = ANY(${this.p.add('values', values)}::text[])`;
      case 'contains':
      case 'contains_not':
        return `${expr} ${ci ? 'ILIKE' : 'LIKE'} ANY(${this.p.add('patterns', c.values.map(likePattern))}::text[])`;
      case 'matches':
      case 'matches_not':
        return `${expr} ${ci ? '~*' : '~'} ANY(${this.p.add('regexes', [...c.values])}::text[])`;
    }
  }

  private condition(c: Condition, e: string, s: string): string {
    const negated = c.operator.endsWith('_not');
    if (c.dimension.kind === 'goal') {
      // Completes one of the named goals; the negated forms: completes none of them.
      const test = this.completesGoals(c, e);
      return negated ? `NOT ${test}` : test;
    }
    const test = this.positive(this.expr(c.dimension, e, s), c);
    // A missing value (null) matches none of the values: the negated forms keep it.
    return negated ? `NOT coalesce(${test}, false)` : test;
  }

  /**
   * Whether event `e` completes a goal whose display name the condition names. Names compared
   * exactly or by substring are picked here, so each event is tested against plain predicates
   * (an event name list, path patterns) rather than a per-event scan of every goal; regular
   * expressions on names are left to Postgres.
   */
  private completesGoals(c: Condition, e: string): string {
    const fold = (v: string) => (c.caseSensitive ? v : v.toLowerCase());
    const wanted = c.values.map(fold);
    const picks = (name: string) => (c.operator.startsWith('contains') ? wanted.some((w) => fold(name).includes(w)) : c.operator.startsWith('is') ? wanted.includes(fold(name)) : null);
    if (this.q.goals.some((g) => picks(g.displayName) === null)) {
      return `EXISTS (SELECT 1 FROM ${this.goalsTable()} WHERE ${this.positive('g.name', c)} AND ${QueryBuilder.goalMatch(e)})`;
    }
    const goals = this.q.goals.filter((g) => picks(g.displayName));
    const events = goals.filter((g) => g.type === 'event').map((g) => g.match);
    const pages = goals.filter((g) => g.type === 'page').map((g) => pagePathPattern(g.match));
    const tests = [
      ...(events.length ? [`(${e}.kind = 'custom' AND ${e}.name = ANY(${this.p.add('goal_event_names', events)}::text[]))`] : []),
      ...(pages.length ? [`(${e}.kind = 'pageview' AND ${e}.path ~ ANY(${this.p.add('goal_path_patterns', pages)}::text[]))`] : []),
    ];
    return tests.length ? `(${tests.join(' OR ')})` : 'false';
  }

  filter(f: FilterNode, e = 'e', s = 's'): string {
    switch (f.type) {
      case 'condition':
        return this.condition(f, e, s);
      case 'and':
      case 'or':
        return `(${f.children.map((c) => this.filter(c, e, s)).join(f.type === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT coalesce(${this.filter(f.child, e, s)}, false)`;
      case 'present':
        return f.dimension.kind === 'goal'
          ? `EXISTS (SELECT 1 FROM ${this.goalsTable()} WHERE ${QueryBuilder.goalMatch(e)})`
          : `${this.expr(f.dimension, e, s)} IS NOT NULL`;
      case 'has_done':
      case 'has_not_done': {
        const test = `EXISTS (SELECT 1 FROM events hd WHERE ${this.eventsWhere('hd')} AND hd.session_id = ${e}.session_id AND ${this.filter(f.child, 'hd', s)})`;
        return f.type === 'has_done' ? test : `NOT ${test}`;
      }
    }
  }

  /**
   * One row per matching visit with events in the range (`pv`: its dimension values, visitor and
   * counts of events in the range, bounce and duration), read from the visit rows. A visit's
   * events lie between its start, less the inactivity timeout (an event that arrives late may
   * precede it), and its last event; so a visit that started a timeout or more after the range's
   * start and was last seen before its end has all its events inside, and its counters are the
   * answer. Only the few visits crossing an end of the range are counted from their events there:
   * two short index range scans at the range's ends, not the whole range.
   */
  visitsInRange(dimensions: readonly Dimension[], filter: FilterNode | null, prefix = ''): string[] {
    const [vs, ve, edge, pv] = ['vs', 've', 'edge', 'pv'].map((name) => `${prefix}${name}`);
    const from = this.p.add('from', this.q.range.start);
    const to = this.p.add('to', this.q.range.end);
    const insideFrom = this.p.add('inside_from', new Date(this.q.range.start.getTime() + SESSION_TIMEOUT_MS));
    const timeout = this.p.add('visit_timeout', `${SESSION_TIMEOUT_MS / 1000} seconds`);
    const cols = dimensions.map((d, i) => `${this.expr(d)} AS d${i}`);
    const where = [this.visitBounds('s'), `s.last_seen_at >= ${from}`, 'NOT s.is_bot', ...(filter ? [this.filter(filter)] : [])];
    const site = `e.website_id = ${this.site()} AND NOT e.is_bot`;
    const startEdgeEnd = `(SELECT max(last_seen_at) FROM ${ve} WHERE started_at < ${insideFrom})`;
    const endEdgeStart = `(SELECT min(started_at) FROM ${ve} WHERE last_seen_at >= ${to}) - ${timeout}::interval`;
    return [
      `${vs} AS (
  SELECT ${[...cols, 's.session_id', 's.visitor_id', 's.pageviews', 's.events', 's.started_at', 's.last_seen_at', `(s.started_at >= ${insideFrom} AND s.last_seen_at < ${to}) AS inside`].join(', ')}
  FROM sessions s
  WHERE ${where.join('\n    AND ')}
)`,
      `${ve} AS (SELECT session_id, started_at, last_seen_at FROM ${vs} WHERE NOT inside)`,
      `${edge} AS (
  SELECT x.session_id, count(*) FILTER (WHERE x.kind = 'pageview') AS pageviews, count(*) AS events
  FROM (SELECT e.session_id, e.kind FROM events e
    WHERE ${site} AND e.occurred_at >= ${from} AND e.occurred_at < ${to} AND e.occurred_at <= ${startEdgeEnd}
    UNION ALL
    SELECT e.session_id, e.kind FROM events e
    WHERE ${site} AND e.occurred_at >= ${endEdgeStart} AND e.occurred_at < ${to} AND e.occurred_at > coalesce(${startEdgeEnd}, '-infinity')) x
  WHERE x.session_id IN (SELECT session_id FROM ${ve})
  GROUP BY x.session_id
)`,
      `${pv} AS (
  SELECT ${[
    ...dimCols(dimensions.length, 'v.'),
    'v.session_id',
    'v.visitor_id',
    'coalesce(x.pageviews, v.pageviews) AS pageviews',
    'coalesce(x.events, v.events) AS events',
    'coalesce(x.events - x.pageviews, v.events - v.pageviews) AS custom_events',
    '1 AS known_visits',
    '(v.pageviews <= 1)::int AS bounces',
    'extract(epoch FROM v.last_seen_at - v.started_at)::float8 AS duration_seconds',
  ].join(', ')}
  FROM ${vs} v
  LEFT JOIN ${edge} x ON x.session_id = v.session_id
  WHERE v.inside OR x.session_id IS NOT NULL
)`,
    ];
  }

  /** The matching events with their dimension values d0, d1, ... (and `columns` of e). */
  events(dimensions: readonly Dimension[], filter: FilterNode | null, columns = ['visitor_id', 'session_id', 'kind']): string {
    const joinVisit = dimensions.some((d) => d.kind === 'visit') || usesVisitFields(filter);
    const cols = dimensions.map((d, i) => `${this.expr(d)} AS d${i}`);
    const from = [`events e`];
    if (joinVisit) from.push(`JOIN sessions s ON ${this.visitBounds('s')} AND s.session_id = e.session_id`);
    if (dimensions.some((d) => d.kind === 'goal')) {
      // Only the goals the top-level goal conditions name, as Plausible groups: filtered on goal X,
      // an event that completes X and Y counts for X alone.
      const named = topLevelGoalConditions(filter).map((c) => ` AND ${c.operator.endsWith('_not') ? 'NOT ' : ''}${this.positive('g.name', c)}`);
      from.push(`JOIN LATERAL (SELECT g.name FROM ${this.goalsTable()} WHERE ${QueryBuilder.goalMatch('e')}${named.join('')}) goal ON true`);
    }
    const where = [this.eventsWhere('e')];
    if (filter) where.push(this.filter(filter));
    return `SELECT ${[...cols, ...columns.map((c) => `e.${c}`)].join(', ')}
  FROM ${from.join('\n  ')}
  WHERE ${where.join('\n    AND ')}`;
  }
}

const dimCols = (n: number, alias = ''): string[] => Array.from({ length: n }, (_, i) => `${alias}d${i}`);

/** What a grouping stage aggregates: raw events, one row per visit, or one row per visitor. */
type Stage = 'events' | 'visits' | 'visitors';

/** The aggregate `a` over rows of a stage (its columns carry the lower stage's sums). */
function aggregateOver(stage: Stage, a: Aggregate): string {
  if (stage === 'events') {
    const exprs: Partial<Record<Aggregate, string>> = {
      pageviews: "count(*) FILTER (WHERE kind = 'pageview')",
      events: 'count(*)',
      custom_events: "count(*) FILTER (WHERE kind = 'custom')",
    };
    return exprs[a]!;
  }
  if ((stage === 'visits' && a === 'visits') || (stage === 'visitors' && a === 'visitors')) return 'count(*)';
  return `sum(${a})`;
}

/**
 * The grouped rows of `events` (a CTE name) by its first `n` dimensions, in up to three hash
 * aggregations instead of count(DISTINCT), which sorts every event: per visit (with the visit
 * row joined for bounces and durations), per visitor, then per group. Each stage sums the one
 * below; visits and visitors are the row counts of their stages.
 */
function grouped(events: string, n: number, aggs: readonly Aggregate[], visitRows: boolean, b: QueryBuilder, perVisit = false): string {
  const dims = dimCols(n);
  const byVisit = perVisit || visitRows || aggs.includes('visits');
  const byVisitor = aggs.includes('visitors');
  const counted = (['pageviews', 'events', 'custom_events'] as const).filter((a) => aggs.includes(a) || (byVisit && byVisitor));
  const list = (cols: string[]) => cols.join(', ');
  let from = events;
  let stage: Stage = 'events';
  let carried: Aggregate[] = [...counted];
  if (perVisit) {
    // `events` already holds one row per visit with every count (visitsInRange).
    from = events;
    stage = 'visits';
    carried = [...counted, ...(visitRows ? (['known_visits', 'bounces', 'duration_seconds'] as const) : [])];
  } else if (byVisit) {
    const perVisitSql = `SELECT ${list([...dims, 'session_id', 'min(visitor_id) AS visitor_id', ...counted.map((a) => `${aggregateOver('events', a)} AS ${a}`)])}
    FROM ${events} GROUP BY ${list([...dims, 'session_id'])}`;
    const visitCols = visitRows
      ? [
          '(v.session_id IS NOT NULL)::int AS known_visits',
          'coalesce((v.pageviews <= 1)::int, 0) AS bounces',
          'coalesce(extract(epoch FROM v.last_seen_at - v.started_at), 0)::float8 AS duration_seconds',
        ]
      : [];
    from = visitRows ? `(SELECT m.*, ${list(visitCols)}
    FROM (${perVisitSql}) m
    LEFT JOIN sessions v ON ${b.visitBounds('v')} AND v.session_id = m.session_id) pv` : `(${perVisitSql}) pv`;
    stage = 'visits';
    carried = [...counted, ...(visitRows ? (['known_visits', 'bounces', 'duration_seconds'] as const) : [])];
  }
  if (byVisitor) {
    const sums = [...(byVisit ? (['visits'] as const) : []), ...carried].map((a) => `${aggregateOver(stage, a)} AS ${a}`);
    from = `(SELECT ${list([...dims, 'visitor_id', ...sums])}
    FROM ${from} GROUP BY ${list([...dims, 'visitor_id'])}) px`;
    stage = 'visitors';
    carried = [...(byVisit ? (['visits'] as const) : []), ...carried];
  }
  const outs = aggs.map((a) => {
    const expr = stage === 'events' ? aggregateOver('events', a) : aggregateOver(stage, a);
    return `${a === 'duration_seconds' ? `coalesce(${expr}, 0)::float8` : stage !== 'events' && !expr.startsWith('count') ? `coalesce(${expr}, 0)` : expr} AS ${a}`;
  });
  return `SELECT ${list([...dims, ...outs])}
  FROM ${from}${dims.length ? `
  GROUP BY ${list(dims)}` : ''}`;
}

/** The SQL of each metric over a row of `grouped` (r) with its denominators (t: totals, c: conversion groups). */
function metricExpr(m: Metric): string {
  const ratio = (n: string, d: string) => `coalesce(${n}::float8 / nullif(${d}, 0), 0)`;
  switch (m) {
    case 'visitors':
    case 'visits':
    case 'pageviews':
    case 'events':
    case 'custom_events':
      return `r.${m}`;
    case 'views_per_visit':
      return ratio('r.pageviews', 'r.visits');
    case 'bounce_rate':
      return ratio('r.bounces', 'r.known_visits');
    case 'visit_duration':
      return ratio('r.duration_seconds', 'r.known_visits');
    case 'percentage':
      return ratio('r.visitors', 't.visitors');
    case 'conversion_rate':
      return ratio('r.visitors', 'ct.visitors');
    case 'group_conversion_rate':
      return ratio('r.visitors', 'cg.visitors');
  }
}

function orderClause(order: readonly OrderBy[], dimensions: number): string {
  const keys = order.map((o) => `${'metric' in o.key ? `m_${o.key.metric}` : `d${o.key.dimension}`} ${o.direction.toUpperCase()} NULLS LAST`);
  for (let i = 0; i < dimensions; i++) if (!order.some((o) => 'dimension' in o.key && o.key.dimension === i)) keys.push(`d${i} ASC NULLS LAST`);
  return keys.length ? `ORDER BY ${keys.join(', ')}` : '';
}

/**
 * The statement answering a query from raw events: one row per group with d0.. (the dimension
 * values; for a time dimension the bucket instant, with dN_local its local wall-clock time),
 * m_<metric> per metric, and total_rows (groups before limit and offset).
 */
export function querySql(q: Query): NamedSql {
  const b = new QueryBuilder(q);
  const p = b.p;
  const n = q.dimensions.length;
  const aggs = aggregatesOf(q.metrics);
  const visitRows = needsVisitRows(q);
  const byVisitRows = answeredByVisitRows(q);
  const ctes = byVisitRows
    ? [...b.visitsInRange(q.dimensions, q.filter), `r AS (\n  ${grouped('pv', n, aggs, visitRows, b, true)}\n)`]
    : [`ev AS (\n  ${b.events(q.dimensions, q.filter)}\n)`, `r AS (\n  ${grouped('ev', n, aggs, visitRows, b)}\n)`];
  const joins: string[] = [];
  if (q.metrics.includes('percentage')) {
    // Visitors of the same events without dimensions (a goal dimension would drop events).
    const flat = byVisitRows ? 'pv' : q.dimensions.some((d) => d.kind === 'goal') ? 'ev_all' : 'ev';
    if (flat === 'ev_all') ctes.push(`ev_all AS (\n  ${b.events([], q.filter)}\n)`);
    ctes.push(`t AS (SELECT count(*) AS visitors FROM (SELECT DISTINCT visitor_id FROM ${flat}) x)`);
    joins.push('CROSS JOIN t');
  }
  if (q.metrics.some((m) => CONVERSION_METRICS.includes(m))) {
    // The population converting: the same filters without goal conditions, and no goal dimension.
    const groups = q.dimensions.map((d, i) => ({ d, i })).filter(({ d }) => d.kind !== 'goal');
    const base = { dimensions: groups.map((g) => g.d), filter: withoutGoalConditions(q.filter), metrics: ['visitors' as const] };
    // Without goal conditions the population is often one of visit attributes alone: its visit rows.
    let population = 'ev_base';
    if (answeredByVisitRows(base)) {
      ctes.push(...b.visitsInRange(base.dimensions, base.filter, 'base_'));
      population = 'base_pv';
    } else {
      ctes.push(`ev_base AS (\n  ${b.events(base.dimensions, base.filter)}\n)`);
    }
    if (q.metrics.includes('conversion_rate')) {
      ctes.push(`ct AS (SELECT count(*) AS visitors FROM (SELECT DISTINCT visitor_id FROM ${population}) x)`);
      joins.push('CROSS JOIN ct');
    }
    if (q.metrics.includes('group_conversion_rate')) {
      const cols = groups.map((_, k) => `d${k}`);
      ctes.push(`cg AS (SELECT ${[...cols, 'count(*) AS visitors'].join(', ')} FROM (SELECT DISTINCT ${[...cols, 'visitor_id'].join(', ')} FROM ${population}) x${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''})`);
      const on = groups.map((g, k) => `cg.d${k} IS NOT DISTINCT FROM r.d${g.i}`);
      joins.push(`LEFT JOIN cg ON ${on.length ? on.join(' AND ') : 'true'}`);
    }
  }
  const select = dimCols(n, 'r.');
  q.dimensions.forEach((d, i) => {
    if (d.kind === 'time') select.push(`to_char(r.d${i} AT TIME ZONE ${p.add('tz', q.timezone)}, 'YYYY-MM-DD"T"HH24:MI:SS') AS d${i}_local`);
  });
  for (const m of q.metrics) select.push(`${metricExpr(m)} AS m_${m}`);
  if (q.include.totalRows) select.push('count(*) OVER () AS total_rows');
  const page = [q.limit === null ? '' : `LIMIT ${p.add('limit', q.limit)}`, q.offset ? `OFFSET ${p.add('offset', q.offset)}` : ''].filter(Boolean).join(' ');
  const text = `WITH ${ctes.join(',\n')}
SELECT ${select.join(', ')}
FROM r${joins.map((j) => `\n${j}`).join('')}
${orderClause(q.orderBy, n)}${page ? `\n${page}` : ''}`;
  return p.sql(text.replace(/\n\n/g, '\n'));
}

const STEP: Record<TimeUnit, string> = { hour: '1 hour', day: '1 day', week: '1 week', month: '1 month' };

/**
 * Every bucket of the range for a time unit, first to last: hours step in absolute time; days,
 * weeks and months in the website's calendar (a DST change keeps them at local midnight).
 * Written without generate_series' time-zone argument, which needs PostgreSQL 16.
 */
export function timeBucketsSql(q: Pick<Query, 'range' | 'timezone'>, unit: TimeUnit): NamedSql {
  const p = new Params();
  const tz = p.add('tz', q.timezone);
  const first = `date_trunc(${p.add('unit', unit)}, ${p.add('from', q.range.start)}::timestamptz, ${tz})`;
  const last = `${p.add('last', new Date(q.range.end.getTime() - 1))}::timestamptz`;
  const step = `${p.add('step', STEP[unit])}::interval`;
  const series =
    unit === 'hour'
      ? `generate_series(${first}, ${last}, ${step})`
      : `generate_series((${first}) AT TIME ZONE ${tz}, (${last}) AT TIME ZONE ${tz}, ${step}) AT TIME ZONE ${tz}`;
  return p.sql(`SELECT b.bucket, to_char(b.bucket AT TIME ZONE ${tz}, 'YYYY-MM-DD"T"HH24:MI:SS') AS local
FROM (SELECT ${series} AS bucket) b
ORDER BY b.bucket`);
}
