import { must, type Api } from '../api/client';
import { useLoad } from '../ui';
import { Panel, type PanelSpec } from './Panel';
import type { Filter, ViewState } from './state';

/** The filtered custom event's properties, one panel tab per key (the keys its events carry most). */
export function EventProperties({ api, websiteId, view, eventName, onFilter }: { api: Api; websiteId: string; view: ViewState; eventName: string; onFilter: (f: Filter) => void }) {
  const [keys] = useLoad(async () => {
    const res = await must(api.GET('/api/websites/{id}/events/properties', {
      params: { path: { id: websiteId }, query: { event_name: eventName, start_date: view.from, end_date: view.to } },
    }));
    return res.data.slice(0, 6).map((p) => p.property_key);
  }, [api, websiteId, eventName, view.from, view.to]);
  if (!keys.data || keys.data.length === 0) return null;
  const spec: PanelSpec = {
    title: `Properties of ${eventName}`,
    tabs: keys.data.map((key) => ({ label: key, dimension: `event:props:${key}`, metrics: ['visitors', 'events'] })),
  };
  return <Panel key={spec.tabs.map((t) => t.label).join()} spec={spec} api={api} websiteId={websiteId} view={view} onFilter={onFilter} />;
}
