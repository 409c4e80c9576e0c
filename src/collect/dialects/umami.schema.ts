/**
 * Limits of Umami's collection API: the field lengths its server enforces, its documented Event
 * Data rules, the 50-character Distinct ID, and Footfall's bounds where Umami has none.
 */
export const UMAMI_LIMITS = {
  /** A Footfall website id (Umami's are UUIDs). */
  website: 64,
  hostname: 100,
  language: 35,
  screen: 11,
  url: 2000,
  referrer: 2000,
  name: 50,
  tag: 50,
  id: 50,
  /** Event Data: at most this many properties (an array counts as one)... */
  dataProperties: 50,
  /** ...strings (and arrays, stored as JSON text) cut to this many characters, numbers to 4 decimals. */
  dataString: 500,
  dataDecimals: 4,
  /** Footfall's bound on nesting, as for every dialect's properties. */
  dataDepth: 5,
  /** The request body (a browser's collect, like Sparklytics' 100 KB). */
  bodyBytes: 102_400,
} as const;

/** Request header carrying back the `cache` token of an earlier answer. */
export const UMAMI_CACHE_HEADER = 'x-umami-cache';

const text = (maxLength: number, description: string) => ({ type: 'string', maxLength, description }) as const;

/** The payload of POST /api/send. */
export const umamiPayloadSchema = {
  type: 'object',
  description: 'null in a field means absent; unknown fields (ip, userAgent, …) are ignored: address and agent are the request\'s own.',
  required: ['website'],
  properties: {
    website: { type: 'string', minLength: 1, maxLength: UMAMI_LIMITS.website, description: 'Footfall website id (public collection enabled).', example: 'k3Jd8aPq2xYz' },
    hostname: text(UMAMI_LIMITS.hostname, 'Name of host, e.g. example.com; the page\'s host when url is a path.'),
    language: text(UMAMI_LIMITS.language, 'Language of the visitor, e.g. en-US.'),
    referrer: text(UMAMI_LIMITS.referrer, 'Referrer URL (or path).'),
    screen: text(UMAMI_LIMITS.screen, 'Screen resolution, e.g. 1920x1080.'),
    title: { type: 'string', description: 'Page title (stored up to 500 characters).' },
    url: text(UMAMI_LIMITS.url, 'Page URL, or its path ("/pricing?x=1").'),
    name: text(UMAMI_LIMITS.name, 'Event name: with one, a custom event; without, a pageview.'),
    data: {
      type: 'object',
      additionalProperties: true,
      description:
        `Event data (type event) or session data (type identify). At most ${UMAMI_LIMITS.dataProperties} properties (an array counts as one), ` +
        `${UMAMI_LIMITS.dataDepth} levels deep; strings are cut to ${UMAMI_LIMITS.dataString} characters, numbers rounded to ` +
        `${UMAMI_LIMITS.dataDecimals} decimals, arrays stored as JSON text.`,
      example: { plan: 'pro' },
    },
    tag: text(UMAMI_LIMITS.tag, 'Tag of the tracker; kept as the event property "tag".'),
    id: text(UMAMI_LIMITS.id, 'Distinct ID of the visitor: stored as user_id; identifies the visit.'),
    timestamp: {
      anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }],
      description: 'When the event happened, in Unix seconds (at most 5 minutes ahead). Absent means now.',
    },
  },
} as const;

/** Body of POST /api/send. */
export const umamiSendBodySchema = {
  type: 'object',
  required: ['type', 'payload'],
  properties: {
    type: {
      type: 'string',
      enum: ['event', 'identify'],
      description: 'event: a pageview or custom event. identify: attaches payload.id (else data.id) and data to the visitor\'s current visit.',
    },
    payload: umamiPayloadSchema,
  },
} as const;

export const umamiSuccessSchema = {
  type: 'object',
  description: 'Stored. Send `cache` back in the x-umami-cache header of the next request.',
  required: ['cache', 'sessionId', 'visitId'],
  properties: {
    cache: { type: 'string', description: 'Signed token of the visitor\'s state, valid for this website on this (UTC) day.' },
    sessionId: { type: 'string', format: 'uuid', description: 'The visitor, as a UUID (the same all day).' },
    visitId: { type: 'string', format: 'uuid', description: 'The visit (session_id) the event was stored in.' },
  },
} as const;

export const umamiBotSchema = {
  type: 'object',
  description: 'A bot, or no User-Agent: nothing was stored.',
  required: ['beep'],
  properties: { beep: { type: 'string', enum: ['boop'] } },
} as const;

export const umamiErrorSchema = {
  type: 'object',
  description:
    'Every error: 400 bad-request (validation, with the problems as a tree by field; "Website not found."), 403 forbidden, ' +
    '413 payload-too-large, 429 too-many-requests (Retry-After), 500 server-error, 503 service-unavailable (Retry-After).',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'code', 'status'],
      properties: {
        message: { type: 'string', example: 'Bad request' },
        code: { type: 'string', example: 'bad-request' },
        status: { type: 'integer', example: 400 },
        errors: { type: 'array', items: { type: 'string' }, description: 'Validation only: problems with the body as a whole.' },
        properties: {
          type: 'object',
          description: 'Validation only: messages by field, e.g. {"payload":{"errors":[],"properties":{"name":{"errors":["…"]}}}}.',
          additionalProperties: { type: 'object' },
        },
      },
    },
  },
} as const;
