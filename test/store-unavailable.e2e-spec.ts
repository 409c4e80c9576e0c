import { DataSource } from 'typeorm';
import { Account, bearer, signup, startTestApp, TestApp } from './support/test-app';

/**
 * When the database cannot give a connection in time, an authenticated request is told to come
 * back (503 with Retry-After), never that its credentials are wrong (401) nor a 500.
 */
describe('database out of connections', () => {
  let t: TestApp;
  let owner: Account;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '2' });
    owner = await signup(t, 'busy');
  });
  afterAll(() => t?.close());

  it('answers 503 with Retry-After, not 401, while every connection is held', async () => {
    const db = t.app.get(DataSource);
    const held = Promise.all([db.query('SELECT pg_sleep(7)'), db.query('SELECT pg_sleep(7)')]);
    await new Promise((r) => setTimeout(r, 200));
    try {
      const res = await t.http().get('/api/websites').set(bearer(owner.token));
      expect({ status: res.status, retryAfter: res.headers['retry-after'], body: res.body }).toMatchObject({
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
        body: { statusCode: 503, error: 'Service Unavailable' },
      });
    } finally {
      await held;
    }
    expect((await t.http().get('/api/websites').set(bearer(owner.token))).status).toBe(200);
  }, 30_000);
});
