import { parseTimestamp } from './common';

describe('parseTimestamp', () => {
  const now = new Date('2026-06-15T12:00:00Z');

  it('treats null and undefined as "now" (null)', () => {
    expect(parseTimestamp(null, now)).toEqual({ ok: true, value: null });
    expect(parseTimestamp(undefined, now)).toEqual({ ok: true, value: null });
  });

  it.each(['2026-06-15T10:00:00Z', '2026-06-15T10:00:00.123+02:00', '2026-06-15T12:04:59Z', '2024-02-29T00:00:00-0500'])('accepts %s', (v) => {
    const r = parseTimestamp(v, now);
    expect(r.ok && r.value?.getTime()).toBe(new Date(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).getTime());
  });

  it.each([
    [123, /ISO 8601 string/],
    ['2026-06-15', /with a time zone/],
    ['2026-06-15T10:00:00', /with a time zone/],
    ['yesterday', /ISO 8601/],
    ['2026-02-30T10:00:00Z', /ISO 8601/],
    ['2025-02-29T10:00:00Z', /ISO 8601/],
    ['0000-01-01T00:00:00Z', /before 1990/],
    ['2026-06-15T12:05:01Z', /5 minutes in the future/],
  ])('rejects %p', (v, message) => {
    const r = parseTimestamp(v, now);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'validation', field: 'timestamp' });
      expect(r.error.message).toMatch(message);
    }
  });
});
