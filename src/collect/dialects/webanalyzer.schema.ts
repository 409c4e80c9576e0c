import { eventExtrasSchema, flatPropsSchema } from './common';

/** Web Analyzer's documented limits (name, payload, batch) and Footfall's bounds for the rest. */
export const WEBANALYZER_LIMITS = {
  name: 128,
  payloadKeys: 10,
  payloadKeyLength: 255,
  payloadValueLength: 255,
  url: 2048,
  referrer: 2048,
  userAgent: 1024,
  ipAddress: 64,
  batchEvents: 25,
} as const;

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Body of POST /api/v1/websites/{website_id}/track, and each element of a batch. */
export const webAnalyzerEventSchema = {
  type: 'object',
  description: 'One server-side event. null in an optional field means absent; unknown fields are ignored.',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: WEBANALYZER_LIMITS.name,
      description: 'Event name, e.g. purchase or signup.',
    },
    payload: flatPropsSchema(
      { keys: WEBANALYZER_LIMITS.payloadKeys, keyLength: WEBANALYZER_LIMITS.payloadKeyLength, valueLength: WEBANALYZER_LIMITS.payloadValueLength },
      `Flat event metadata: at most ${WEBANALYZER_LIMITS.payloadKeys} keys; values are strings of at most ` +
        `${WEBANALYZER_LIMITS.payloadValueLength} characters, numbers or booleans (stored as strings). ` +
        'Nested objects and arrays are rejected; a null value is dropped; an empty array is read as no payload.',
    ),
    visitor_id: {
      type: 'string',
      pattern: UUID_PATTERN,
      description: 'Visitor UUID (the ot_vid value of the client-side tracker) linking the event to that visitor.',
    },
    url: { type: 'string', maxLength: WEBANALYZER_LIMITS.url, description: 'URL associated with the event.' },
    referrer: { type: 'string', maxLength: WEBANALYZER_LIMITS.referrer, description: 'Referrer URL, for attribution.' },
    user_agent: {
      type: 'string',
      maxLength: WEBANALYZER_LIMITS.userAgent,
      description: "Footfall extension. Visitor's user agent; the request's own User-Agent is never used.",
    },
    ip_address: {
      type: 'string',
      maxLength: WEBANALYZER_LIMITS.ipAddress,
      description: "Footfall extension. Visitor's IPv4 or IPv6 address, for geolocation only (never stored).",
    },
    ...eventExtrasSchema,
  },
} as const;

/**
 * Body of POST /api/v1/websites/{website_id}/track/batch. Documents the route; the parser checks
 * the envelope in code and validates each event with webAnalyzerEventSchema, to name the index.
 */
export const webAnalyzerBatchSchema = {
  type: 'object',
  description: `1 to ${WEBANALYZER_LIMITS.batchEvents} events; one invalid event rejects the whole request.`,
  required: ['events'],
  properties: {
    events: { type: 'array', minItems: 1, maxItems: WEBANALYZER_LIMITS.batchEvents, items: webAnalyzerEventSchema },
  },
} as const;

export const webAnalyzerSuccessSchema = {
  type: 'object',
  description: '200 OK: the event was recorded.',
  required: ['ok', 'event_id'],
  properties: {
    ok: { type: 'boolean', enum: [true] },
    event_id: { type: 'integer', example: 4521 },
  },
} as const;

export const webAnalyzerBatchSuccessSchema = {
  type: 'object',
  description: '200 OK: every event was recorded; event_ids are in input order.',
  required: ['ok', 'processed', 'event_ids'],
  properties: {
    ok: { type: 'boolean', enum: [true] },
    processed: { type: 'integer', example: 3 },
    event_ids: { type: 'array', items: { type: 'integer' }, example: [4522, 4523, 4524] },
  },
} as const;

export const WEBANALYZER_ERROR_CODES = [
  'validation_error',
  'unauthorized',
  'monthly_limit_reached',
  'plan_required',
  'website_not_found',
  'payload_too_large',
  'rate_limit_exceeded',
  'server_unavailable',
  'server_error',
] as const;

export type WebAnalyzerErrorCode = (typeof WEBANALYZER_ERROR_CODES)[number];

export const webAnalyzerErrorSchema = {
  type: 'object',
  description:
    'Every error: 400 validation_error, 401 unauthorized, 402 monthly_limit_reached, 403 plan_required (key without the ingest scope), ' +
    '404 website_not_found, 413 payload_too_large, 429 rate_limit_exceeded and 503 server_unavailable (both with Retry-After and retry_after), ' +
    '500 server_error.',
  required: ['ok', 'error'],
  properties: {
    ok: { type: 'boolean', enum: [false] },
    error: { type: 'string', enum: [...WEBANALYZER_ERROR_CODES] },
    message: { type: 'string', description: 'What went wrong (absent on 429, whose body is exactly as documented).', example: 'events[2].name: Missing required field: name' },
    retry_after: { type: 'integer', description: 'Seconds to wait; 429 and 503 only.', example: 30 },
  },
} as const;
