import { useEffect, useState } from 'preact/hooks';
import { must, type Api } from '../api/client';

const EVERY_MS = 15_000;

/** Visitors on the site right now, refreshed while the page is visible. */
export function Realtime({ api, websiteId }: { api: Api; websiteId: string }) {
  const [visitors, setVisitors] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => {
      if (document.visibilityState !== 'visible') return;
      must(api.GET('/api/websites/{id}/realtime', { params: { path: { id: websiteId } } })).then(
        (r) => live && setVisitors(r.visitors),
        () => live && setVisitors(null),
      );
    };
    load();
    const timer = setInterval(load, EVERY_MS);
    document.addEventListener('visibilitychange', load);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', load);
    };
  }, [api, websiteId]);
  return (
    <p class="realtime" role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" /> {visitors === null ? '…' : visitors} current visitor{visitors === 1 ? '' : 's'}
    </p>
  );
}
