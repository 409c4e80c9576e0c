import { useState } from 'preact/hooks';
import type { Api } from '../api/client';
import { ErrorNote, useLoad, useSeen } from '../ui';
import { countryName, formatMetric } from './format';
import { estimatedMetrics, v2, v2Filters, type V2Metric } from './query';
import type { Filter, ViewState } from './state';

interface Tab {
  label: string;
  dimension: string;
  metrics?: V2Metric[];
  /** Extra filters of this tab (custom events leave pageviews out). */
  filters?: unknown[][];
  show?: (value: string) => string;
}

export interface PanelSpec {
  title: string;
  tabs: Tab[];
}

const country = (v: string) => countryName(v);

/** The dashboard's breakdown panels, each one v2 query per shown tab. */
export const PANELS: PanelSpec[] = [
  { title: 'Pages', tabs: [{ label: 'Top pages', dimension: 'event:page', metrics: ['visitors', 'pageviews'] }, { label: 'Entry pages', dimension: 'visit:entry_page' }, { label: 'Exit pages', dimension: 'visit:exit_page' }] },
  { title: 'Sources', tabs: [{ label: 'Sources', dimension: 'visit:source' }, { label: 'UTM source', dimension: 'visit:utm_source' }, { label: 'UTM medium', dimension: 'visit:utm_medium' }, { label: 'UTM campaign', dimension: 'visit:utm_campaign' }] },
  { title: 'Locations', tabs: [{ label: 'Countries', dimension: 'visit:country', show: country }, { label: 'Regions', dimension: 'visit:region_name' }, { label: 'Cities', dimension: 'visit:city_name' }] },
  { title: 'Devices', tabs: [{ label: 'Devices', dimension: 'visit:device' }, { label: 'Browsers', dimension: 'visit:browser' }, { label: 'OS', dimension: 'visit:os' }] },
  { title: 'Custom events', tabs: [{ label: 'Events', dimension: 'event:name', metrics: ['visitors', 'events'], filters: [['is_not', 'event:name', ['pageview']]] }] },
  { title: 'Goals', tabs: [{ label: 'Goals', dimension: 'event:goal', metrics: ['visitors', 'events', 'conversion_rate'] }] },
];

const HEADINGS: Record<string, string> = { visitors: 'Visitors', pageviews: 'Pageviews', events: 'Events', conversion_rate: 'CR' };

/** A top-10 breakdown; clicking a row filters the whole dashboard by it. */
export function Panel({ spec, api, websiteId, view, onFilter }: { spec: PanelSpec; api: Api; websiteId: string; view: ViewState; onFilter: (f: Filter) => void }) {
  const [tabIndex, setTab] = useState(0);
  const tab = spec.tabs[tabIndex];
  const metrics = tab.metrics ?? ['visitors'];
  const filters = [...v2Filters(view.filters), ...(tab.filters ?? [])];
  const [box, seen] = useSeen<HTMLElement>();
  const [state, retry] = useLoad(async () => {
    if (!seen) return null;
    const res = await v2(api, {
      site_id: websiteId, metrics, date_range: [view.from, view.to], filters, dimensions: [tab.dimension],
      order_by: [[metrics[0], 'desc']], pagination: { limit: 10, offset: 0 },
    });
    return { rows: res.results, estimated: estimatedMetrics(res) };
  }, [api, websiteId, view.from, view.to, tab.dimension, JSON.stringify(filters), seen]);
  const rows = state.data?.rows ?? [];
  const max = Math.max(1, ...rows.map((r) => r.metrics[0] ?? 0));
  const active = view.filters.find(([d]) => d === tab.dimension)?.[1];
  const id = `panel-${spec.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section ref={box} class="card panel" aria-labelledby={id} aria-busy={state.status === 'loading' || !state.data} data-panel={spec.title}>
      <div class="row between">
        <h2 id={id}>{spec.title}</h2>
        {spec.tabs.length > 1 && (
          <div class="tabs" role="group" aria-label={`${spec.title} by`}>
            {spec.tabs.map((t, i) => <button key={t.label} type="button" aria-pressed={i === tabIndex} onClick={() => setTab(i)}>{t.label}</button>)}
          </div>
        )}
      </div>
      {state.status === 'error' && <ErrorNote message={state.error} retry={retry} />}
      {state.status !== 'error' && rows.length === 0 && <p class="muted">{state.status === 'loading' || !state.data ? 'Loading…' : 'Nothing in this range.'}</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{tab.label}</th>
              {metrics.map((m) => <th key={m} scope="col" class="num">{HEADINGS[m] ?? m}{state.data?.estimated.has(m) ? ' ≈' : ''}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const value = r.dimensions[0];
              const shown = tab.show ? tab.show(value) : value || '(none)';
              return (
                <tr key={value}>
                  <td class="bar-cell">
                    <span class="bar" style={{ width: `${((r.metrics[0] ?? 0) / max) * 100}%` }} aria-hidden="true" />
                    <button type="button" class="row-link" aria-current={active === value ? 'true' : undefined} title={`Filter by ${shown}`} onClick={() => onFilter([tab.dimension, value])}>{shown}</button>
                  </td>
                  {metrics.map((m, i) => <td key={m} class="num">{formatMetric(m, r.metrics[i])}</td>)}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
