import { adminQuery } from './support/database';
import { startTestApp, TestApp } from './support/test-app';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('answers 200 {status:"ok"} when Postgres answers', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database is gone', async () => {
    const db = new URL(t.dbUrl).pathname.slice(1);
    await adminQuery(process.env.FOOTFALL_TEST_SERVER_URL!, `DROP DATABASE ${db} WITH (FORCE)`);
    const res = await t.http().get('/health').expect(503);
    expect(res.body.status).toBe('unavailable');
  });
});
