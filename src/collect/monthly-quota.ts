import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { EnrichedEvent } from '../enrichment/enriched-event';
import { WebsiteRow } from '../websites/websites.repository';
import { IngestFailure } from './ingest-error';
import { eventKeyOf, EventsRepository } from './writer/events.repository';

/** Events of one request reserved against one organization's monthly quota. */
export interface QuotaReservation {
  key: string;
  windowMs: number;
  websiteIds: ReadonlySet<string>;
  events: number;
}

/**
 * The organizations' monthly event quota (MONTHLY_EVENT_QUOTA), counted where the rate limits
 * are. Events are reserved before they are stored and given back when they are not, so requests
 * racing for the last events of a month can never together pass the quota.
 */
@Injectable()
export class MonthlyQuota {
  private readonly logger = new Logger(MonthlyQuota.name);

  constructor(
    private readonly limiter: RateLimiter,
    private readonly events: EventsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Reserves each organization's events: the count is raised first, atomically in the store, and
   * when that passes the quota the request is refused and the count given back. (Near the limit a
   * request may so be refused while another's reservation is about to be given back: never the
   * other way round.) A request whose every event retries a stored one is let through unreserved:
   * it stores nothing and answers as the first call did.
   */
  async reserve(sites: Map<string, WebsiteRow>, events: EnrichedEvent[]): Promise<QuotaReservation[]> {
    const quota = this.config.limits.monthlyEventQuota;
    if (quota <= 0 || !events.length) return [];
    const now = new Date();
    const windowMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime();
    const reserved: QuotaReservation[] = [];
    try {
      for (const org of new Set([...sites.values()].map((s) => s.organization_id))) {
        const orgEvents = events.filter((e) => sites.get(e.websiteId)!.organization_id === org);
        const r: QuotaReservation = { key: `quota:${org}:${now.toISOString().slice(0, 7)}`, windowMs, websiteIds: new Set(orgEvents.map((e) => e.websiteId)), events: orgEvents.length };
        const decision = await this.limiter.consume(r.key, quota, windowMs, r.events);
        if (!decision.allowed) {
          await this.limiter.release(r.key, windowMs, r.events);
          if (!(await this.allReplays(orgEvents))) throw new IngestFailure({ code: 'quota_exceeded', message: `Monthly event quota of ${quota} events reached` });
          r.events = 0;
        }
        reserved.push(r);
      }
    } catch (err) {
      await this.release(reserved, events, () => true);
      throw err;
    }
    return reserved;
  }

  /** Gives back what was reserved for the events not stored (`notStored(i)` for events[i]). Never throws. */
  async release(reserved: QuotaReservation[], events: EnrichedEvent[], notStored: (i: number) => boolean): Promise<void> {
    for (const r of reserved) {
      let unused = 0;
      events.forEach((e, i) => {
        if (r.websiteIds.has(e.websiteId) && notStored(i)) unused++;
      });
      unused = Math.min(unused, r.events);
      if (!unused) continue;
      // Not given back, the events stay counted: the quota errs on the safe side.
      await this.limiter.release(r.key, r.windowMs, unused).catch((err: Error) => this.logger.warn(`quota reservation not given back: ${err.message}`));
    }
  }

  private async allReplays(events: EnrichedEvent[]): Promise<boolean> {
    if (events.some((e) => e.eventKey === null)) return false;
    const known = await this.events.existingKeys(events.map((e) => ({ websiteId: e.websiteId, key: e.eventKey! })));
    return events.every((e) => known.has(eventKeyOf(e.websiteId, e.eventKey!)));
  }
}
