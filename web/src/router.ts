import { signal, useSignal } from './signal';

/** The browser's location as the app routes on it. */
export interface Location {
  path: string;
  query: URLSearchParams;
}

const current = () => ({ path: location.pathname, query: new URLSearchParams(location.search) });
const here = signal<Location>(current());

export function navigate(url: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  here.set(current());
  if (!opts.replace) window.scrollTo(0, 0);
}

export const useLocation = () => useSignal(here);

/** Follows same-origin links without reloading the page (modified clicks open as usual). */
export function startRouter(): void {
  window.addEventListener('popstate', () => here.set(current()));
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
}

/** The params of `pattern` ("/websites/:id") in `path`, or null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
