import type { EnrichedEvent } from '../enrichment/enriched-event';
import type { DropReason } from '../shields/shield-rules';

/**
 * The one shape every dialect maps its wire format to. Dialect adapters fill it from the
 * request body only; the ingestion service decides the rest (enrichment, visitor, session).
 */
export type EventKind = 'pageview' | 'custom';

export interface UtmParams {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

export interface CanonicalEvent {
  /** Website the event belongs to (from the body or the path). */
  websiteId: string;
  kind: EventKind;
  /** Custom event name; null for pageviews. */
  name: string | null;
  /** Full page URL when the dialect sends one. */
  url: string | null;
  /** Dialects that send parts instead of a URL (Rybbit). Used when url is null. */
  hostname: string | null;
  pathname: string | null;
  querystring: string | null;
  title: string | null;
  referrer: string | null;
  /** Custom properties, already parsed to an object (string-encoded JSON is decoded by the dialect). */
  props: Record<string, unknown> | null;
  /** Client-supplied stable visitor id; null lets the server derive a cookieless one. */
  visitorId: string | null;
  /** Client-supplied user id (Rybbit user_id). */
  userId: string | null;
  language: string | null;
  screen: string | null;
  screenWidth: number | null;
  screenHeight: number | null;
  utm: UtmParams;
  /** Visitor's user agent and IP as sent in the body by server-side callers; null when absent. */
  userAgent: string | null;
  ip: string | null;
  /** When the event happened; null means "now". */
  timestamp: Date | null;
  /** Client idempotency key (body event_id, or the Idempotency-Key header for single events). */
  eventId: string | null;
}

/** A canonical event with every optional field absent, for dialects to spread over. */
export function emptyEvent(websiteId: string, kind: EventKind): CanonicalEvent {
  return {
    websiteId,
    kind,
    name: null,
    url: null,
    hostname: null,
    pathname: null,
    querystring: null,
    title: null,
    referrer: null,
    props: null,
    visitorId: null,
    userId: null,
    language: null,
    screen: null,
    screenWidth: null,
    screenHeight: null,
    utm: {},
    userAgent: null,
    ip: null,
    timestamp: null,
    eventId: null,
  };
}

/** What the ingestion service answers for an accepted request: one id per event, in order. */
export interface IngestResult {
  /** Numeric event ids (as decimal strings, bigint-safe), one per input event, in input order. */
  eventIds: string[];
  /** True when every event was a replay of an earlier idempotent request (nothing new stored). */
  replayed: boolean;
  /** Per event, whether it retried one already stored (earlier, or earlier in the request). Unset for dry runs. */
  duplicate?: boolean[];
  /**
   * Dry runs only: the events as they would have been stored (enriched, nothing written); an event
   * the website's shields drop, as the reason it is dropped.
   */
  dryRun?: (EnrichedEvent | DroppedEvent)[];
  /** Stored requests: per input event, its visitor and visit; null for an event the shields dropped. */
  visits?: (StoredVisit | null)[];
  /** True when the request asked for bots not to be stored (skipBots) and its events were a bot's: nothing was stored. */
  skipped?: boolean;
}

/** A stored event's visitor and visit (session id). */
export interface StoredVisit {
  visitorId: string;
  /** Null for a replay, whose visit is not looked up. */
  sessionId: string | null;
}

/** In a dry run, an event the website's shields drop: why. */
export interface DroppedEvent {
  dropped: DropReason;
}
