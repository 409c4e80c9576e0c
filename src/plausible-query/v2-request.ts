import { QueryError } from '../analytics/query-error';
import { parseDateRange, V2DateRange } from './v2-date-range';
import { isEventDimension, parseDimensionName, V2Dimension } from './v2-dimensions';
import { conditionsOf, parseFilters, V2Filter } from './v2-filters';
import { parseMetricName, VISIT_METRICS, V2Metric } from './v2-metrics';

export type OrderDirection = 'asc' | 'desc';

export interface V2OrderEntry {
  /** A queried metric or dimension, as the request names it. */
  key: string;
  direction: OrderDirection;
}

/** A Stats API v2 query body, validated whole. */
export interface V2Request {
  siteId: string;
  metrics: V2Metric[];
  dateRange: V2DateRange;
  dimensions: V2Dimension[];
  filters: V2Filter[];
  /** The filters as validated, for the response to echo. */
  filtersEcho: unknown[];
  /** As given; null when absent, and the default order applies (see effectiveOrderBy). */
  orderBy: V2OrderEntry[] | null;
  include: { timeLabels: boolean; totalRows: boolean; imports: boolean };
  /** The include object as given, for the response to echo. */
  includeEcho: Record<string, boolean>;
  pagination: { limit: number; offset: number };
}

export const MAX_LIMIT = 10_000;
export const MAX_SITE_ID_LENGTH = 255;
/** Plausible sets no bound; each dimension multiplies the groups a query builds. */
export const MAX_DIMENSIONS = 10;

const TOP_LEVEL_KEYS = ['site_id', 'metrics', 'date_range', 'dimensions', 'filters', 'order_by', 'include', 'pagination'];
const INCLUDE_KEYS: Readonly<Record<string, keyof V2Request['include']>> = {
  time_labels: 'timeLabels',
  total_rows: 'totalRows',
  imports: 'imports',
};

export function parseV2Request(body: unknown): V2Request {
  const raw = objectAt(body, 'body', 'the body must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      throw new QueryError(`${JSON.stringify(key.slice(0, 100))}: unknown key; a query takes ${TOP_LEVEL_KEYS.join(', ')}`, key.slice(0, 100));
    }
  }
  const siteId = parseSiteId(raw.site_id);
  const metrics = parseMetrics(raw.metrics);
  const dateRange = parseDateRange(raw.date_range);
  const dimensions = parseDimensions(raw.dimensions);
  const { filters, echo: filtersEcho } = parseFilters(raw.filters);
  const request: V2Request = {
    siteId,
    metrics,
    dateRange,
    dimensions,
    filters,
    filtersEcho,
    orderBy: parseOrderBy(raw.order_by, [...metrics, ...dimensions.map((d) => d.name)]),
    ...parseInclude(raw.include),
    pagination: parsePagination(raw.pagination),
  };
  checkRules(request);
  return request;
}

/** The order the results come in: as asked, else time ascending (if queried), then the first metric descending. */
export function effectiveOrderBy(request: V2Request): V2OrderEntry[] {
  if (request.orderBy) return request.orderBy;
  const time = request.dimensions.find((d) => d.kind === 'time');
  const order: V2OrderEntry[] = time ? [{ key: time.name, direction: 'asc' }] : [];
  return [...order, { key: request.metrics[0], direction: 'desc' }];
}

function parseSiteId(raw: unknown): string {
  if (raw === undefined) throw new QueryError('site_id: required', 'site_id');
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_SITE_ID_LENGTH) {
    throw new QueryError(`site_id: must be a string of 1 to ${MAX_SITE_ID_LENGTH} characters`, 'site_id');
  }
  return raw;
}

function parseMetrics(raw: unknown): V2Metric[] {
  if (raw === undefined) throw new QueryError('metrics: required (e.g. ["visitors"])', 'metrics');
  if (!Array.isArray(raw) || raw.length === 0) throw new QueryError('metrics: must be a non-empty array of metric names', 'metrics');
  const metrics: V2Metric[] = [];
  raw.forEach((item, i) => {
    const metric = parseMetricName(item, `metrics[${i}]`);
    if (metrics.includes(metric)) throw new QueryError(`metrics[${i}]: \`${metric}\` is listed twice`, `metrics[${i}]`);
    metrics.push(metric);
  });
  return metrics;
}

function parseDimensions(raw: unknown): V2Dimension[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new QueryError('dimensions: must be an array of dimension names', 'dimensions');
  if (raw.length > MAX_DIMENSIONS) throw new QueryError(`dimensions: at most ${MAX_DIMENSIONS} dimensions per query`, 'dimensions');
  const dimensions: V2Dimension[] = [];
  raw.forEach((item, i) => {
    const dimension = parseDimensionName(item, `dimensions[${i}]`);
    if (dimensions.some((d) => d.name === dimension.name)) {
      throw new QueryError(`dimensions[${i}]: \`${dimension.name}\` is listed twice`, `dimensions[${i}]`);
    }
    if (dimension.kind === 'time' && dimensions.some((d) => d.kind === 'time')) {
      throw new QueryError(`dimensions[${i}]: only one time dimension may be queried`, `dimensions[${i}]`);
    }
    dimensions.push(dimension);
  });
  return dimensions;
}

