/** The typed query object every query endpoint builds before any SQL exists. */

export const GRANULARITIES = ['hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const METRICS = ['pageviews', 'visitors', 'sessions', 'events'] as const;
export type Metric = (typeof METRICS)[number];

export const OPERATORS = ['is', 'is_not', 'contains'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Dimensions read straight from an events column. */
export const EVENT_DIMENSIONS = {
  page: 'path',
  hostname: 'hostname',
  referrer_domain: 'referrer_domain',
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
} as const;
export type EventDimensionName = keyof typeof EVENT_DIMENSIONS;

/** Dimensions of the visit, read from the sessions table. */
export const SESSION_DIMENSIONS = { entry_page: 'entry_path', exit_page: 'exit_path' } as const;
export type SessionDimensionName = keyof typeof SESSION_DIMENSIONS;

export const PROP_PREFIX = 'prop:';

export type Dimension =
  | { kind: 'event'; name: EventDimensionName }
  | { kind: 'session'; name: SessionDimensionName }
  /** A custom event property (props->>key); the key travels as a query parameter. */
  | { kind: 'prop'; key: string };

/** Half-open interval [start, end) of instants. */
export interface DateRange {
  start: Date;
  end: Date;
}

export interface Filter {
  dimension: Dimension;
  operator: Operator;
  value: string;
}

/** One website, one period, its time zone, and the filters every row must match. */
export interface EventsQuery {
  websiteId: string;
  timezone: string;
  range: DateRange;
  filters: readonly Filter[];
}

export interface FunnelStep {
  type: 'page' | 'event';
  value: string;
}
