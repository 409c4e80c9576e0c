import type { ErrorObject } from 'ajv';
import { isIP } from 'node:net';
import { CanonicalEvent, emptyEvent, IngestResult } from '../canonical-event';
import { IngestError, ParseOutcome, WireReply } from '../ingest-error';
import {
  ajv,
  ajvErrorField,
  depthOf,
  isPlainObject,
  MAX_PROPS_DEPTH,
  nonEmptyText,
  parseTimestamp,
  QUOTA_RETRY_AFTER_SECONDS,
  retryAfterSeconds,
  withoutNullFields,
} from './common';
import { Dialect, ParseContext } from './dialect';
import { rybbitTrackBodySchema } from './rybbit.schema';

export * from './rybbit.schema';

interface RybbitBody {
  site_id: string;
  type: 'pageview' | 'custom_event';
  pathname?: string;
  hostname?: string;
  querystring?: string;
  page_title?: string;
  referrer?: string;
  user_id?: string;
  user_agent?: string;
  ip_address?: string;
  language?: string;
  screenWidth?: number;
  screenHeight?: number;
  event_name?: string;
  properties?: string;
  event_id?: string;
  timestamp?: string;
}

const validateBody = ajv.compile<RybbitBody>(rybbitTrackBodySchema);

/**
 * The API key of a /api/track request: the body's api_key, else an Authorization: Bearer header.
 * Null when neither carries one. Never throws, whatever the body is.
 */
export function rybbitApiKey(body: unknown, authorization: string | string[] | null | undefined): string | null {
  if (isPlainObject(body) && typeof body.api_key === 'string' && body.api_key.trim() !== '') return body.api_key.trim();
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

/** The type name zod reports as "received" (its wording is what Rybbit clients see). */
function receivedType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

const fieldError = (field: string, message: string): IngestError => ({ code: 'validation', field, message });
const formError = (message: string): IngestError => ({ code: 'validation', message });

/** An ajv error worded as zod words it, since Rybbit answers with zod's flatten(). */
function schemaError(error: ErrorObject | undefined, fields: Record<string, unknown>): IngestError {
  if (!error) return formError('Invalid input');
  const field = ajvErrorField(error) ?? '';
  const params = error.params as { limit?: number; type?: string };
  if (field === 'type') return fieldError(field, "Invalid discriminator value. Expected 'pageview' | 'custom_event'");
  switch (error.keyword) {
    case 'required':
      return fieldError(field, 'Required');
    case 'type':
      return fieldError(field, `Expected ${params.type}, received ${receivedType(fields[field])}`);
    case 'maxLength':
      return fieldError(field, `String must contain at most ${params.limit} character(s)`);
    case 'minLength':
      return fieldError(field, `String must contain at least ${params.limit} character(s)`);
    case 'minimum':
      return fieldError(field, `Number must be greater than or equal to ${params.limit}`);
    case 'maximum':
      return fieldError(field, `Number must be less than or equal to ${params.limit}`);
    default:
      return fieldError(field, error.message ?? 'Invalid input');
  }
}

/** Decodes the string-encoded properties of a custom event; undefined/"" mean none. */
function decodeProperties(raw: string | undefined): ParseOutcome<Record<string, unknown> | null> {
  if (raw === undefined || raw === '') return { ok: true, value: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, error: fieldError('properties', 'Properties must be a valid JSON string') };
  }
  if (!isPlainObject(parsed)) return { ok: false, error: fieldError('properties', 'Properties must be a JSON object') };
  if (depthOf(parsed) > MAX_PROPS_DEPTH) {
    return { ok: false, error: fieldError('properties', `Properties must not nest deeper than ${MAX_PROPS_DEPTH} levels`) };
  }
  return { ok: true, value: Object.keys(parsed).length > 0 ? parsed : null };
}

/** Rybbit's site ids are numbers on its side; clients send them as strings or integers. */
function normalise(body: Record<string, unknown>): Record<string, unknown> {
  const fields = withoutNullFields(body);
  if (typeof fields.site_id === 'number' && Number.isSafeInteger(fields.site_id)) fields.site_id = String(fields.site_id);
  if (fields.type === undefined) fields.type = 'pageview';
  return fields;
}

/** The canonical querystring carries no leading "?"; Rybbit clients send it either way. */
function normaliseQuerystring(value: string | undefined): string | null {
  return nonEmptyText(value?.startsWith('?') ? value.slice(1) : value);
}