/** `queried`: the names of the query's metrics and dimensions, the only keys an order may use. */
function parseOrderBy(raw: unknown, queried: string[]): V2OrderEntry[] | null {
  if (raw === undefined) return null;
  if (!Array.isArray(raw)) throw new QueryError('order_by: must be an array of [metric_or_dimension, "asc"|"desc"] pairs', 'order_by');
  if (raw.length > queried.length) throw new QueryError('order_by: names a metric or dimension more than once', 'order_by');
  const entries = raw.map((entry, i): V2OrderEntry => {
    const path = `order_by[${i}]`;
    if (!Array.isArray(entry) || entry.length !== 2) throw new QueryError(`${path}: must be a pair [metric_or_dimension, "asc"|"desc"]`, path);
    const [key, direction] = entry;
    if (typeof key !== 'string' || !queried.includes(key)) {
      throw new QueryError(`${path}[0]: must be one of the query's metrics or dimensions (${queried.join(', ')})`, `${path}[0]`);
    }
    if (direction !== 'asc' && direction !== 'desc') throw new QueryError(`${path}[1]: must be "asc" or "desc"`, `${path}[1]`);
    return { key, direction };
  });
  entries.forEach((entry, i) => {
    if (entries.findIndex((e) => e.key === entry.key) !== i) throw new QueryError(`order_by[${i}][0]: \`${entry.key}\` is ordered by twice`, `order_by[${i}][0]`);
  });
  return entries;
}

function parseInclude(raw: unknown): Pick<V2Request, 'include' | 'includeEcho'> {
  const include = { timeLabels: false, totalRows: false, imports: false };
  const includeEcho: Record<string, boolean> = {};
  if (raw === undefined) return { include, includeEcho };
  const given = objectAt(raw, 'include', 'must be an object such as {"total_rows": true}');
  for (const [key, value] of Object.entries(given)) {
    if (key === 'comparisons') throw new QueryError('include.comparisons: Footfall does not compute comparisons', 'include.comparisons');
    if (!Object.hasOwn(INCLUDE_KEYS, key)) {
      throw new QueryError(`include: unknown key ${JSON.stringify(key.slice(0, 100))}; valid keys: ${Object.keys(INCLUDE_KEYS).join(', ')}`, 'include');
    }
    if (typeof value !== 'boolean') throw new QueryError(`include.${key}: must be true or false`, `include.${key}`);
    include[INCLUDE_KEYS[key]] = value;
    includeEcho[key] = value;
  }
  return { include, includeEcho };
}

function parsePagination(raw: unknown): V2Request['pagination'] {
  const pagination = { limit: MAX_LIMIT, offset: 0 };
  if (raw === undefined) return pagination;
  const given = objectAt(raw, 'pagination', 'must be an object such as {"limit": 100, "offset": 0}');
  for (const [key, value] of Object.entries(given)) {
    if (key !== 'limit' && key !== 'offset') throw new QueryError(`pagination: unknown key ${JSON.stringify(key.slice(0, 100))}; valid keys: limit, offset`, 'pagination');
    const min = key === 'limit' ? 1 : 0;
    const max = key === 'limit' ? MAX_LIMIT : Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
      throw new QueryError(`pagination.${key}: must be a whole number from ${min}${key === 'limit' ? ` to ${MAX_LIMIT}` : ' up'}`, `pagination.${key}`);
    }
    pagination[key] = value as number;
  }
  return pagination;
}

/** The combinations Plausible documents as invalid, checked once everything parsed. */
function checkRules(request: V2Request): void {
  const { metrics, dimensions } = request;
  const goalDimension = dimensions.some((d) => d.kind === 'data' && d.target.kind === 'goal');
  const goalFilter = conditionsOf(request.filters).some(({ condition, behavioral }) => !behavioral && condition.dimension.target.kind === 'goal');
  metrics.forEach((metric, i) => {
    const path = `metrics[${i}]`;
    if ((metric === 'conversion_rate' || metric === 'group_conversion_rate') && !goalDimension && !goalFilter) {
      throw new QueryError(`${path}: \`${metric}\` needs an event:goal dimension or an event:goal filter`, path);
    }
    // Plausible requires dimensions for both; without them they would equal conversion_rate or 100.
    if ((metric === 'group_conversion_rate' || metric === 'percentage') && dimensions.length === 0) {
      throw new QueryError(`${path}: \`${metric}\` needs at least one dimension`, path);
    }
    const eventDimension = dimensions.find(isEventDimension);
    if (VISIT_METRICS.includes(metric) && eventDimension) {
      throw new QueryError(`${path}: the visit metric \`${metric}\` cannot be queried with the event dimension ${eventDimension.name}`, path);
    }
  });
  if (request.include.timeLabels && !dimensions.some((d) => d.kind === 'time')) {
    throw new QueryError('include.time_labels: needs a time dimension (time, time:hour, time:day, time:week or time:month)', 'include.time_labels');
  }
}

function objectAt(raw: unknown, path: string, what: string): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new QueryError(path === 'body' ? what : `${path}: ${what}`, path === 'body' ? undefined : path);
  }
  return raw as Record<string, unknown>;
}
