import { Injectable } from '@nestjs/common';
import { CanonicalEvent } from '../collect/canonical-event';
import { EnrichedEvent, GeoInfo } from './enriched-event';
import { GeoLocator } from './geo-locator';
import { normalizeIp } from './ip-address';
import { PageParser } from './page-parser';
import { cleanText, MAX_LENGTH } from './text';
import { UserAgentParser } from './user-agent-parser';
import { VisitorHasher } from './visitor-hasher';

/** What the caller adds to the event: who sent it, for which site, and when. */
export interface EnrichmentInput {
  /** The visitor's IP address; null when unknown. Used for geo and the visitor hash, never stored. */
  ip: string | null;
  /** The visitor's user agent; null when absent (counted as a human visit). */
  userAgent: string | null;
  /** The website's registered domain, so links from it count as internal navigation. */
  websiteDomain: string | null;
  /** Today's visitor-hash salt. */
  salt: string;
  receivedAt: Date;
}

/** Who sent an event, its location, and its cookieless visitor hash per website once computed. */
interface Sender {
  ip: string | null;
  userAgent: string | null;
  salt: string;
  geo: GeoInfo;
  visitorHashes: Map<string, string>;
}

/** Longer user agents are abuse; the parser reads only the first 500 characters anyway. */
const MAX_UA_INPUT = 1000;
/** Postgres integer columns hold at most this. */
const MAX_INT32 = 2_147_483_647;

/**
 * Turns a canonical event into the row to store: user agent, geo, page parts, campaign and visitor id.
 * Never throws on odd input (bad strings become null); the raw IP is used here and not returned.
 */
@Injectable()
export class EnrichmentService {
  /**
   * The previous event's sender and what it gave: the events of one request (a batch) nearly
   * always share address, agent and salt, so geo is looked up once and the visitor hash is
   * computed once per website.
   */
  private last: Sender | null = null;

  constructor(
    private readonly userAgents: UserAgentParser,
    private readonly geo: GeoLocator,
    private readonly pages: PageParser,
    private readonly visitors: VisitorHasher,
  ) {}

  enrich(event: CanonicalEvent, input: EnrichmentInput): EnrichedEvent {
    // The caller decides whose address and agent count (the request's, or the body's for server-side calls).
    const ip = normalizeIp(input.ip);
    const userAgent = cleanText(input.userAgent, MAX_UA_INPUT);
    const agent = this.userAgents.parse(userAgent);
    const sender = this.senderOf(ip, userAgent, input.salt);
    const page = this.pages.parse(event, input.websiteDomain);
    const geo = sender.geo;
    const visitorId = cleanText(event.visitorId, MAX_LENGTH.id) ?? this.visitorHash(sender, event.websiteId);
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

  private senderOf(ip: string | null, userAgent: string | null, salt: string): Sender {
    const l = this.last;
    if (l && l.ip === ip && l.userAgent === userAgent && l.salt === salt) return l;
    const geo = l && l.ip === ip ? l.geo : this.geo.lookup(ip);
    return (this.last = { ip, userAgent, salt, geo, visitorHashes: new Map() });
  }

  private visitorHash(sender: Sender, websiteId: string): string {
    let hash = sender.visitorHashes.get(websiteId);
    if (hash === undefined) {
      hash = this.visitors.hash({ salt: sender.salt, websiteId, ip: sender.ip, userAgent: sender.userAgent });
      sender.visitorHashes.set(websiteId, hash);
    }
    return hash;
  }
}

function validDate(value: unknown): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

function dimension(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_INT32 ? value : null;
}

function plainObject(value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  // Postgres jsonb refuses \u0000 anywhere; only clone when a key or string actually holds one.
  return hasNul(value) ? (withoutNul(value) as Record<string, unknown>) : (value as Record<string, unknown>);
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) if (k.includes('\u0000') || hasNul(v)) return true;
  return false;
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\u0000/g, '');
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/\u0000/g, ''), withoutNul(v)]));
  }
  return value;
}
