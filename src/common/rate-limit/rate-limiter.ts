import { Inject, Injectable } from '@nestjs/common';
import { RateLimitStore } from './rate-limit.store';

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix time in seconds when the window resets. */
  reset: number;
  /** Whole seconds until the window resets (>= 1 when refused). */
  retryAfter: number;
}

/** Applies "limit per window" rules on a RateLimitStore. A limit of 0 means unlimited. */
@Injectable()
export class RateLimiter {
  constructor(@Inject(RateLimitStore) private readonly store: RateLimitStore) {}

  async consume(key: string, limit: number, windowMs: number, cost = 1): Promise<LimitDecision> {
    if (limit <= 0) return { allowed: true, limit, remaining: 0, reset: 0, retryAfter: 0 };
    const w = await this.store.hit(key, windowMs, cost);
    return decision(limit, w.count, w.resetAt);
  }

  /** Takes back `cost` that consume counted (a reservation that was not used). */
  async release(key: string, windowMs: number, cost: number): Promise<void> {
    if (cost > 0) await this.store.hit(key, windowMs, -cost);
  }

  /** Whether the key is already over its limit, without counting this call. */
  async check(key: string, limit: number): Promise<LimitDecision> {
    if (limit <= 0) return { allowed: true, limit, remaining: 0, reset: 0, retryAfter: 0 };
    const w = await this.store.peek(key);
    if (!w) return { allowed: true, limit, remaining: limit, reset: 0, retryAfter: 0 };
    return { ...decision(limit, w.count, w.resetAt), allowed: w.count < limit };
  }
}

function decision(limit: number, count: number, resetAt: number): LimitDecision {
  const now = Date.now();
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    reset: Math.ceil(resetAt / 1000),
    retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}
