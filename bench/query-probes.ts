/**
 * The query benchmark's probes (issue 16's list, plus the unfiltered queries rollups answer), their
 * targets per phase, how one is timed, and the tables printed from the timings.
 */
import { FUNNEL_STEPS, PROP_KEY, PROPERTIES_EVENT } from './query-traffic';

export type PhaseName = 'fresh' | 'raw' | 'rollups';

export const PHASE_TITLES: Record<PhaseName, string> = {
  fresh: 'right after load, rollups not caught up',
  raw: 'raw path (rollups disabled)',
  rollups: 'with rollups (caught up)',
};

export interface Probe {
  name: string;
  days: 30 | 90;
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** Rollups answer it when caught up (unfiltered stats, breakdowns and series): the < 100 ms target applies there. */
  rolledUp: boolean;
  funnel: boolean;
}

export interface Outcome {
  probe: Probe;
  /** The warm-up run (the first request of this probe in its phase). */
  first: number | null;
  p50: number | null;
  max: number | null;
  error: string | null;
  sample: unknown;
  /** Right after the load: the rollup backlog (changed 15-minute slots) when the probe started. */
  backlog?: number;
}

/** The filters' values: frequent in the traffic model (query-traffic.ts). */
export const FILTERS = { page: '/blog', country: 'DE', source: 'google.com', device: 'Mobile' };

/** p50 target (ms) of a probe in a phase (issue 16, "Benchmark"). */
export function target(phase: PhaseName, p: Probe): number {
  if (phase === 'fresh') return 1000;
  if (phase === 'rollups' && p.rolledUp) return 100;
  if (p.days === 90) return 1500;
  return p.funnel ? 1000 : 500;
}

export const TARGETS_TEXT = [
  'right after load: every probe < 1 s',
  'raw path: 30 d < 500 ms, funnel 30 d < 1 s, 90 d < 1.5 s',
  'with rollups: unfiltered stats, breakdowns and series < 100 ms; the others as on the raw path (rollups do not answer them)',
];

function minusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

export function buildProbes(base: string, websiteId: string, lastDay: string): Probe[] {
  const site = `${base}/api/websites/${encodeURIComponent(websiteId)}`;
  const out: Probe[] = [];
  const f = (name: string, value: string) => `${encodeURIComponent(`filter[${name}]`)}=${encodeURIComponent(value)}`;
  for (const days of [30, 90] as const) {
    const first = minusDays(lastDay, days - 1);
    const qs = `start_date=${first}&end_date=${lastDay}`;
    const get = (name: string, pathAndQuery: string, rolledUp = false) =>
      out.push({ name, days, method: 'GET', url: `${site}${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}${qs}`, rolledUp, funnel: false });
    const v2 = (name: string, query: Record<string, unknown>) =>
      out.push({ name, days, method: 'POST', url: `${base}/api/v2/query`, body: { site_id: websiteId, date_range: [first, lastDay], ...query }, rolledUp: false, funnel: false });

    get('stats', '/stats', true);
    get(`stats, page contains ${FILTERS.page}`, `/stats?${f('page', `contains:${FILTERS.page}`)}`);
    get(`stats, country is ${FILTERS.country}`, `/stats?${f('country', FILTERS.country)}`);
    v2(`stats (v2), source is ${FILTERS.source} and device is ${FILTERS.device}`, {
      metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'views_per_visit'],
      filters: [['is', 'visit:source', [FILTERS.source]], ['is', 'visit:device', [FILTERS.device]]],
    });
    get(`breakdown page, country is ${FILTERS.country}`, `/breakdown/page?${f('country', FILTERS.country)}`);
    v2('breakdown (v2) country x device', { metrics: ['visitors', 'pageviews'], dimensions: ['visit:country', 'visit:device'], pagination: { limit: 20 } });
    v2(`goal conversion (v2): "${PROPERTIES_EVENT}" by source`, {
      metrics: ['visitors', 'conversion_rate', 'group_conversion_rate'],
      dimensions: ['visit:source'],
      filters: [['is', 'event:goal', [PROPERTIES_EVENT]]],
      pagination: { limit: 20 },
    });
    out.push({
      name: `funnel ${FUNNEL_STEPS.map((s) => s.value).join(' > ')}`,
      days,
      method: 'POST',
      url: `${site}/funnels/query?${qs}`,
      body: { steps: FUNNEL_STEPS.map((s) => ({ type: s.type, value: s.value })) },
      rolledUp: false,
      funnel: true,
    });
    for (const d of ['page', 'referrer_domain', 'country', 'device_type', `prop:${PROP_KEY}`]) get(`breakdown ${d}`, `/breakdown/${encodeURIComponent(d)}`, true);
    get('timeseries pageviews/day', '/timeseries?metric=pageviews&granularity=day', true);
    get('timeseries visitors/day', '/timeseries?metric=visitors&granularity=day', true);
  }
  // Grouped by probe, 30 d before 90 d, so the tables read down one probe at a time.
  const order = new Map(out.map((p, i) => [p.name, i]));
  return out.sort((a, b) => order.get(a.name)! - order.get(b.name)! || a.days - b.days);
}

