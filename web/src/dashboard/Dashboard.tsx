import type { Api, Schemas } from '../api/client';
import { navigate, useLocation } from '../router';
import { Chart } from './Chart';
import { DateRange } from './DateRange';
import { ExportLinks } from './ExportLinks';
import { FilterChips } from './FilterChips';
import { Headline } from './Headline';
import { PANELS, Panel } from './Panel';
import { Realtime } from './Realtime';
import { EventProperties } from './EventProperties';
import { readState, withFilter, writeState, type Filter, type ViewState } from './state';

export type DashboardWebsite = Pick<Schemas['WebsiteDto'], 'id' | 'name' | 'domain' | 'timezone'>;

/**
 * One website's dashboard, read from the Stats API v2. `readOnly` (a shared link) hides links to
 * anything but the dashboard itself.
 */
export function Dashboard({ api, website, readOnly = false }: { api: Api; website: DashboardWebsite; readOnly?: boolean }) {
  const { path, query } = useLocation();
  const view = readState(query, website.timezone);
  const setView = (next: ViewState) => navigate(path + writeState(next));
  const filterBy = (filter: Filter) => setView(withFilter(view, filter));
  const eventName = view.filters.find(([d]) => d === 'event:name')?.[1];
  return (
    <div class="dashboard stack">
      <div class="dash-head">
        <div>
          <h1>{website.name}</h1>
          <span class="muted">{website.domain} · {website.timezone}</span>
        </div>
        <Realtime api={api} websiteId={website.id} />
        {!readOnly && (
          <nav class="row" aria-label="Website">
            <a href={`/websites/${website.id}/funnels${writeState(view)}`}>Funnels</a>
            <a href={`/websites/${website.id}/settings`}>Settings</a>
          </nav>
        )}
      </div>
      <div class="toolbar">
        <DateRange view={view} timeZone={website.timezone} onChange={setView} />
        <FilterChips view={view} onChange={setView} />
      </div>
      <Headline api={api} websiteId={website.id} view={view} onMetric={(metric) => setView({ ...view, metric })} />
      <Chart api={api} websiteId={website.id} view={view} onInterval={(interval) => setView({ ...view, interval })} onMetric={(metric) => setView({ ...view, metric })} />
      <div class="panels">
        {PANELS.map((p) => <Panel key={p.title} spec={p} api={api} websiteId={website.id} view={view} onFilter={filterBy} />)}
        {eventName && <EventProperties api={api} websiteId={website.id} view={view} eventName={eventName} onFilter={filterBy} />}
      </div>
      {!readOnly && <ExportLinks api={api} websiteId={website.id} view={view} />}
    </div>
  );
}
