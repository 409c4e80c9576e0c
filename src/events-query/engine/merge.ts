import { DaySummary, ValueSummary } from '../../analytics/day-summary';
import { Metric, MetricValues, OrderBy, Query, QueryResult, ResultRow, TimeUnit } from '../../analytics/query';
import { addDays, dayOf } from '../../analytics/zoned-time';
import { byText } from '../../common/text-order';
import { VisitorSketch } from '../../rollups/hll';

/**
 * The runner's in-memory half: rolled-up days and values (and the raw parts read in their shape)
 * merged into groups, each group's metrics derived, then ordered and paged by the query's own
 * order, exactly as the SQL of the raw path orders them.
 */

/** A group's additive totals; visitors as a sketch until merged. */
interface Totals {
  visitors: VisitorSketch;
  visits: number;
  pageviews: number;
  customEvents: number;
  bounces: number;
  durationSeconds: number;
}

const emptyTotals = (): Totals => ({ visitors: new VisitorSketch(), visits: 0, pageviews: 0, customEvents: 0, bounces: 0, durationSeconds: 0 });

function add(t: Totals, s: DaySummary | ValueSummary): void {
  t.visitors.addPacked(s.visitors);
  t.visits += s.sessions;
  t.pageviews += s.pageviews;
  t.customEvents += s.events;
  if ('bounces' in s) {
    t.bounces += s.bounces;
    t.durationSeconds += s.durationSeconds;
  }
}

const ratio = (n: number, d: number): number => (d === 0 ? 0 : n / d);

/** A group's metrics from its totals (the rolled-up visits are all known visit rows). */
function metricsOf(t: Totals, metrics: readonly Metric[]): MetricValues {
  const visitors = t.visitors.estimate();
  const out: MetricValues = {};
  for (const m of metrics) {
    switch (m) {
      case 'visitors':
        out[m] = visitors;
        break;
      case 'visits':
        out[m] = t.visits;
        break;
      case 'pageviews':
        out[m] = t.pageviews;
        break;
      case 'events':
        out[m] = t.pageviews + t.customEvents;
        break;
      case 'custom_events':
        out[m] = t.customEvents;
        break;
      case 'views_per_visit':
        out[m] = ratio(t.pageviews, t.visits);
        break;
      case 'bounce_rate':
        out[m] = ratio(t.bounces, t.visits);
        break;
      case 'visit_duration':
        out[m] = ratio(t.durationSeconds, t.visits);
        break;
      default:
        // The planner sends no other metric to rollups.
        throw new Error(`metric ${m} is not answered from rollups`);
    }
  }
  return out;
}

/** The local day a day/week/month bucket starts on: the day, its ISO week's Monday, its month's first. */
export function bucketDay(day: string, unit: Exclude<TimeUnit, 'hour'>): string {
  if (unit === 'day') return day;
  if (unit === 'month') return `${day.slice(0, 8)}01`;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(day, -weekday);
}

/** Every bucket label of the range, first to last. */
export function dayBuckets(q: Pick<Query, 'range' | 'timezone'>, unit: Exclude<TimeUnit, 'hour'>): string[] {
  const first = bucketDay(dayOf(q.range.start, q.timezone), unit);
  const last = bucketDay(dayOf(new Date(q.range.end.getTime() - 1), q.timezone), unit);
  const out: string[] = [];
  for (let b = first; b <= last; b = bucketDay(addDays(b, unit === 'day' ? 1 : unit === 'week' ? 7 : 31), unit)) out.push(b);
  return out;
}

/** Day summaries summed, or bucketed by `unit` (buckets without events are left out, as the raw path leaves them). */
export function mergeDays(days: readonly DaySummary[], q: Query, unit: Exclude<TimeUnit, 'hour'> | null): ResultRow[] {
  if (!unit) {
    const t = emptyTotals();
    days.forEach((d) => add(t, d));
    return [{ dimensions: [], metrics: metricsOf(t, q.metrics) }];
  }
  const buckets = new Map<string, Totals>();
  const inRange = new Set(dayBuckets(q, unit));
  for (const d of days) {
    const label = bucketDay(d.day, unit);
    if (!inRange.has(label) || (d.pageviews === 0 && d.events === 0 && d.sessions === 0)) continue;
    let t = buckets.get(label);
    if (!t) buckets.set(label, (t = emptyTotals()));
    add(t, d);
  }
  return [...buckets].map(([label, t]) => ({ dimensions: [label], metrics: metricsOf(t, q.metrics) }));
}

/** Rows of the same value summed; visitors estimated from their merged sketches. */
export function mergeValues(parts: readonly ValueSummary[], q: Query): ResultRow[] {
  const byValue = new Map<string | null, Totals>();
  for (const p of parts) {
    let t = byValue.get(p.value);
    if (!t) byValue.set(p.value, (t = emptyTotals()));
    add(t, p);
  }
  return [...byValue].map(([value, t]) => ({ dimensions: [value], metrics: metricsOf(t, q.metrics) }));
}

/** Nulls last in either direction, as the SQL's NULLS LAST. */
function compareValues(a: string | number | null | undefined, b: string | number | null | undefined, desc: boolean): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : byText(String(a), String(b));
  return desc ? -c : c;
}

/** The query's order, then every dimension ascending: the ORDER BY of the raw path. */
export function rowOrder(order: readonly OrderBy[], dimensions: number): (a: ResultRow, b: ResultRow) => number {
  const keys = [...order];
  for (let i = 0; i < dimensions; i++) if (!order.some((o) => 'dimension' in o.key && o.key.dimension === i)) keys.push({ key: { dimension: i }, direction: 'asc' });
  return (a, b) => {
    for (const o of keys) {
      const desc = o.direction === 'desc';
      const c = 'metric' in o.key ? compareValues(a.metrics[o.key.metric], b.metrics[o.key.metric], desc) : compareValues(a.dimensions[o.key.dimension], b.dimensions[o.key.dimension], desc);
      if (c) return c;
    }
    return 0;
  };
}

/** Ordered, counted and paged. */
export function finish(rows: ResultRow[], q: Query): Pick<QueryResult, 'rows' | 'totalRows'> {
  rows.sort(rowOrder(q.orderBy, q.dimensions.length));
  const page = rows.slice(q.offset, q.limit === null ? undefined : q.offset + q.limit);
  return { rows: page, ...(q.include.totalRows ? { totalRows: rows.length } : {}) };
}

export interface PropertyValues {
  property_key: string;
  values: { value: string; count: number }[];
}

/**
 * Property pairs summed and ranked as the raw statement ranks them: keys by the events carrying
 * them, then name; per key its top values by count, then value.
 */
export function rankProperties(pairs: readonly { key: string; value: string; count: number }[], valuesPerKey: number): PropertyValues[] {
  const keys = new Map<string, Map<string, number>>();
  for (const p of pairs) {
    let values = keys.get(p.key);
    if (!values) keys.set(p.key, (values = new Map()));
    values.set(p.value, (values.get(p.value) ?? 0) + p.count);
  }
  return [...keys]
    .map(([key, values]) => ({ key, total: [...values.values()].reduce((a, b) => a + b, 0), values }))
    .sort((a, b) => b.total - a.total || byText(a.key, b.key))
    .map(({ key, values }) => ({
      property_key: key,
      values: [...values]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || byText(a.value, b.value))
        .slice(0, valuesPerKey),
    }));
}
