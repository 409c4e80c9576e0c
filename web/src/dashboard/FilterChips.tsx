import { countryName } from './format';
import { withoutFilter, type ViewState } from './state';

const LABELS: Record<string, string> = {
  'event:page': 'Page', 'visit:entry_page': 'Entry page', 'visit:exit_page': 'Exit page', 'visit:source': 'Source',
  'visit:utm_source': 'UTM source', 'visit:utm_medium': 'UTM medium', 'visit:utm_campaign': 'UTM campaign',
  'visit:country': 'Country', 'visit:region_name': 'Region', 'visit:city_name': 'City', 'visit:device': 'Device',
  'visit:browser': 'Browser', 'visit:os': 'OS', 'event:name': 'Event', 'event:goal': 'Goal',
};

export const dimensionLabel = (d: string) => LABELS[d] ?? d.replace(/^(event|visit):(props:)?/, '');

/** The active filters, each removable. */
export function FilterChips({ view, onChange }: { view: ViewState; onChange: (v: ViewState) => void }) {
  if (view.filters.length === 0) return null;
  return (
    <ul class="chips" aria-label="Filters">
      {view.filters.map(([d, v]) => {
        const shown = d === 'visit:country' ? countryName(v) : v;
        return (
          <li key={d} class="chip">
            <span>{dimensionLabel(d)} is <strong>{shown}</strong></span>
            <button type="button" aria-label={`Remove filter ${dimensionLabel(d)} is ${shown}`} onClick={() => onChange(withoutFilter(view, d))}>×</button>
          </li>
        );
      })}
      {view.filters.length > 1 && <li><button type="button" class="link" onClick={() => onChange({ ...view, filters: [] })}>Clear all</button></li>}
    </ul>
  );
}
