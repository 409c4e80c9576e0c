import { EVENT_ID_MAX_LENGTH, MAX_PROPS_DEPTH } from './common';

/** Bounds of Footfall's own event fields: the most generous of the dialects it speaks. */
export const NATIVE_LIMITS = {
  websiteId: 64,
  name: 128,
  url: 2048,
  referrer: 2048,
  title: 512,
  propsBytes: 4096,
  visitorId: 64,
  userId: 255,
  language: 35,
  screen: 20,
  /** Screen sizes are stored as integers; anything larger is not a screen. */
  screenSize: 100000,
  utm: 100,
  userAgent: 512,
  ipAddress: 64,
  batchEvents: 500,
} as const;

const text = (maxLength: number, description: string, example?: string) =>
  ({ type: 'string', maxLength, description, ...(example === undefined ? {} : { example }) }) as const;
const screenSize = (description: string) =>
  ({ type: 'integer', minimum: 0, maximum: NATIVE_LIMITS.screenSize, description }) as const;
const utm = (part: string) => text(NATIVE_LIMITS.utm, `UTM ${part}. When absent, the utm_${part} of the url's query string is used.`);

/** One event of POST /api/v1/events, alone or as an element of "events". */
export const nativeEventSchema = {
  type: 'object',
  description:
    'One pageview or custom event. null in an optional field means absent; unknown fields are ignored. ' +
    "User agent and IP come from user_agent and ip_address only; for browser calls send the visitor's own.",
  required: ['website_id'],
  properties: {
    website_id: {
      type: 'string',
      minLength: 1,
      maxLength: NATIVE_LIMITS.websiteId,
      description: 'Website the event belongs to. Unknown ids, and ids the API key may not write to, answer 404 website_not_found.',
      example: 'k3Jd8aPq2xYz',
    },
    type: { type: 'string', enum: ['pageview', 'custom'], default: 'pageview', description: 'Event kind.' },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: NATIVE_LIMITS.name,
      description: 'Custom event name, e.g. signup. Required when type is custom; ignored for pageviews.',
      example: 'signup',
    },
    url: text(NATIVE_LIMITS.url, 'Full URL of the page, e.g. https://example.com/pricing?utm_source=news.', 'https://example.com/pricing'),
    referrer: text(NATIVE_LIMITS.referrer, 'Referrer URL.'),
    title: text(NATIVE_LIMITS.title, 'Page title.'),
    props: {
      type: 'object',
      additionalProperties: true,
      description:
        `Custom properties: any JSON object of at most ${NATIVE_LIMITS.propsBytes} bytes serialized (UTF-8) and at most ` +
        `${MAX_PROPS_DEPTH} levels deep. Breaking a limit answers 400 invalid_props.`,
      example: { plan: 'pro', amount: 49.99 },
    },
    visitor_id: text(NATIVE_LIMITS.visitorId, 'Stable visitor id you assign. Absent: a cookieless id derived from IP and user agent, rotated daily.'),
    user_id: text(NATIVE_LIMITS.userId, 'Your own id of a signed-in user.'),
    language: text(NATIVE_LIMITS.language, 'BCP 47 language tag, e.g. en-US.', 'en-US'),
    screen: text(NATIVE_LIMITS.screen, 'Screen resolution, e.g. 1920x1080. Absent: built from screen_width and screen_height.', '1920x1080'),
    screen_width: screenSize('Screen width in pixels.'),
    screen_height: screenSize('Screen height in pixels.'),
    utm_source: utm('source'),
    utm_medium: utm('medium'),
    utm_campaign: utm('campaign'),
    utm_term: utm('term'),
    utm_content: utm('content'),
    user_agent: text(NATIVE_LIMITS.userAgent, "Visitor's user agent, for browser, OS and device detection."),
    ip_address: text(NATIVE_LIMITS.ipAddress, "Visitor's IPv4 or IPv6 address, for geolocation and the cookieless visitor id (never stored).", '203.0.113.42'),
    timestamp: {
      type: 'string',
      description: 'When the event happened, ISO 8601 with a time zone; at most 5 minutes in the future. Absent: now.',
      example: '2026-01-31T12:00:00Z',
    },
    event_id: {
      type: 'string',
      minLength: 1,
      maxLength: EVENT_ID_MAX_LENGTH,
      description:
        'Idempotency key: a repeat with the same key within 7 days is not stored again and answers with the original event id. ' +
        'For a single event the Idempotency-Key header may be used instead.',
    },
  },
} as const;

