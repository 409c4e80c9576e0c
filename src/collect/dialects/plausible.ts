import { CanonicalEvent, emptyEvent } from '../canonical-event';
import { IngestError, ParseOutcome, WireReply } from '../ingest-error';
import { asIngestFailure, FaultLog } from '../unexpected-error';
import { EVENT_ID_MAX_LENGTH, isPlainObject, nonEmptyText, parseTimestamp, retryAfterSeconds } from './common';
import { Dialect, ParseContext } from './dialect';
import { PLAUSIBLE_DROPPED_HEADER, PLAUSIBLE_LIMITS } from './plausible.schema';

export * from './plausible.schema';

/**
 * What each website name of a request (a `domain` entry) resolved to: a website id, or null when
 * no website, or more than one, has that domain. `error` when the lookup itself failed.
 */
export interface PlausibleSites {
  ids: ReadonlyMap<string, string | null>;
  error?: IngestError;
}

type Body = Record<string, unknown>;
type Failure = { ok: false; error: IngestError };

const invalid = (field: string, message: string): Failure => ({ ok: false, error: { code: 'validation', field, message } });

/** The first of the fields that is present (null counts as absent), as Plausible reads its aliases. */
function field(body: Body, ...names: string[]): unknown {
  for (const name of names) {
    const value = body[name];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

const stripWww = (host: string) => (host.toLowerCase().startsWith('www.') ? host.slice(4) : host);

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const host = new URL(url).hostname;
    return host ? stripWww(host) : null;
  } catch {
    return null;
  }
}

/**
 * The website names a body gives: the comma-separated `d`/`domain` entries (trimmed, without
 * "www.", each once), else the url's host. Empty when there is none. Never throws.
 */
export function plausibleSiteNames(body: unknown): string[] {
  if (!isPlainObject(body)) return [];
  const raw = field(body, 'd', 'domain');
  if (typeof raw !== 'string') {
    const host = hostOf(field(body, 'u', 'url'));
    return host ? [host] : [];
  }
  const names = raw.split(',').map((d) => stripWww(d.trim())).filter((d) => d !== '');
  return [...new Set(names)];
}

/** The names to look up before parsing: none when there are more than a request may name (parse refuses it). */
export function plausibleNamesToResolve(body: unknown): string[] {
  const names = plausibleSiteNames(body);
  return names.length <= PLAUSIBLE_LIMITS.domains ? names : [];
}

/**
 * Engagement pings of Plausible's tracker (time on page, scroll depth) are acknowledged and not
 * stored: Footfall records neither, and they are not custom events.
 */
export function isPlausibleEngagement(body: unknown): boolean {
  return isPlainObject(body) && field(body, 'n', 'name') === 'engagement';
}

function eventName(body: Body): ParseOutcome<string> {
  let name = field(body, 'n', 'name');
  // Integers are names too (Plausible's tracker sends HTTP status codes for error pages).
  if (typeof name === 'number' && Number.isSafeInteger(name)) name = String(name);
  if (name === undefined || (typeof name === 'string' && name.trim() === '')) return invalid('event_name', "can't be blank");
  if (typeof name !== 'string') return invalid('event_name', 'must be a string');
  if ([...name].length > PLAUSIBLE_LIMITS.eventName) return invalid('event_name', `should be at most ${PLAUSIBLE_LIMITS.eventName} characters`);
  return { ok: true, value: name };
}

function pageUrl(body: Body): ParseOutcome<string> {
  const url = field(body, 'u', 'url');
  if (url === undefined) return invalid('url', 'is required');
  if (typeof url !== 'string' || url.trim() === '' || Buffer.byteLength(url, 'utf8') > PLAUSIBLE_LIMITS.url) {
    return invalid('url', `must be a valid url of at most ${PLAUSIBLE_LIMITS.url} bytes`);
  }
  if (/^\s*data:/i.test(url)) return invalid('url', 'scheme is not allowed');
  return { ok: true, value: url };
}

/** A scalar property value as Plausible keeps it (a string); null for what it leaves out. */
function propText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}

