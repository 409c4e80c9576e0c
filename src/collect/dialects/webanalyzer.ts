import type { ErrorObject } from 'ajv';
import { isIP } from 'node:net';
import { CanonicalEvent, emptyEvent, IngestResult } from '../canonical-event';
import { IngestError, ParseOutcome, WireReply } from '../ingest-error';
import {
  ajv,
  ajvErrorField,
  ajvErrorMessage,
  flatPropsError,
  isPlainObject,
  nonEmptyText,
  normaliseFlatProps,
  parseTimestamp,
  retryAfterSeconds,
  withoutNullFields,
} from './common';
import { Dialect, ParseContext } from './dialect';
import { WEBANALYZER_LIMITS, WebAnalyzerErrorCode, webAnalyzerEventSchema } from './webanalyzer.schema';

export * from './webanalyzer.schema';

/** /track takes one event; /track/batch takes {"events":[...]}. */
export type WebAnalyzerRoute = 'single' | 'batch';

interface WebAnalyzerEventBody {
  name: string;
  payload?: Record<string, string | number | boolean>;
  visitor_id?: string;
  url?: string;
  referrer?: string;
  user_agent?: string;
  ip_address?: string;
  event_id?: string;
  timestamp?: string;
}

const validateEvent = ajv.compile<WebAnalyzerEventBody>(webAnalyzerEventSchema);

/** Where in the request an error is: set on batch elements so the message can name the index. */
type At = { index?: number };

function invalid(message: string, at: At, field?: string): ParseOutcome<never> {
  return { ok: false, error: { code: 'validation', message, ...(field ? { field } : {}), ...at } };
}

function schemaError(error: ErrorObject | undefined, at: At): IngestError {
  if (!error) return { code: 'validation', message: 'Invalid event', ...at };
  const payloadError = flatPropsError(error, 'payload');
  if (payloadError) return { code: 'validation', ...payloadError, ...at };
  const field = ajvErrorField(error);
  const message = error.keyword === 'pattern' && field === 'visitor_id' ? 'visitor_id must be a UUID' : ajvErrorMessage(error);
  return { code: 'validation', message, ...(field ? { field } : {}), ...at };
}

/** Payload values are stored as strings, as Web Analyzer documents ("numbers and booleans are cast"). */
function castPayload(payload: Record<string, string | number | boolean> | undefined): Record<string, string> | null {
  if (!payload || Object.keys(payload).length === 0) return null;
  return Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, String(value)]));
}

function parseEvent(raw: unknown, websiteId: string, ctx: ParseContext, at: At, fallbackKey: string | null): ParseOutcome<CanonicalEvent> {
  if (!isPlainObject(raw)) return invalid(at.index === undefined ? 'Request body must be a JSON object' : 'Event must be a JSON object', at);
  const fields = withoutNullFields(raw);
  fields.payload = normaliseFlatProps(fields.payload);
  if (!validateEvent(fields)) return { ok: false, error: schemaError(validateEvent.errors?.[0], at) };

  if (!fields.name.trim()) return invalid('Missing required field: name', at, 'name');
  const ip = nonEmptyText(fields.ip_address);
  if (ip !== null && isIP(ip) === 0) return invalid('ip_address must be a valid IPv4 or IPv6 address', at, 'ip_address');
  const timestamp = parseTimestamp(fields.timestamp, ctx.now);
  if (!timestamp.ok) return { ok: false, error: { ...timestamp.error, ...at } };

  return {
    ok: true,
    value: {
      ...emptyEvent(websiteId, 'custom'),
      name: fields.name,
      url: nonEmptyText(fields.url),
      referrer: nonEmptyText(fields.referrer),
      props: castPayload(fields.payload),
      visitorId: fields.visitor_id?.toLowerCase() ?? null,
      userAgent: nonEmptyText(fields.user_agent),
      ip,
      timestamp: timestamp.value,
      eventId: fields.event_id ?? fallbackKey,
    },
  };
}

function parseBatch(body: unknown, websiteId: string, ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  if (!isPlainObject(body)) return invalid('Request body must be a JSON object', {});
  const events = body.events;
  if (events === undefined || events === null) return invalid('Missing required field: events', {}, 'events');
  if (!Array.isArray(events)) return invalid('events must be an array', {}, 'events');
  if (events.length === 0) return invalid('events must contain at least 1 event', {}, 'events');
  const limit = WEBANALYZER_LIMITS.batchEvents;
  if (events.length > limit) {
    return { ok: false, error: { code: 'batch_too_large', limit, message: `Too many events: at most ${limit} per batch, got ${events.length}` } };
  }
  const parsed: CanonicalEvent[] = [];
  for (let index = 0; index < events.length; index++) {
    const event = parseEvent(events[index], websiteId, ctx, { index }, null);
    if (!event.ok) return event;
    parsed.push(event.value);
  }
  return { ok: true, value: parsed };
}

