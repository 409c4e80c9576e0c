import { eventExtrasSchema, flatPropsSchema } from './common';

/** Ovyxa documents only the props limits; the other bounds are Footfall's, generous on purpose. */
export const OVYXA_LIMITS = {
  siteId: 128,
  url: 2048,
  referrer: 2048,
  eventName: 128,
  userAgent: 1024,
  ipAddress: 64,
  propsKeys: 10,
  propKeyLength: 50,
  propValueLength: 1024,
} as const;

const pageviewProperties = {
  site_id: {
    type: 'string',
    minLength: 1,
    maxLength: OVYXA_LIMITS.siteId,
    description: 'Website id. Unknown ids, and ids of another organization, answer 400 invalid_site_id.',
  },
  url: {
    type: 'string',
    minLength: 1,
    maxLength: OVYXA_LIMITS.url,
    description: 'Full (absolute) URL of the page, e.g. https://example.com/pricing or app://example/screen.',
  },
  referrer: { type: 'string', maxLength: OVYXA_LIMITS.referrer, description: 'Referrer URL.' },
  user_agent: {
    type: 'string',
    maxLength: OVYXA_LIMITS.userAgent,
    description: "Visitor's user agent, for browser/OS/device detection. The request's own User-Agent is never used.",
  },
  ip_address: {
    type: 'string',
    maxLength: OVYXA_LIMITS.ipAddress,
    description: "Visitor's IPv4 or IPv6 address, for country detection only (never stored).",
  },
  ...eventExtrasSchema,
} as const;

/** Body of POST /api/v1/events/pageview. Unknown fields (including props) are ignored. */
export const ovyxaPageviewBodySchema = {
  type: 'object',
  description: 'A server-side pageview. null in an optional field means absent; unknown fields are ignored.',
  required: ['site_id', 'url'],
  properties: pageviewProperties,
} as const;

/** Body of POST /api/v1/events/custom. */
export const ovyxaCustomBodySchema = {
  type: 'object',
  description: 'A server-side custom event. null in an optional field means absent; unknown fields are ignored.',
  required: ['site_id', 'event_name', 'url'],
  properties: {
    ...pageviewProperties,
    event_name: {
      type: 'string',
      minLength: 1,
      maxLength: OVYXA_LIMITS.eventName,
      description: 'Name of the custom event, e.g. signup, purchase, download.',
    },
    props: flatPropsSchema(
      { keys: OVYXA_LIMITS.propsKeys, keyLength: OVYXA_LIMITS.propKeyLength, valueLength: OVYXA_LIMITS.propValueLength },
      `Custom properties: at most ${OVYXA_LIMITS.propsKeys} keys; ` +
        `values are strings (at most ${OVYXA_LIMITS.propValueLength} characters), numbers or booleans. ` +
        'A null value is dropped; an empty array is read as no properties. Breaking a limit answers 400 invalid_props.',
    ),
  },
} as const;

export const ovyxaSuccessSchema = {
  type: 'object',
  description: '201 Created: the event was accepted.',
  required: ['success', 'event_id'],
  properties: {
    success: { type: 'boolean', enum: [true] },
    event_id: { type: 'string', pattern: '^evt_[0-9]+$', example: 'evt_1234567890', description: 'evt_ followed by the numeric event id.' },
  },
} as const;

/** Every Ovyxa error code Footfall answers with; all are on Ovyxa's documented list except service_unavailable and internal_error. */
export const OVYXA_ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'rate_limit_exceeded',
  'invalid_site_id',
  'invalid_props',
  'service_unavailable',
  'internal_error',
] as const;

export type OvyxaErrorCode = (typeof OVYXA_ERROR_CODES)[number];

export const ovyxaErrorSchema = {
  type: 'object',
  description:
    'Every error: 400 invalid_request / invalid_props / invalid_site_id, 401 unauthorized, 403 unauthorized (key lacks the ingest scope or is ' +
    'limited to other websites), 413 invalid_request, 429 rate_limit_exceeded (rate limit or monthly quota; with Retry-After), ' +
    '500 internal_error, 503 service_unavailable (with Retry-After).',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'field'],
      properties: {
        code: { type: 'string', enum: [...OVYXA_ERROR_CODES] },
        message: { type: 'string', example: 'Missing required field: event_name' },
        field: { type: 'string', nullable: true, example: 'event_name', description: 'The offending field, or null.' },
      },
    },
  },
} as const;
