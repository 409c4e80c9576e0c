import { addDays, intervalsFor, presetRange, previousRange, readState, todayIn, withFilter, withoutFilter, writeState } from './state';

describe('dashboard view state', () => {
  it('computes presets as inclusive days ending today, and the period before of the same length', () => {
    expect(presetRange('day', '2026-03-01')).toEqual(['2026-03-01', '2026-03-01']);
    expect(presetRange('yesterday', '2026-03-01')).toEqual(['2026-02-28', '2026-02-28']);
    expect(presetRange('7d', '2026-03-01')).toEqual(['2026-02-23', '2026-03-01']);
    expect(presetRange('month', '2026-03-17')).toEqual(['2026-03-01', '2026-03-17']);
    expect(presetRange('lastmonth', '2026-03-17')).toEqual(['2026-02-01', '2026-02-28']);
    expect(previousRange('2026-02-23', '2026-03-01')).toEqual(['2026-02-16', '2026-02-22']);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });

  it('reads today in the website\'s time zone', () => {
    const instant = new Date('2026-06-30T23:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-06-30');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-07-01');
    expect(todayIn('America/New_York', instant)).toBe('2026-06-30');
  });

  it('offers intervals that fit the range, the first being the default', () => {
    expect(intervalsFor(1)).toEqual(['hour', 'day']);
    expect(intervalsFor(30)[0]).toBe('day');
    expect(intervalsFor(365)[0]).toBe('month');
  });

  it('round-trips through the URL, filters included, leaving defaults out', () => {
    const view = readState(new URLSearchParams('period=custom&from=2026-01-01&to=2026-01-31&metric=pageviews&interval=week&event:page=/pricing&visit:country=DE'), 'UTC');
    expect(view).toEqual({ period: 'custom', from: '2026-01-01', to: '2026-01-31', metric: 'pageviews', interval: 'week', filters: [['event:page', '/pricing'], ['visit:country', 'DE']] });
    expect(readState(new URLSearchParams(writeState(view)), 'UTC')).toEqual(view);
    expect(writeState(readState(new URLSearchParams(''), 'UTC'))).toBe('');
  });

  it('falls back to the last 30 days for a bad custom range, and replaces a filter of the same dimension', () => {
    const bad = readState(new URLSearchParams('period=custom&from=2026-02-01&to=2026-01-01'), 'UTC');
    expect(bad.period).toBe('30d');
    const one = withFilter(bad, ['event:page', '/a']);
    const two = withFilter(one, ['event:page', '/b']);
    expect(two.filters).toEqual([['event:page', '/b']]);
    expect(withoutFilter(two, 'event:page').filters).toEqual([]);
  });
});