function parseWebAnalyzerBody(route: WebAnalyzerRoute, body: unknown, ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  const websiteId = ctx.pathWebsiteId;
  if (!websiteId) return { ok: false, error: { code: 'unknown_website', message: 'Website not found', websiteId: '' } };
  if (route === 'batch') return parseBatch(body, websiteId, ctx);
  const event = parseEvent(body, websiteId, ctx, {}, nonEmptyText(ctx.idempotencyKey));
  return event.ok ? { ok: true, value: [event.value] } : event;
}

function webAnalyzerSuccess(route: WebAnalyzerRoute, result: IngestResult): WireReply {
  // Ids arrive as decimal strings; Web Analyzer clients expect JSON numbers.
  const ids = result.eventIds.map(Number);
  if (route === 'single') return { status: 200, body: { ok: true, event_id: ids[0] } };
  return { status: 200, body: { ok: true, processed: ids.length, event_ids: ids } };
}

/**
 * Names where the problem is: "events[2].name: Missing required field: name", or, when the
 * message already starts with the field, "events[2].name must be a string".
 */
function describe(error: { message: string; field?: string; index?: number }): string {
  const element = error.index === undefined ? null : `events[${error.index}]`;
  if (error.field && error.message.startsWith(`${error.field} `)) return element ? `${element}.${error.message}` : error.message;
  const where = [element, error.field].filter(Boolean).join('.');
  return where ? `${where}: ${error.message}` : error.message;
}

function errorReply(status: number, code: WebAnalyzerErrorCode, message: string, retryAfter?: number): WireReply {
  if (retryAfter === undefined) return { status, body: { ok: false, error: code, message } };
  const seconds = retryAfterSeconds(retryAfter);
  return { status, body: { ok: false, error: code, message, retry_after: seconds }, headers: { 'Retry-After': String(seconds) } };
}

/** The documented 429 body, exactly: {"ok":false,"error":"rate_limit_exceeded","retry_after":N}. */
function rateLimitReply(retryAfter: number): WireReply {
  const seconds = retryAfterSeconds(retryAfter);
  return { status: 429, body: { ok: false, error: 'rate_limit_exceeded', retry_after: seconds }, headers: { 'Retry-After': String(seconds) } };
}

/** Maps a typed ingestion error to Web Analyzer's status and {"ok":false,"error":<code>,"message"} body. */
export function webAnalyzerFailure(error: IngestError): WireReply {
  switch (error.code) {
    case 'validation':
    case 'invalid_props':
      return errorReply(400, 'validation_error', describe(error));
    case 'malformed':
    case 'unsupported_media_type':
    case 'batch_too_large':
      // 400 even for a wrong content type: clients know only the statuses in the documented table.
      return errorReply(400, 'validation_error', error.message);
    case 'payload_too_large':
      return errorReply(413, 'payload_too_large', error.message);
    case 'unauthorized':
      return errorReply(401, 'unauthorized', error.message);
    case 'quota_exceeded':
      return errorReply(402, 'monthly_limit_reached', error.message);
    case 'forbidden':
      return errorReply(403, 'plan_required', error.message);
    case 'unknown_website':
      return errorReply(404, 'website_not_found', 'Website ID does not exist or does not belong to your account');
    case 'rate_limited':
      return rateLimitReply(error.retryAfter);
    case 'overloaded':
      return errorReply(503, 'server_unavailable', 'Service temporarily unavailable. Retry later.', error.retryAfter);
    case 'internal':
      return errorReply(500, 'server_error', 'Internal server error');
  }
}

function webAnalyzerDialect(route: WebAnalyzerRoute): Dialect {
  return {
    name: 'webanalyzer',
    parse: (body, ctx) => parseWebAnalyzerBody(route, body, ctx),
    success: (result) => webAnalyzerSuccess(route, result),
    failure: webAnalyzerFailure,
  };
}

/** POST /api/v1/websites/{website_id}/track: 200 {"ok":true,"event_id":<number>}. */
export const webAnalyzerTrackDialect = webAnalyzerDialect('single');
/** POST /api/v1/websites/{website_id}/track/batch: 200 {"ok":true,"processed":n,"event_ids":[...]}. */
export const webAnalyzerBatchDialect = webAnalyzerDialect('batch');
