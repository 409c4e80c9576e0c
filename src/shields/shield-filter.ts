import { Injectable } from '@nestjs/common';
import { InvalidatedCache } from '../cluster/invalidated-cache';
import { Invalidations } from '../cluster/invalidations';
import type { IngestResult } from '../collect/canonical-event';
import { EnrichedEvent } from '../enrichment/enriched-event';
import { DropReason, NO_SHIELDS, ShieldRules } from './shield-rules';
import { ShieldsRepository } from './shields.repository';

// Every event needs its website's shields and they change rarely: cached as websites are, and
// forgotten by every process when changed (the change announces the website).
const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

/** The event id a dropped event is answered with: no stored event has it. */
export const DROPPED_EVENT_ID = '0';

type DropCounts = Record<DropReason, number>;

/** A request's events after the shields: the ones to store, and why each other one is dropped. */
export class Screened {
  constructor(
    private readonly kept: EnrichedEvent[],
    /** Per event, its drop reason or null; null as a whole when nothing is dropped. */
    private readonly reasons: (DropReason | null)[] | null,
    private readonly counts: DropCounts,
  ) {}

  /** Counts the dropped events for /metrics: once they have been answered as accepted. */
  private count(): void {
    for (const reason of this.reasons ?? []) if (reason) this.counts[reason]++;
  }

  /**
   * Stores the kept events with `write` (also when none is left, so that a dry run still answers
   * as one) and answers for every event: a dropped one as accepted, with event id 0, and in a dry
   * run as `{dropped: reason}`, so that clients never retry it.
   */
  async store(write: (kept: EnrichedEvent[]) => Promise<IngestResult>): Promise<IngestResult> {
    const stored = await write(this.kept);
    const reasons = this.reasons;
    if (!reasons) return stored;
    // Per input event: the next kept event's value, or the dropped event's.
    const all = <T>(keptValues: T[], dropped: (reason: DropReason) => T): T[] => {
      let k = 0;
      return reasons.map((reason) => (reason ? dropped(reason) : keptValues[k++]));
    };
    if (stored.dryRun) return { eventIds: [], replayed: false, dryRun: all(stored.dryRun, (reason) => ({ dropped: reason })) };
    this.count();
    return {
      eventIds: all(stored.eventIds, () => DROPPED_EVENT_ID),
      replayed: this.kept.length > 0 && stored.replayed,
      duplicate: all(stored.duplicate ?? [], () => false),
      visits: all(stored.visits ?? [], () => null),
    };
  }
}

/**
 * Applies each website's shields to its enriched events, between enrichment (the country is
 * known, the sender's address still in memory) and writing: a dropped event is never stored.
 */
@Injectable()
export class ShieldFilter {
  private readonly cache: InvalidatedCache<ShieldRules | null>;
  /** Events dropped by this process since it started, by reason (for /metrics). */
  readonly dropped: DropCounts = { ip: 0, country: 0, hostname: 0, path: 0 };

  constructor(
    private readonly shields: ShieldsRepository,
    invalidations: Invalidations,
  ) {
    this.cache = new InvalidatedCache(invalidations, 'website', true, TTL_MS, MAX_ENTRIES);
  }

  /** The website's compiled shields; null when it drops nothing. */
  rulesOf(websiteId: string): Promise<ShieldRules | null> {
    return this.cache.get(websiteId, async () => ShieldRules.compile((await this.shields.find(websiteId)) ?? NO_SHIELDS));
  }

  /** `ips[i]`: the address events[i] was sent from (the request's or the body's), never stored. */
  async screen(events: EnrichedEvent[], ips: (string | null)[]): Promise<Screened> {
    const rules = new Map<string, ShieldRules | null>();
    for (const id of new Set(events.map((e) => e.websiteId))) rules.set(id, await this.rulesOf(id));
    let reasons: (DropReason | null)[] | null = null;
    events.forEach((e, i) => {
      const reason = rules.get(e.websiteId)?.dropReason({ ip: ips[i], country: e.country, hostname: e.hostname, path: e.path }) ?? null;
      if (reason) (reasons ??= events.map(() => null))[i] = reason;
    });
    const dropped = reasons as (DropReason | null)[] | null;
    return new Screened(dropped ? events.filter((_, i) => !dropped[i]) : events, dropped, this.dropped);
  }
}
