import { Injectable } from '@nestjs/common';
import { InvalidatedCache } from '../cluster/invalidated-cache';
import { Invalidations } from '../cluster/invalidations';
import { WebsiteRow, WebsitesRepository } from '../websites/websites.repository';

// Websites change rarely and every event needs one: a short cache spares a query per request.
// A change or deletion is announced to every process (Invalidations).
const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

@Injectable()
export class WebsiteLookup {
  private readonly cache: InvalidatedCache<WebsiteRow | null>;

  constructor(
    private readonly websites: WebsitesRepository,
    invalidations: Invalidations,
  ) {
    this.cache = new InvalidatedCache(invalidations, 'website', true, TTL_MS, MAX_ENTRIES);
  }

  async find(id: string): Promise<WebsiteRow | null> {
    // Postgres text cannot hold NUL: such an id names no website (and must not reach SQL as an error).
    if (!id || id.length > 64 || id.includes('\u0000')) return null;
    return this.cache.get(id, () => this.websites.findById(id));
  }
}
