import { eventExtrasSchema } from './common';

/** Rybbit's documented limits, plus the bounds its server applies to the undocumented fields. */
export const RYBBIT_LIMITS = {
  apiKey: 256,
  siteId: 128,
  hostname: 253,
  pathname: 2048,
  querystring: 2048,
  pageTitle: 512,
  referrer: 2048,
  userId: 255,
  userAgent: 512,
  ipAddress: 64,
  language: 35,
  eventName: 256,
  properties: 2048,
  /** Screen sizes are stored as integers; anything larger is not a screen. */
  screenSize: 100000,
} as const;

const text = (maxLength: number, description: string) => ({ type: 'string', maxLength, description }) as const;
const screenSize = (description: string) =>
  ({ type: 'number', minimum: 0, maximum: RYBBIT_LIMITS.screenSize, description: `${description} Fractions are rounded.` }) as const;

/** Body of POST /api/track. */
export const rybbitTrackBodySchema = {
  type: 'object',
  description:
    'A pageview or custom event. null in an optional field means absent; unknown fields are ignored. ' +
    "User agent and IP are taken from user_agent / ip_address only, never from the request's own headers.",
  required: ['site_id'],
  properties: {
    api_key: text(RYBBIT_LIMITS.apiKey, 'API key. May instead be sent as Authorization: Bearer <key>; the body wins when both are present.'),
    site_id: {
      type: 'string',
      minLength: 1,
      maxLength: RYBBIT_LIMITS.siteId,
      description: 'Website id. An integer is accepted too and read as its decimal string.',
    },
    type: {
      type: 'string',
      enum: ['pageview', 'custom_event'],
      default: 'pageview',
      description: 'Event type; defaults to pageview.',
    },
    pathname: text(RYBBIT_LIMITS.pathname, 'Page path, e.g. /checkout.'),
    hostname: text(RYBBIT_LIMITS.hostname, 'Domain name, e.g. api.example.com.'),
    querystring: text(RYBBIT_LIMITS.querystring, 'Query parameters, with or without the leading "?".'),
    page_title: text(RYBBIT_LIMITS.pageTitle, 'Page title.'),
    referrer: text(RYBBIT_LIMITS.referrer, 'Referrer URL.'),
    user_id: text(RYBBIT_LIMITS.userId, 'Custom user identifier.'),
    user_agent: text(RYBBIT_LIMITS.userAgent, 'User agent, parsed for browser, OS and device.'),
    ip_address: text(RYBBIT_LIMITS.ipAddress, 'IPv4 or IPv6 address, resolved to a location (never stored).'),
    language: text(RYBBIT_LIMITS.language, 'Language code, e.g. en.'),
    screenWidth: screenSize('Screen width in logical pixels.'),
    screenHeight: screenSize('Screen height in logical pixels.'),
    event_name: text(RYBBIT_LIMITS.eventName, 'Event name; required when type is custom_event.'),
    properties: text(
      RYBBIT_LIMITS.properties,
      'Custom events only: a JSON string that parses to an object, e.g. {"amount": 99.99}. Ignored on pageviews.',
    ),
    ...eventExtrasSchema,
  },
} as const;

export const rybbitSuccessSchema = {
  type: 'object',
  description: '200 OK: the event was accepted.',
  required: ['success'],
  properties: { success: { type: 'boolean', enum: [true] } },
} as const;

export const rybbitErrorSchema = {
  type: 'object',
  description:
    'Every error: 400 "Invalid payload" (details list the problems), 401 "Invalid API key", 403 (key not allowed), 404 "Site not found", ' +
    '413 (body too large), 415 (not JSON), 429 (rate limit or monthly quota; with Retry-After), 500 (internal error), 503 (overloaded; with Retry-After).',
  required: ['success', 'error'],
  properties: {
    success: { type: 'boolean', enum: [false] },
    error: { type: 'string', example: 'Invalid payload' },
    details: {
      type: 'object',
      description: "Problems in the shape of zod's flatten(); present on 400 validation errors only.",
      required: ['fieldErrors', 'formErrors'],
      properties: {
        fieldErrors: {
          type: 'object',
          additionalProperties: { type: 'array', items: { type: 'string' } },
          example: { event_name: ['String must contain at most 256 character(s)'] },
        },
        formErrors: { type: 'array', items: { type: 'string' }, example: ['Custom events require event_name'] },
      },
    },
  },
} as const;
