import { bucketDay, bucketDaySummaries } from './timeseries.service';

/** Local days first..last in UTC as a half-open range. */
const days = (first: string, last: string) => ({ start: new Date(`${first}T00:00:00Z`), end: new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000) });

const day = (d: string, pageviews: number) => ({ day: d, pageviews, events: 1, sessions: 2, bounces: 0, durationSeconds: 0, visitors: Uint8Array.from([0x00, 0x11]) });

describe('bucketDay', () => {
  it('maps a day to the first day of its bucket', () => {
    expect(bucketDay('2025-01-15', 'day')).toBe('2025-01-15');
    expect(bucketDay('2025-01-15', 'week')).toBe('2025-01-13'); // a Wednesday: its Monday
    expect(bucketDay('2025-01-13', 'week')).toBe('2025-01-13');
    expect(bucketDay('2025-01-19', 'week')).toBe('2025-01-13'); // Sunday ends the ISO week
    expect(bucketDay('2025-02-28', 'month')).toBe('2025-02-01');
  });
});

describe('bucketDaySummaries', () => {
  it('sums days into zero-filled buckets', () => {
    const summaries = [day('2025-01-14', 3), day('2025-01-14', 1), day('2025-01-27', 5)];
    expect(bucketDaySummaries(summaries, 'pageviews', 'week', days('2025-01-14', '2025-02-03'), 'UTC')).toEqual([
      { date: '2025-01-13', value: 4 },
      { date: '2025-01-20', value: 0 },
      { date: '2025-01-27', value: 5 },
      { date: '2025-02-03', value: 0 },
    ]);
    expect(bucketDaySummaries(summaries, 'sessions', 'month', days('2025-01-14', '2025-03-01'), 'UTC').map((b) => b.value)).toEqual([6, 0, 0]);
  });

  it('counts visitors of a bucket once across its days', () => {
    const summaries = [day('2025-01-14', 1), day('2025-01-15', 1)];
    expect(bucketDaySummaries(summaries, 'visitors', 'week', days('2025-01-14', '2025-01-15'), 'UTC')).toEqual([{ date: '2025-01-13', value: 1 }]);
  });
});
