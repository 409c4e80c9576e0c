import { Dimension, Query, QueryResult, TimeUnit } from '../analytics/query';
import { dayOf, formatOffset, offsetMinutes } from '../analytics/zoned-time';
import { countryName } from './v2-countries';
import { V2Dimension } from './v2-dimensions';
import { V2Metric } from './v2-metrics';
import { effectiveOrderBy, V2Request } from './v2-request';

export interface V2Response {
  results: { metrics: (number | null)[]; dimensions: string[] }[];
  meta: V2Meta;
  query: {
    site_id: string;
    metrics: string[];
    /** The resolved range as local date-times with the website's offset, both ends inclusive. */
    date_range: [string, string];
    filters: unknown[];
    dimensions: string[];
    order_by: [string, 'asc' | 'desc'][];
    include: Record<string, boolean>;
    pagination: { offset: number; limit: number };
  };
}

export interface V2Meta {
  time_labels?: string[];
  total_rows?: number | null;
  imports_included?: boolean;
  imports_skip_reason?: string;
  imports_warning?: string;
  metric_warnings?: Record<string, { code: string; warning: string }>;
}

/** Metrics built on unique visitors: estimated when the engine answered from rollup sketches. */
const VISITOR_METRICS: readonly V2Metric[] = ['visitors', 'percentage', 'conversion_rate', 'group_conversion_rate'];

/** The engine's result in the shape and units the Stats API v2 documents. */
export function toV2Response(req: V2Request, query: Query, result: QueryResult): V2Response {
  const firstDay = dayOf(query.range.start, query.timezone);
  const results = result.rows.map((row) => ({
    metrics: req.metrics.map((metric) => metricValue(metric, row.metrics[metric])),
    dimensions: row.dimensions.map((value, i) => dimensionValue(req.dimensions[i], query.dimensions[i], value, firstDay)),
  }));
  const meta: V2Meta = {};
  const time = query.dimensions.find((d): d is Extract<Dimension, { kind: 'time' }> => d.kind === 'time');
  if (req.include.timeLabels && time) meta.time_labels = (result.timeLabels ?? []).map((label) => timeLabel(label, time.unit, firstDay));
  if (req.include.totalRows) meta.total_rows = result.totalRows ?? null;
  if (req.include.imports) {
    meta.imports_included = false;
    meta.imports_skip_reason = 'no_imported_data';
    meta.imports_warning = 'Footfall stores imported events with the events it collects: every result already counts them, and there is no separate imported data set.';
  }
  const estimated = result.estimated ? req.metrics.filter((m) => VISITOR_METRICS.includes(m)) : [];
  if (estimated.length > 0) {
    meta.metric_warnings = Object.fromEntries(
      estimated.map((m) => [m, { code: 'estimated', warning: 'Unique visitors were estimated from pre-aggregated data (error of about 1%).' }]),
    );
  }
  return { results, meta, query: echo(req, query) };
}

function echo(req: V2Request, query: Query): V2Response['query'] {
  return {
    site_id: req.siteId,
    metrics: [...req.metrics],
    date_range: [localDateTime(query.range.start, query.timezone), localDateTime(new Date(query.range.end.getTime() - 1000), query.timezone)],
    filters: req.filtersEcho,
    dimensions: req.dimensions.map((d) => d.name),
    order_by: effectiveOrderBy(req).map((entry): [string, 'asc' | 'desc'] => [entry.key, entry.direction]),
    include: { ...req.includeEcho },
    pagination: { offset: req.pagination.offset, limit: req.pagination.limit },
  };
}

/**
 * Units and rounding as Plausible answers: rates are percentages (bounce_rate whole, the others
 * to one decimal), visit_duration whole seconds, views_per_visit two decimals. A rate over
 * nothing is 0, a percentage of nothing null; a count the engine did not give stays null.
 */
export function metricValue(metric: V2Metric, value: number | undefined): number | null {
  const known = typeof value === 'number' && Number.isFinite(value);
  switch (metric) {
    case 'visitors':
    case 'visits':
    case 'pageviews':
    case 'events':
      return known ? Math.round(value) : null;
    case 'bounce_rate':
      return known ? roundHalfEven(value * 100, 0) : 0;
    case 'visit_duration':
      return known ? roundHalfEven(value, 0) : 0;
    case 'views_per_visit':
      return known ? roundHalfEven(value, 2) : 0;
    case 'percentage':
      return known ? roundHalfEven(value * 100, 1) : null;
    case 'conversion_rate':
    case 'group_conversion_rate':
      return known ? roundHalfEven(value * 100, 1) : 0;
  }
}

/** Ties to even, as ClickHouse's round() does for floats (Plausible computes there). */
export function roundHalfEven(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = value * factor;
  const floor = Math.floor(scaled);
  const rounded = scaled - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled);
  return rounded / factor + 0; // + 0 turns -0 into 0
}

/** Plausible's labels for a missing value. */
function missingLabel(name: string): string {
  if (name === 'visit:source') return 'Direct / None';
  if (name.startsWith('event:props:')) return '(none)';
  return '(not set)';
}

function dimensionValue(dimension: V2Dimension, canonical: Dimension, value: string | null, firstDay: string): string {
  // Footfall's pageviews carry no name; Plausible calls them "pageview".
  if (value === null && dimension.name === 'event:name') return 'pageview';
  if (value === null) return missingLabel(dimension.name);
  if (canonical.kind === 'time') return timeLabel(value, canonical.unit, firstDay);
  if (dimension.name === 'visit:country_name') return countryName(value);
  if (dimension.name === 'visit:device') return value === 'tv' ? 'TV' : value.charAt(0).toUpperCase() + value.slice(1);
  return value;
}

/**
 * Hours as "YYYY-MM-DD HH:MM:SS" local time (the engine's labels carry an offset); days, weeks and
 * months as dates. A week that began before the range is labelled with the range's first day.
 */
export function timeLabel(label: string, unit: TimeUnit, firstDay: string): string {
  if (unit === 'hour' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(label)) return `${label.slice(0, 10)} ${label.slice(11, 19)}`;
  if (unit === 'week' && label < firstDay) return firstDay;
  return label;
}

/** "2024-09-04T00:00:00+02:00": the zone's wall-clock time at `instant`, to the second. */
export function localDateTime(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant, timeZone);
  const wall = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset * 60_000);
  return `${wall.toISOString().slice(0, 19)}${formatOffset(offset)}`;
}
