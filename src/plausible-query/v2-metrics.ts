import { Metric } from '../analytics/query';
import { QueryError } from '../analytics/query-error';

/** The Stats API v2 metrics Footfall computes; each is the canonical metric of the same name. */
export const V2_METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'events',
  'percentage',
  'conversion_rate',
  'group_conversion_rate',
] as const satisfies readonly Metric[];
export type V2Metric = (typeof V2_METRICS)[number];

/** Plausible documents these; Footfall records nothing they could be computed from. */
const NOT_COMPUTED: Readonly<Record<string, string>> = {
  time_on_page: 'time on page',
  scroll_depth: 'scroll depth',
  exit_rate: 'exit rates',
  total_revenue: 'revenue',
  average_revenue: 'revenue',
};

/** Metrics of the visit as a whole: Plausible refuses them beside event dimensions. */
export const VISIT_METRICS: readonly V2Metric[] = ['bounce_rate', 'views_per_visit', 'visit_duration'];

export function isV2MetricName(value: unknown): boolean {
  return typeof value === 'string' && (Object.hasOwn(NOT_COMPUTED, value) || (V2_METRICS as readonly string[]).includes(value));
}

export function parseMetricName(raw: unknown, path: string): V2Metric {
  if (typeof raw !== 'string') throw new QueryError(`${path}: a metric must be a string`, path);
  if ((V2_METRICS as readonly string[]).includes(raw)) return raw as V2Metric;
  if (Object.hasOwn(NOT_COMPUTED, raw)) {
    throw new QueryError(`${path}: Footfall does not compute \`${raw}\` (it records no ${NOT_COMPUTED[raw]})`, path);
  }
  throw new QueryError(`${path}: unknown metric ${JSON.stringify(raw.slice(0, 100))}; valid metrics: ${V2_METRICS.join(', ')}`, path);
}
