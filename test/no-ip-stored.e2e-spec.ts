import { queryDb } from './support/events-db';
import { bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/**
 * No raw IP in any table or log line: events are sent with client addresses (the request's own,
 * through a trusted proxy, and in server-side bodies); then every row of every table and every log
 * line of the run are searched for them.
 */
describe('client addresses are used for enrichment, never stored or logged', () => {
  let t: TestApp;
  const logs: string[] = [];
  const ADDRESSES = ['81.2.69.142', '203.0.113.77', '198.51.100.23', '2001:db8::77'];

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true', LOG_LEVEL: 'debug' }, { logDestination: { write: (line: string) => void logs.push(line) } });
  });
  afterAll(() => t.close());

  it('keeps them out of every table and every log line', async () => {
    const a = await signup(t);
    const site = await createWebsite(t, a);
    const key = await createApiKey(t, a, { scopes: ['ingest'] });
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    await t.http().post('/api/collect').set('X-Forwarded-For', '81.2.69.142').set('User-Agent', ua).send({ website_id: site.id, type: 'pageview', url: 'https://example.com/' }).expect(202);
    await t.http().post('/api/collect').set('X-Forwarded-For', '203.0.113.77').set('Content-Type', 'application/json').send('{broken').expect(400);
    await t.http().post('/api/v1/events/pageview').set(bearer(key.key)).send({ site_id: site.id, url: 'https://example.com/x', ip_address: '198.51.100.23', user_agent: ua }).expect(201);
    await t.http().post('/api/v1/events').set(bearer(key.key)).send({ website_id: site.id, url: 'https://example.com/y', ip_address: '2001:db8::77' }).expect(202);
    await t.http().post('/api/auth/login').set('X-Forwarded-For', '203.0.113.77').send({ email: a.email, password: 'wrong password!' }).expect(401);

    // The addresses did their job: the first event was located.
    const [first] = await queryDb<{ country: string }>(t.dbUrl, "SELECT country FROM events WHERE path = '/'");
    expect(first.country).toBe('GB');

    const tables = await queryDb<{ name: string }>(t.dbUrl, "SELECT format('%I', table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    expect(tables.length).toBeGreaterThan(8);
    for (const { name } of tables) {
      const rows = await queryDb<{ row: string }>(t.dbUrl, `SELECT t::text AS row FROM ${name} t`);
      for (const { row } of rows) for (const ip of ADDRESSES) expect([name, row.includes(ip)]).toEqual([name, false]);
    }

    const text = logs.join('');
    expect(text).toMatch(/"msg":"request"/); // requests were logged, as JSON with their id...
    expect(text).toMatch(/"reqId":"[^"]+".*"route":"\/api\/collect".*"status":202/);
    for (const ip of ADDRESSES) expect(text.includes(ip)).toBe(false); // ...and without the addresses
    expect(text).not.toContain(key.key);
  });
});
