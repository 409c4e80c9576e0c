import type { ErrorObject } from 'ajv';
import { CanonicalEvent, EventKind, emptyEvent } from '../canonical-event';
import { IngestError, ParseOutcome, WireReply } from '../ingest-error';
import {
  ajv,
  ajvErrorField,
  ajvErrorMessage,
  depthOf,
  isPlainObject,
  locatedMessage,
  MAX_PROPS_DEPTH,
  nonEmptyText,
  nullsAsAbsent,
  parseTimestamp,
  propsObjectProblem,
  QUOTA_RETRY_AFTER_SECONDS,
  retryAfterSeconds,
  screenText,
  utmFromFields,
} from './common';
import { Dialect, ParseContext } from './dialect';
import { SPARKLYTICS_ACK_HEADER, SPARKLYTICS_LIMITS, sparklyticsEventSchema } from './sparklytics.schema';

export * from './sparklytics.schema';

interface SparklyticsEventBody {
  website_id: string;
  type?: 'pageview' | 'event';
  event_type?: 'pageview' | 'custom' | 'event';
  url?: string;
  event_name?: string;
  event_data?: Record<string, unknown> | string;
  referrer?: string;
  visitor_id?: string;
  language?: string;
  screen?: string;
  screen_width?: number;
  screen_height?: number;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  event_id?: string;
  timestamp?: string;
}

const validateEvent = ajv.compile<SparklyticsEventBody>(sparklyticsEventSchema);

const KIND_OF_TYPE: Record<string, EventKind> = { pageview: 'pageview', event: 'custom' };
const KIND_OF_EVENT_TYPE: Record<string, EventKind> = { pageview: 'pageview', custom: 'custom', event: 'custom' };

const EVENT_DATA_SHAPE = 'event_data must be an object or a JSON string encoding an object';

/** index is set for elements of an array body, so the reply can say which event is wrong. */
function invalid(message: string, field: string | undefined, index: number | undefined, code: 'validation' | 'invalid_props' = 'validation'): { ok: false; error: IngestError } {
  const error: Extract<IngestError, { code: 'validation' }> | Extract<IngestError, { code: 'invalid_props' }> = { code, message };
  if (field !== undefined) error.field = field;
  if (index !== undefined) error.index = index;
  return { ok: false, error };
}

function schemaError(error: ErrorObject | undefined, index: number | undefined): { ok: false; error: IngestError } {
  if (!error) return invalid('Invalid event', undefined, index);
  const field = ajvErrorField(error);
  if (field === 'event_data') return invalid(EVENT_DATA_SHAPE, field, index, 'invalid_props');
  return invalid(ajvErrorMessage(error), field, index);
}

/** event_data as an object (000 shape) or a JSON string encoding one (001 shape); empty means none. */
function decodeEventData(value: Record<string, unknown> | string | undefined, index: number | undefined): ParseOutcome<Record<string, unknown> | null> {
  if (value === undefined || value === '') return { ok: true, value: null };
  const limit = SPARKLYTICS_LIMITS.eventDataBytes;
  let data: unknown = value;
  if (typeof value === 'string') {
    // Measured before decoding, so an oversized string is never parsed.
    if (Buffer.byteLength(value, 'utf8') > limit) return invalid(`event_data must be at most ${limit} bytes`, 'event_data', index, 'invalid_props');
    try {
      data = JSON.parse(value);
    } catch {
      return invalid('event_data must be valid JSON when sent as a string', 'event_data', index, 'invalid_props');
    }
    if (data === null) return { ok: true, value: null };
    if (!isPlainObject(data)) return invalid(EVENT_DATA_SHAPE, 'event_data', index, 'invalid_props');
    if (depthOf(data) > MAX_PROPS_DEPTH) {
      return invalid(`event_data must not nest deeper than ${MAX_PROPS_DEPTH} levels`, 'event_data', index, 'invalid_props');
    }
  } else {
    const problem = propsObjectProblem(value, 'event_data', limit);
    if (problem) return invalid(problem, 'event_data', index, 'invalid_props');
  }
  const props = data as Record<string, unknown>;
  return { ok: true, value: Object.keys(props).length > 0 ? props : null };
}

/** The event kind from type (000 shape) or event_type (001 shape); both may be sent if they agree. */
function eventKind(fields: SparklyticsEventBody, index: number | undefined): ParseOutcome<EventKind> {
  const fromType = fields.type === undefined ? undefined : KIND_OF_TYPE[fields.type];
  const fromEventType = fields.event_type === undefined ? undefined : KIND_OF_EVENT_TYPE[fields.event_type];
  if (fromType === undefined && fromEventType === undefined) return invalid('Missing required field: type (or event_type)', 'type', index);
  if (fromType !== undefined && fromEventType !== undefined && fromType !== fromEventType) {
    return invalid(`type "${fields.type}" and event_type "${fields.event_type}" disagree; send one of them`, 'event_type', index);
  }
  // The 000 shape (with type) documents url as required; the 001 shape does not.
  if (fromType !== undefined && fields.url === undefined) return invalid('Missing required field: url', 'url', index);
  const kind = (fromType ?? fromEventType) as EventKind;
  if (kind === 'custom' && !fields.event_name?.trim()) return invalid('Missing required field: event_name', 'event_name', index);
  return { ok: true, value: kind };
}

