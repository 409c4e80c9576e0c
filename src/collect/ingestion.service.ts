import { Injectable, Logger } from '@nestjs/common';
import { AccountPrincipal, roleAtLeast } from '../auth/principal';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { EnrichmentService } from '../enrichment/enrichment.service';
import { EnrichedEvent } from '../enrichment/enriched-event';
import { ShieldFilter } from '../shields/shield-filter';
import { WebsiteRow } from '../websites/websites.repository';
import { CanonicalEvent, IngestResult } from './canonical-event';
import { failWith, rateLimited } from './ingest-error';
import { MonthlyQuota } from './monthly-quota';
import { asIngestFailure } from './unexpected-error';
import { VisitorSalts } from './visitor-salts';
import { WebsiteLookup } from './website-lookup';
import { EventWriter, WriteOutcome } from './writer/event-writer';

/**
 * Who sends the events: an anonymous browser (public collect), the principal of a credential, or
 * the operator of the server (`npm run import`), who may write to any website.
 */
export type IngestSender = { kind: 'public' } | { kind: 'principal'; principal: AccountPrincipal } | { kind: 'operator' };

/** The client that made the request: for public collects its address and agent are the visitor's. */
export interface IngestClient {
  ip: string | null;
  userAgent: string | null;
}

/** A per-credential limit, counted once the events' websites are known to be the credential's. */
export interface SenderLimit {
  name: string;
  limit: number;
  windowMs: number;
  /** Count each event instead of each call. */
  countEvents?: boolean;
}

export interface IngestOptions {
  /** Validate and enrich, store nothing: the result holds the enriched events. */
  dryRun?: boolean;
  /** Applies to principal senders only. */
  limit?: SenderLimit;
  /**
   * A request whose events all come from a bot, or carry no user agent, is answered as a success
   * marked skipped and not stored (by default bots are stored, flagged, and not counted). Umami's.
   */
  skipBots?: boolean;
}

/** A client that is nobody's browser: server calls and imports carry the visitor's in each event. */
export const NO_CLIENT: IngestClient = { ip: null, userAgent: null };

// A browser's own request carries the visitor's address and agent; a server's carries the server's, so the body's count.
const ipOf = (sender: IngestSender, client: IngestClient, e: CanonicalEvent) => (sender.kind === 'public' ? client.ip : e.ip);
const agentOf = (sender: IngestSender, client: IngestClient, e: CanonicalEvent) => (sender.kind === 'public' ? client.userAgent : e.userAgent);

/**
 * The one place that decides on events, for every route and the importer: websites known and
 * open to the sender, the sender's limit, enrichment (visitor salt included), bots skipped where
 * asked, the website's shields, the monthly quota, then the writer. Returns one id per event, or
 * throws an IngestFailure; it knows nothing of HTTP.
 */
@Injectable()
export class IngestionService {
  private readonly logger = new Logger(IngestionService.name);

  constructor(
    private readonly websites: WebsiteLookup,
    private readonly limiter: RateLimiter,
    private readonly enrichment: EnrichmentService,
    private readonly salts: VisitorSalts,
    private readonly writer: EventWriter,
    private readonly quota: MonthlyQuota,
    private readonly shields: ShieldFilter,
  ) {}

  async ingest(events: CanonicalEvent[], sender: IngestSender, client: IngestClient, options: IngestOptions = {}): Promise<IngestResult> {
    try {
      const sites = await this.websitesOf(events);
      this.authorize(sender, sites);
      await this.limitSender(sender, options.limit, events.length);
      const enriched = await this.enrich(events, sender, client, sites);
      if (options.skipBots && enriched.every((e, i) => e.isBot || !agentOf(sender, client, events[i])?.trim())) {
        return { eventIds: [], replayed: false, skipped: true };
      }
      // Events the website's shields drop are answered as accepted (never retried) and never stored.
      const screened = await this.shields.screen(enriched, events.map((e) => ipOf(sender, client, e)));
      return await screened.store((kept) => this.store(kept, sites, options.dryRun ?? false));
    } catch (err) {
      throw asIngestFailure(err, this.logger);
    }
  }

