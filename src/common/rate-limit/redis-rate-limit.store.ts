import Redis from 'ioredis';
import { RateLimitStore, WindowCount } from './rate-limit.store';

// INCRBY and set the expiry only when the window opens, atomically; returns [count, ttl ms].
const HIT_SCRIPT = `
local c = redis.call('INCRBY', KEYS[1], ARGV[2])
if c == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {c, ttl}`;

// DECRBY only an open window, by at most its count; DECRBY keeps the key's expiry.
const RELEASE_SCRIPT = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
local n = math.min(c, tonumber(ARGV[1]))
if n > 0 then redis.call('DECRBY', KEYS[1], n) end
return 0`;

/** Shared counters for several Footfall instances. */
export class RedisRateLimitStore extends RateLimitStore {
  private readonly redis: Redis;

  constructor(url: string) {
    super();
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    this.redis.defineCommand('footfallHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis.defineCommand('footfallRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  async hit(key: string, windowMs: number, cost = 1): Promise<WindowCount> {
    const [count, ttl] = (await (this.redis as unknown as {
      footfallHit(k: string, w: number, c: number): Promise<[number, number]>;
    }).footfallHit('ff:rl:' + key, windowMs, cost));
    return { count, resetAt: Date.now() + ttl };
  }

  async release(key: string, cost = 1): Promise<void> {
    await (this.redis as unknown as { footfallRelease(k: string, c: number): Promise<number> }).footfallRelease('ff:rl:' + key, cost);
  }

  async peek(key: string): Promise<WindowCount | null> {
    const [[, value], [, ttl]] = (await this.redis.multi().get('ff:rl:' + key).pttl('ff:rl:' + key).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    if (value === null || ttl < 0) return null;
    return { count: Number(value), resetAt: Date.now() + ttl };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
