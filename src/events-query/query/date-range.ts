import { QueryError } from '../../analytics/query-error';
import { DateRange } from '../../analytics/query';
import { addDays, bucketsIn, dayOf, MAX_TIME_BUCKETS, isCalendarDay, startOfDay } from '../../analytics/zoned-time';

export const DEFAULT_RANGE_DAYS = 30;
/** Two years, leap day included. */
export const MAX_RANGE_DAYS = 731;
const DAY_MS = 86_400_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

// Days both Date arithmetic (a day past the end, in any zone) and Postgres timestamps represent.
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '9998-12-31';

type Bound = { kind: 'day'; day: string } | { kind: 'instant'; at: Date };

function parseBound(name: string, raw: unknown): Bound | null {
  if (raw === undefined || raw === '') return null;
  if (Array.isArray(raw)) throw new QueryError(`${name} must be given once`);
  const value = String(raw).trim();
  const bound = parseValue(value);
  if (bound) {
    const day = bound.kind === 'day' ? bound.day : bound.at.toISOString().slice(0, 10);
    if (day < FIRST_DAY || day > LAST_DAY || value.slice(0, 10) < FIRST_DAY || value.slice(0, 10) > LAST_DAY) {
      throw new QueryError(`${name} must be between ${FIRST_DAY} and ${LAST_DAY} (got "${value.slice(0, 40)}")`);
    }
    return bound;
  }
  throw new QueryError(
    `${name} must be a date (YYYY-MM-DD, a day in the website's time zone) or an ISO 8601 date-time with a time zone, e.g. 2026-02-01 or 2026-02-01T09:30:00Z (got "${value.slice(0, 40)}")`,
  );
}

function parseValue(value: string): Bound | null {
  if (isCalendarDay(value)) return { kind: 'day', day: value };
  if (ISO_INSTANT.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime()) && isCalendarDay(value.slice(0, 10))) return { kind: 'instant', at };
  }
  return null;
}

/**
 * start_date/end_date to a half-open range of instants. Dates are whole days in the website's
 * zone, both inclusive; date-times are exact instants (end exclusive). Default: the last 30 days,
 * today included.
 */
export function parseDateRange(raw: { start_date?: unknown; end_date?: unknown }, timeZone: string, now: Date): DateRange {
  const startBound = parseBound('start_date', raw.start_date);
  const endBound = parseBound('end_date', raw.end_date);

  const end = !endBound ? startOfDay(addDays(dayOf(now, timeZone), 1), timeZone) : endBound.kind === 'day' ? startOfDay(addDays(endBound.day, 1), timeZone) : endBound.at;
  let start: Date;
  if (startBound) start = startBound.kind === 'day' ? startOfDay(startBound.day, timeZone) : startBound.at;
  else start = startOfDay(addDays(dayOf(new Date(end.getTime() - 1), timeZone), 1 - DEFAULT_RANGE_DAYS), timeZone);

  if (end.getTime() <= start.getTime()) {
    if (!endBound) throw new QueryError('start_date must not be after today (the default end_date)');
    // A day as end_date is inclusive: only a day before start_date is "before" it.
    const endsBefore = endBound.kind === 'day' ? startOfDay(endBound.day, timeZone).getTime() < start.getTime() : end.getTime() < start.getTime();
    throw new QueryError(endsBefore ? 'end_date must not be before start_date' : 'end_date must be after start_date');
  }
  if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS + 2 * 3_600_000) {
    throw new QueryError(`The date range must not be longer than 2 years (${MAX_RANGE_DAYS} days)`);
  }
  return { start, end };
}

/**
 * The period of equal length immediately before `range`: as many whole local days when the range
 * is whole local days (so a daylight-saving change between them does not shift it by an hour),
 * else the same number of milliseconds.
 */
export function previousPeriod(range: DateRange, timeZone: string): DateRange {
  const first = dayOf(range.start, timeZone);
  const afterLast = dayOf(range.end, timeZone);
  if (+startOfDay(first, timeZone) === +range.start && +startOfDay(afterLast, timeZone) === +range.end) {
    const days = Math.round((Date.parse(`${afterLast}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS);
    return { start: startOfDay(addDays(first, -days), timeZone), end: range.start };
  }
  const length = range.end.getTime() - range.start.getTime();
  return { start: new Date(range.start.getTime() - length), end: range.start };
}


/** A time series has one row per bucket: refuse ranges that would need thousands of them. */
export function assertBucketCount(range: DateRange, granularity: Parameters<typeof bucketsIn>[1]): void {
  const buckets = bucketsIn(range, granularity);
  if (buckets > MAX_TIME_BUCKETS) {
    throw new QueryError(
      `granularity=${granularity} would give about ${buckets} buckets for this range (at most ${MAX_TIME_BUCKETS}); choose a coarser granularity or a shorter range`,
    );
  }
}
