import type { ErrorObject } from 'ajv';
import { randomBytes } from 'node:crypto';
import { CanonicalEvent, emptyEvent, IngestResult } from '../canonical-event';
import { IngestError, ParseOutcome, WireReply } from '../ingest-error';
import { ajv, depthOf, isPlainObject, MAX_FUTURE_SKEW_MS, nonEmptyText, QUOTA_RETRY_AFTER_SECONDS, retryAfterSeconds, withoutNullFields } from './common';
import { Dialect, ParseContext } from './dialect';
import { readUmamiCache, signUmamiCache, umamiSessionId } from './umami-cache';
import { UMAMI_LIMITS, umamiSendBodySchema } from './umami.schema';

export * from './umami.schema';

interface UmamiPayload {
  website: string;
  hostname?: string;
  language?: string;
  referrer?: string;
  screen?: string;
  title?: string;
  url?: string;
  name?: string;
  data?: Record<string, unknown>;
  tag?: string;
  id?: string;
  timestamp?: number | string;
}

interface UmamiBody {
  type: 'event' | 'identify';
  payload: UmamiPayload;
}

const validateBody = ajv.compile<UmamiBody>(umamiSendBodySchema);

/** The custom event an identify is stored as: its data become the event's properties. */
export const IDENTIFY_EVENT = 'identify';

// Older events are not analytics data anyone imports (as parseTimestamp bounds every dialect).
const MIN_TIMESTAMP_S = Date.UTC(1990, 0, 1) / 1000;

const invalid = (field: string | undefined, message: string): { ok: false; error: IngestError } => ({
  ok: false,
  error: field === undefined ? { code: 'validation', message } : { code: 'validation', field, message },
});

/** The type name zod reports as "received" (its wording is what Umami clients see). */
function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

const EXPECTED: Record<string, string> = { payload: 'object', 'payload.data': 'record', 'payload.timestamp': 'number' };

/** An ajv error worded as zod words it, at the path zod gives it ("payload.name"). */
function schemaError(error: ErrorObject | undefined, body: Record<string, unknown>): { ok: false; error: IngestError } {
  if (!error) return invalid(undefined, 'Invalid input');
  const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
  const field = path.join('.');
  const value = path.reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), body);
  const limit = (error.params as { limit?: number }).limit;
  if (field === 'type') return invalid(field, 'Invalid option: expected one of "event"|"identify"');
  if (field === 'payload.timestamp' && typeof value === 'number') return invalid(field, 'Invalid input: expected int, received number');
  if (field === 'payload.timestamp' && typeof value === 'string') return invalid(field, 'Invalid input: expected number, received NaN');
  if (error.keyword === 'maxLength') return invalid(field, `Too big: expected string to have <=${limit} characters`);
  if (error.keyword === 'minLength') return invalid(field, `Too small: expected string to have >=${limit} characters`);
  return invalid(field, `Invalid input: expected ${EXPECTED[field] ?? 'string'}, received ${received(value)}`);
}

/** Umami accepts any URL or path that resolves against a base. */
function isUrlOrPath(value: string | undefined): boolean {
  if (value === undefined) return true;
  try {
    new URL(value, 'https://localhost');
    return true;
  } catch {
    return false;
  }
}

/** Unix seconds (a number or a string of digits) as a date within Footfall's bounds. */
function eventTime(value: number | string | undefined, now: Date): ParseOutcome<Date | null> {
  if (value === undefined) return { ok: true, value: null };
  const seconds = Number(value);
  if (seconds < MIN_TIMESTAMP_S || seconds * 1000 > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return invalid('payload.timestamp', 'Timestamp must be Unix seconds from 1990-01-01 to at most 5 minutes from now.');
  }
  return { ok: true, value: new Date(seconds * 1000) };
}

/** Properties an Event Data value counts for: an array is one, an object the sum of its values. */
function propertyCount(value: unknown): number {
  if (!isPlainObject(value)) return 1;
  let n = 0;
  for (const v of Object.values(value)) n += propertyCount(v);
  return n;
}