  private async websitesOf(events: CanonicalEvent[]): Promise<Map<string, WebsiteRow>> {
    const sites = new Map<string, WebsiteRow>();
    for (const id of new Set(events.map((e) => e.websiteId))) {
      const site = await this.websites.find(id);
      if (!site) failWith({ code: 'unknown_website', message: `Unknown website_id: ${id}`, websiteId: id });
      sites.set(id, site!);
    }
    return sites;
  }

  /**
   * Public collects need websites open to them. Credentials need the ingest scope (keys) or the
   * member role or above (users) for every website in the request; another organization's
   * website looks unknown, as its existence must not be confirmed.
   */
  private authorize(sender: IngestSender, sites: Map<string, WebsiteRow>): void {
    if (sender.kind === 'operator') return;
    for (const site of sites.values()) {
      const unknown = () => failWith({ code: 'unknown_website', message: `Unknown website_id: ${site.id}`, websiteId: site.id });
      if (sender.kind === 'public') {
        if (!site.public_collect) failWith({ code: 'forbidden', message: `Website ${site.id} does not accept public collection; send events with an API key` });
        continue;
      }
      const principal = sender.principal;
      if (principal.kind === 'user') {
        const role = principal.roles.get(site.organization_id);
        if (!role) unknown();
        // Writing events is a member's right, as managing websites is; viewers only read.
        if (!roleAtLeast(role!, 'member')) failWith({ code: 'forbidden', message: `Your role (${role}) may not send events; it needs member or above` });
      } else {
        if (principal.organizationId !== site.organization_id) unknown();
        if (!principal.scopes.has('ingest')) failWith({ code: 'forbidden', message: 'This API key does not have the ingest scope' });
        if (principal.websiteIds && !principal.websiteIds.includes(site.id)) failWith({ code: 'forbidden', message: `This API key is not allowed for website ${site.id}` });
      }
    }
  }

  private async limitSender(sender: IngestSender, rule: SenderLimit | undefined, events: number): Promise<void> {
    if (!rule || sender.kind !== 'principal') return;
    const p = sender.principal;
    const id = p.kind === 'key' ? p.keyId : p.userId;
    const d = await this.limiter.consume(`${rule.name}:cred:${id}`, rule.limit, rule.windowMs, rule.countEvents ? events : 1);
    if (!d.allowed) failWith(rateLimited(d));
  }

  private async enrich(events: CanonicalEvent[], sender: IngestSender, client: IngestClient, sites: Map<string, WebsiteRow>): Promise<EnrichedEvent[]> {
    const receivedAt = new Date();
    const salt = await this.salts.forDay(receivedAt);
    return events.map((e) =>
      this.enrichment.enrich(e, {
        ip: ipOf(sender, client, e),
        userAgent: agentOf(sender, client, e),
        websiteDomain: sites.get(e.websiteId)!.domain,
        salt,
        receivedAt,
      }),
    );
  }

  /** Reserves the events against the quota, stores them (unless a dry run), and gives back what was not stored. */
  private async store(enriched: EnrichedEvent[], sites: Map<string, WebsiteRow>, dryRun: boolean): Promise<IngestResult> {
    const reserved = await this.quota.reserve(sites, enriched);
    let outcome: WriteOutcome | null = null;
    try {
      if (!dryRun) outcome = await this.writer.write(enriched);
    } finally {
      await this.quota.release(reserved, enriched, (i) => !outcome || outcome.duplicate[i]);
    }
    if (!outcome) return { eventIds: [], replayed: false, dryRun: enriched };
    const visits = enriched.map((e, i) => ({ visitorId: e.visitorId, sessionId: outcome!.sessionIds[i] }));
    return { eventIds: outcome.ids, replayed: outcome.duplicate.every(Boolean), duplicate: outcome.duplicate, visits };
  }
}