function parseEvent(raw: unknown, ctx: ParseContext, index: number | undefined, fallbackEventId: string | null): ParseOutcome<CanonicalEvent> {
  if (!isPlainObject(raw)) return invalid(index === undefined ? 'Request body must be a JSON object or an array of events' : 'Event must be a JSON object', undefined, index);
  const fields = nullsAsAbsent(raw);
  if (!validateEvent(fields)) return schemaError(validateEvent.errors?.[0], index);

  const kind = eventKind(fields, index);
  if (!kind.ok) return kind;
  const props = decodeEventData(fields.event_data, index);
  if (!props.ok) return props;
  const timestamp = parseTimestamp(fields.timestamp, ctx.now);
  if (!timestamp.ok) return invalid(timestamp.error.message, 'timestamp', index);

  const width = fields.screen_width ?? null;
  const height = fields.screen_height ?? null;
  return {
    ok: true,
    value: {
      ...emptyEvent(fields.website_id, kind.value),
      name: kind.value === 'custom' ? (fields.event_name ?? null) : null,
      url: nonEmptyText(fields.url),
      referrer: nonEmptyText(fields.referrer),
      props: props.value,
      visitorId: nonEmptyText(fields.visitor_id),
      language: nonEmptyText(fields.language),
      screen: screenText(nonEmptyText(fields.screen), width, height),
      screenWidth: width,
      screenHeight: height,
      utm: utmFromFields(fields),
      timestamp: timestamp.value,
      eventId: fields.event_id ?? fallbackEventId,
    },
  };
}

function parseBatch(events: unknown[], ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  if (events.length === 0) return invalid('Batch must contain at least 1 event', undefined, undefined);
  const limit = SPARKLYTICS_LIMITS.batchEvents;
  if (events.length > limit) {
    return { ok: false, error: { code: 'batch_too_large', limit, message: `Batch of ${events.length} events exceeds the maximum of ${limit}` } };
  }
  const parsed: CanonicalEvent[] = [];
  for (let index = 0; index < events.length; index++) {
    // The Idempotency-Key header names one event, so it does not apply to arrays.
    const event = parseEvent(events[index], ctx, index, null);
    if (!event.ok) return event;
    parsed.push(event.value);
  }
  return { ok: true, value: parsed };
}

function parseSparklyticsBody(body: unknown, ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  if (Array.isArray(body)) return parseBatch(body, ctx);
  const event = parseEvent(body, ctx, undefined, nonEmptyText(ctx.idempotencyKey));
  return event.ok ? { ok: true, value: [event.value] } : event;
}

const errorReply = (status: number, error: string, headers?: Record<string, string>): WireReply =>
  headers ? { status, body: { error }, headers } : { status, body: { error } };

/** Maps a typed ingestion error to Sparklytics' status, {"error":"<message>"} body and headers. */
export function sparklyticsFailure(error: IngestError): WireReply {
  switch (error.code) {
    case 'validation':
    case 'invalid_props':
      return errorReply(400, locatedMessage(error));
    case 'malformed':
      return errorReply(400, error.message);
    case 'batch_too_large':
      return { status: 400, body: { error: error.message, code: 'batch_too_large' } };
    case 'unsupported_media_type':
      return errorReply(415, error.message);
    case 'payload_too_large':
      return errorReply(413, error.message);
    case 'unauthorized':
      return errorReply(401, error.message);
    case 'forbidden':
      return errorReply(403, error.message);
    case 'unknown_website':
      return errorReply(404, `Unknown website_id: ${error.websiteId}`);
    case 'rate_limited':
      // Sparklytics clients wait until X-RateLimit-Reset; Retry-After serves generic HTTP clients.
      return errorReply(429, 'Rate limit exceeded', {
        'X-RateLimit-Limit': String(error.limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Number.isFinite(error.reset) ? Math.ceil(error.reset) : 0),
        'Retry-After': String(retryAfterSeconds(error.retryAfter)),
      });
    case 'quota_exceeded':
      return errorReply(429, error.message, { 'Retry-After': String(QUOTA_RETRY_AFTER_SECONDS) });
    case 'overloaded':
      return errorReply(503, error.message, { 'Retry-After': String(retryAfterSeconds(error.retryAfter)) });
    case 'internal':
      return errorReply(500, error.message);
  }
}

/**
 * POST /api/collect: one event or an array of up to 50, answered 202 {"ok":true} with
 * x-sparklytics-ingest-ack: queued. parse never throws, whatever the body is.
 */
export const sparklyticsDialect: Dialect = {
  name: 'sparklytics',
  parse(body, ctx) {
    try {
      return parseSparklyticsBody(body, ctx);
    } catch {
      // Only bodies that are not plain JSON (getters that throw, proxies) can get here.
      return { ok: false, error: { code: 'validation', message: 'Request body could not be read' } };
    }
  },
  success: () => ({ status: 202, body: { ok: true }, headers: { [SPARKLYTICS_ACK_HEADER]: 'queued' } }),
  failure: sparklyticsFailure,
};