/** Custom properties: an object or a JSON string encoding one; scalar values only, as strings. */
export function plausibleProps(raw: unknown): ParseOutcome<Record<string, string> | null> {
  if (raw === undefined || raw === '') return { ok: true, value: null };
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return invalid('props', 'must be an object or a JSON string encoding one');
    }
    if (value === null) return { ok: true, value: null };
  }
  if (!isPlainObject(value)) return invalid('props', 'must be an object or a JSON string encoding one');
  const props: Record<string, string> = {};
  let kept = 0;
  for (const [key, v] of Object.entries(value)) {
    const text = propText(v);
    // Nested values and blank names or values are left out, not refused.
    if (text === null || text.trimStart() === '' || key.trimStart() === '') continue;
    if (kept === PLAUSIBLE_LIMITS.props) break;
    if ([...key].length > PLAUSIBLE_LIMITS.propKeyLength || [...text].length > PLAUSIBLE_LIMITS.propValueLength) {
      return invalid('props', `keys should have at most ${PLAUSIBLE_LIMITS.propKeyLength} characters and values ${PLAUSIBLE_LIMITS.propValueLength} characters`);
    }
    Object.defineProperty(props, key, { value: text, enumerable: true, writable: true, configurable: true });
    kept++;
  }
  return { ok: true, value: kept > 0 ? props : null };
}

/** Footfall's idempotency extension: the body's event_id, else the Idempotency-Key header. */
function eventId(body: Body, ctx: ParseContext): ParseOutcome<string | null> {
  const id = field(body, 'event_id');
  if (id === undefined) return { ok: true, value: nonEmptyText(ctx.idempotencyKey) };
  if (typeof id !== 'string' || id === '' || id.length > EVENT_ID_MAX_LENGTH) {
    return invalid('event_id', `must be a string of 1 to ${EVENT_ID_MAX_LENGTH} characters`);
  }
  return { ok: true, value: id };
}

function screenWidth(body: Body): number | null {
  const w = field(body, 'w', 'screen_width');
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > PLAUSIBLE_LIMITS.screenWidth) return null;
  return Math.round(w);
}

/** In hash mode the fragment (#/route) is part of the page path: the url is handed on in parts. */
function pageParts(url: string, hashMode: boolean): Pick<CanonicalEvent, 'url' | 'hostname' | 'pathname' | 'querystring'> {
  const whole = { url, hostname: null, pathname: null, querystring: null };
  if (!hashMode) return whole;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return whole;
  }
  if (parsed.hash.length <= 1) return whole;
  return { url: null, hostname: parsed.hostname || null, pathname: parsed.pathname + parsed.hash, querystring: nonEmptyText(parsed.search.slice(1)) };
}

/** Validates the body in Plausible's order; the websites come last (an unknown one is a drop, not an error). */
function parsePlausibleBody(body: unknown, ctx: ParseContext, sites: PlausibleSites): ParseOutcome<CanonicalEvent[]> {
  if (!isPlainObject(body)) return invalid('request', 'Request body must be a JSON object');
  const name = eventName(body);
  if (!name.ok) return name;
  const url = pageUrl(body);
  if (!url.ok) return url;
  const names = plausibleSiteNames(body);
  if (names.length === 0) return invalid('domain', "can't be blank");
  if (names.length > PLAUSIBLE_LIMITS.domains) return invalid('domain', `must name at most ${PLAUSIBLE_LIMITS.domains} websites`);
  const props = plausibleProps(field(body, 'm', 'meta', 'p', 'props'));
  if (!props.ok) return props;
  const timestamp = parseTimestamp(field(body, 'timestamp'), ctx.now);
  if (!timestamp.ok) return timestamp;
  const id = eventId(body, ctx);
  if (!id.ok) return id;
  if (sites.error) return { ok: false, error: sites.error };

  const websiteIds = [...new Set(names.map((n) => sites.ids.get(n) ?? null).filter((w): w is string => w !== null))];
  if (websiteIds.length === 0) {
    return { ok: false, error: { code: 'unknown_website', websiteId: names[0], message: `No single website has the domain ${names[0]}` } };
  }
  const referrer = field(body, 'r', 'referrer');
  const kind = name.value === 'pageview' ? 'pageview' : 'custom';
  const shared: Omit<CanonicalEvent, 'websiteId'> = {
    ...emptyEvent('', kind),
    ...pageParts(url.value, [1, '1', true].includes(field(body, 'h', 'hashMode') as never)),
    name: kind === 'custom' ? name.value : null,
    referrer: typeof referrer === 'string' ? nonEmptyText([...referrer].slice(0, PLAUSIBLE_LIMITS.referrer).join('')) : null,
    props: props.value,
    screenWidth: screenWidth(body),
    timestamp: timestamp.value,
    eventId: id.value,
  };
  return { ok: true, value: websiteIds.map((websiteId) => ({ ...shared, websiteId })) };
}

