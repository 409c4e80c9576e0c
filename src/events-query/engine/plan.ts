import { isRolledUpField, RollupDimension, ValueFilter } from '../../analytics/day-summary';
import { Condition, Dimension, FilterNode, Metric, Query } from '../../analytics/query';

/**
 * Which source answers a query. Rollups hold per day: totals with visits, bounces and duration
 * (rollup_days), and per value of each rolled-up field or property: pageviews, custom events,
 * visits and a visitors sketch (rollup_values). They hold no combination of values, so a query
 * they answer has no dimension but time (by day, week or month) and at most one `is` filter on a
 * rolled-up field, or one rolled-up dimension and no filter. Everything else is counted from raw
 * events, with the visit rows joined when a visit attribute or a visit metric is asked.
 * A rollup plan is only a candidate: the runner still checks the range is rolled up enough to pay.
 */
export type Plan =
  | { source: 'raw'; visitRows: boolean }
  /** Per day totals (of one value, with `only`), bucketed by `unit` or summed. */
  | { source: 'rollup_days'; only: ValueFilter | null; unit: 'day' | 'week' | 'month' | null }
  /** Per value totals of one dimension (without its null value when the query asks it present). */
  | { source: 'rollup_values'; dimension: RollupDimension; present: boolean };

/** What a value row (and a value day) carries: no bounces or durations. */
const VALUE_METRICS: readonly Metric[] = ['visitors', 'visits', 'pageviews', 'events', 'custom_events', 'views_per_visit'];
/** What a day row carries. */
const DAY_METRICS: readonly Metric[] = [...VALUE_METRICS, 'bounce_rate', 'visit_duration'];

const conditions = (f: FilterNode | null): FilterNode[] => (!f ? [] : f.type === 'and' ? [...f.children] : [f]);

function isExact(f: FilterNode): f is Condition & { dimension: { kind: 'event' } } {
  return f.type === 'condition' && f.operator === 'is' && f.caseSensitive && f.values.length === 1 && f.dimension.kind === 'event';
}

/** `kind is custom`: the events event names describe, as rollups count them. */
const isCustomOnly = (f: FilterNode): boolean => isExact(f) && f.dimension.name === 'kind' && f.values[0] === 'custom';

/** The one value filter rollups can apply, or undefined when the filter is beyond them. */
function valueFilter(filter: FilterNode | null): ValueFilter | null | undefined {
  const parts = conditions(filter);
  const custom = parts.filter(isCustomOnly);
  const rest = parts.filter((f) => !isCustomOnly(f));
  if (rest.length === 0) return custom.length ? undefined : null;
  if (rest.length > 1 || !isExact(rest[0]) || !isRolledUpField(rest[0].dimension.name)) return undefined;
  // rollup_values counts event names over custom events only; other fields over every event.
  if (custom.length && rest[0].dimension.name !== 'event_name') return undefined;
  return { field: rest[0].dimension.name, value: rest[0].values[0] };
}

function rollupDimension(d: Dimension): RollupDimension | null {
  if (d.kind === 'prop') return `prop:${d.key}`;
  if (d.kind === 'event' && isRolledUpField(d.name)) return d.name;
  return null;
}

const within = (metrics: readonly Metric[], allowed: readonly Metric[]) => metrics.every((m) => allowed.includes(m));

export function planQuery(q: Query): Plan {
  const raw: Plan = { source: 'raw', visitRows: q.metrics.includes('bounce_rate') || q.metrics.includes('visit_duration') };
  const [first, ...more] = q.dimensions;
  if (!first || (first.kind === 'time' && first.unit !== 'hour' && !more.length)) {
    const only = valueFilter(q.filter);
    if (only === undefined || !within(q.metrics, only ? VALUE_METRICS : DAY_METRICS)) return raw;
    return { source: 'rollup_days', only, unit: first?.kind === 'time' ? (first.unit as 'day' | 'week' | 'month') : null };
  }
  const dimension = more.length ? null : rollupDimension(first);
  if (!dimension || !within(q.metrics, VALUE_METRICS)) return raw;
  // Rollups count event names over custom events, and hold only the set values of a property;
  // any other filter is beyond them.
  const parts = conditions(q.filter);
  const ok =
    dimension === 'event_name'
      ? parts.some(isCustomOnly) && parts.every((f) => isCustomOnly(f) || (f.type === 'present' && f.dimension.kind === 'event' && f.dimension.name === 'event_name'))
      : first.kind === 'prop'
        ? parts.length === 1 && parts[0].type === 'present' && parts[0].dimension.kind === 'prop' && parts[0].dimension.key === first.key
        : parts.length === 0;
  return ok ? { source: 'rollup_values', dimension, present: parts.some((f) => f.type === 'present') } : raw;
}
