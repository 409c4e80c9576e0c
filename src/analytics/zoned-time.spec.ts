import { addDays, dayOf, formatOffset, isCalendarDay, offsetMinutes, startOfDay } from './zoned-time';

describe('zoned time', () => {
  it('finds the first instant of a day in a zone', () => {
    expect(startOfDay('2026-01-15', 'UTC').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(startOfDay('2026-01-15', 'Europe/Berlin').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDay('2026-07-15', 'Europe/Berlin').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(startOfDay('2026-01-15', 'America/New_York').toISOString()).toBe('2026-01-15T05:00:00.000Z');
    expect(startOfDay('2026-01-15', 'Asia/Kolkata').toISOString()).toBe('2026-01-14T18:30:00.000Z');
  });

  it('handles days that begin on a daylight-saving change', () => {
    // Berlin switches at 01:00 UTC on 2026-03-29; that day starts at 23:00 UTC the evening before.
    expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // Santiago skips midnight (00:00 -> 01:00) on 2026-09-06: the day starts at 01:00 local = 04:00 UTC.
    expect(startOfDay('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });

  it('gives the local calendar day of an instant', () => {
    expect(dayOf(new Date('2026-01-14T23:30:00Z'), 'Europe/Berlin')).toBe('2026-01-15');
    expect(dayOf(new Date('2026-01-15T03:00:00Z'), 'America/New_York')).toBe('2026-01-14');
    expect(dayOf(new Date('2026-01-15T03:00:00Z'), 'UTC')).toBe('2026-01-15');
  });

  it('computes offsets and formats them', () => {
    expect(offsetMinutes(new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(new Date('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(formatOffset(60)).toBe('+01:00');
    expect(formatOffset(-210)).toBe('-03:30');
    expect(formatOffset(0)).toBe('+00:00');
  });

  it('adds days and checks calendar dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(isCalendarDay('2026-02-28')).toBe(true);
    expect(isCalendarDay('2026-02-30')).toBe(false);
    expect(isCalendarDay('2026-2-3')).toBe(false);
  });
});
