import { QueryError } from '../../analytics/query-error';
import { assertBucketCount, parseDateRange, previousPeriod } from './date-range';

const now = new Date('2026-03-10T12:00:00Z');
const iso = (r: { start: Date; end: Date }) => [r.start.toISOString(), r.end.toISOString()];

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QueryError);
    return (err as QueryError).message;
  }
  throw new Error('expected a QueryError');
}

describe('parseDateRange', () => {
  it('takes days as whole days in the zone, both inclusive', () => {
    expect(iso(parseDateRange({ start_date: '2026-02-01', end_date: '2026-02-28' }, 'UTC', now))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    expect(iso(parseDateRange({ start_date: '2026-02-01', end_date: '2026-02-01' }, 'Europe/Berlin', now))).toEqual([
      '2026-01-31T23:00:00.000Z',
      '2026-02-01T23:00:00.000Z',
    ]);
  });

  it('takes date-times as exact instants', () => {
    expect(iso(parseDateRange({ start_date: '2026-02-01T10:00:00+02:00', end_date: '2026-02-01T12:30:00Z' }, 'Europe/Berlin', now))).toEqual([
      '2026-02-01T08:00:00.000Z',
      '2026-02-01T12:30:00.000Z',
    ]);
  });

  it('defaults to the last 30 days including today, in the zone', () => {
    expect(iso(parseDateRange({}, 'UTC', now))).toEqual(['2026-02-09T00:00:00.000Z', '2026-03-11T00:00:00.000Z']);
    expect(iso(parseDateRange({}, 'America/New_York', new Date('2026-03-10T02:00:00Z')))).toEqual([
      '2026-02-08T05:00:00.000Z',
      '2026-03-10T04:00:00.000Z',
    ]);
    expect(iso(parseDateRange({ end_date: '2026-01-31' }, 'UTC', now))).toEqual(['2026-01-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(iso(parseDateRange({ start_date: '2026-03-01' }, 'UTC', now))).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z']);
  });

  it('rejects bad dates, reversed and too long ranges with clear messages', () => {
    expect(message(() => parseDateRange({ start_date: '2026-02-30' }, 'UTC', now))).toMatch(/^start_date must be a date \(YYYY-MM-DD/);
    expect(message(() => parseDateRange({ end_date: 'yesterday' }, 'UTC', now))).toMatch(/^end_date must be a date/);
    expect(message(() => parseDateRange({ start_date: '2026-02-01T10:00:00' }, 'UTC', now))).toMatch(/with a time zone/);
    expect(message(() => parseDateRange({ start_date: ['2026-02-01', '2026-02-02'] }, 'UTC', now))).toBe('start_date must be given once');
    expect(message(() => parseDateRange({ start_date: '2026-02-02', end_date: '2026-02-01' }, 'UTC', now))).toBe('end_date must not be before start_date');
    expect(message(() => parseDateRange({ start_date: '2026-04-01' }, 'UTC', now))).toMatch(/start_date must not be after today/);
    expect(message(() => parseDateRange({ start_date: '2026-02-01T10:00:00Z', end_date: '2026-02-01T10:00:00Z' }, 'UTC', now))).toBe('end_date must be after start_date');
    expect(message(() => parseDateRange({ start_date: '2024-01-01', end_date: '2026-01-02' }, 'UTC', now))).toMatch(/must not be longer than 2 years/);
  });

  it('accepts exactly two years', () => {
    expect(() => parseDateRange({ start_date: '2024-01-01', end_date: '2025-12-31' }, 'UTC', now)).not.toThrow();
  });
});

describe('previousPeriod', () => {
  it('is the period of equal length immediately before', () => {
    const r = { start: new Date('2026-02-08T00:00:00Z'), end: new Date('2026-02-15T00:00:00Z') };
    expect(iso(previousPeriod(r, 'UTC'))).toEqual(['2026-02-01T00:00:00.000Z', '2026-02-08T00:00:00.000Z']);
    const instants = { start: new Date('2026-02-08T10:00:00Z'), end: new Date('2026-02-08T12:30:00Z') };
    expect(iso(previousPeriod(instants, 'UTC'))).toEqual(['2026-02-08T07:30:00.000Z', '2026-02-08T10:00:00.000Z']);
  });

  it('counts whole local days across a daylight-saving change', () => {
    // 30 Berlin days from 2026-10-26 (CET); the 30 before start on 2026-09-26 at midnight CEST.
    const r = { start: new Date('2026-10-25T23:00:00Z'), end: new Date('2026-11-24T23:00:00Z') };
    expect(iso(previousPeriod(r, 'Europe/Berlin'))).toEqual(['2026-09-25T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });
});

describe('assertBucketCount', () => {
  const year = { start: new Date('2025-01-01T00:00:00Z'), end: new Date('2026-01-01T00:00:00Z') };
  it('refuses hourly buckets over a year and accepts daily ones', () => {
    expect(message(() => assertBucketCount(year, 'hour'))).toMatch(/granularity=hour would give about 8760 buckets/);
    expect(() => assertBucketCount(year, 'day')).not.toThrow();
  });
});

describe('parseDateRange bounds', () => {
  it.each([['9999-12-31'], ['0001-01-01'], ['1969-12-31'], ['9999-06-01T00:00:00Z']])('refuses %s with a clear message', (day) => {
    expect(() => parseDateRange({ start_date: day, end_date: day }, 'Pacific/Kiritimati', new Date('2026-02-10T12:00:00Z'))).toThrow(
      /must be between 1970-01-01 and 9998-12-31/,
    );
  });
  it('accepts the last representable day in any zone', () => {
    const r = parseDateRange({ start_date: '9998-12-31', end_date: '9998-12-31' }, 'Pacific/Kiritimati', new Date('2026-02-10T12:00:00Z'));
    expect(r.end.getTime() - r.start.getTime()).toBe(86_400_000);
  });
});
