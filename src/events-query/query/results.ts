import { formatOffset } from '../../analytics/zoned-time';
import { MetricValues, TimeUnit as Granularity } from '../../analytics/query';

/** How rows become the numbers of the response: rounding, ratios, changes and bucket labels. */

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** numerator / denominator, 0 when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number, decimals: number): number {
  return denominator === 0 ? 0 : round(numerator / denominator, decimals);
}

/** Relative change from previous to value; null when previous is 0. */
export function relativeChange(value: number, previous: number): number | null {
  return previous === 0 ? null : round((value - previous) / previous, 4);
}

/**
 * A bucket's label: its local calendar day for day/week/month, or its local hour with the zone
 * offset at that instant for hours (unambiguous across daylight-saving changes).
 */
export function bucketLabel(bucket: Date, local: string, granularity: Granularity): string {
  if (granularity !== 'hour') return local.slice(0, 10);
  const offset = Math.round((Date.parse(`${local}Z`) - bucket.getTime()) / 60_000);
  return `${local}${formatOffset(offset)}`;
}

/** The stats route's six headline numbers from the engine's metrics, rounded as the route documents them. */
export function headlineMetrics(m: MetricValues) {
  return {
    pageviews: m.pageviews ?? 0,
    visitors: m.visitors ?? 0,
    sessions: m.visits ?? 0,
    bounce_rate: round(m.bounce_rate ?? 0, 4),
    avg_session_duration: round(m.visit_duration ?? 0, 1),
    views_per_session: round(m.views_per_visit ?? 0, 2),
  };
}

/** Each step's visitors with the conversions from the previous and the first step. */
export function funnelConversions(visitors: number[]): { visitors: number; conversion_from_previous: number; conversion_from_first: number }[] {
  return visitors.map((v, i) => ({
    visitors: v,
    conversion_from_previous: i === 0 ? (v > 0 ? 1 : 0) : ratio(v, visitors[i - 1], 4),
    conversion_from_first: ratio(v, visitors[0], 4),
  }));
}