/** {"events":[...]}: documents the batch shape; the parser checks the envelope in code to name the index. */
export const nativeBatchBodySchema = {
  type: 'object',
  description: `1 to ${NATIVE_LIMITS.batchEvents} events, all or nothing: the first invalid event rejects the request and is named by index.`,
  required: ['events'],
  properties: {
    events: { type: 'array', minItems: 1, maxItems: NATIVE_LIMITS.batchEvents, items: nativeEventSchema },
  },
} as const;

/** Body of POST /api/v1/events: a body with an "events" field is a batch, any other a single event. */
export const nativeBodySchema = {
  description: 'One event, or {"events":[...]} with up to 500 events.',
  oneOf: [nativeEventSchema, nativeBatchBodySchema],
} as const;

const eventIdSchema = { type: 'string', pattern: '^[0-9]+$', description: 'Numeric event id as a decimal string (64-bit safe).', example: '1234567890' } as const;

export const nativeEventAcceptedSchema = {
  type: 'object',
  description: '202 Accepted: the single event was accepted (or was a replay of the same event_id).',
  required: ['ok', 'event_id'],
  properties: { ok: { type: 'boolean', enum: [true] }, event_id: eventIdSchema },
} as const;

export const nativeBatchAcceptedSchema = {
  type: 'object',
  description: '202 Accepted: every event of the batch was accepted; event_ids are in input order.',
  required: ['ok', 'accepted', 'event_ids'],
  properties: {
    ok: { type: 'boolean', enum: [true] },
    accepted: { type: 'integer', example: 2 },
    event_ids: { type: 'array', items: eventIdSchema, example: ['1234567890', '1234567891'] },
  },
} as const;

export const nativeDryRunSchema = {
  type: 'object',
  description: '200 OK for dry runs: the events as they would be stored, enriched; nothing is written. An event the website\'s shields drop is {"dropped": "ip" | "country" | "hostname" | "path"} in its place.',
  required: ['ok', 'dry_run', 'events'],
  properties: {
    ok: { type: 'boolean', enum: [true] },
    dry_run: { type: 'boolean', enum: [true] },
    events: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

export const NATIVE_ERROR_CODES = [
  'validation_error',
  'invalid_props',
  'invalid_json',
  'unsupported_media_type',
  'batch_too_large',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'website_not_found',
  'rate_limit_exceeded',
  'quota_exceeded',
  'service_unavailable',
  'internal_error',
] as const;

export type NativeErrorCode = (typeof NATIVE_ERROR_CODES)[number];

export const nativeErrorSchema = {
  type: 'object',
  description:
    'Every error: 400 validation_error / invalid_props / invalid_json / batch_too_large, 401 unauthorized, 402 quota_exceeded, ' +
    '403 forbidden, 404 website_not_found, 413 payload_too_large, 415 unsupported_media_type, ' +
    '429 rate_limit_exceeded (Retry-After, X-RateLimit-*), 500 internal_error, 503 service_unavailable (Retry-After).',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'field', 'index'],
      properties: {
        code: { type: 'string', enum: [...NATIVE_ERROR_CODES] },
        message: { type: 'string', example: 'events[3].url must be at most 2048 characters' },
        field: { type: 'string', nullable: true, example: 'url', description: 'The offending field of the event, or null.' },
        index: { type: 'integer', nullable: true, example: 3, description: 'Index of the offending event in a batch, or null.' },
      },
    },
  },
} as const;
