import { DateRange, EVENT_FIELDS, EventField } from './query';
import { NamedSql, Params } from './sql';

/**
 * What rollups store and queries read in the same shape: a day's (or a value's) totals with a
 * visitors sketch. The rollup job writes them; the query engine merges them with the same shapes
 * read raw for the parts of a range no rollup covers. Neither imports the other: both import this.
 */

/** Event fields rolled up per day and value (rollup_values' dimension column names them). */
export const ROLLED_UP_FIELDS = [
  'page',
  'hostname',
  'referrer_domain',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'city',
  'browser',
  'browser_version',
  'os',
  'os_version',
  'device_type',
  'language',
  'screen',
  'event_name',
] as const satisfies readonly EventField[];
export type RolledUpField = (typeof ROLLED_UP_FIELDS)[number];

export const isRolledUpField = (name: string): name is RolledUpField => (ROLLED_UP_FIELDS as readonly string[]).includes(name);

/** rollup_values' dimension column: a rolled-up field, prop:<key>, or event_prop:<event name>. */
export type RollupDimension = RolledUpField | `prop:${string}` | `event_prop:${string}`;

/** A day (or its covered part) as stored in rollup_days, or read raw in the same shape. */
export interface DaySummary {
  day: string;
  pageviews: number;
  /** Custom events. */
  events: number;
  sessions: number;
  bounces: number;
  durationSeconds: number;
  visitors: Uint8Array;
}

/** A value's totals over some days, as rollup_values holds them. */
export interface ValueSummary {
  value: string | null;
  pageviews: number;
  /** Custom events. */
  events: number;
  sessions: number;
  visitors: Uint8Array;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const EMPTY = new Uint8Array(0);

export function toDaySummary(r: Record<string, unknown>): DaySummary {
  return {
    day: String(r.day),
    pageviews: num(r.pageviews),
    events: num(r.events),
    sessions: num(r.sessions),
    bounces: num(r.bounces),
    durationSeconds: num(r.duration_seconds),
    visitors: (r.visitors as Buffer | null) ?? EMPTY,
  };
}

export function toValueSummary(r: Record<string, unknown>): ValueSummary {
  return {
    value: (r.value as string | null) ?? null,
    pageviews: num(r.pageviews),
    events: num(r.events),
    sessions: num(r.sessions),
    visitors: (r.visitors as Buffer | null) ?? EMPTY,
  };
}

/** The packed visitors sketch (migration 0005) of the events `e` of a group. */
export const VISITORS_SKETCH = 'footfall_hll_pack(array_agg(footfall_hll_entry(e.visitor_id)))';

/** One value of a rolled-up field that every event must have (a day summary of that value only). */
export interface ValueFilter {
  field: RolledUpField;
  value: string;
}

/** The events of a website's range: the conditions every summary starts from. */
export function summaryEventsWhere(p: Params, websiteId: string, range: DateRange, only: ValueFilter | null): string {
  const parts = [`e.website_id = ${p.add('website_id', websiteId)}`, `e.occurred_at >= ${p.add('from', range.start)}`, `e.occurred_at < ${p.add('to', range.end)}`, 'NOT e.is_bot'];
  if (only) {
    // Event names describe custom events, as rollup_values counts them.
    if (only.field === 'event_name') parts.push("e.kind = 'custom'");
    parts.push(`e.${EVENT_FIELDS[only.field]} = ${p.add('value', only.value)}`);
  }
  return parts.join(' AND ');
}

/**
 * Per local day of the range: pageviews, custom events and a visitors sketch from the events, and
 * the visits that started that day (bots excluded) with their bounces and duration. With `only`,
 * the events of that value alone and no visit totals (as rollup_values holds them). The shape of
 * a rollup_days row: the rollup job stores it, and queries read it raw for the parts of a range
 * no rollup covers.
 */
export function daySummariesSql(websiteId: string, timezone: string, range: DateRange, only: ValueFilter | null = null): NamedSql {
  const p = new Params();
  const where = summaryEventsWhere(p, websiteId, range, only);
  const tz = p.add('tz', timezone);
  const ev = `SELECT to_char(e.occurred_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*) FILTER (WHERE e.kind = 'pageview') AS pageviews,
    count(*) FILTER (WHERE e.kind = 'custom') AS events, ${VISITORS_SKETCH} AS visitors`;
  if (only) {
    return p.sql(`SELECT ev.day, ev.pageviews, ev.events, ev.sessions, 0 AS bounces, 0 AS duration_seconds, ev.visitors
FROM (${ev}, count(DISTINCT e.session_id) AS sessions
  FROM events e WHERE ${where} GROUP BY 1) ev`);
  }
  return p.sql(`WITH ev AS (
  ${ev}
  FROM events e WHERE ${where} GROUP BY 1
), se AS (
  SELECT to_char(s.started_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*) AS sessions,
    count(*) FILTER (WHERE s.pageviews <= 1) AS bounces, coalesce(sum(extract(epoch FROM s.last_seen_at - s.started_at)), 0)::float8 AS duration_seconds
  FROM sessions s WHERE s.website_id = ${p.add('website_id', websiteId)} AND s.started_at >= ${p.add('from', range.start)} AND s.started_at < ${p.add('to', range.end)} AND NOT s.is_bot
  GROUP BY 1
)
SELECT coalesce(ev.day, se.day) AS day, coalesce(ev.pageviews, 0) AS pageviews, coalesce(ev.events, 0) AS events,
  coalesce(se.sessions, 0) AS sessions, coalesce(se.bounces, 0) AS bounces, coalesce(se.duration_seconds, 0) AS duration_seconds,
  coalesce(ev.visitors, ''::bytea) AS visitors
FROM ev FULL JOIN se ON se.day = ev.day`);
}