function parseRybbitBody(body: unknown, ctx: ParseContext): ParseOutcome<CanonicalEvent[]> {
  if (!isPlainObject(body)) return { ok: false, error: formError(`Expected object, received ${receivedType(body)}`) };
  const fields = normalise(body);
  if (!validateBody(fields)) return { ok: false, error: schemaError(validateBody.errors?.[0], fields) };

  const custom = fields.type === 'custom_event';
  if (custom && !fields.event_name?.trim()) return { ok: false, error: formError('Custom events require event_name') };
  const properties = custom ? decodeProperties(fields.properties) : { ok: true as const, value: null };
  if (!properties.ok) return properties;
  const ip = nonEmptyText(fields.ip_address);
  if (ip !== null && isIP(ip) === 0) return { ok: false, error: fieldError('ip_address', 'Invalid ip') };
  const timestamp = parseTimestamp(fields.timestamp, ctx.now);
  if (!timestamp.ok) return timestamp;

  const width = fields.screenWidth === undefined ? null : Math.round(fields.screenWidth);
  const height = fields.screenHeight === undefined ? null : Math.round(fields.screenHeight);
  const event: CanonicalEvent = {
    ...emptyEvent(fields.site_id, custom ? 'custom' : 'pageview'),
    name: custom ? (fields.event_name ?? null) : null,
    hostname: nonEmptyText(fields.hostname),
    pathname: nonEmptyText(fields.pathname),
    querystring: normaliseQuerystring(fields.querystring),
    title: nonEmptyText(fields.page_title),
    referrer: nonEmptyText(fields.referrer),
    props: properties.value,
    userId: nonEmptyText(fields.user_id),
    language: nonEmptyText(fields.language),
    screenWidth: width,
    screenHeight: height,
    screen: width !== null && height !== null ? `${width}x${height}` : null,
    userAgent: nonEmptyText(fields.user_agent),
    ip,
    timestamp: timestamp.value,
    eventId: fields.event_id ?? nonEmptyText(ctx.idempotencyKey),
  };
  return { ok: true, value: [event] };
}

interface RybbitDetails {
  fieldErrors: Record<string, string[]>;
  formErrors: string[];
}

/** details (zod's flatten()) only on errors about the body, as Rybbit's server sends them. */
function errorReply(status: number, error: string, details?: RybbitDetails, retryAfter?: number): WireReply {
  const reply: WireReply = { status, body: details ? { success: false, error, details } : { success: false, error } };
  if (retryAfter !== undefined) reply.headers = { 'Retry-After': String(retryAfterSeconds(retryAfter)) };
  return reply;
}

/**
 * Maps a typed ingestion error to Rybbit's {"success":false,"error"} body; validation errors add
 * details {fieldErrors, formErrors}.
 */
export function rybbitFailure(error: IngestError): WireReply {
  switch (error.code) {
    case 'validation':
    case 'invalid_props': {
      const { field, message } = error;
      const details = field ? { fieldErrors: { [field]: [message] }, formErrors: [] } : { fieldErrors: {}, formErrors: [message] };
      return errorReply(400, 'Invalid payload', details);
    }
    case 'malformed':
    case 'batch_too_large':
      return errorReply(400, 'Invalid payload', { fieldErrors: {}, formErrors: [error.message] });
    case 'unsupported_media_type':
      return errorReply(415, error.message);
    case 'payload_too_large':
      return errorReply(413, error.message);
    case 'unauthorized':
      return errorReply(401, 'Invalid API key');
    case 'forbidden':
      return errorReply(403, error.message);
    case 'unknown_website':
      return errorReply(404, 'Site not found');
    case 'rate_limited':
      return errorReply(429, `Rate limit exceeded. Maximum ${error.limit} requests per second per API key.`, undefined, error.retryAfter);
    case 'quota_exceeded':
      return errorReply(429, error.message, undefined, QUOTA_RETRY_AFTER_SECONDS);
    case 'overloaded':
      return errorReply(503, 'Service temporarily unavailable. Retry later.', undefined, error.retryAfter);
    case 'internal':
      return errorReply(500, error.message);
  }
}

/** POST /api/track: 200 {"success":true}. Take the API key with rybbitApiKey(). */
export const rybbitDialect: Dialect = {
  name: 'rybbit',
  parse: parseRybbitBody,
  success: (_result: IngestResult) => ({ status: 200, body: { success: true } }),
  failure: rybbitFailure,
};
