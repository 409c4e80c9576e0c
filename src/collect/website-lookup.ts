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
  /** Website ids by domain; any website change forgets them all (a domain may move between sites). */
  private readonly byDomain: InvalidatedCache<string[]>;

  constructor(
    private readonly websites: WebsitesRepository,
    invalidations: Invalidations,
  ) {
    this.cache = new InvalidatedCache(invalidations, 'website', true, TTL_MS, MAX_ENTRIES);
    this.byDomain = new InvalidatedCache(invalidations, 'website', false, TTL_MS, MAX_ENTRIES);
  }

  async find(id: string): Promise<WebsiteRow | null> {
    // Postgres text cannot hold NUL: such an id names no website (and must not reach SQL as an error).
    if (!id || id.length > 64 || id.includes('\u0000')) return null;
    return this.cache.get(id, () => this.websites.findById(id));
  }

  /**
   * The website a name refers to: the website with that id, else the one website (of any
   * organization) whose domain it is, with or without "www."; null when none, or several, match.
   */
  async idNamedBy(name: string): Promise<string | null> {
    if (await this.find(name)) return name;
    const bare = name.trim().toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
    if (!bare || bare.length > 253 || bare.includes('\u0000')) return null;
    // Two rows are enough to tell one website from several.
    const ids = await this.byDomain.get(bare, () => this.websites.idsWithDomain(bare, 2));
    return ids.length === 1 ? ids[0] : null;
  }

  /** idNamedBy for each name. */
  async idsNamedBy(names: readonly string[]): Promise<Map<string, string | null>> {
    const ids = await Promise.all(names.map((n) => this.idNamedBy(n)));
    return new Map(names.map((n, i) => [n, ids[i]]));
  }
}
