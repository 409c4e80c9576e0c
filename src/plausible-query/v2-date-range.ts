import { QueryError } from '../analytics/query-error';
import { isCalendarDay } from '../analytics/zoned-time';

export const DATE_SHORTCUTS = ['day', '24h', '7d', '28d', '30d', '91d', 'month', '6mo', '12mo', 'year', 'all'] as const;
export type DateShortcut = (typeof DATE_SHORTCUTS)[number];

export type V2DateRange =
  | { kind: 'shortcut'; shortcut: DateShortcut }
  /** Whole days in the website's zone, both inclusive. */
  | { kind: 'days'; first: string; last: string }
  /** Exact instants: start inclusive, end exclusive. */
  | { kind: 'instants'; start: Date; end: Date };

// Days both Date arithmetic (a day either side, in any zone) and Postgres timestamps represent.
export const FIRST_DAY = '1970-01-01';
export const LAST_DAY = '9998-12-31';

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;

export function parseDateRange(raw: unknown): V2DateRange {
  const path = 'date_range';
  if (raw === undefined) throw new QueryError('date_range: required (e.g. "7d" or ["2024-01-01", "2024-01-31"])', path);
  if (typeof raw === 'string') {
    if ((DATE_SHORTCUTS as readonly string[]).includes(raw)) return { kind: 'shortcut', shortcut: raw as DateShortcut };
    throw new QueryError(`date_range: unknown shortcut ${JSON.stringify(raw.slice(0, 40))}; valid: ${DATE_SHORTCUTS.join(', ')}, or a [start, end] pair`, path);
  }
  if (!Array.isArray(raw) || raw.length !== 2) {
    throw new QueryError('date_range: a shortcut such as "7d", or two ISO 8601 dates or date-times [start, end]', path);
  }
  raw.forEach((value, i) => {
    if (typeof value !== 'string') throw new QueryError(`date_range[${i}]: must be a string`, `date_range[${i}]`);
  });
  const [from, to] = raw as string[];
  if (isCalendarDay(from) && isCalendarDay(to)) {
    checkDay(from, 0);
    checkDay(to, 1);
    if (to < from) throw new QueryError('date_range[1]: the last day must not be before the first', 'date_range[1]');
    return { kind: 'days', first: from, last: to };
  }
  const start = parseInstant(from, 0);
  const end = parseInstant(to, 1);
  if (end.getTime() <= start.getTime()) throw new QueryError('date_range[1]: the end must be after the start', 'date_range[1]');
  return { kind: 'instants', start, end };
}

/** An ISO 8601 date-time with an offset ("T" or a space between date and time), or a QueryError. */
function parseInstant(value: string, i: number): Date {
  const path = `date_range[${i}]`;
  const m = DATE_TIME.exec(value);
  const fail = (why: string) =>
    new QueryError(`${path}: ${why} (got ${JSON.stringify(value.slice(0, 40))}); use two dates like "2024-01-01" or two date-times like "2024-01-01T12:00:00+02:00"`, path);
  if (!m) {
    if (isCalendarDay(value)) throw fail('a date cannot be paired with a date-time');
    throw fail(isCalendarDay(value.slice(0, 10)) ? 'a date-time needs an offset (Z or ±HH:MM)' : 'not an ISO 8601 date or date-time');
  }
  const [, day, hh, mm, ss = '00', fraction = '', zone, sign, oh, om] = m;
  if (!isCalendarDay(day) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59 || (sign && (Number(oh) > 23 || Number(om) > 59))) {
    throw fail('not a valid date-time');
  }
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${sign}${oh}:${om}`;
  const at = new Date(`${day}T${hh}:${mm}:${ss}${fraction.slice(0, 4)}${offset}`);
  checkDay(day, i);
  checkDay(at.toISOString().slice(0, 10), i);
  return at;
}

function checkDay(day: string, i: number): void {
  if (day < FIRST_DAY || day > LAST_DAY) {
    throw new QueryError(`date_range[${i}]: must be between ${FIRST_DAY} and ${LAST_DAY}`, `date_range[${i}]`);
  }
}
