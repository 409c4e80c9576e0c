import { Injectable, Logger } from '@nestjs/common';
import { KeyPrincipal } from '../auth/principal';
import { InvalidatedCache } from '../cluster/invalidated-cache';
import { Invalidations } from '../cluster/invalidations';
import { ApiKeyRow, ApiKeysRepository } from './api-keys.repository';
import { hashApiKey, hashesEqual, looksLikeApiKey } from './api-key-secret';

// last_used_at is written at most this often per key, not on every request.
const TOUCH_EVERY_MS = 60_000;
// Verified keys are cached briefly; a revocation is announced to every process (Invalidations).
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

/** Turns a presented key into a KeyPrincipal, or null when unknown, revoked or expired. */
@Injectable()
export class ApiKeyVerifier {
  private readonly logger = new Logger(ApiKeyVerifier.name);
  private readonly lastTouch = new Map<string, number>();
  private readonly cache: InvalidatedCache<ApiKeyRow | null>;

  constructor(
    private readonly keys: ApiKeysRepository,
    invalidations: Invalidations,
  ) {
    this.cache = new InvalidatedCache(invalidations, 'api-key', false, CACHE_MS, CACHE_MAX);
  }

  async verify(token: string): Promise<KeyPrincipal | null> {
    if (!looksLikeApiKey(token) || token.length > 200) return null;
    const hash = hashApiKey(token);
    const row = await this.cache.get(hash.toString('base64'), () => this.keys.findByHash(hash));
    const now = Date.now();
    if (!row || !hashesEqual(row.key_hash, hash)) return null;
    if (row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now)) return null;
    this.touch(row.id, now);
    return {
      kind: 'key',
      keyId: row.id,
      organizationId: row.organization_id,
      scopes: new Set(row.scopes),
      websiteIds: row.website_ids,
    };
  }

  private touch(id: string, now: number): void {
    const last = this.lastTouch.get(id) ?? 0;
    if (now - last < TOUCH_EVERY_MS) return;
    this.lastTouch.set(id, now);
    this.keys.touch(id, new Date(now)).catch((err: Error) => this.logger.warn(`last_used_at update failed: ${err.message}`));
  }
}
