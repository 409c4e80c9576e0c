import { DateRange, Dimension, EVENT_DIMENSIONS, EventsQuery, Filter, SESSION_DIMENSIONS } from './query-types';

/** A parameterised statement: request values only ever travel in `values`. */
export interface Sql {
  text: string;
  values: unknown[];
}

/** Collects parameter values and hands out their $n placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A visit that has events in the range may have started before it. Sessions are partitioned by
 * started_at, so joins bound it: visits that started more than this before the range are not
 * joined (their bounce and duration are not counted).
 */
export const SESSION_LOOKBACK_MS = 24 * 3_600_000;

export type EventKind = 'pageview' | 'custom';

/** Escapes LIKE wildcards so "contains" matches the text literally. */
export function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The SQL expression of an event-level dimension over alias `e`. */
export function eventDimensionExpr(d: Exclude<Dimension, { kind: 'session' }>, p: SqlParams, alias = 'e'): string {
  return d.kind === 'prop' ? `(${alias}.props ->> ${p.add(d.key)})` : `${alias}.${EVENT_DIMENSIONS[d.name]}`;
}

function comparison(expr: string, f: Filter, p: SqlParams): string {
  switch (f.operator) {
    case 'is':
      return `${expr} = ${p.add(f.value)}`;
    case 'is_not':
      return `${expr} IS DISTINCT FROM ${p.add(f.value)}`;
    case 'contains':
      return `${expr} ILIKE ${p.add(likePattern(f.value))}`;
  }
}

export interface WhereOptions {
  alias?: string;
  kind?: EventKind;
  /** Another period than q.range (the previous period of stats). */
  range?: DateRange;
}

/** The sessions table's bounds for visits with events in `range`: lets Postgres prune partitions. */
export function sessionBounds(range: DateRange, p: SqlParams): { from: string; to: string } {
  return { from: p.add(new Date(range.start.getTime() - SESSION_LOOKBACK_MS)), to: p.add(range.end) };
}

/**
 * Conditions every query puts on events: the website first (index prefix), the occurred_at range
 * as parameters (partition pruning), no bots, the event kind, then the filters.
 */
export function eventsWhere(q: EventsQuery, p: SqlParams, opts: WhereOptions = {}): string {
  const e = opts.alias ?? 'e';
  const range = opts.range ?? q.range;
  const site = p.add(q.websiteId);
  const parts = [`${e}.website_id = ${site}`, `${e}.occurred_at >= ${p.add(range.start)}`, `${e}.occurred_at < ${p.add(range.end)}`, `NOT ${e}.is_bot`];
  if (opts.kind) parts.push(`${e}.kind = '${opts.kind}'`);
  for (const f of q.filters) {
    if (f.dimension.kind === 'session') {
      const bounds = sessionBounds(range, p);
      const column = `fs.${SESSION_DIMENSIONS[f.dimension.name]}`;
      parts.push(
        `EXISTS (SELECT 1 FROM sessions fs WHERE fs.website_id = ${site} AND fs.started_at >= ${bounds.from} AND fs.started_at < ${bounds.to}` +
          ` AND fs.session_id = ${e}.session_id AND ${comparison(column, f, p)})`,
      );
    } else {
      parts.push(comparison(eventDimensionExpr(f.dimension, p, e), f, p));
    }
  }
  return parts.join(' AND ');
}

/** The aggregate of a metric over events `e`. */
export function metricExpr(metric: 'pageviews' | 'visitors' | 'sessions' | 'events', alias = 'e'): string {
  switch (metric) {
    case 'pageviews':
      return `count(*) FILTER (WHERE ${alias}.kind = 'pageview')`;
    case 'visitors':
      return `count(DISTINCT ${alias}.visitor_id)`;
    case 'sessions':
      return `count(DISTINCT ${alias}.session_id)`;
    case 'events':
      return `count(*) FILTER (WHERE ${alias}.kind = 'custom')`;
  }
}
