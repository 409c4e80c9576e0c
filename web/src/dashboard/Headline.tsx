import type { Api } from '../api/client';
import { ErrorNote, useLoad } from '../ui';
import { change, formatMetric } from './format';
import { estimatedMetrics, v2, v2Filters } from './query';
import { METRICS, previousRange, type Metric, type ViewState } from './state';

/** Lower is better for these: their change is shown as good when it falls. */
const LOWER_IS_BETTER = new Set<Metric>(['bounce_rate']);

/** The headline numbers of the range, each with the previous period's and the change. */
export function Headline({ api, websiteId, view, onMetric }: { api: Api; websiteId: string; view: ViewState; onMetric: (m: Metric) => void }) {
  const metrics = METRICS.map((m) => m.id);
  const filters = v2Filters(view.filters);
  const [state, retry] = useLoad(async () => {
    const [now, before] = await Promise.all([
      v2(api, { site_id: websiteId, metrics, date_range: [view.from, view.to], filters }),
      v2(api, { site_id: websiteId, metrics, date_range: previousRange(view.from, view.to), filters }),
    ]);
    return { now: now.results[0]?.metrics ?? [], before: before.results[0]?.metrics ?? [], estimated: estimatedMetrics(now) };
  }, [api, websiteId, view.from, view.to, JSON.stringify(filters)]);
  const data = state.data;
  return (
    <section aria-label="Headline numbers" aria-busy={state.status === 'loading'}>
      {state.status === 'error' && <ErrorNote message={state.error} retry={retry} />}
      <ul class="headline">
        {METRICS.map((m, i) => {
          const value = data?.now[i];
          const pct = change(value, data?.before[i]);
          const good = pct !== null && pct !== 0 && (pct > 0) !== LOWER_IS_BETTER.has(m.id);
          const estimated = data?.estimated.has(m.id);
          return (
            <li key={m.id}>
              <button type="button" class={view.metric === m.id ? 'stat active' : 'stat'} aria-pressed={view.metric === m.id} onClick={() => onMetric(m.id)} data-metric={m.id}>
                <span class="label">{m.label}</span>
                <span class="value" data-value={value ?? ''} title={estimated ? 'Estimated from daily rollups (about 1.6% standard error)' : undefined}>
                  {data ? `${estimated ? '≈ ' : ''}${formatMetric(m.id, value)}` : '…'}
                </span>
                {data && (
                  <span class="compare">
                    {pct === null ? <span class="muted">new</span> : <span class={pct === 0 ? 'muted' : good ? 'up' : 'down'}>{pct > 0 ? '↑ ' : pct < 0 ? '↓ ' : ''}{Math.abs(pct)}%</span>}
                    <span class="muted"> (before: {formatMetric(m.id, data.before[i])})</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      {data && data.estimated.size > 0 && <p class="muted small">≈ estimated: unique visitors over long ranges come from daily rollups (about 1.6% standard error).</p>}
    </section>
  );
}