/** Umami's Event Data rules: strings cut to 500 characters, numbers to 4 decimals, arrays as JSON text. */
function storedData(value: unknown): unknown {
  if (typeof value === 'string') return value.slice(0, UMAMI_LIMITS.dataString);
  if (typeof value === 'number') {
    const scale = 10 ** UMAMI_LIMITS.dataDecimals;
    const rounded = Math.round(value * scale) / scale;
    return Number.isFinite(rounded) ? rounded : value;
  }
  if (Array.isArray(value)) return JSON.stringify(value).slice(0, UMAMI_LIMITS.dataString);
  // Object.fromEntries defines own properties, so a "__proto__" key stays an ordinary key.
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storedData(v)]));
  return value;
}

function checkData(data: Record<string, unknown> | undefined): { ok: false; error: IngestError } | null {
  if (data === undefined) return null;
  if (depthOf(data) > UMAMI_LIMITS.dataDepth) return invalid('payload.data', `Data must not nest deeper than ${UMAMI_LIMITS.dataDepth} levels.`);
  if (propertyCount(data) > UMAMI_LIMITS.dataProperties) {
    return invalid('payload.data', `Data may have at most ${UMAMI_LIMITS.dataProperties} properties (an array counts as one).`);
  }
  return null;
}

/** The distinct id: payload.id, or for an identify the data's id (umami.identify({ id })). */
function distinctId(body: UmamiBody): ParseOutcome<string | null> {
  const own = nonEmptyText(body.payload.id);
  const fromData = body.payload.data?.id;
  if (own !== null || body.type !== 'identify' || (typeof fromData !== 'string' && typeof fromData !== 'number')) return { ok: true, value: own };
  const id = String(fromData);
  if (id.length > UMAMI_LIMITS.id) return invalid('payload.data.id', `Too big: expected string to have <=${UMAMI_LIMITS.id} characters`);
  return { ok: true, value: nonEmptyText(id) };
}

/** Event data, and the tracker's tag as the property "tag" (a "tag" of the data wins). */
function properties(data: Record<string, unknown> | undefined, tag: string | undefined): Record<string, unknown> | null {
  const props = (data === undefined ? {} : storedData(data)) as Record<string, unknown>;
  if (tag && !Object.prototype.hasOwnProperty.call(props, 'tag')) props.tag = tag;
  return Object.keys(props).length > 0 ? props : null;
}

function parseUmamiBody(raw: unknown, ctx: ParseContext, cacheKey: Buffer, cacheToken: string | null): ParseOutcome<CanonicalEvent[]> {
  if (!isPlainObject(raw)) return invalid(undefined, `Invalid input: expected object, received ${raw === undefined ? 'undefined' : received(raw)}`);
  const body = isPlainObject(raw.payload) ? { ...withoutNullFields(raw), payload: withoutNullFields(raw.payload) } : withoutNullFields(raw);
  if (!validateBody(body)) return schemaError(validateBody.errors?.[0], body);
  const p = body.payload;
  if (!isUrlOrPath(p.url)) return invalid('payload.url', 'Invalid URL.');
  if (!isUrlOrPath(p.referrer)) return invalid('payload.referrer', 'Invalid URL.');
  const timestamp = eventTime(p.timestamp, ctx.now);
  if (!timestamp.ok) return timestamp;
  const badData = checkData(p.data);
  if (badData) return badData;
  const userId = distinctId(body);
  if (!userId.ok) return userId;

  const name = body.type === 'identify' ? IDENTIFY_EVENT : nonEmptyText(p.name?.trim());
  const size = /^(\d{1,5})x(\d{1,5})$/.exec(p.screen ?? '');
  const cache = readUmamiCache(cacheKey, cacheToken, p.website, ctx.now);
  const event: CanonicalEvent = {
    ...emptyEvent(p.website, name === null ? 'pageview' : 'custom'),
    name,
    url: nonEmptyText(p.url),
    hostname: nonEmptyText(p.hostname),
    title: nonEmptyText(p.title),
    referrer: nonEmptyText(p.referrer),
    props: properties(p.data, p.tag),
    visitorId: cache?.visitorId ?? null,
    userId: userId.value,
    language: nonEmptyText(p.language),
    screen: nonEmptyText(p.screen),
    screenWidth: size ? Number(size[1]) : null,
    screenHeight: size ? Number(size[2]) : null,
    timestamp: timestamp.value,
  };
  return { ok: true, value: [event] };
}

