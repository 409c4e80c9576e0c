import { Injectable } from '@nestjs/common';
import { CanonicalEvent } from '../collect/canonical-event';
import { EnrichedEvent } from './enriched-event';
import { GeoLocator } from './geo-locator';
import { normalizeIp } from './ip-address';
import { PageParser } from './page-parser';
import { cleanText, MAX_LENGTH } from './text';
import { UserAgentParser } from './user-agent-parser';
import { VisitorHasher } from './visitor-hasher';

/** What the request adds to the event body. */
export interface EnrichmentInput {
  /** Client IP of the request (after trusted-proxy handling); null when unknown. */
  ip: string | null;
  /** User-Agent header of the request; null when absent. */
  userAgent: string | null;
  /** The website's registered domain, so links from it count as internal navigation. */
  websiteDomain: string | null;
  /** Today's visitor-hash salt. */
  salt: string;
  receivedAt: Date;
}

/** Postgres integer columns hold at most this. */
const MAX_INT32 = 2_147_483_647;

/**
 * Turns a canonical event into the row to store: user agent, geo, page parts, campaign and visitor id.
 * Never throws on odd input (bad strings become null); the raw IP is used here and not returned.
 */
@Injectable()
export class EnrichmentService {
  constructor(
    private readonly userAgents: UserAgentParser,
    private readonly geo: GeoLocator,
    private readonly pages: PageParser,
    private readonly visitors: VisitorHasher,
  ) {}

  enrich(event: CanonicalEvent, input: EnrichmentInput): EnrichedEvent {
    // Server-side callers put the visitor's IP and user agent in the body; the request's are their own.
    const ip = normalizeIp(event.ip) ?? normalizeIp(input.ip);
    const userAgent = cleanText(event.userAgent, 1000) ?? cleanText(input.userAgent, 1000);
    const agent = this.userAgents.parse(userAgent);
    const geo = this.geo.lookup(ip);
    const page = this.pages.parse(event, input.websiteDomain);
    const visitorId =
      cleanText(event.visitorId, MAX_LENGTH.id) ??
      this.visitors.hash({ salt: input.salt, websiteId: event.websiteId, ip, userAgent });
    return {
      websiteId: event.websiteId,
      occurredAt: validDate(event.timestamp) ?? input.receivedAt,
      kind: event.kind,
      name: cleanText(event.name, MAX_LENGTH.name),
      title: cleanText(event.title, MAX_LENGTH.title),
      props: plainObject(event.props),
      visitorId,
      userId: cleanText(event.userId, MAX_LENGTH.id),
      language: cleanText(event.language, MAX_LENGTH.language),
      screen: cleanText(event.screen, MAX_LENGTH.screen),
      screenWidth: dimension(event.screenWidth),
      screenHeight: dimension(event.screenHeight),
      eventKey: cleanText(event.eventId, MAX_LENGTH.id),
      browser: agent.browser,
      browserVersion: agent.browserVersion,
      os: agent.os,
      osVersion: agent.osVersion,
      deviceType: agent.deviceType,
      isBot: agent.isBot,
      country: geo.country,
      region: geo.region,
      city: geo.city,
      hostname: page.hostname,
      path: page.path,
      query: page.query,
      referrer: page.referrer,
      referrerDomain: page.referrerDomain,
      utmSource: page.utmSource,
      utmMedium: page.utmMedium,
      utmCampaign: page.utmCampaign,
      utmTerm: page.utmTerm,
      utmContent: page.utmContent,
    };
  }
}

function validDate(value: unknown): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

function dimension(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_INT32 ? value : null;
}

function plainObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
