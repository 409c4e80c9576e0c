import type { ErrorObject } from 'ajv';
import { isIP } from 'node:net';
import type { EnrichedEvent } from '../../enrichment/enriched-event';
import { CanonicalEvent, emptyEvent, IngestResult } from '../canonical-event';
import { IngestError, ParseOutcome, WireReply } from '../ingest-error';
import {
  ajv,
  ajvErrorField,
  ajvErrorMessage,
  isPlainObject,
  locatedMessage,
  nonEmptyText,
  nullsAsAbsent,
  parseTimestamp,
  propsObjectProblem,
  retryAfterSeconds,
  screenText,
  utmFromFields,
} from './common';
import { Dialect, ParseContext } from './dialect';
import { NATIVE_LIMITS, NativeErrorCode, nativeEventSchema } from './native.schema';

export * from './native.schema';

interface NativeEventBody {
  website_id: string;
  type?: 'pageview' | 'custom';
  name?: string;
  url?: string;
  referrer?: string;
  title?: string;
  props?: Record<string, unknown>;
  visitor_id?: string;
  user_id?: string;
  language?: string;
  screen?: string;
  screen_width?: number;
  screen_height?: number;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  user_agent?: string;
  ip_address?: string;
  timestamp?: string;
  event_id?: string;
}

const validateEvent = ajv.compile<NativeEventBody>(nativeEventSchema);

/**
 * Event arrays that parse produced from {"events":[...]} bodies: success() answers them with the
 * batch shape even when they hold one event. Weak, so nothing outlives the request.
 */
const batchOutputs = new WeakSet<CanonicalEvent[]>();

type FieldErrorCode = 'validation' | 'invalid_props';

function invalid(message: string, field: string | undefined, index: number | undefined, code: FieldErrorCode = 'validation'): { ok: false; error: IngestError } {
  const error: Extract<IngestError, { code: FieldErrorCode }> = { code, message };
  if (field !== undefined) error.field = field;
  if (index !== undefined) error.index = index;
  return { ok: false, error };
}

function schemaError(error: ErrorObject | undefined, index: number | undefined): { ok: false; error: IngestError } {
  if (!error) return invalid('Invalid event', undefined, index);
  const field = ajvErrorField(error);
  if (field === 'props') return invalid('props must be an object', field, index, 'invalid_props');
  return invalid(ajvErrorMessage(error), field, index);
}

function parseEvent(raw: unknown, ctx: ParseContext, index: number | undefined, fallbackEventId: string | null): ParseOutcome<CanonicalEvent> {
  if (!isPlainObject(raw)) return invalid(index === undefined ? 'Request body must be a JSON object' : 'Event must be a JSON object', undefined, index);
  const fields = nullsAsAbsent(raw);
  if (!validateEvent(fields)) return schemaError(validateEvent.errors?.[0], index);

  const custom = fields.type === 'custom';
  if (custom && !fields.name?.trim()) return invalid('Missing required field: name', 'name', index);
  const propsProblem = fields.props === undefined ? null : propsObjectProblem(fields.props, 'props', NATIVE_LIMITS.propsBytes);
  if (propsProblem) return invalid(propsProblem, 'props', index, 'invalid_props');
  const ip = nonEmptyText(fields.ip_address);
  if (ip !== null && isIP(ip) === 0) return invalid('ip_address must be a valid IPv4 or IPv6 address', 'ip_address', index);
  const timestamp = parseTimestamp(fields.timestamp, ctx.now);
  if (!timestamp.ok) return invalid(timestamp.error.message, 'timestamp', index);

  const width = fields.screen_width ?? null;
  const height = fields.screen_height ?? null;
  return {
    ok: true,
    value: {
      ...emptyEvent(fields.website_id, custom ? 'custom' : 'pageview'),
      name: custom ? (fields.name ?? null) : null,
      url: nonEmptyText(fields.url),
      referrer: nonEmptyText(fields.referrer),
      title: nonEmptyText(fields.title),
      props: fields.props && Object.keys(fields.props).length > 0 ? fields.props : null,
      visitorId: nonEmptyText(fields.visitor_id),
      userId: nonEmptyText(fields.user_id),
      language: nonEmptyText(fields.language),
      screen: screenText(nonEmptyText(fields.screen), width, height),
      screenWidth: width,
      screenHeight: height,
      utm: utmFromFields(fields),
      userAgent: nonEmptyText(fields.user_agent),
      ip,
      timestamp: timestamp.value,
      eventId: fields.event_id ?? fallbackEventId,
    },
  };
}

function parseBatch(events: unknown, ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  if (!Array.isArray(events)) return invalid('events must be an array', 'events', undefined);
  if (events.length === 0) return invalid('events must contain at least 1 event', 'events', undefined);
  const limit = NATIVE_LIMITS.batchEvents;
  if (events.length > limit) {
    return { ok: false, error: { code: 'batch_too_large', limit, message: `events holds ${events.length} events; at most ${limit} per request` } };
  }
  const parsed: CanonicalEvent[] = [];
  for (let index = 0; index < events.length; index++) {
    // All or nothing: the first invalid event rejects the batch. The Idempotency-Key header does not apply.
    const event = parseEvent(events[index], ctx, index, null);
    if (!event.ok) return event;
    parsed.push(event.value);
  }
  batchOutputs.add(parsed);
  return { ok: true, value: parsed };
}

