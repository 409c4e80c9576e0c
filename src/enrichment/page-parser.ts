import { Injectable } from '@nestjs/common';
import { CanonicalEvent, UtmParams } from '../collect/canonical-event';
import { PageInfo } from './enriched-event';
import { cleanText, MAX_LENGTH } from './text';

/** Where the page was: host, path and query string, each null when unknown. */
export interface PageLocation {
  hostname: string | null;
  path: string | null;
  query: string | null;
}

const NO_LOCATION: PageLocation = Object.freeze({ hostname: null, path: null, query: null });
const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmValues = Record<(typeof UTM_KEYS)[number], string | null>;
/** Longer inputs are not URLs anyone typed; parsing them would only cost time. */
const MAX_URL_INPUT = 8192;
/** Base for URLs that are only a path ("/pricing?x=1"); its host is never stored. */
const PATH_ONLY_BASE = 'http://path-only.invalid';

/** Everything PageInfo holds, derived from the event (`websiteDomain` marks own-site referrers). */
export function parsePage(event: CanonicalEvent, websiteDomain: string | null): PageInfo {
  const location = pageLocation(event);
  const referrer = cleanText(event.referrer, MAX_LENGTH.referrer);
  const utm = utmParams(event.utm, location.query);
  // Fields listed one by one: an object spread here cost several microseconds per event in V8.
  return {
    hostname: location.hostname,
    path: location.path,
    query: location.query,
    referrer,
    referrerDomain: referrerDomain(referrer, location.hostname, websiteDomain),
    utmSource: utm.source,
    utmMedium: utm.medium,
    utmCampaign: utm.campaign,
    utmTerm: utm.term,
    utmContent: utm.content,
  };
}

/** From the full url when there is one, else from the hostname/pathname/querystring parts (Rybbit). */
export function pageLocation(event: Pick<CanonicalEvent, 'url' | 'hostname' | 'pathname' | 'querystring'>): PageLocation {
  const url = typeof event.url === 'string' ? event.url.trim() : '';
  if (url.length > 0) {
    const parsed = parseLooseUrl(url);
    if (parsed === null) return NO_LOCATION;
    // A path-only url takes its host from the parts, when the dialect sent one.
    const hostname = parsed.origin === PATH_ONLY_BASE ? cleanHostname(event.hostname) : cleanHostname(parsed.hostname);
    return {
      hostname,
      path: cleanText(parsed.pathname, MAX_LENGTH.path) ?? '/',
      query: cleanText(parsed.search.slice(1), MAX_LENGTH.query),
    };
  }
  const hostname = cleanHostname(event.hostname);
  let path = cleanText(event.pathname, MAX_LENGTH.path);
  if (path !== null && !path.startsWith('/')) path = `/${path}`;
  let query = typeof event.querystring === 'string' ? event.querystring.trim() : null;
  if (query?.startsWith('?')) query = query.slice(1);
  return {
    hostname,
    path: path ?? (hostname !== null ? '/' : null),
    query: cleanText(query, MAX_LENGTH.query),
  };
}

/** Referrer host without "www."; null when empty, unparsable, or the site itself (internal navigation). */
export function referrerDomain(referrer: string | null, pageHostname: string | null, websiteDomain: string | null): string | null {
  if (referrer === null) return null;
  const parsed = parseLooseUrl(referrer);
  if (parsed === null || parsed.origin === PATH_ONLY_BASE) return null;
  const host = stripWww(cleanHostname(parsed.hostname));
  if (host === null) return null;
  if (host === stripWww(pageHostname) || host === stripWww(cleanHostname(websiteDomain))) return null;
  return host;
}

/** Each utm_* from the body when present, else from the page's query string; trimmed, at most 100 chars. */
export function utmParams(body: UtmParams | null | undefined, query: string | null): UtmValues {
  const fromQuery = query !== null && query.includes('utm_') ? safeSearchParams(query) : null;
  const out: UtmValues = { source: null, medium: null, campaign: null, term: null, content: null };
  for (const key of UTM_KEYS) {
    out[key] = cleanText(body?.[key], MAX_LENGTH.utm) ?? cleanText(fromQuery?.get(`utm_${key}`), MAX_LENGTH.utm);
  }
  return out;
}

/** Parses absolute URLs, scheme-less ones ("example.com/x") and paths ("/x?y"); null for garbage. */
function parseLooseUrl(raw: string): URL | null {
  if (raw.length > MAX_URL_INPUT) return null;
  try {
    if (raw.startsWith('/') && !raw.startsWith('//')) return new URL(raw, PATH_ONLY_BASE);
    if (raw.startsWith('//')) return new URL(`https:${raw}`);
    // "host:port/x" is not a scheme: only "scheme://" counts as one.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return new URL(raw);
    // Without a scheme, accept only what looks like a host ("example.com/x"), not any word.
    const guessed = new URL(`https://${raw}`);
    return guessed.hostname.includes('.') || guessed.hostname === 'localhost' ? guessed : null;
  } catch {
    return null;
  }
}

function cleanHostname(value: unknown): string | null {
  let host = cleanText(value, MAX_LENGTH.hostname);
  if (host === null) return null;
  host = host.toLowerCase();
  // Parts sent by clients may carry a port ("example.com:8080"); URL.hostname never does.
  if (/^[^:[\]]+:\d+$/.test(host)) host = host.slice(0, host.lastIndexOf(':'));
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host.length > 0 && !/[\s/?#@]/.test(host) ? host : null;
}

function stripWww(host: string | null): string | null {
  return host !== null && host.startsWith('www.') ? host.slice(4) : host;
}

function safeSearchParams(query: string): URLSearchParams | null {
  try {
    return new URLSearchParams(query);
  } catch {
    return null;
  }
}

/** Injectable face of the functions above. */
@Injectable()
export class PageParser {
  parse(event: CanonicalEvent, websiteDomain: string | null): PageInfo {
    return parsePage(event, websiteDomain);
  }
}
