import Ajv, { ErrorObject } from 'ajv';
import { IngestError, ParseOutcome } from '../ingest-error';
import type { UtmParams } from '../canonical-event';

/** One ajv instance for every dialect schema: compiled once at module load, as Fastify does. */
export const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });

/** Events may be at most this far in the future (clock skew between client and server). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

// ISO 8601 date-time with an explicit zone (Z or ±hh:mm / ±hhmm).
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

// Older events are not analytics data anyone imports; the bound keeps partitions sane.
const MIN_TIMESTAMP_MS = Date.UTC(1990, 0, 1);

/** Date rolls impossible days over (2026-02-30 becomes March 2); reject them instead. */
function isRealCalendarDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const probe = new Date(0);
  probe.setUTCFullYear(y, m - 1, d); // Date.UTC would read years 0-99 as 1900-1999
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/**
 * Parses an optional event timestamp. null/undefined mean "now" (returns null).
 * Rejects non-strings, strings that are not ISO 8601 with a zone, and times beyond the skew.
 */
export function parseTimestamp(value: unknown, now: Date, field = 'timestamp'): ParseOutcome<Date | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== 'string') {
    return { ok: false, error: { code: 'validation', field, message: `${field} must be an ISO 8601 string with a time zone` } };
  }
  const date = new Date(value);
  if (!ISO_WITH_ZONE.test(value) || Number.isNaN(date.getTime()) || !isRealCalendarDate(value)) {
    return { ok: false, error: { code: 'validation', field, message: `${field} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z` } };
  }
  if (date.getTime() < MIN_TIMESTAMP_MS) {
    return { ok: false, error: { code: 'validation', field, message: `${field} must not be before 1990-01-01` } };
  }
  if (date.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return { ok: false, error: { code: 'validation', field, message: `${field} must not be more than 5 minutes in the future` } };
  }
  return { ok: true, value: date };
}

