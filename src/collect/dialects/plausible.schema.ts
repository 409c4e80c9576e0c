import { eventExtrasSchema } from './common';

/** The limits Plausible documents for its Events API and custom properties, plus Footfall's own. */
export const PLAUSIBLE_LIMITS = {
  eventName: 120,
  /** UTF-8 bytes; longer urls are refused. */
  url: 2000,
  /** Characters; longer referrers are cut, as Plausible does. */
  referrer: 2000,
  /** Properties beyond the first 30 are left out, as Plausible does. */
  props: 30,
  propKeyLength: 300,
  propValueLength: 2000,
  /** Footfall's bound on the websites one comma-separated `domain` may name. */
  domains: 20,
  /** Screen widths are stored as integers; anything larger is not a screen. */
  screenWidth: 100000,
} as const;

/** Header naming how many of a request's events were not recorded (unknown domain, closed website). */
export const PLAUSIBLE_DROPPED_HEADER = 'x-plausible-dropped';

const text = (description: string, example?: string) =>
  example === undefined ? ({ type: 'string', description } as const) : ({ type: 'string', description, example } as const);

const propsSchema = {
  description:
    `Custom properties, for pageviews and custom events: an object, or a JSON string encoding one. Strings, numbers and booleans ` +
    `are kept (as strings); nested objects, arrays and blank values are left out; properties beyond the first ${PLAUSIBLE_LIMITS.props} ` +
    `are dropped. Names longer than ${PLAUSIBLE_LIMITS.propKeyLength} characters or values longer than ${PLAUSIBLE_LIMITS.propValueLength} answer 400.`,
  anyOf: [{ type: 'object', additionalProperties: true }, { type: 'string', description: 'A JSON string that decodes to an object.' }],
  example: { plan: 'team', seats: '5' },
} as const;

const propsAlias = { anyOf: propsSchema.anyOf } as const;

const revenueSchema = {
  type: 'object',
  description: 'Revenue of the event, e.g. {"amount": 42.5, "currency": "EUR"}. Accepted and not stored: Footfall has no revenue metrics.',
  properties: { amount: { anyOf: [{ type: 'number' }, { type: 'string' }] }, currency: { type: 'string', example: 'EUR' } },
} as const;

/**
 * Body of POST /api/event: Plausible's short field names (as its tracker sends them) and the long
 * ones (as its Events API documents them) are both accepted; the short one wins when both are sent.
 */
export const plausibleEventSchema = {
  type: 'object',
  description:
    'A pageview (name "pageview") or a custom event (any other name). null means absent; unknown fields are ignored. ' +
    "The visitor is the request's own User-Agent and client address (X-Forwarded-For only behind a trusted proxy, TRUST_PROXY).",
  properties: {
    n: text('Event name (short form of name).', 'pageview'),
    name: text(`Event name, at most ${PLAUSIBLE_LIMITS.eventName} characters: "pageview", or a custom event's name. Required (as n or name).`, 'pageview'),
    u: text('Page URL (short form of url).', 'https://example.com/pricing'),
    url: text(`URL of the page, at most ${PLAUSIBLE_LIMITS.url} bytes; utm_* parameters in it are recorded. Required (as u or url).`, 'https://example.com/pricing'),
    d: text('Website (short form of domain).', 'example.com'),
    domain: text(
      'The website: its id, or its domain (with or without www.) when exactly one website has that domain. A comma-separated list ' +
        `records the event for each named website (at most ${PLAUSIBLE_LIMITS.domains}). Absent: the url's host. Websites must allow public collection.`,
      'example.com',
    ),
    r: text('Referrer (short form of referrer).'),
    referrer: text(`Referrer, the page's document.referrer; cut to ${PLAUSIBLE_LIMITS.referrer} characters.`, 'https://www.google.com/'),
    p: { ...propsAlias, description: 'Custom properties (short form of props).' },
    props: propsSchema,
    m: { ...propsAlias, description: 'Custom properties (older name of props).' },
    meta: { ...propsAlias, description: 'Custom properties (older name of props).' },
    w: { type: 'integer', minimum: 0, maximum: PLAUSIBLE_LIMITS.screenWidth, description: 'Screen width in pixels.' },
    screen_width: { type: 'integer', minimum: 0, maximum: PLAUSIBLE_LIMITS.screenWidth, description: 'Screen width in pixels (long form of w).' },
    h: { type: 'integer', enum: [0, 1], description: 'Hash mode: 1 records the URL fragment (#/route) as part of the page path.' },
    i: { type: 'boolean', description: 'Interactive (short form of interactive).' },
    interactive: {
      type: 'boolean',
      description: 'Whether the event counts as an interaction (default true). Accepted and not stored: Footfall counts bounces from pageviews.',
    },
    revenue: revenueSchema,
    $: { type: 'object', description: 'Revenue, as the tracker sends it (short form of revenue). Accepted and not stored.' },
    v: { type: 'integer', description: "Tracker script version; ignored." },
    ...eventExtrasSchema,
  },
  example: { name: 'pageview', url: 'https://example.com/pricing', domain: 'example.com', referrer: 'https://www.google.com/' },
} as const;

export const plausibleAcceptedSchema = {
  type: 'string',
  description:
    `202 Accepted, body "ok" (text/plain). ${PLAUSIBLE_DROPPED_HEADER}: N says that N events were not recorded: a domain that no ` +
    'website has, or several websites have, or a website that does not accept public collection, or the monthly quota.',
  example: 'ok',
} as const;

export const plausibleErrorSchema = {
  type: 'object',
  description:
    'Every error: 400 (a field is wrong, named in errors; a body that is not JSON is errors.request), 413 body over 1 MB, ' +
    '415 not JSON or text/plain, 429 rate limit (PLAUSIBLE_RATE_LIMIT_PER_MINUTE; Retry-After), 500 internal error, 503 overloaded (Retry-After).',
  required: ['errors'],
  properties: {
    errors: {
      type: 'object',
      description: 'Messages by field (event_name, url, domain, props, timestamp, event_id, or request for the request as a whole).',
      additionalProperties: { type: 'array', items: { type: 'string' } },
      example: { event_name: ["can't be blank"] },
    },
  },
} as const;
