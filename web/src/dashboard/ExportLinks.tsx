import { must, type Api } from '../api/client';
import { ErrorNote, useAction } from '../ui';
import type { ViewState } from './state';

/** Downloads the range's raw events as CSV or NDJSON (the export needs the bearer token, so it is fetched, then saved). */
export function ExportLinks({ api, websiteId, view }: { api: Api; websiteId: string; view: ViewState }) {
  const { run, pending, error } = useAction(async (format: 'csv' | 'ndjson') => {
    const blob = await must(api.GET('/api/websites/{id}/export', {
      params: { path: { id: websiteId }, query: { format, start_date: view.from, end_date: view.to } },
      parseAs: 'blob',
    }));
    const url = URL.createObjectURL(blob as Blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${websiteId}-${view.from}-${view.to}.${format}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return (
    <section class="row export" aria-label="Export">
      <span class="muted">Export the range's events:</span>
      <button type="button" disabled={pending} onClick={() => run('csv')}>CSV</button>
      <button type="button" disabled={pending} onClick={() => run('ndjson')}>NDJSON</button>
      <ErrorNote message={error} />
    </section>
  );
}
