import { useState } from 'preact/hooks';
import type { Schemas } from '../api/client';
import { CopyButton } from '../ui';

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/** How to send this website's events: the script tag and each ingestion dialect. */
function snippets(origin: string, w: Schemas['WebsiteDto']): { id: string; label: string; code: string }[] {
  const json = (v: object) => JSON.stringify(v);
  const curl = (path: string, body: object, auth = false, extra = '') =>
    `curl -s ${origin}${path}${auth ? ' -H "Authorization: Bearer $KEY"' : ''}${extra} -H 'Content-Type: application/json' \\\n  -d '${json(body)}'`;
  return [
    {
      id: 'script',
      label: 'Script tag',
      code: `<script defer src="${origin}/script.js" data-website-id="${w.id}"></script>\n<!-- custom events: window.footfall.track('signup', { plan: 'pro' }) -->`,
    },
    {
      id: 'plausible',
      label: 'Plausible',
      code: `<!-- Plausible's script, sending here -->\n<script defer data-domain="${w.domain}" data-api="${origin}/api/event" src="/js/script.js"></script>\n\n// or @plausible-analytics/tracker\ninit({ domain: '${w.domain}', endpoint: '${origin}/api/event' })`,
    },
    { id: 'umami', label: 'Umami', code: `<script defer src="/umami.js" data-website-id="${w.id}" data-host-url="${origin}"></script>\n\n${curl('/api/send', { type: 'event', payload: { website: w.id, hostname: w.domain, url: '/pricing', name: 'signup' } }, false, ` -A '${UA}'`)}` },
    { id: 'sparklytics', label: 'Sparklytics', code: curl('/api/collect', { website_id: w.id, type: 'pageview', url: `https://${w.domain}/pricing` }) },
    { id: 'native', label: 'Footfall', code: curl('/api/v1/events', { website_id: w.id, type: 'custom', name: 'signup', url: `https://${w.domain}/pricing`, props: { plan: 'pro' } }, true) },
    { id: 'ovyxa', label: 'Ovyxa', code: curl('/api/v1/events/pageview', { site_id: w.id, url: `https://${w.domain}/` }, true) },
    { id: 'rybbit', label: 'Rybbit', code: curl('/api/track', { api_key: '$KEY', site_id: w.id, type: 'pageview', pathname: '/docs', hostname: w.domain }) },
    { id: 'webanalyzer', label: 'Web Analyzer', code: curl(`/api/v1/websites/${w.id}/track`, { name: 'download', url: `https://${w.domain}/app` }, true) },
  ];
}

export function InstallSnippets({ website }: { website: Schemas['WebsiteDto'] }) {
  const all = snippets(location.origin, website);
  const [chosen, setChosen] = useState(all[0].id);
  const shown = all.find((s) => s.id === chosen) ?? all[0];
  return (
    <section class="card stack" aria-labelledby="install">
      <h2 id="install">Install</h2>
      <p class="muted">Website id <code>{website.id}</code>. Server-side dialects take an API key with the ingest scope as <code>$KEY</code>.</p>
      <div class="tabs" role="group" aria-label="Ingestion dialect">
        {all.map((s) => (
          <button key={s.id} type="button" aria-pressed={s.id === chosen} onClick={() => setChosen(s.id)}>{s.label}</button>
        ))}
      </div>
      <pre class="code" tabIndex={0} aria-label={`${shown.label} snippet`}><code>{shown.code}</code></pre>
      <div><CopyButton text={shown.code} label="Copy snippet" /></div>
    </section>
  );
}
