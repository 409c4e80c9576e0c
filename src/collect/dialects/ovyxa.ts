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
  QUOTA_RETRY_AFTER_SECONDS,
  retryAfterSeconds,
  withoutNullFields,
} from './common';
import { Dialect, ParseContext } from './dialect';
import { OvyxaErrorCode, ovyxaCustomBodySchema, ovyxaPageviewBodySchema } from './ovyxa.schema';

export * from './ovyxa.schema';

/** Ovyxa has one route per event kind: /api/v1/events/pageview and /api/v1/events/custom. */
export type OvyxaRoute = 'pageview' | 'custom';

interface OvyxaBody {
  site_id: string;
  url: string;
  event_name?: string;
  referrer?: string;
  user_agent?: string;
  ip_address?: string;
  props?: Record<string, string | number | boolean>;
  event_id?: string;
  timestamp?: string;
}

const validators = {
  pageview: ajv.compile<OvyxaBody>(ovyxaPageviewBodySchema),
  custom: ajv.compile<OvyxaBody>(ovyxaCustomBodySchema),
};

function invalid(message: string, field?: string): ParseOutcome<never> {
  return { ok: false, error: { code: 'validation', message, ...(field ? { field } : {}) } };
}

function schemaError(error: ErrorObject | undefined): IngestError {
  if (!error) return { code: 'validation', message: 'Invalid request body' };
  const propsError = flatPropsError(error, 'props');
  if (propsError) return { code: 'invalid_props', ...propsError };
  const field = ajvErrorField(error);
  return { code: 'validation', message: ajvErrorMessage(error), ...(field ? { field } : {}) };
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function parseOvyxaBody(route: OvyxaRoute, body: unknown, ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  if (!isPlainObject(body)) return invalid('Request body must be a JSON object');
  const fields = withoutNullFields(body);
  // Props only count on the custom route; on pageviews they are ignored, as the docs list none.
  if (route === 'custom') fields.props = normaliseFlatProps(fields.props);
  else delete fields.props;

  const validate = validators[route];
  if (!validate(fields)) return { ok: false, error: schemaError(validate.errors?.[0]) };

  if (route === 'custom' && !fields.event_name?.trim()) return invalid('Missing required field: event_name', 'event_name');
  if (!isAbsoluteUrl(fields.url)) return invalid('url must be an absolute URL, e.g. https://example.com/page', 'url');
  const ip = nonEmptyText(fields.ip_address);
  if (ip !== null && isIP(ip) === 0) return invalid('ip_address must be a valid IPv4 or IPv6 address', 'ip_address');
  const timestamp = parseTimestamp(fields.timestamp, ctx.now);
  if (!timestamp.ok) return timestamp;

  const props = fields.props && Object.keys(fields.props).length > 0 ? fields.props : null;
  const event: CanonicalEvent = {
    ...emptyEvent(fields.site_id, route),
    name: route === 'custom' ? (fields.event_name ?? null) : null,
    url: fields.url,
    referrer: nonEmptyText(fields.referrer),
    props,
    userAgent: nonEmptyText(fields.user_agent),
    ip,
    timestamp: timestamp.value,
    eventId: fields.event_id ?? nonEmptyText(ctx.idempotencyKey),
  };
  return { ok: true, value: [event] };
}

function ovyxaSuccess(result: IngestResult): WireReply {
  return { status: 201, body: { success: true, event_id: `evt_${result.eventIds[0]}` } };
}

function errorReply(status: number, code: OvyxaErrorCode, message: string, field: string | null, retryAfter?: number): WireReply {
  const reply: WireReply = { status, body: { error: { code, message, field } } };
  if (retryAfter !== undefined) reply.headers = { 'Retry-After': String(retryAfterSeconds(retryAfter)) };
  return reply;
}

/** Maps a typed ingestion error to Ovyxa's status, {"error":{code,message,field}} body and headers. */
export function ovyxaFailure(error: IngestError): WireReply {
  switch (error.code) {
    case 'validation':
      return errorReply(400, 'invalid_request', error.message, error.field ?? null);
    case 'invalid_props':
      return errorReply(400, 'invalid_props', error.message, error.field ?? 'props');
    case 'malformed':
    case 'unsupported_media_type':
    case 'batch_too_large':
      return errorReply(400, 'invalid_request', error.message, null);
    case 'payload_too_large':
      return errorReply(413, 'invalid_request', error.message, null);
    case 'unauthorized':
      return errorReply(401, 'unauthorized', error.message, null);
    case 'forbidden':
      // Ovyxa has no "forbidden" code; its clients branch on the documented set.
      return errorReply(403, 'unauthorized', error.message, null);
    case 'unknown_website':
      return errorReply(400, 'invalid_site_id', 'Site ID not found or access denied', 'site_id');
    case 'rate_limited': {
      const seconds = retryAfterSeconds(error.retryAfter);
      return errorReply(429, 'rate_limit_exceeded', `Rate limit exceeded. Retry after ${seconds} seconds.`, null, seconds);
    }
    case 'quota_exceeded':
      return errorReply(429, 'rate_limit_exceeded', error.message, null, QUOTA_RETRY_AFTER_SECONDS);
    case 'overloaded':
      return errorReply(503, 'service_unavailable', 'Service temporarily unavailable. Retry later.', null, error.retryAfter);
    case 'internal':
      return errorReply(500, 'internal_error', error.message, null);
  }
}

function ovyxaDialect(route: OvyxaRoute): Dialect {
  return {
    name: 'ovyxa',
    parse: (body, ctx) => parseOvyxaBody(route, body, ctx),
    success: ovyxaSuccess,
    failure: ovyxaFailure,
  };
}

/** POST /api/v1/events/pageview: 201 {"success":true,"event_id":"evt_<id>"}. */
export const ovyxaPageviewDialect = ovyxaDialect('pageview');
/** POST /api/v1/events/custom: same answers; props are validated (invalid_props). */
export const ovyxaCustomDialect = ovyxaDialect('custom');
