import { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitStore } from './rate-limit.store';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's counters kept in Footfall's RateLimitStore, so its limits (account routes)
 * are shared like every other: across a cluster's workers, and across instances with REDIS_URL.
 * A fixed window per key: once over the limit, a client waits for the window to end.
 */
export class RateLimitThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly store: RateLimitStore) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const w = await this.store.hit(`throttler:${throttlerName}:${key}`, ttl);
    const timeToExpire = Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000));
    const isBlocked = w.count > limit;
    return { totalHits: w.count, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }
}
