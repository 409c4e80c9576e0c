import { CoveredDay, localDays, MAX_RAW_PARTS, planRollup, rollupsWorthIt } from './rollup-plan';
import { addDays, startOfDay } from '../../analytics/zoned-time';

const TZ = 'Europe/Berlin';
const range = (first: string, last: string) => ({ start: startOfDay(first, TZ), end: startOfDay(addDays(last, 1), TZ) });
const covered = (day: string, opts: Partial<CoveredDay> = {}): CoveredDay => ({
  day,
  dayStart: startOfDay(day, TZ),
  dayEnd: startOfDay(addDays(day, 1), TZ),
  coveredUntil: startOfDay(addDays(day, 1), TZ),
  pageviews: 100,
  events: 10,
  ...opts,
});
const byDay = (...days: CoveredDay[]) => new Map(days.map((d) => [d.day, d]));

describe('localDays', () => {
  it('lists the local days a range touches, across a DST change', () => {
    expect(localDays(range('2025-03-29', '2025-03-31'), TZ)).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']);
    expect(localDays({ start: new Date('2025-01-14T22:30:00Z'), end: new Date('2025-01-15T00:30:00Z') }, TZ)).toEqual(['2025-01-14', '2025-01-15']);
  });
});

describe('planRollup', () => {
  it('takes whole rolled-up days from rollups and nothing raw', () => {
    const plan = planRollup(range('2025-03-29', '2025-03-31'), TZ, byDay(covered('2025-03-29'), covered('2025-03-30'), covered('2025-03-31')));
    expect(plan).toEqual({ days: ['2025-03-29', '2025-03-30', '2025-03-31'], raw: [], rolledUpEvents: 330 });
  });

  it('reads the uncovered end of a running day and missing days raw, joining neighbours', () => {
    const today = covered('2025-01-16', { coveredUntil: new Date('2025-01-16T09:00:00Z') });
    const plan = planRollup(range('2025-01-13', '2025-01-16'), TZ, byDay(covered('2025-01-13'), today));
    expect(plan.days).toEqual(['2025-01-13', '2025-01-16']);
    expect(plan.raw).toEqual([
      { start: startOfDay('2025-01-14', TZ), end: startOfDay('2025-01-16', TZ) },
      { start: new Date('2025-01-16T09:00:00Z'), end: startOfDay('2025-01-17', TZ) },
    ]);
  });

  it('reads partial days at the edges of an instant range raw', () => {
    const r = { start: new Date('2025-01-13T12:00:00Z'), end: new Date('2025-01-15T12:00:00Z') };
    const plan = planRollup(r, TZ, byDay(covered('2025-01-13'), covered('2025-01-14'), covered('2025-01-15')));
    expect(plan.days).toEqual(['2025-01-14']);
    expect(plan.raw).toEqual([
      { start: r.start, end: startOfDay('2025-01-14', TZ) },
      { start: startOfDay('2025-01-15', TZ), end: r.end },
    ]);
  });

  it('ignores a rollup whose bounds are not the day in this zone', () => {
    const utcDay = covered('2025-01-14', { dayStart: new Date('2025-01-14T00:00:00Z'), dayEnd: new Date('2025-01-15T00:00:00Z') });
    expect(planRollup(range('2025-01-14', '2025-01-14'), TZ, byDay(utcDay)).days).toEqual([]);
  });
});

describe('rollupsWorthIt', () => {
  const plan = (rolledUpEvents: number, rawParts: number) => ({
    days: ['2025-01-14'],
    raw: Array.from({ length: rawParts }, () => ({ start: new Date(0), end: new Date(1) })),
    rolledUpEvents,
  });
  it('needs enough rolled-up events and few raw parts', () => {
    expect(rollupsWorthIt(plan(1000, 1), 1000)).toBe(true);
    expect(rollupsWorthIt(plan(999, 1), 1000)).toBe(false);
    expect(rollupsWorthIt(plan(1000, MAX_RAW_PARTS + 1), 0)).toBe(false);
    expect(rollupsWorthIt({ days: [], raw: [], rolledUpEvents: 0 }, 0)).toBe(false);
  });
});