type Call = (method: string, url: string, body: unknown) => Promise<{ status: number; text: string; ms: number }>;

/** One warm-up run, then `runs` timed runs, one after another. */
export async function measure(p: Probe, runs: number, call: Call): Promise<Outcome> {
  const times: number[] = [];
  let sample: unknown = null;
  let first: number | null = null;
  try {
    for (let i = 0; i <= runs; i++) {
      const r = await call(p.method, p.url, p.body);
      if (r.status < 200 || r.status >= 300) return { probe: p, first, p50: null, max: null, error: `HTTP ${r.status} ${r.text.slice(0, 1000)}`, sample: null };
      if (i === 0) {
        sample = JSON.parse(r.text);
        first = r.ms;
      } else times.push(r.ms);
    }
  } catch (err) {
    return { probe: p, first, p50: null, max: null, error: (err as Error).message, sample: null };
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const p50 = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { probe: p, first, p50, max: times[times.length - 1], error: null, sample };
}

/** Whether an answer carries estimated visitors (rollups): REST's flag, v2's metric warnings. */
export function estimated(sample: unknown): boolean {
  const s = sample as { estimated?: boolean; meta?: { metric_warnings?: Record<string, unknown> } } | null;
  return !!s?.estimated || Object.keys(s?.meta?.metric_warnings ?? {}).length > 0;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** A few figures of an answer, to see that a filter matched something. */
export function gist(sample: unknown): string {
  const s = sample as Record<string, any> | null;
  if (!s) return '-';
  if (s.visitors?.value !== undefined) return `${n(s.visitors.value)} visitors, ${n(s.pageviews.value)} pageviews`;
  if (Array.isArray(s.steps)) return s.steps.map((x: { visitors: number }) => n(x.visitors)).join(' > ');
  if (Array.isArray(s.results)) {
    const r = s.results as { metrics: number[]; dimensions: string[] }[];
    if (r.length === 1 && r[0].dimensions.length === 0) return `${n(r[0].metrics[0])} visitors, ${n(r[0].metrics[2] ?? 0)} pageviews`;
    return `${r.length} rows; top ${r[0]?.dimensions.join(' x ') ?? '-'} ${r[0] ? n(r[0].metrics[0]) : ''}`;
  }
  if (Array.isArray(s.data) && s.metric) {
    const points = s.data as { value: number }[];
    return `${points.length} days, ${n(points.reduce((sum, x) => sum + x.value, 0))} in all`;
  }
  if (Array.isArray(s.data)) {
    const top = s.data[0] as { value: string | null; visitors: number } | undefined;
    return `${s.data.length} rows; top ${top ? `${top.value ?? '(none)'} ${n(top.visitors)}` : '-'}`;
  }
  return '-';
}

const ms = (v: number | null) => (v === null ? '-' : v.toFixed(0));

export function printPhase(phase: PhaseName, outcomes: Outcome[]): void {
  const backlog = outcomes.some((o) => o.backlog !== undefined);
  console.log(`\n| probe | range | first ms | p50 ms | max ms | target p50 | result | answered from | answer |${backlog ? ' rollup backlog at start |' : ''}`);
  console.log(`|---|---|---:|---:|---:|---|---|---|---|${backlog ? '---:|' : ''}`);
  for (const o of outcomes) {
    const t = target(phase, o.probe);
    const result = o.error ? 'ERROR' : o.p50! < t ? 'PASS' : 'MISS';
    const from = o.error ? '-' : estimated(o.sample) ? 'rollups (estimated visitors)' : 'exact';
    const slots = backlog ? ` ${o.backlog?.toLocaleString('en-US') ?? '-'} slots |` : '';
    console.log(`| ${o.probe.name} | ${o.probe.days} d | ${ms(o.first)} | ${ms(o.p50)} | ${ms(o.max)} | < ${t} ms | ${result} | ${from} | ${o.error ? '-' : gist(o.sample)} |${slots}`);
  }
  const judged = outcomes.filter((o) => !o.error);
  const passed = judged.filter((o) => o.p50! < target(phase, o.probe)).length;
  console.log(`\n${PHASE_TITLES[phase]}: ${passed} PASS, ${judged.length - passed} MISS, ${outcomes.length - judged.length} ERROR`);
  for (const o of outcomes.filter((x) => x.error)) console.log(`ERROR ${o.probe.name} ${o.probe.days} d: ${o.error}`);
}

/** One row per probe and range, one p50 column per phase run. */
export function printSummary(results: Partial<Record<PhaseName, Outcome[]>>): void {
  const phases = (['fresh', 'raw', 'rollups'] as const).filter((p) => results[p]);
  if (!phases.length) return;
  const rows = (results.raw ?? results.rollups ?? results.fresh)!.map((o) => o.probe);
  console.log(`\nsummary: p50 ms (target), ${phases.map((p) => PHASE_TITLES[p]).join(' | ')}`);
  console.log(`| probe | range | ${phases.map((p) => PHASE_TITLES[p]).join(' | ')} |`);
  console.log(`|---|---|${phases.map(() => '---:').join('|')}|`);
  for (const p of rows) {
    const cells = phases.map((ph) => {
      const o = results[ph]!.find((x) => x.probe.name === p.name && x.probe.days === p.days);
      if (!o) return '-';
      const t = target(ph, p);
      return o.error ? 'ERROR' : `${ms(o.p50)} (< ${t})${o.p50! < t ? '' : ' MISS'}`;
    });
    console.log(`| ${p.name} | ${p.days} d | ${cells.join(' | ')} |`);
  }
}

/** Estimated visitors (rollups) against the exact counts of the raw path, same probe and range. */
export function printAccuracy(rollups: Outcome[], raw: Outcome[]): void {
  const lines: string[] = [];
  const visitors = (s: unknown): number | null => {
    const x = s as { visitors?: { value: number } } | null;
    return x?.visitors?.value ?? null;
  };
  for (const o of rollups.filter((x) => estimated(x.sample))) {
    const exact = raw.find((x) => x.probe.name === o.probe.name && x.probe.days === o.probe.days);
    if (!exact || estimated(exact.sample)) continue;
    const [e, t] = [visitors(o.sample), visitors(exact.sample)];
    if (e !== null && t !== null) lines.push(`  ${o.probe.name} ${o.probe.days} d: estimate ${n(e)}, exact ${n(t)} (${(((e - t) / t) * 100).toFixed(2)}%)`);
    const [ed, td] = [(o.sample as { data?: unknown[] }).data, (exact.sample as { data?: unknown[] }).data];
    if (Array.isArray(ed) && Array.isArray(td) && o.probe.name.startsWith('breakdown ')) {
      for (const row of (ed as { value: string; visitors: number }[]).slice(0, 2)) {
        const truth = (td as { value: string; visitors: number }[]).find((r) => r.value === row.value);
        if (truth) lines.push(`  ${o.probe.name} ${o.probe.days} d, ${row.value}: estimate ${n(row.visitors)}, exact ${n(truth.visitors)} (${(((row.visitors - truth.visitors) / truth.visitors) * 100).toFixed(2)}%)`);
      }
    }
  }
  if (lines.length) console.log(`\nestimated visitors (with rollups) against the raw path's exact counts:\n${lines.join('\n')}`);
}
