import { eventExtrasSchema } from './common';

/** The limits of the Sparklytics field reference, plus Footfall's bound on screen sizes. */
export const SPARKLYTICS_LIMITS = {
  websiteId: 64,
  url: 2048,
  eventName: 50,
  eventDataBytes: 4096,
  referrer: 2048,
  visitorId: 64,
  language: 10,
  screen: 20,
  utm: 100,
  /** Screen sizes are stored as integers; anything larger is not a screen. */
  screenSize: 100000,
  batchEvents: 50,
} as const;

const text = (maxLength: number, description: string) => ({ type: 'string', maxLength, description }) as const;
const screenSize = (description: string) =>
  ({ type: 'integer', minimum: 0, maximum: SPARKLYTICS_LIMITS.screenSize, description }) as const;
const utm = (part: string) => text(SPARKLYTICS_LIMITS.utm, `UTM ${part} parameter. When absent, the page URL's utm_${part} is used.`);

/** One event of POST /api/collect, in either documented shape. */
export const sparklyticsEventSchema = {
  type: 'object',
  description:
    'One event. Two shapes are accepted: type "pageview" | "event" (url required, event_data an object), or ' +
    'event_type "pageview" | "custom" (url optional, event_data a JSON string encoding an object). ' +
    'null in an optional field means absent; unknown fields are ignored. User agent and IP are the request\'s own.',
  required: ['website_id'],
  properties: {
    website_id: {
      type: 'string',
      minLength: 1,
      maxLength: SPARKLYTICS_LIMITS.websiteId,
      description: 'Website id from the dashboard. Unknown ids answer 404 {"error":"Unknown website_id: <id>"}.',
    },
    type: { type: 'string', enum: ['pageview', 'event'], description: 'Event type. Either type or event_type is required.' },
    event_type: {
      type: 'string',
      enum: ['pageview', 'custom', 'event'],
      description: 'Event type in the custom-events shape; "event" reads as "custom". Must agree with type when both are sent.',
    },
    url: text(SPARKLYTICS_LIMITS.url, 'Current page URL. Required with type; optional with event_type.'),
    event_name: text(SPARKLYTICS_LIMITS.eventName, 'Custom event name. Required for custom events (type "event" or event_type "custom").'),
    event_data: {
      anyOf: [
        { type: 'object', additionalProperties: true },
        { type: 'string', description: 'A JSON string that decodes to an object.' },
      ],
      description:
        `Custom event properties: an object, or a JSON string encoding one. At most ${SPARKLYTICS_LIMITS.eventDataBytes} bytes ` +
        'serialized (UTF-8) and at most 5 levels deep. Strings, numbers, booleans and nested objects are kept as sent.',
      example: { plan: 'pro', source: 'hero_cta' },
    },
    referrer: text(SPARKLYTICS_LIMITS.referrer, 'Referrer URL (the page\'s document.referrer).'),
    visitor_id: text(SPARKLYTICS_LIMITS.visitorId, 'Stable visitor identifier. Absent: derived, cookieless, from IP and user agent.'),
    language: text(SPARKLYTICS_LIMITS.language, 'Browser language, e.g. en-US.'),
    screen: text(SPARKLYTICS_LIMITS.screen, 'Screen resolution, e.g. 1920x1080. Absent: built from screen_width and screen_height.'),
    screen_width: screenSize('Screen width in pixels.'),
    screen_height: screenSize('Screen height in pixels.'),
    utm_source: utm('source'),
    utm_medium: utm('medium'),
    utm_campaign: utm('campaign'),
    utm_term: utm('term'),
    utm_content: utm('content'),
    ...eventExtrasSchema,
  },
} as const;

/**
 * Body of POST /api/collect. Documents the route; the parser checks the array in code (to answer
 * batch_too_large and name the index) and validates each event with sparklyticsEventSchema.
 */
export const sparklyticsBodySchema = {
  description: `One event, or an array of 1 to ${SPARKLYTICS_LIMITS.batchEvents} events; one invalid event rejects the whole request.`,
  oneOf: [
    sparklyticsEventSchema,
    { type: 'array', minItems: 1, maxItems: SPARKLYTICS_LIMITS.batchEvents, items: sparklyticsEventSchema },
  ],
} as const;

/** Header sent with every accepted request, as Sparklytics does. */
export const SPARKLYTICS_ACK_HEADER = 'x-sparklytics-ingest-ack';

export const sparklyticsSuccessSchema = {
  type: 'object',
  description: '202 Accepted, with the header x-sparklytics-ingest-ack: queued.',
  required: ['ok'],
  properties: { ok: { type: 'boolean', enum: [true] } },
} as const;

export const sparklyticsErrorSchema = {
  type: 'object',
  description:
    'Every error: 400 (validation; batch_too_large also carries code), 404 unknown website_id, 413 body over 100 KB, 415 not JSON, ' +
    '429 rate limit (X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After) or monthly quota (Retry-After), ' +
    '500 internal error, 503 overloaded (Retry-After).',
  required: ['error'],
  properties: {
    error: { type: 'string', description: 'Human-readable message.', example: 'Unknown website_id: abc123' },
    code: { type: 'string', enum: ['batch_too_large'], description: 'Only on batches of more than 50 events.' },
  },
} as const;
