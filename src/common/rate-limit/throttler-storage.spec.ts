import { MemoryRateLimitStore } from './rate-limit.store';
import { RateLimitThrottlerStorage } from './throttler-storage';

describe('RateLimitThrottlerStorage', () => {
  it('counts hits per key and throttler in the shared store and blocks beyond the limit until the window ends', async () => {
    const store = new MemoryRateLimitStore();
    const storage = new RateLimitThrottlerStorage(store);
    const hit = (key: string, name = 'default') => storage.increment(key, 60_000, 2, 60_000, name);
    expect(await hit('ip-a')).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit('ip-a')).toMatchObject({ totalHits: 2, isBlocked: false });
    const third = await hit('ip-a');
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true });
    expect(third.timeToBlockExpire).toBeGreaterThanOrEqual(59);
    expect(third.timeToBlockExpire).toBeLessThanOrEqual(60);
    // Other clients and other throttlers count apart; the count lives in the store, not here.
    expect(await hit('ip-b')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await hit('ip-a', 'burst')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await new RateLimitThrottlerStorage(store).increment('ip-a', 60_000, 2, 60_000, 'default')).toMatchObject({ totalHits: 4, isBlocked: true });
    await store.close();
  });
});