function parseNativeBody(body: unknown, ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  if (isPlainObject(body) && body.events !== undefined && body.events !== null) return parseBatch(body.events, ctx);
  const event = parseEvent(body, ctx, undefined, nonEmptyText(ctx.idempotencyKey));
  return event.ok ? { ok: true, value: [event.value] } : event;
}

/** Whether events came from a {"events":[...]} body (by identity; arrays parse did not make count as single). */
export function isNativeBatch(events: CanonicalEvent[]): boolean {
  return batchOutputs.has(events);
}

/** 202 with the event id (single) or ids (batch), or 200 with the would-be stored events for a dry run. */
export function nativeSuccess(result: IngestResult, events: CanonicalEvent[]): WireReply {
  if (result.dryRun) return { status: 200, body: { ok: true, dry_run: true, events: result.dryRun.map((e) => ('dropped' in e ? e : storedView(e))) } };
  if (isNativeBatch(events)) return { status: 202, body: { ok: true, accepted: result.eventIds.length, event_ids: result.eventIds } };
  return { status: 202, body: { ok: true, event_id: result.eventIds[0] } };
}

/** An enriched event as a dry run shows it: snake_case, as it would be stored. */
export function storedView(e: EnrichedEvent): Record<string, unknown> {
  return {
    website_id: e.websiteId,
    occurred_at: e.occurredAt.toISOString(),
    type: e.kind,
    name: e.name,
    visitor_id: e.visitorId,
    hostname: e.hostname,
    path: e.path,
    query: e.query,
    title: e.title,
    referrer: e.referrer,
    referrer_domain: e.referrerDomain,
    utm_source: e.utmSource,
    utm_medium: e.utmMedium,
    utm_campaign: e.utmCampaign,
    utm_term: e.utmTerm,
    utm_content: e.utmContent,
    props: e.props,
    browser: e.browser,
    browser_version: e.browserVersion,
    os: e.os,
    os_version: e.osVersion,
    device_type: e.deviceType,
    is_bot: e.isBot,
    country: e.country,
    region: e.region,
    city: e.city,
    language: e.language,
    screen: e.screen,
    screen_width: e.screenWidth,
    screen_height: e.screenHeight,
    user_id: e.userId,
    event_id: e.eventKey,
  };
}

interface ErrorLocation {
  field?: string;
  index?: number;
}

function errorReply(status: number, code: NativeErrorCode, message: string, at: ErrorLocation = {}, headers?: Record<string, string>): WireReply {
  const body = { error: { code, message, field: at.field ?? null, index: at.index ?? null } };
  return headers ? { status, body, headers } : { status, body };
}

const retryAfter = (seconds: number) => ({ 'Retry-After': String(retryAfterSeconds(seconds)) });

/** Maps a typed ingestion error to {"error":{code,message,field,index}} with its status and headers. */
export function nativeFailure(error: IngestError): WireReply {
  switch (error.code) {
    case 'validation':
      return errorReply(400, 'validation_error', locatedMessage(error), error);
    case 'invalid_props':
      return errorReply(400, 'invalid_props', locatedMessage(error), { field: error.field ?? 'props', index: error.index });
    case 'malformed':
      return errorReply(400, 'invalid_json', error.message);
    case 'unsupported_media_type':
      return errorReply(415, 'unsupported_media_type', error.message);
    case 'batch_too_large':
      return errorReply(400, 'batch_too_large', error.message, { field: 'events' });
    case 'payload_too_large':
      return errorReply(413, 'payload_too_large', error.message);
    case 'unauthorized':
      return errorReply(401, 'unauthorized', error.message);
    case 'forbidden':
      return errorReply(403, 'forbidden', error.message);
    case 'unknown_website':
      return errorReply(404, 'website_not_found', `Website not found: ${error.websiteId}`, { field: 'website_id' });
    case 'rate_limited': {
      const seconds = retryAfterSeconds(error.retryAfter);
      return errorReply(429, 'rate_limit_exceeded', `Rate limit exceeded; retry after ${seconds} seconds`, {}, {
        ...retryAfter(seconds),
        'X-RateLimit-Limit': String(error.limit),
        'X-RateLimit-Remaining': String(Math.max(0, error.remaining)),
        'X-RateLimit-Reset': String(Number.isFinite(error.reset) ? Math.ceil(error.reset) : 0),
      });
    }
    case 'quota_exceeded':
      return errorReply(402, 'quota_exceeded', error.message);
    case 'overloaded':
      return errorReply(503, 'service_unavailable', error.message, {}, retryAfter(error.retryAfter));
    case 'internal':
      return errorReply(500, 'internal_error', error.message);
  }
}

/**
 * POST /api/v1/events. Pass success() the very array parse() returned: that is how a batch of one
 * is told from a single event. parse never throws, whatever the body is.
 */
export const nativeDialect: Dialect = {
  name: 'native',
  parse(body, ctx) {
    try {
      return parseNativeBody(body, ctx);
    } catch {
      // Only bodies that are not plain JSON (getters that throw, proxies) can get here.
      return { ok: false, error: { code: 'validation', message: 'Request body could not be read' } };
    }
  },
  success: nativeSuccess,
  failure: nativeFailure,
};
