import type { Metric } from './state';

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat();

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function formatMetric(metric: Metric | string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  switch (metric) {
    case 'bounce_rate':
    case 'conversion_rate':
    case 'percentage':
      return `${value}%`;
    case 'visit_duration':
      return duration(value);
    case 'views_per_visit':
      return value.toFixed(2);
    default:
      return value >= 100_000 ? compact.format(value) : whole.format(value);
  }
}

/** The change from `before` to `now`, in percent (null when there is nothing to compare). */
export function change(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now == null || before == null) return null;
  if (before === 0) return now === 0 ? 0 : null;
  return Math.round(((now - before) / before) * 100);
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return null;
  }
})();

export function countryName(code: string): string {
  try {
    return (code && regionNames?.of(code)) || code;
  } catch {
    return code;
  }
}
