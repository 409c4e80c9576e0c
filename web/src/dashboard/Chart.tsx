import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Api } from '../api/client';
import { ErrorNote, useLoad } from '../ui';
import { formatMetric } from './format';
import { estimatedMetrics, v2, v2Filters } from './query';
import { daysBetween, intervalsFor, METRICS, type Interval, type Metric, type ViewState } from './state';

/** A time label of the v2 answer ("2026-12-04" or "2026-12-04 13:00:00") as seconds, shown as that wall-clock time. */
function labelTime(label: string): number {
  const [date, time = '00:00:00'] = label.split(/[ T]/);
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  return new Date(y, m - 1, d, h || 0, min || 0).getTime() / 1000;
}

/** The time series of the chosen metric, at the chosen interval. */
export function Chart({ api, websiteId, view, onInterval, onMetric }: { api: Api; websiteId: string; view: ViewState; onInterval: (i: Interval) => void; onMetric: (m: Metric) => void }) {
  const filters = v2Filters(view.filters);
  const [state, retry] = useLoad(async () => {
    const res = await v2(api, {
      site_id: websiteId, metrics: [view.metric], date_range: [view.from, view.to], filters,
      dimensions: [`time:${view.interval}`], include: { time_labels: true },
    });
    const byLabel = new Map(res.results.map((r) => [r.dimensions[0], r.metrics[0] ?? 0]));
    const labels = res.meta.time_labels ?? res.results.map((r) => r.dimensions[0]);
    return { labels, values: labels.map((l) => byLabel.get(l) ?? 0), estimated: estimatedMetrics(res).has(view.metric) };
  }, [api, websiteId, view.from, view.to, view.metric, view.interval, JSON.stringify(filters)]);
  const box = useRef<HTMLDivElement>(null);
  const data = state.data;

  useEffect(() => {
    const el = box.current;
    if (!el || !data) return;
    const metric = view.metric;
    const hourly = view.interval === 'hour';
    const plot = new uPlot({
      width: el.clientWidth,
      height: 240,
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { stroke: '#5b6472', grid: { stroke: '#eef0f3' }, values: hourly ? '{HH}:{mm}' : undefined },
        { stroke: '#5b6472', grid: { stroke: '#eef0f3' }, size: 56, values: (_u, ticks) => ticks.map((t) => formatMetric(metric, t)) },
      ],
      series: [{}, { label: METRICS.find((m) => m.id === metric)?.label, stroke: '#2f6fed', width: 2, fill: 'rgba(47,111,237,0.12)', points: { show: data.labels.length < 40 } }],
    }, [data.labels.map(labelTime), data.values], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [data, view.metric, view.interval]);

  const allowed = intervalsFor(daysBetween(view.from, view.to));
  const label = METRICS.find((m) => m.id === view.metric)?.label ?? view.metric;
  return (
    <section class="card chart" aria-label={`${label} over time`} aria-busy={state.status === 'loading'}>
      <div class="row between">
        <label>
          <span class="sr-only">Metric</span>
          <select value={view.metric} onChange={(e) => onMetric(e.currentTarget.value as Metric)}>
            {METRICS.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
        </label>
        {data?.estimated && <span class="badge" title="Estimated from daily rollups">≈ estimated</span>}
        <div class="tabs" role="group" aria-label="Interval">
          {allowed.slice().sort((a, b) => ['hour', 'day', 'week', 'month'].indexOf(a) - ['hour', 'day', 'week', 'month'].indexOf(b)).map((i) => (
            <button key={i} type="button" aria-pressed={view.interval === i} onClick={() => onInterval(i)}>{i}</button>
          ))}
        </div>
      </div>
      {state.status === 'error' && <ErrorNote message={state.error} retry={retry} />}
      <div ref={box} class="plot" role="img" aria-label={data ? `${label} by ${view.interval}: ${data.values.reduce((a, b) => a + b, 0)} in all` : 'Loading chart'} />
    </section>
  );
}
