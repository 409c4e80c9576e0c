import { Injectable } from '@nestjs/common';
import { WebsiteRow, WebsitesRepository } from '../websites/websites.repository';

// Websites change rarely and every event needs one: a short cache spares a query per request.
const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

@Injectable()
export class WebsiteLookup {
  private readonly cache = new Map<string, { site: WebsiteRow | null; until: number }>();

  constructor(private readonly websites: WebsitesRepository) {}

  async find(id: string): Promise<WebsiteRow | null> {
    // Postgres text cannot hold NUL: such an id names no website (and must not reach SQL as an error).
    if (!id || id.length > 64 || id.includes('\u0000')) return null;
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.site;
    const site = await this.websites.findById(id);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(id, { site, until: now + TTL_MS });
    return site;
  }
}
