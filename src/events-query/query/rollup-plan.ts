import { DateRange } from '../../analytics/query';
import { addDays, dayOf, startOfDay } from '../../analytics/zoned-time';

/** What the planner needs of a rolled-up day. */
export interface CoveredDay {
  day: string;
  dayStart: Date;
  dayEnd: Date;
  coveredUntil: Date;
  pageviews: number;
  events: number;
}

/** Which local days of a range come from rollups, and which instants must be read raw. */
export interface RollupPlan {
  days: string[];
  raw: DateRange[];
  /** Pageviews and custom events of the rolled-up days. */
  rolledUpEvents: number;
}

/** The local calendar days a range touches, first to last. */
export function localDays(range: DateRange, timeZone: string): string[] {
  const out: string[] = [];
  const last = dayOf(new Date(range.end.getTime() - 1), timeZone);
  for (let d = dayOf(range.start, timeZone); d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * A day wholly inside the range with a rollup computed for exactly its bounds is read from the
 * rollup up to where it is covered, and raw after that; every other part of the range (its edges,
 * days without events or not rolled up yet) is raw.
 */
export function planRollup(range: DateRange, timeZone: string, covered: ReadonlyMap<string, CoveredDay>): RollupPlan {
  const plan: RollupPlan = { days: [], raw: [], rolledUpEvents: 0 };
  const addRaw = (start: Date, end: Date) => {
    if (end <= start) return;
    const prev = plan.raw[plan.raw.length - 1];
    if (prev && prev.end.getTime() === start.getTime()) prev.end = end;
    else plan.raw.push({ start, end });
  };
  for (const day of localDays(range, timeZone)) {
    const start = startOfDay(day, timeZone);
    const end = startOfDay(addDays(day, 1), timeZone);
    const c = covered.get(day);
    const inside = start >= range.start && end <= range.end;
    if (c && inside && +c.dayStart === +start && +c.dayEnd === +end) {
      plan.days.push(day);
      plan.rolledUpEvents += c.pageviews + c.events;
      addRaw(c.coveredUntil, end);
    } else {
      addRaw(start > range.start ? start : range.start, end < range.end ? end : range.end);
    }
  }
  return plan;
}

/** Raw parts are read one statement each; beyond this many, the exact query is cheaper. */
export const MAX_RAW_PARTS = 8;

/** Rollups answer a query when they carry enough events and leave few separate raw parts. */
export function rollupsWorthIt(plan: RollupPlan, minEvents: number): boolean {
  return plan.days.length > 0 && plan.rolledUpEvents >= minEvents && plan.raw.length <= MAX_RAW_PARTS;
}
