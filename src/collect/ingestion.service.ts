import { Injectable, Logger } from '@nestjs/common';
import { Principal, roleAtLeast } from '../auth/principal';
import { PrincipalResolver } from '../auth/principal.resolver';
import { LimitDecision, RateLimiter } from '../common/rate-limit/rate-limiter';
import { EnrichmentService } from '../enrichment/enrichment.service';
import { EnrichedEvent } from '../enrichment/enriched-event';
import { ShieldFilter } from '../shields/shield-filter';
import { WebsiteRow } from '../websites/websites.repository';
import { CanonicalEvent, IngestResult } from './canonical-event';
import { Dialect } from './dialects/dialect';
import { IngestError, IngestFailure, WireReply } from './ingest-error';
import { MonthlyQuota } from './monthly-quota';
import { ingestErrorOf } from './unexpected-error';
import { VisitorSalts } from './visitor-salts';
import { WebsiteLookup } from './website-lookup';
import { EventWriter, WriteOutcome } from './writer/event-writer';

/** A per-dialect request limit: per client IP or per credential, counting requests or events. */
export interface LimitRule {
  name: string;
  per: 'ip' | 'credential';
  limit: number;
  windowMs: number;
  countEvents?: boolean;
}

/** Everything the ingestion path needs from an HTTP request, already taken apart by the controller. */
export interface IngestRequest {
  dialect: Dialect;
  body: unknown;
  /** The request's own client address and User-Agent (used only for public, browser collects). */
  clientIp: string;
  clientUserAgent: string | null;
  /** public: website id only (browsers); bearer: an API key, or a user token where userTokens is set. */
  credential: { kind: 'public' } | { kind: 'bearer'; token: string | null; userTokens?: boolean };
  pathWebsiteId?: string;
  idempotencyKey?: string | null;
  dryRun?: boolean;
  limit?: LimitRule;
  /**
   * Umami: a request whose events all come from a bot, or carry no user agent, is answered as a
   * success marked skipped and not stored (by default bots are stored, flagged, and not counted).
   */
  skipBots?: boolean;
}

const fail = (error: IngestError): never => {
  throw new IngestFailure(error);
};

/** The visitor's address: a browser's request is the visitor's own; a server's is the server's, so its body's counts. */
const senderIp = (req: IngestRequest, e: CanonicalEvent): string | null => (req.credential.kind === 'public' ? req.clientIp : e.ip);

/**
 * The one place that decides on events: website known and open, credential allowed for it,
 * limits, enrichment, then the writer. Dialects only translate in and out.
 */
@Injectable()
export class IngestionService {
  private readonly logger = new Logger(IngestionService.name);

  constructor(
    private readonly websites: WebsiteLookup,
    private readonly principals: PrincipalResolver,
    private readonly limiter: RateLimiter,
    private readonly enrichment: EnrichmentService,
    private readonly salts: VisitorSalts,
    private readonly writer: EventWriter,
    private readonly quota: MonthlyQuota,
    private readonly shields: ShieldFilter,
  ) {}

  async handle(req: IngestRequest): Promise<WireReply> {
    let reply: WireReply;
    try {
      if (req.limit?.per === 'ip') {
        this.assertAllowed(await this.limiter.consume(`${req.limit.name}:ip:${req.clientIp}`, req.limit.limit, req.limit.windowMs));
      }
      // Credentials first: a bad key is 401 whatever else is wrong with the request.
      const principal = await this.authenticate(req);
      const parsed = req.dialect.parse(req.body, { now: new Date(), pathWebsiteId: req.pathWebsiteId, idempotencyKey: req.idempotencyKey ?? null });
      if (!parsed.ok) fail(parsed.error);
      const events = (parsed as { value: CanonicalEvent[] }).value;
      const sites = await this.websitesOf(events);
      this.authorize(principal, sites);
      if (req.limit?.per === 'credential' && principal) {
        const id = principal.kind === 'key' ? principal.keyId : principal.userId;
        const cost = req.limit.countEvents ? events.length : 1;
        this.assertAllowed(await this.limiter.consume(`${req.limit.name}:cred:${id}`, req.limit.limit, req.limit.windowMs, cost));
      }
      const enriched = await this.enrich(req, events, sites);
      const skip = req.skipBots && enriched.every((e, i) => e.isBot || !agentOf(req, events[i])?.trim());
      if (skip) {
        reply = req.dialect.success({ eventIds: [], replayed: false, skipped: true }, events);
      } else {
        // Events the website's shields drop are answered as accepted (never retried) and never stored.
        const screened = await this.shields.screen(enriched, events.map((e) => senderIp(req, e)));
        reply = req.dialect.success(await screened.store((kept) => this.store(req, kept, sites)), events);
      }
    } catch (err) {
      if (!(err instanceof IngestFailure)) {
        // Postgres unreachable is 503 in the dialect's own words; any other fault is not an overload.
        const error = ingestErrorOf(err);
        if (error.code === 'internal') this.logger.error(`ingestion failed: ${(err as Error).stack ?? err}`);
        else this.logger.warn(`ingestion failed: ${(err as Error).message}`);
        err = new IngestFailure(error);
      }
      reply = req.dialect.failure((err as IngestFailure).error);
    }
    return reply;
  }

