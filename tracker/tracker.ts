/*
 * Footfall browser tracker, served at GET /script.js.
 *
 *   <script defer src="https://analytics.example.com/script.js" data-website-id="..."></script>
 *
 * Sends pageviews (including single-page-app navigations) and custom events
 * (window.footfall.track(name, data)) to /api/collect on the script's own origin, in the
 * Sparklytics shape, as text/plain JSON (no CORS preflight). Sets no cookies and stores nothing.
 * Sends nothing when Do Not Track or Global Privacy Control is on, or on localhost unless the
 * tag has data-allow-localhost. No dependencies; this file is a classic script, not a module.
 * Calls made before it loaded (a deferred or async tag) wait in the page's stub and are sent once
 * it has:
 *   window.footfall = window.footfall || { q: [], track: function () { window.footfall.q.push(arguments) } };
 */
(function () {
  interface Payload {
    website_id: string;
    type: 'pageview' | 'event';
    url: string;
    [key: string]: unknown;
  }
  interface Footfall {
    track(name: string, data?: Record<string, unknown>): void;
    /** The page's stub keeps early calls here (arguments of track). */
    q?: ArrayLike<unknown>[];
  }

  const w = window as Window & { footfall?: Footfall; doNotTrack?: string };
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const loc = location;
  const script = document.currentScript as HTMLScriptElement | null;
  const websiteId = script && script.getAttribute('data-website-id');
  // Another copy already tracks this page (the stub, with its queue, is not one).
  if (!script || !websiteId || (w.footfall && !w.footfall.q)) return;
  const queued = (w.footfall && w.footfall.q) || [];

  const endpoint = new URL('/api/collect', script.src).href;
  const local = /^(localhost|127\.0\.0\.1|\[::1\]|::1)$/.test(loc.hostname);
  const disabled =
    nav.doNotTrack === '1' ||
    w.doNotTrack === '1' ||
    nav.globalPrivacyControl === true ||
    (local && !script.hasAttribute('data-allow-localhost'));

  function send(payload: Payload): void {
    if (disabled) return;
    const body = JSON.stringify(payload);
    try {
      if (typeof fetch === 'function') {
        fetch(endpoint, { method: 'POST', body, headers: { 'Content-Type': 'text/plain' }, keepalive: true, credentials: 'omit' }).catch(() => undefined);
      } else if (nav.sendBeacon) {
        nav.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }));
      }
    } catch {
      // Analytics must never break the page.
    }
  }

  let lastUrl = '';
  let referrer: string | undefined = document.referrer || undefined;
  let pending = false;

  function pageview(): void {
    pending = false;
    const url = loc.href;
    // One pageview per URL: repeated pushState/replaceState of the same URL are ignored.
    if (url === lastUrl) return;
    // After the first pageview, the previous in-app URL is the referrer of the next.
    if (lastUrl) referrer = lastUrl;
    lastUrl = url;
    send({
      website_id: websiteId as string,
      type: 'pageview',
      url,
      referrer,
      language: nav.language,
      screen: `${screen.width}x${screen.height}`,
    });
  }

  // Routers often push then replace in the same task: report the URL they settle on, once.
  function changed(): void {
    if (pending) return;
    pending = true;
    setTimeout(pageview, 0);
  }

  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      changed();
      return result;
    };
  }
  addEventListener('popstate', changed);

  w.footfall = {
    track(name: string, data?: Record<string, unknown>): void {
      if (typeof name !== 'string' || !name) return;
      send({ website_id: websiteId as string, type: 'event', event_name: name, event_data: data, url: loc.href });
    },
  };

  pageview();
  for (let i = 0; i < queued.length; i++) w.footfall.track(queued[i][0] as string, queued[i][1] as Record<string, unknown> | undefined);
})();
