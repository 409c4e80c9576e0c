import { useState } from 'preact/hooks';
import { daysBetween, intervalsFor, PERIODS, presetRange, todayIn, type Period, type ViewState } from './state';

/** Date presets and a custom range. */
export function DateRange({ view, timeZone, onChange }: { view: ViewState; timeZone: string; onChange: (v: ViewState) => void }) {
  const [custom, setCustom] = useState(view.period === 'custom');
  const fit = (v: ViewState): ViewState => {
    const allowed = intervalsFor(daysBetween(v.from, v.to));
    return { ...v, interval: allowed.includes(v.interval) ? v.interval : allowed[0] };
  };
  const choose = (period: Period) => {
    if (period === 'custom') {
      setCustom(true);
      return;
    }
    setCustom(false);
    const [from, to] = presetRange(period, todayIn(timeZone));
    onChange(fit({ ...view, period, from, to, interval: intervalsFor(daysBetween(from, to))[0] }));
  };
  return (
    <div class="range">
      <label>
        <span class="sr-only">Date range</span>
        <select value={custom ? 'custom' : view.period} onChange={(e) => choose(e.currentTarget.value as Period)}>
          {PERIODS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        </select>
      </label>
      {custom && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const from = String(data.get('from'));
            const to = String(data.get('to'));
            if (from && to && from <= to) onChange(fit({ ...view, period: 'custom', from, to }));
          }}
        >
          <label>From <input type="date" name="from" required defaultValue={view.from} /></label>
          <label>To <input type="date" name="to" required defaultValue={view.to} /></label>
          <button>Apply</button>
        </form>
      )}
      <span class="muted">{view.from === view.to ? view.from : `${view.from} – ${view.to}`}</span>
    </div>
  );
}
