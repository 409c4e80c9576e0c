import { DateRange, Dimension, GoalDefinition, OrderBy, Query, TimeUnit } from '../analytics/query';
import { QueryError } from '../analytics/query-error';
import { addDays, bucketsIn, dayOf, startOfDay } from '../analytics/zoned-time';
import { FIRST_DAY, LAST_DAY, V2DateRange } from './v2-date-range';
import { toFilterNode } from './v2-filter-node';
import { conditionsOf } from './v2-filters';
import { V2Metric } from './v2-metrics';
import { effectiveOrderBy, V2Request } from './v2-request';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** `time` groups by hour up to two days (a `day` or `24h` range), by day up to 92 days (`91d`, a quarter), else by month. */
const HOURLY_UP_TO_MS = 2 * DAY_MS + HOUR_MS;
const DAILY_UP_TO_MS = 92 * DAY_MS + HOUR_MS;
/** include.time_labels lists every bucket: enough for hours over five years or days over a century. */
export const MAX_TIME_LABELS = 50_000;

export interface V2Site {
  id: string;
  /** IANA zone: shortcuts, dates and time buckets are local to it. */
  timezone: string;
  /** The local day of the website's first event (where `all` starts); null without events. */
  firstDay?: string | null;
}

/** A validated v2 request as the canonical query the engine runs. */
export function toQuery(req: V2Request, site: V2Site, goals: readonly GoalDefinition[], now: Date): Query {
  const range = resolveRange(req.dateRange, site.timezone, now, site.firstDay ?? undefined);
  const dimensions = req.dimensions.map((d): Dimension => (d.kind === 'time' ? { kind: 'time', unit: timeUnit(d.unit, range) } : d.target));
  const usesGoals =
    req.dimensions.some((d) => d.kind === 'data' && d.target.kind === 'goal') ||
    conditionsOf(req.filters).some(({ condition }) => condition.dimension.target.kind === 'goal');
  const time = dimensions.find((d) => d.kind === 'time');
  if (req.include.timeLabels && time && bucketsIn(range, time.unit) > MAX_TIME_LABELS) {
    throw new QueryError(`include.time_labels: this range has more than ${MAX_TIME_LABELS} ${time.unit} buckets; choose a coarser time dimension or a shorter range`, 'include.time_labels');
  }
  return {
    websiteId: site.id,
    timezone: site.timezone,
    range,
    metrics: [...req.metrics],
    dimensions,
    filter: toFilterNode(req.filters, usesGoals ? goals : []),
    orderBy: effectiveOrderBy(req).map((entry): OrderBy => {
      const index = req.dimensions.findIndex((d) => d.name === entry.key);
      return { key: index >= 0 ? { dimension: index } : { metric: entry.key as V2Metric }, direction: entry.direction };
    }),
    limit: req.pagination.limit,
    offset: req.pagination.offset,
    include: { totalRows: req.include.totalRows, timeLabels: req.include.timeLabels },
    goals: usesGoals ? [...goals] : [],
  };
}

/**
 * The instants a date_range covers in the website's zone. Shortcuts follow Plausible: `7d`, `28d`,
 * `30d` and `91d` are the whole days before today; `6mo` and `12mo` the whole months before this
 * one; `day`, `month` and `year` the current ones (future part included); `24h` the 24 hours up to
 * `now`. `all` runs from a fixed 1970-01-01 (local) to the end of today: Footfall keeps no
 * per-site first day, and the engine bounds what it reads by the data it holds.
 */
export function resolveRange(range: V2DateRange, timeZone: string, now: Date, firstDay = FIRST_DAY): DateRange {
  if (range.kind === 'instants') return { start: range.start, end: range.end };
  if (range.kind === 'days') return wholeDays(range.first, range.last, timeZone);
  const today = dayOf(now, timeZone);
  const shortcut = range.shortcut;
  switch (shortcut) {
    case 'day':
      return wholeDays(today, today, timeZone);
    case '24h': {
      const end = Math.floor(now.getTime() / 1000) * 1000;
      return { start: new Date(end - DAY_MS), end: new Date(end) };
    }
    case '7d':
    case '28d':
    case '30d':
    case '91d':
      return wholeDays(addDays(today, -parseInt(shortcut, 10)), addDays(today, -1), timeZone);
    case 'month':
      return wholeDays(monthStart(today, 0), addDays(monthStart(today, 1), -1), timeZone);
    case '6mo':
    case '12mo':
      return wholeDays(monthStart(today, -parseInt(shortcut, 10)), addDays(monthStart(today, 0), -1), timeZone);
    case 'year':
      return wholeDays(`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`, timeZone);
    case 'all':
      return wholeDays(firstDay < today ? firstDay : today, today, timeZone);
  }
}

/** Local days `first` to `last`, both inclusive. */
function wholeDays(first: string, last: string, timeZone: string): DateRange {
  if (first < FIRST_DAY || last > LAST_DAY) {
    throw new QueryError(`date_range: must stay between ${FIRST_DAY} and ${LAST_DAY}`, 'date_range');
  }
  return { start: startOfDay(first, timeZone), end: startOfDay(addDays(last, 1), timeZone) };
}

/** The first day of the month `delta` months from the month of `day`. */
function monthStart(day: string, delta: number): string {
  const months = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 + delta;
  return `${String(Math.floor(months / 12)).padStart(4, '0')}-${String((months % 12) + 1).padStart(2, '0')}-01`;
}

function timeUnit(unit: TimeUnit | 'auto', range: DateRange): TimeUnit {
  if (unit !== 'auto') return unit;
  const length = range.end.getTime() - range.start.getTime();
  return length <= HOURLY_UP_TO_MS ? 'hour' : length <= DAILY_UP_TO_MS ? 'day' : 'month';
}