/** Plausible's 202: "ok" as text, with the number of events not recorded when there are any. */
export function plausibleAccepted(dropped: number): WireReply {
  return dropped > 0 ? { status: 202, body: 'ok', headers: { [PLAUSIBLE_DROPPED_HEADER]: String(dropped) } } : { status: 202, body: 'ok' };
}

const errorReply = (status: number, field: string, message: string, retryAfter?: number): WireReply => {
  const reply: WireReply = { status, body: { errors: { [field]: [message] } } };
  if (retryAfter !== undefined) reply.headers = { 'Retry-After': String(retryAfterSeconds(retryAfter)) };
  return reply;
};

/**
 * Maps a typed ingestion error to Plausible's answer: {"errors": {"<field>": ["<message>"]}} for a
 * bad request; a website that cannot take the events is a drop (202 with the dropped header), as
 * Plausible answers for an unknown domain. `requested` is how many events the request asked for.
 */
export function plausibleFailure(error: IngestError, requested = 1): WireReply {
  switch (error.code) {
    case 'validation':
    case 'invalid_props':
      return errorReply(400, error.field ?? 'request', error.message);
    case 'malformed':
    case 'batch_too_large':
      return errorReply(400, 'request', error.message);
    case 'payload_too_large':
      return errorReply(413, 'request', error.message);
    case 'unsupported_media_type':
      return errorReply(415, 'request', error.message);
    case 'unauthorized':
      return errorReply(401, 'request', error.message);
    case 'unknown_website':
    case 'forbidden':
    case 'quota_exceeded':
      return plausibleAccepted(Math.max(1, requested));
    case 'rate_limited':
      return errorReply(429, 'request', 'Too many requests; retry later', error.retryAfter);
    case 'overloaded':
      return errorReply(503, 'request', error.message, error.retryAfter);
    case 'internal':
      return errorReply(500, 'request', error.message);
  }
}

/**
 * POST /api/event for one request, whose website names were resolved to `sites` beforehand:
 * one event per named website, answered 202 "ok". parse never throws, whatever the body is.
 */
export function plausibleDialect(sites: PlausibleSites): Dialect {
  const requested = sites.ids.size;
  const dropped = [...sites.ids.values()].filter((id) => id === null).length;
  return {
    name: 'plausible',
    parse(body, ctx) {
      try {
        return parsePlausibleBody(body, ctx, sites);
      } catch {
        // Only bodies that are not plain JSON (getters that throw, proxies) can get here.
        return invalid('request', 'Request body could not be read');
      }
    },
    success: () => plausibleAccepted(dropped),
    failure: (error) => plausibleFailure(error, requested),
  };
}

/** Website ids by name (WebsiteLookup.idsNamedBy). */
export type WebsiteNameLookup = (names: string[]) => Promise<ReadonlyMap<string, string | null>>;

/**
 * The dialect of one request, once the website names its body gives are looked up. A failed
 * lookup is answered as the ingestion error it is, after the body is checked (see parse).
 */
export async function plausibleDialectOf(body: unknown, idsNamedBy: WebsiteNameLookup, log: FaultLog): Promise<Dialect> {
  try {
    return plausibleDialect({ ids: await idsNamedBy(plausibleNamesToResolve(body)) });
  } catch (err) {
    return plausibleDialect({ ids: new Map(), error: asIngestFailure(err, log).error });
  }
}

/** The route's dialect before a request names any website: its failures (rate limit, body). */
export const plausibleRouteDialect = plausibleDialect({ ids: new Map() });
