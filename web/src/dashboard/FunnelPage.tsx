import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { useLocation } from '../router';
import { ErrorNote, Show, useAction, useLoad } from '../ui';
import { readState, writeState } from './state';

type Step = Schemas['FunnelStepDto'];

/** Builds a funnel of pages and events and shows how many visitors reach each step. */
export function FunnelPage({ websiteId }: { websiteId: string }) {
  const { api } = useApp();
  const [site] = useLoad(() => must(api.GET('/api/websites/{id}', { params: { path: { id: websiteId } } })), [api, websiteId]);
  return (
    <section class="page stack">
      <Show state={site}>{(w) => <FunnelBuilder website={w} />}</Show>
    </section>
  );
}

function FunnelBuilder({ website: w }: { website: Schemas['WebsiteDto'] }) {
  const { api } = useApp();
  const { query } = useLocation();
  const websiteId = w.id;
  const [steps, setSteps] = useState<Step[]>([{ type: 'page', value: '/' }, { type: 'event', value: '' }]);
  const [result, setResult] = useState<Schemas['FunnelResponseDto'] | null>(null);
  const update = (i: number, step: Partial<Step>) => setSteps(steps.map((s, j) => (j === i ? { ...s, ...step } : s)));
  const view = readState(query, w.timezone);
  const { run, pending, error } = useAction(async () => {
    setResult(await must(api.POST('/api/websites/{id}/funnels/query', {
      params: { path: { id: websiteId }, query: { start_date: view.from, end_date: view.to } },
      body: { steps: steps.filter((s) => s.value.trim()) },
    })));
  });
  const max = Math.max(1, ...(result?.steps.map((s) => s.visitors) ?? []));
  return (
    <>
      <p><a href={`/websites/${w.id}${writeState(view)}`}>← Dashboard of {w.name}</a></p>
      <h1>Funnel <span class="muted small">{view.from} – {view.to}</span></h1>
      <form class="card stack" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <ol class="steps">
          {steps.map((s, i) => (
            <li key={i} class="row">
              <label><span class="sr-only">Step {i + 1} type</span>
                <select value={s.type} onChange={(e) => update(i, { type: e.currentTarget.value as Step['type'] })}>
                  <option value="page">Page</option>
                  <option value="event">Event</option>
                </select>
              </label>
              <label class="grow"><span class="sr-only">Step {i + 1} {s.type === 'page' ? 'path' : 'event name'}</span>
                <input value={s.value} required placeholder={s.type === 'page' ? '/pricing' : 'Signup'} onInput={(e) => update(i, { value: e.currentTarget.value })} />
              </label>
              <button type="button" aria-label={`Remove step ${i + 1}`} disabled={steps.length <= 2} onClick={() => setSteps(steps.filter((_, j) => j !== i))}>Remove</button>
            </li>
          ))}
        </ol>
        <div class="row">
          <button type="button" disabled={steps.length >= 8} onClick={() => setSteps([...steps, { type: 'page', value: '' }])}>Add step</button>
          <button class="primary" disabled={pending}>{pending ? 'Counting…' : 'Show funnel'}</button>
        </div>
        <ErrorNote message={error} />
      </form>
      {result && (
        <ol class="card funnel" aria-label="Funnel result">
          {result.steps.map((s, i) => (
            <li key={i}>
              <span>{i + 1}. {s.type === 'page' ? 'Visited' : 'Did'} <strong>{s.value}</strong></span>
              <span class="bar-track"><span class="bar" style={{ width: `${(s.visitors / max) * 100}%` }} /></span>
              <span class="num">{s.visitors} visitors · {Math.round(s.conversion_from_first * 1000) / 10}% of first{i > 0 ? ` · ${Math.round(s.conversion_from_previous * 1000) / 10}% of previous` : ''}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
