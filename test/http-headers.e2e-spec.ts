import { bearer, signup, startTestApp, TestApp } from './support/test-app';

/** Headers every response carries, and CORS on the management API (CORS_ORIGINS only). */
describe('security headers and management CORS', () => {
  let t: TestApp;
  let token: string;
  const ALLOWED = 'https://dashboard.example.com';

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: ALLOWED });
    token = (await signup(t, 'headers')).token;
  });
  afterAll(() => t.close());

  it.each(['/health', '/api/websites', '/api/collect', '/no-such-route'])('sends the hardening headers and Vary: Origin on %s', async (path) => {
    const res = await t.http().get(path).set(bearer(token));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(String(res.headers['vary']).toLowerCase()).toContain('origin');
  });

  it('allows a listed origin on the management API, preflight and request', async () => {
    const pre = await t.http().options('/api/websites').set('Origin', ALLOWED).set('Access-Control-Request-Method', 'PATCH').set('Access-Control-Request-Headers', 'authorization');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(pre.headers['access-control-allow-methods']).toContain('PATCH');
    expect(pre.headers['access-control-allow-headers']).toContain('Authorization');
    expect(pre.headers['access-control-max-age']).toBe('86400');
    const res = await t.http().get('/api/websites').set('Origin', ALLOWED).set(bearer(token)).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('gives other origins no CORS headers: the preflight finds no route and the request no Access-Control-Allow-Origin', async () => {
    const pre = await t.http().options('/api/websites').set('Origin', 'https://evil.test').set('Access-Control-Request-Method', 'GET');
    expect(pre.status).toBe(404);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await t.http().get('/api/websites').set('Origin', 'https://evil.test').set(bearer(token)).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight without Access-Control-Request-Method with 400', async () => {
    const res = await t.http().options('/api/collect').set('Origin', 'https://any.test');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Invalid Preflight Request');
  });
});
