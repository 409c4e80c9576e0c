/**
 * The canonical query: what every query dialect (Footfall's REST routes, Sparklytics' event
 * queries, Plausible's Stats API v2) translates its request into, and all the engine reads.
 * Pure types and the field catalog; nothing here knows HTTP or SQL.
 */

export const TIME_UNITS = ['hour', 'day', 'week', 'month'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** Fields of one event: a column of `events`. */
export const EVENT_FIELDS = {
  page: 'path',
  hostname: 'hostname',
  referrer_domain: 'referrer_domain',
  referrer: 'referrer',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  utm_term: 'utm_term',
  utm_content: 'utm_content',
  country: 'country',
  region: 'region',
  city: 'city',
  browser: 'browser',
  browser_version: 'browser_version',
  os: 'os',
  os_version: 'os_version',
  device_type: 'device_type',
  language: 'language',
  screen: 'screen',
  event_name: 'name',
  /** 'pageview' or 'custom'. */
  kind: 'kind',
} as const;
export type EventField = keyof typeof EVENT_FIELDS;

/** Fields of a visit: a column of `sessions`, the attributes of the visit's first event. */
export const VISIT_FIELDS = {
  entry_page: 'entry_path',
  exit_page: 'exit_path',
  hostname: 'hostname',
  source: 'referrer_domain',
  referrer: 'referrer',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  utm_term: 'utm_term',
  utm_content: 'utm_content',
  country: 'country',
  region: 'region',
  city: 'city',
  browser: 'browser',
  browser_version: 'browser_version',
  os: 'os',
  os_version: 'os_version',
  device: 'device_type',
  language: 'language',
  screen: 'screen',
} as const;
export type VisitField = keyof typeof VISIT_FIELDS;

export type Dimension =
  | { kind: 'event'; name: EventField }
  | { kind: 'visit'; name: VisitField }
  /** A custom event property (props ->> key). */
  | { kind: 'prop'; key: string }
  /** The display name of each goal an event completes (an event may complete several). */
  | { kind: 'goal' }
  /** The event's time, truncated in the website's zone (weeks start on Monday). */
  | { kind: 'time'; unit: TimeUnit };

/** A dimension a filter can test: any but time. */
export type FilterDimension = Exclude<Dimension, { kind: 'time' }>;

export const MATCH_OPERATORS = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not'] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];

/**
 * `is`/`contains`/`matches` hold when the value equals / contains / matches (a POSIX regular
 * expression) any of `values`; the `_not` forms hold when none does, and for a missing value (null).
 */
export interface Condition {
  type: 'condition';
  operator: MatchOperator;
  dimension: FilterDimension;
  values: readonly string[];
  caseSensitive: boolean;
}

export type FilterNode =
  | Condition
  | { type: 'and' | 'or'; children: readonly FilterNode[] }
  | { type: 'not'; child: FilterNode }
  /** The dimension has a value (a property is set, the event completes some goal). */
  | { type: 'present'; dimension: FilterDimension }
  /** Visits in which some event of the range matches `child` (event and goal conditions only). */
  | { type: 'has_done' | 'has_not_done'; child: FilterNode };

export const METRICS = [
  'visitors',
  'visits',
  'pageviews',
  /** Every event: pageviews and custom events. */
  'events',
  'custom_events',
  /** Single-pageview visits / visits whose visit row is known. */
  'bounce_rate',
  /** Mean seconds from a visit's first to last event. */
  'visit_duration',
  'views_per_visit',
  /** Visitors / the visitors of the query without dimensions. */
  'percentage',
  /** Visitors / the visitors of the query without goal conditions and without dimensions. */
  'conversion_rate',
  /** Visitors / the visitors of the same group without goal conditions. */
  'group_conversion_rate',
] as const;
export type Metric = (typeof METRICS)[number];

/** Half-open interval [start, end) of instants. */
export interface DateRange {
  start: Date;
  end: Date;
}

export type OrderKey = { metric: Metric } | { dimension: number };
export interface OrderBy {
  key: OrderKey;
  direction: 'asc' | 'desc';
}

/** A goal as the engine matches it: display name, and the event name or page path pattern. */
export interface GoalDefinition {
  displayName: string;
  type: 'event' | 'page';
  /** The event name, or the page path with `*` (one segment) and `**` (anything) wildcards. */
  match: string;
}

export interface Query {
  websiteId: string;
  /** The website's IANA zone: time dimensions and days are local to it. */
  timezone: string;
  range: DateRange;
  metrics: readonly Metric[];
  dimensions: readonly Dimension[];
  filter: FilterNode | null;
  /** Applied first; then every dimension ascending (nulls last), so pages never shift. */
  orderBy: readonly OrderBy[];
  /** null: every row. */
  limit: number | null;
  offset: number;
  include: {
    totalRows: boolean;
    /** Every bucket of the range for each time dimension. */
    timeLabels: boolean;
  };
  /** The website's goals, when the query names `event:goal`; set by the engine before planning. */
  goals: readonly GoalDefinition[];
}

/** A group's metrics, unrounded: each dialect rounds and scales (percent or fraction) as it documents. */
export type MetricValues = Partial<Record<Metric, number>>;

export interface ResultRow {
  /**
   * One value per dimension, in order: text, null for a missing value, and for a time dimension
   * the bucket's local label (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS±HH:MM for hours).
   */
  dimensions: (string | null)[];
  metrics: MetricValues;
}

export interface QueryResult {
  rows: ResultRow[];
  /** Rows before limit and offset, when asked. */
  totalRows?: number;
  /** Per time dimension (by index), every bucket label of the range, when asked. */
  timeLabels?: string[];
  /** True when visitors (and the metrics built on them) were estimated from rollup sketches. */
  estimated: boolean;
}

/** A query over a scope with every other part at its default (visitors, no dimension, every row), then `over`. */
export function canonicalQuery(scope: Pick<Query, 'websiteId' | 'timezone' | 'range'>, over: Partial<Query> = {}): Query {
  return {
    ...scope,
    metrics: ['visitors'],
    dimensions: [],
    filter: null,
    orderBy: [],
    limit: null,
    offset: 0,
    include: { totalRows: false, timeLabels: false },
    goals: [],
    ...over,
  };
}