/** Field name an ajv error is about: the property path, or the missing property. */
export function ajvErrorField(error: ErrorObject): string | undefined {
  if (error.keyword === 'required') return String((error.params as { missingProperty: string }).missingProperty);
  const path = error.instancePath.replace(/^\//, '').split('/');
  // For batches the path starts with the index; the field is what follows it.
  const parts = path.filter((p) => p !== '' && !/^\d+$/.test(p));
  return parts.length ? parts.join('.') : undefined;
}

/** Index of the batch element an ajv error is about, when the instance is an array. */
export function ajvErrorIndex(error: ErrorObject, prefix = ''): number | undefined {
  const path = error.instancePath.slice(prefix.length).replace(/^\//, '');
  const m = /^(\d+)(\/|$)/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/** A readable one-line message for an ajv error, naming the field. */
export function ajvErrorMessage(error: ErrorObject): string {
  const field = ajvErrorField(error);
  switch (error.keyword) {
    case 'required':
      return `Missing required field: ${field}`;
    case 'type':
      return `${field ?? 'body'} must be ${withArticle(String((error.params as { type: string }).type))}`;
    case 'maxLength':
      return `${field} must be at most ${(error.params as { limit: number }).limit} characters`;
    case 'minLength':
      return `${field} must not be empty`;
    case 'maxProperties':
      return `${field ?? 'body'} must have at most ${(error.params as { limit: number }).limit} keys`;
    case 'maxItems':
      return `${field ?? 'body'} must have at most ${(error.params as { limit: number }).limit} items`;
    case 'enum':
      return `${field} must be one of: ${((error.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`;
    case 'const':
      return `${field} must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    default:
      return `${field ?? 'body'} ${error.message ?? 'is invalid'}`;
  }
}

function withArticle(type: string): string {
  const t = type.split(',').join(' or ');
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** JSON-safe nesting limit for free-form property objects (stops pathological bodies early). */
export const MAX_PROPS_DEPTH = 5;

export function depthOf(value: unknown, limit = MAX_PROPS_DEPTH + 1): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const v of Object.values(value as Record<string, unknown>)) {
    const d = depthOf(v, limit - 1);
    if (d > max) max = d;
  }
  return max + 1;
}

/** Treats null as absent, as every dialect's optional fields do. */
export function opt<T>(value: T | null | undefined): T | null {
  return value === undefined || value === null ? null : value;
}

export type { IngestError };

/** True for a JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Shallow copy without null-valued keys, so schemas treat null exactly like an absent field.
 * Object.fromEntries defines own properties, so a "__proto__" key stays an ordinary key.
 */
export function withoutNullFields(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/** Retry-After value in whole seconds, never below 1 (clients treat 0 as "retry at once"). */
export function retryAfterSeconds(seconds: number): number {
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 1;
}

/**
 * Retry-After sent with a monthly-quota refusal. Kept short on purpose: clients sleep for it
 * with setTimeout, which misfires past ~24.8 days, and a quota may be raised at any time.
 */
export const QUOTA_RETRY_AFTER_SECONDS = 3600;

export const EVENT_ID_MAX_LENGTH = 128;

/** Schema fragments for the extras every server-side event body accepts. */
export const eventExtrasSchema = {
  event_id: {
    type: 'string',
    minLength: 1,
    maxLength: EVENT_ID_MAX_LENGTH,
    description:
      'Footfall extension. Idempotency key: a repeat with the same key within 7 days is not stored again and answers with the original event id.',
  },
  timestamp: {
    type: 'string',
    description:
      'Footfall extension. When the event happened, ISO 8601 with a time zone (e.g. 2026-01-31T12:00:00Z); at most 5 minutes in the future. Absent means now.',
  },
} as const;

/** Optional text as the canonical event wants it: absent, null and "" all become null. */
export function nonEmptyText(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/**
 * JSON schema of a flat property map (Ovyxa props, Web Analyzer payload): a few keys whose
 * values are strings, numbers or booleans. anyOf, not a type array, so OpenAPI 3.0 can show it.
 */
export function flatPropsSchema(limits: { keys: number; keyLength: number; valueLength: number }, description: string) {
  return {
    type: 'object',
    description,
    maxProperties: limits.keys,
    propertyNames: { maxLength: limits.keyLength },
    additionalProperties: {
      anyOf: [{ type: 'string', maxLength: limits.valueLength }, { type: 'number' }, { type: 'boolean' }],
    },
  } as const;
}

/**
 * Prepares a flat property map for validation: null values are dropped (null means absent) and
 * an empty array, which PHP's json_encode makes of an empty map, reads as no properties.
 */
export function normaliseFlatProps(value: unknown): unknown {
  if (Array.isArray(value) && value.length === 0) return undefined;
  return isPlainObject(value) ? withoutNullFields(value) : value;
}

/**
 * Field and message for an ajv error inside the flat property map named `container`, or null when
 * the error is about something else. Keys are decoded from the JSON pointer, digits included.
 */
export function flatPropsError(error: ErrorObject, container: string): { field: string; message: string } | null {
  const prefix = `/${container}`;
  if (error.instancePath !== prefix && !error.instancePath.startsWith(`${prefix}/`)) return null;
  const key = error.instancePath.slice(prefix.length + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  if (error.propertyName !== undefined) {
    const limit = (error.params as { limit?: number }).limit;
    return { field: container, message: `${container} key "${error.propertyName}" must be at most ${limit} characters` };
  }
  if (!key) {
    if (error.keyword === 'type') return { field: container, message: `${container} must be an object` };
    return { field: container, message: ajvErrorMessage(error) };
  }
  const field = `${container}.${key}`;
  if (error.keyword === 'maxLength') {
    return { field, message: `${field} must be at most ${(error.params as { limit: number }).limit} characters` };
  }
  return { field, message: `${field} must be a string, number or boolean (nested objects and arrays are not allowed)` };
}

/** The object itself when none of its fields is null (the usual case), else withoutNullFields of it. */
export function nullsAsAbsent(value: Record<string, unknown>): Record<string, unknown> {
  for (const key in value) {
    if (value[key] === null && Object.prototype.hasOwnProperty.call(value, key)) return withoutNullFields(value);
  }
  return value;
}

/** UTF-8 size of a value's JSON text; Infinity when it cannot be serialised. Never throws. */
export function jsonByteLength(value: unknown): number {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
  } catch {
    return Infinity;
  }
}

/**
 * Why a free-form property object is refused, or null when it is fine. Depth is checked first so
 * that serialising for the size check never meets pathological nesting.
 */
export function propsObjectProblem(props: object, field: string, maxBytes: number): string | null {
  if (depthOf(props) > MAX_PROPS_DEPTH) return `${field} must not nest deeper than ${MAX_PROPS_DEPTH} levels`;
  if (jsonByteLength(props) > maxBytes) return `${field} must be at most ${maxBytes} bytes when serialized as JSON`;
  return null;
}

/** The screen as text: the one sent, else "WxH" built from width and height when both are known. */
export function screenText(screen: string | null, width: number | null, height: number | null): string | null {
  if (screen !== null) return screen;
  return width !== null && height !== null ? `${width}x${height}` : null;
}

/** Body fields utm_source..utm_content as canonical UTM parameters; empty strings are left out. */
export function utmFromFields(fields: Partial<Record<`utm_${keyof UtmParams}`, string>>): UtmParams {
  const utm: UtmParams = {};
  if (fields.utm_source) utm.source = fields.utm_source;
  if (fields.utm_medium) utm.medium = fields.utm_medium;
  if (fields.utm_campaign) utm.campaign = fields.utm_campaign;
  if (fields.utm_term) utm.term = fields.utm_term;
  if (fields.utm_content) utm.content = fields.utm_content;
  return utm;
}

/**
 * A validation message that says where the problem is: "events[3].url: Missing required field: url",
 * or "events[3].url must be at most 2048 characters" when the message already starts with the field.
 */
export function locatedMessage(error: { message: string; field?: string; index?: number }): string {
  const { message, field, index } = error;
  if (index === undefined) return field && !message.includes(field) ? `${field}: ${message}` : message;
  const element = `events[${index}]`;
  if (!field) return `${element}: ${message}`;
  return message.startsWith(`${field} `) ? `${element}.${message}` : `${element}.${field}: ${message}`;
}
