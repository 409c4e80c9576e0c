import { randomBytes } from 'node:crypto';
import { RedisRateLimitStore } from '../src/common/rate-limit/redis-rate-limit.store';
import { RateLimiter } from '../src/common/rate-limit/rate-limiter';
import { startSecondInstance, startTestApp } from './support/test-app';

/**
 * Shared limits across instances: two stores (as two Footfall processes would have) on one Redis
 * count together. Runs when REDIS_URL is set; otherwise skipped (the in-process store is used).
 */
const url = process.env.REDIS_URL;
const describeWithRedis = url ? describe : describe.skip;

describeWithRedis('rate limits shared through Redis (REDIS_URL)', () => {
  // Created in beforeAll: a skipped describe still runs its body, and must not connect.
  let a: RedisRateLimitStore;
  let b: RedisRateLimitStore;
  beforeAll(() => {
    a = new RedisRateLimitStore(url!);
    b = new RedisRateLimitStore(url!);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('two instances share one window and refuse past the limit', async () => {
    const key = `test:${randomBytes(6).toString('hex')}`;
    const [la, lb] = [new RateLimiter(a), new RateLimiter(b)];
    expect((await la.consume(key, 3, 60_000)).allowed).toBe(true);
    expect((await lb.consume(key, 3, 60_000)).allowed).toBe(true);
    expect((await la.consume(key, 3, 60_000)).remaining).toBe(0);
    const refused = await lb.consume(key, 3, 60_000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.reset).toBeGreaterThan(Date.now() / 1000);
    expect((await lb.check(key, 3)).allowed).toBe(false);
  });

  it('gives a reservation back within the window, never below zero, and not into a closed window', async () => {
    const key = `test:${randomBytes(6).toString('hex')}`;
    await a.hit(key, 60_000);
    await b.hit(key, 60_000);
    await b.release(key);
    expect((await a.peek(key))?.count).toBe(1);
    await a.release(key, 5);
    expect((await b.peek(key))?.count).toBe(0);
    expect((await b.hit(key, 60_000)).count).toBe(1);
    const never = `test:${randomBytes(6).toString('hex')}`;
    await a.release(never);
    expect(await a.peek(never)).toBeNull();
  });

  it('opens a new window once the old one expires', async () => {
    const key = `test:${randomBytes(6).toString('hex')}`;
    const limiter = new RateLimiter(a);
    await limiter.consume(key, 1, 300);
    expect((await limiter.consume(key, 1, 300)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect((await limiter.consume(key, 1, 300)).allowed).toBe(true);
  });

  it('counts events, not only requests, when a cost is given', async () => {
    const key = `test:${randomBytes(6).toString('hex')}`;
    const limiter = new RateLimiter(b);
    expect((await limiter.consume(key, 10, 60_000, 7)).remaining).toBe(3);
    expect((await limiter.consume(key, 10, 60_000, 4)).allowed).toBe(false);
  });
});

describeWithRedis('login attempts reserved through Redis (REDIS_URL)', () => {
  it('evaluates at most the pair limit of 50 simultaneous logins spread over two instances', async () => {
    const t = await startTestApp({ REDIS_URL: url!, LOGIN_MAX_FAILURES_PER_EMAIL_IP: '5', LOGIN_MAX_FAILURES_PER_IP: '100', LOGIN_BACKOFF_SECONDS: '600' });
    const second = await startSecondInstance(t);
    try {
      const email = `burst-${randomBytes(4).toString('hex')}@example.com`;
      await t.http().post('/api/auth/signup').send({ email, password: 'correct horse battery' }).expect(201);
      const statuses = (
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 ? second : t).http().post('/api/auth/login').send({ email, password: i === 25 ? 'correct horse battery' : `wrong guess ${i}` }),
          ),
        )
      ).map((r) => r.status);
      const evaluated = statuses.filter((s) => s === 200 || s === 401).length;
      expect(evaluated).toBeGreaterThanOrEqual(1);
      expect(evaluated).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(50 - evaluated);
    } finally {
      await second.close();
      await t.close();
    }
  });
});
