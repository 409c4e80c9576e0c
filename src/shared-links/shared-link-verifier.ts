import { Injectable } from '@nestjs/common';
import { SharePrincipal } from '../auth/principal';
import { InvalidatedCache } from '../cluster/invalidated-cache';
import { Invalidations } from '../cluster/invalidations';
import { OpenedLinkRow, SharedLinksRepository } from './shared-links.repository';
import { looksLikeShareToken } from './share-token';

// A session's link is looked up on each request, cached briefly; deleting a link is announced to
// every process (Invalidations), so its sessions stop at once everywhere.
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

/** The cache key of a link, and what its deletion announces. */
export function sharedLinkKey(websiteId: string, linkId: string): string {
  return `${websiteId}/${linkId}`;
}

/** Finds links by token (opening a session) and checks that a session's link still exists. */
@Injectable()
export class SharedLinkVerifier {
  private readonly cache: InvalidatedCache<string | null>;

  constructor(
    private readonly links: SharedLinksRepository,
    invalidations: Invalidations,
  ) {
    this.cache = new InvalidatedCache(invalidations, 'shared-link', true, CACHE_MS, CACHE_MAX);
  }

  async findByToken(token: string): Promise<OpenedLinkRow | null> {
    return looksLikeShareToken(token) ? this.links.findByToken(token) : null;
  }

  /** The principal of a session of the link, or null once the link (or its website) is deleted. */
  async principal(websiteId: string, linkId: string): Promise<SharePrincipal | null> {
    if (websiteId.length > 64 || linkId.length > 64) return null;
    const organizationId = await this.cache.get(sharedLinkKey(websiteId, linkId), () => this.links.organizationOf(websiteId, linkId));
    return organizationId ? { kind: 'share', linkId, websiteId, organizationId } : null;
  }
}