/** Field names and messages as zod's treeifyError nests them: {errors, properties: {payload: {errors, properties: {…}}}}. */
function errorTree(field: string | undefined, message: string): Record<string, unknown> {
  if (!field) return { errors: [message] };
  return field.split('.').reduceRight<Record<string, unknown>>((inner, key) => ({ errors: [], properties: { [key]: inner } }), { errors: [message] });
}

function errorReply(status: number, code: string, message: string, extra: Record<string, unknown> = {}, retryAfter?: number): WireReply {
  const reply: WireReply = { status, body: { error: { message, code, status, ...extra } } };
  if (retryAfter !== undefined) reply.headers = { 'Retry-After': String(retryAfterSeconds(retryAfter)) };
  return reply;
}

/** Maps a typed ingestion error to Umami's {"error":{message, code, status}} replies. */
export function umamiFailure(error: IngestError): WireReply {
  switch (error.code) {
    case 'validation':
    case 'invalid_props':
      return errorReply(400, 'bad-request', 'Bad request', errorTree(error.field, error.message));
    case 'malformed':
    case 'unsupported_media_type':
    case 'batch_too_large':
      // Umami reads any body as JSON: whatever it cannot read is a bad request.
      return errorReply(400, 'bad-request', 'Bad request', errorTree(undefined, error.message));
    case 'unknown_website':
      return errorReply(400, 'bad-request', 'Website not found.');
    case 'unauthorized':
      return errorReply(401, 'unauthorized', 'Unauthorized');
    case 'forbidden':
      return errorReply(403, 'forbidden', error.message);
    case 'payload_too_large':
      return errorReply(413, 'payload-too-large', 'Payload too large');
    case 'rate_limited':
      return errorReply(429, 'too-many-requests', 'Too many requests', {}, error.retryAfter);
    case 'quota_exceeded':
      return errorReply(429, 'too-many-requests', error.message, {}, QUOTA_RETRY_AFTER_SECONDS);
    case 'overloaded':
      return errorReply(503, 'service-unavailable', 'Service unavailable', {}, error.retryAfter);
    case 'internal':
      return errorReply(500, 'server-error', 'Server error');
  }
}

export interface UmamiDialectOptions {
  /** Key of the cache tokens (umamiCacheKey). */
  cacheKey: Buffer;
  /** The request's x-umami-cache header. */
  cacheToken: string | null;
  /** Clock of the tokens issued (injected so tests can pin it). */
  now?: () => Date;
}

/**
 * POST /api/send for one request (the cache token it carries): 200 {cache, sessionId, visitId},
 * or {"beep":"boop"} when it came from a bot or had no user agent (nothing stored).
 */
export function umamiDialect(options: UmamiDialectOptions): Dialect {
  const { cacheKey, cacheToken, now = () => new Date() } = options;
  return {
    name: 'umami',
    parse(body, ctx) {
      try {
        return parseUmamiBody(body, ctx, cacheKey, cacheToken);
      } catch {
        // Only bodies that are not plain JSON (getters that throw, proxies) can get here.
        return invalid(undefined, 'Request body could not be read');
      }
    },
    success(result: IngestResult, events: CanonicalEvent[]): WireReply {
      const visit = result.visits?.[0];
      if (result.skipped || !visit) return { status: 200, body: { beep: 'boop' } };
      const websiteId = events[0].websiteId;
      const cache = signUmamiCache(cacheKey, { websiteId, visitorId: visit.visitorId, issuedAt: Math.floor(now().getTime() / 1000) });
      return { status: 200, body: { cache, sessionId: umamiSessionId(websiteId, visit.visitorId), visitId: visit.sessionId } };
    },
    failure: umamiFailure,
  };
}

/**
 * The route's dialect before a request's own is made (rate limits, body errors): it answers the
 * failures. Its key is random, so a token it signed would count nowhere.
 */
export const umamiRouteDialect = umamiDialect({ cacheKey: randomBytes(32), cacheToken: null });
