import { MemoryRateLimitStore } from './rate-limit.store';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter on the in-process store', () => {
  const store = new MemoryRateLimitStore();
  const limiter = new RateLimiter(store);
  afterAll(() => store.close());

  it('allows up to the limit in a window, then refuses with Retry-After and the reset time', async () => {
    for (let i = 0; i < 3; i++) expect((await limiter.consume('k1', 3, 60_000)).allowed).toBe(true);
    const refused = await limiter.consume('k1', 3, 60_000);
    expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
    expect(refused.retryAfter).toBeGreaterThanOrEqual(59);
    expect(refused.reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 59);
  });

  it('treats a limit of 0 as unlimited', async () => {
    for (let i = 0; i < 100; i++) expect((await limiter.consume('k2', 0, 1000)).allowed).toBe(true);
  });

  it('checks without counting', async () => {
    await limiter.consume('k3', 2, 60_000);
    expect((await limiter.check('k3', 2)).allowed).toBe(true);
    expect((await limiter.check('k3', 2)).allowed).toBe(true);
    await limiter.consume('k3', 2, 60_000);
    expect((await limiter.check('k3', 2)).allowed).toBe(false);
  });
});
