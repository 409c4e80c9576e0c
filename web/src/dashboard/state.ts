/** The dashboard's view, held in the URL so a view can be bookmarked and shared. */

export const PERIODS = [
  { id: 'day', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: 'month', label: 'This month' },
  { id: 'lastmonth', label: 'Last month' },
  { id: '12mo', label: 'Last 12 months' },
  { id: 'custom', label: 'Custom range' },
] as const;
export type Period = (typeof PERIODS)[number]['id'];

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export const METRICS = [
  { id: 'visitors', label: 'Unique visitors' },
  { id: 'visits', label: 'Total visits' },
  { id: 'pageviews', label: 'Total pageviews' },
  { id: 'views_per_visit', label: 'Views per visit' },
  { id: 'bounce_rate', label: 'Bounce rate' },
  { id: 'visit_duration', label: 'Visit duration' },
] as const;
export type Metric = (typeof METRICS)[number]['id'];

/** One dashboard filter: the dimension is one of the v2 query's (`visit:country`, `event:page`). */
export type Filter = [dimension: string, value: string];

export interface ViewState {
  period: Period;
  from: string;
  to: string;
  metric: Metric;
  interval: Interval;
  filters: Filter[];
}

const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** The inclusive days of a preset, in the website's zone. */
export function presetRange(period: Exclude<Period, 'custom'>, today: string): [string, string] {
  const monthStart = `${today.slice(0, 7)}-01`;
  switch (period) {
    case 'day': return [today, today];
    case 'yesterday': return [addDays(today, -1), addDays(today, -1)];
    case '7d': return [addDays(today, -6), today];
    case '30d': return [addDays(today, -29), today];
    case 'month': return [monthStart, today];
    case 'lastmonth': {
      const end = addDays(monthStart, -1);
      return [`${end.slice(0, 7)}-01`, end];
    }
    case '12mo': return [addDays(today, -364), today];
  }
}

/** The same number of days just before a range: what the headline numbers compare with. */
export function previousRange(from: string, to: string): [string, string] {
  const n = daysBetween(from, to);
  return [addDays(from, -n), addDays(from, -1)];
}

/** Intervals that make sense for a range, the first being the default. */
export function intervalsFor(days: number): Interval[] {
  if (days <= 2) return ['hour', 'day'];
  if (days <= 7) return ['day', 'hour', 'week'];
  if (days <= 92) return ['day', 'week', 'month'];
  return ['month', 'week', 'day'];
}

const FILTER_KEY = /^(event|visit):/;

export function readState(query: URLSearchParams, timeZone: string): ViewState {
  const today = todayIn(timeZone);
  let period = (PERIODS.find((p) => p.id === query.get('period'))?.id ?? '30d') as Period;
  let [from, to] = period === 'custom' ? [query.get('from'), query.get('to')] : presetRange(period, today);
  if (period === 'custom' && !(isDate(from) && isDate(to) && from <= to)) {
    period = '30d';
    [from, to] = presetRange('30d', today);
  }
  const allowed = intervalsFor(daysBetween(from!, to!));
  const interval = allowed.find((i) => i === query.get('interval')) ?? allowed[0];
  const metric = (METRICS.find((m) => m.id === query.get('metric'))?.id ?? 'visitors') as Metric;
  const filters: Filter[] = [...query.entries()].filter(([k]) => FILTER_KEY.test(k));
  return { period, from: from!, to: to!, metric, interval, filters };
}

/** The URL query of a view; defaults are left out so URLs stay short. */
export function writeState(s: ViewState): string {
  const q = new URLSearchParams();
  if (s.period !== '30d') q.set('period', s.period);
  if (s.period === 'custom') {
    q.set('from', s.from);
    q.set('to', s.to);
  }
  if (s.metric !== 'visitors') q.set('metric', s.metric);
  if (s.interval !== intervalsFor(daysBetween(s.from, s.to))[0]) q.set('interval', s.interval);
  for (const [dimension, value] of s.filters) q.append(dimension, value);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Adds a filter, replacing one on the same dimension. */
export function withFilter(s: ViewState, filter: Filter): ViewState {
  return { ...s, filters: [...s.filters.filter(([d]) => d !== filter[0]), filter] };
}

export function withoutFilter(s: ViewState, dimension: string): ViewState {
  return { ...s, filters: s.filters.filter(([d]) => d !== dimension) };
}