  private assertAllowed(d: LimitDecision): void {
    if (!d.allowed) {
      fail({ code: 'rate_limited', message: 'Rate limit exceeded', retryAfter: d.retryAfter, limit: d.limit, remaining: d.remaining, reset: d.reset });
    }
  }

  private async websitesOf(events: CanonicalEvent[]): Promise<Map<string, WebsiteRow>> {
    const sites = new Map<string, WebsiteRow>();
    for (const id of new Set(events.map((e) => e.websiteId))) {
      const site = await this.websites.find(id);
      if (!site) fail({ code: 'unknown_website', message: `Unknown website_id: ${id}`, websiteId: id });
      sites.set(id, site!);
    }
    return sites;
  }

  private async authenticate(req: IngestRequest): Promise<Principal | null> {
    if (req.credential.kind === 'public') return null;
    const principal = await this.principals.resolve(req.credential.token);
    if (!principal || (principal.kind === 'user' && !req.credential.userTokens)) {
      fail({ code: 'unauthorized', message: 'Invalid or missing API key' });
    }
    return principal;
  }

  /**
   * Public collects need websites open to them. Credentials need the ingest scope (keys) or the
   * member role or above (users) for every website in the request; another organization's
   * website looks unknown, as its existence must not be confirmed.
   */
  private authorize(principal: Principal | null, sites: Map<string, WebsiteRow>): void {
    for (const site of sites.values()) {
      const unknown = () => fail({ code: 'unknown_website', message: `Unknown website_id: ${site.id}`, websiteId: site.id });
      if (!principal) {
        if (!site.public_collect) fail({ code: 'forbidden', message: `Website ${site.id} does not accept public collection; send events with an API key` });
      } else if (principal.kind === 'user') {
        const role = principal.roles.get(site.organization_id);
        if (!role) unknown();
        // Writing events is a member's right, as managing websites is; viewers only read.
        if (!roleAtLeast(role!, 'member')) fail({ code: 'forbidden', message: `Your role (${role}) may not send events; it needs member or above` });
      } else {
        if (principal.organizationId !== site.organization_id) unknown();
        if (!principal.scopes.has('ingest')) fail({ code: 'forbidden', message: 'This API key does not have the ingest scope' });
        if (principal.websiteIds && !principal.websiteIds.includes(site.id)) fail({ code: 'forbidden', message: `This API key is not allowed for website ${site.id}` });
      }
    }
  }

  private async enrich(req: IngestRequest, events: CanonicalEvent[], sites: Map<string, WebsiteRow>): Promise<EnrichedEvent[]> {
    const receivedAt = new Date();
    const salt = await this.salts.forDay(receivedAt);
    return events.map((e) =>
      this.enrichment.enrich(e, {
        // A browser's own request carries the visitor's address and agent; a server's carries the server's.
        ip: senderIp(req, e),
        userAgent: agentOf(req, e),
        websiteDomain: sites.get(e.websiteId)!.domain,
        salt,
        receivedAt,
      }),
    );
  }

  /** Reserves the events against the quota, stores them (unless a dry run), and gives back what was not stored. */
  private async store(req: IngestRequest, enriched: EnrichedEvent[], sites: Map<string, WebsiteRow>): Promise<IngestResult> {
    const reserved = await this.quota.reserve(sites, enriched);
    let outcome: WriteOutcome | null = null;
    try {
      if (!req.dryRun) outcome = await this.writer.write(enriched);
    } finally {
      await this.quota.release(reserved, enriched, (i) => !outcome || outcome.duplicate[i]);
    }
    if (!outcome) return { eventIds: [], replayed: false, dryRun: enriched.map(publicView) };
    const visits = enriched.map((e, i) => ({ visitorId: e.visitorId, sessionId: outcome!.sessionIds[i] }));
    return { eventIds: outcome.ids, replayed: outcome.duplicate.every(Boolean), visits };
  }
}

/** A browser's own request carries the visitor's address and agent; a server's carries the server's, so the body's count. */
function agentOf(req: IngestRequest, e: CanonicalEvent): string | null {
  return req.credential.kind === 'public' ? req.clientUserAgent : e.userAgent;
}

/** The enriched event as the native dry_run shows it (snake_case, as stored). */
function publicView(e: EnrichedEvent): Record<string, unknown> {
  return {
    website_id: e.websiteId,
    occurred_at: e.occurredAt.toISOString(),
    type: e.kind,
    name: e.name,
    visitor_id: e.visitorId,
    hostname: e.hostname,
    path: e.path,
    query: e.query,
    title: e.title,
    referrer: e.referrer,
    referrer_domain: e.referrerDomain,
    utm_source: e.utmSource,
    utm_medium: e.utmMedium,
    utm_campaign: e.utmCampaign,
    utm_term: e.utmTerm,
    utm_content: e.utmContent,
    props: e.props,
    browser: e.browser,
    browser_version: e.browserVersion,
    os: e.os,
    os_version: e.osVersion,
    device_type: e.deviceType,
    is_bot: e.isBot,
    country: e.country,
    region: e.region,
    city: e.city,
    language: e.language,
    screen: e.screen,
    screen_width: e.screenWidth,
    screen_height: e.screenHeight,
    user_id: e.userId,
    event_id: e.eventKey,
  };
}
