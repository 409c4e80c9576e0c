import { bearer, signup, startTestApp, TestApp } from './support/test-app';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL: '3', LOGIN_MAX_FAILURES_PER_IP: '8' })));
  afterAll(() => t.close());

  describe('POST /api/auth/signup', () => {
    it('creates the user and an organization, and returns a working token', async () => {
      const res = await t.http().post('/api/auth/signup').send({ email: 'ada@example.com', password: 'correct horse battery', name: 'Ada', organization_name: 'Engines' }).expect(201);
      expect(res.body).toEqual({
        user: { id: expect.any(String), email: 'ada@example.com', name: 'Ada' },
        organization: { id: expect.any(String), name: 'Engines' },
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
      });
      const me = await t.http().get('/api/auth/me').set(bearer(res.body.access_token)).expect(200);
      expect(me.body).toEqual({
        id: res.body.user.id,
        email: 'ada@example.com',
        name: 'Ada',
        organizations: [{ id: res.body.organization.id, name: 'Engines', role: 'owner' }],
      });
    });

    it('names a default organization when none is given', async () => {
      const res = await t.http().post('/api/auth/signup').send({ email: 'noname@example.com', password: 'correct horse battery' }).expect(201);
      expect(res.body.user.name).toBeNull();
      expect(res.body.organization.name).toBe("noname's organization");
    });

    it('refuses a duplicate email, whatever its case, with 409', async () => {
      await t.http().post('/api/auth/signup').send({ email: 'dup@example.com', password: 'correct horse battery' }).expect(201);
      const res = await t.http().post('/api/auth/signup').send({ email: 'DUP@Example.com', password: 'another good password' }).expect(409);
      expect(res.body.message).toMatch(/already exists/);
    });

    it.each([
      [{ email: 'not-an-email', password: 'correct horse battery' }, /email/],
      [{ email: 'short@example.com', password: 'tooshort' }, /at least 10 characters/],
      [{ password: 'correct horse battery' }, /email/],
      [{ email: 'x@example.com' }, /password/],
    ])('answers 400 with a message for %p', async (body, message) => {
      const res = await t.http().post('/api/auth/signup').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it.each([['ten spaces', '          '], ['one repeated character', 'aaaaaaaaaa'], ['a digit run', '1234567890'], ['a keyboard walk', 'qwertyuiop'], ['password and digits', 'Password123']])(
      'refuses %s as a password with 400 and says why',
      async (_what, password) => {
        const res = await t.http().post('/api/auth/signup').send({ email: `weak-${password.length}-${password.charCodeAt(0)}@example.com`, password }).expect(400);
        expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [expect.stringMatching(/^password (is too common|is one repeated character|is only whitespace)/)] });
      },
    );

    it('answers 400 for a body that is not JSON', async () => {
      const res = await t.http().post('/api/auth/signup').set('Content-Type', 'application/json').send('{"email":').expect(400);
      expect(res.body.message).toEqual(expect.any(String));
    });
  });

  describe('POST /api/auth/login', () => {
    beforeAll(async () => {
      await t.http().post('/api/auth/signup').send({ email: 'grace@example.com', password: 'correct horse battery' }).expect(201);
    });

    it('returns a bearer token for the right password', async () => {
      const res = await t.http().post('/api/auth/login').send({ email: 'Grace@example.com', password: 'correct horse battery' }).expect(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      await t.http().get('/api/auth/me').set(bearer(res.body.access_token)).expect(200);
    });

    it('answers 401 for a wrong password or an unknown email', async () => {
      await t.http().post('/api/auth/login').send({ email: 'grace@example.com', password: 'wrong password!' }).expect(401);
      await t.http().post('/api/auth/login').send({ email: 'nobody@example.com', password: 'whatever password' }).expect(401);
    });

    it('throttles repeated failures for one email with 429 and Retry-After, even with the right password', async () => {
      await t.http().post('/api/auth/signup').send({ email: 'target@example.com', password: 'correct horse battery' }).expect(201);
      for (let i = 0; i < 3; i++) await t.http().post('/api/auth/login').send({ email: 'target@example.com', password: 'guess number ' + i }).expect(401);
      const res = await t.http().post('/api/auth/login').send({ email: 'target@example.com', password: 'correct horse battery' }).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.message).toMatch(/Too many failed login attempts/);
    });

    it('throttles repeated failures from one IP across emails', async () => {
      // 3 failures above plus 2 here; then 3 more distinct emails pass the per-IP limit of 8.
      for (let i = 0; i < 3; i++) await t.http().post('/api/auth/login').send({ email: `spray${i}@example.com`, password: 'bad password' });
      const res = await t.http().post('/api/auth/login').send({ email: 'grace@example.com', password: 'correct horse battery' });
      expect(res.status).toBe(429);
    });
  });

  describe('GET /api/auth/me', () => {
    it('answers 401 without a token, with a garbage token, or with a token signed by another secret', async () => {
      await t.http().get('/api/auth/me').expect(401);
      await t.http().get('/api/auth/me').set(bearer('garbage')).expect(401);
      const forged =
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJlbWFpbCI6ImFAYi5jIn0.c2lnbmF0dXJl';
      const res = await t.http().get('/api/auth/me').set(bearer(forged)).expect(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    });

    it('works for a freshly signed-up user', async () => {
      const a = await signup(t, 'fresh');
      const me = await t.http().get('/api/auth/me').set(bearer(a.token)).expect(200);
      expect(me.body.email).toBe(a.email);
    });
  });
});

describe('login throttling per (email, client IP)', () => {
  let t: TestApp;
  const from = (ip: string, email: string, password: string) => t.http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });
  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      LOGIN_MAX_FAILURES_PER_EMAIL_IP: '5',
      LOGIN_MAX_FAILURES_PER_IP: '50',
      LOGIN_MAX_FAILURES_PER_EMAIL_TOTAL: '12',
      LOGIN_BACKOFF_SECONDS: '1',
    });
    for (const who of ['victim', 'backoff', 'ceiling']) {
      await t.http().post('/api/auth/signup').send({ email: `${who}@example.com`, password: 'correct horse battery' }).expect(201);
    }
  });
  afterAll(() => t.close());

  it("does not lock the owner out with an attacker's failures from another IP", async () => {
    for (let i = 0; i < 5; i++) await from('198.51.100.7', 'victim@example.com', `guess ${i} wrong`).expect(401);
    await from('198.51.100.7', 'victim@example.com', 'guess again wrong').expect(429);
    // The attacker's pair is throttled, even with the right password; the owner's IP is not.
    await from('198.51.100.7', 'victim@example.com', 'correct horse battery').expect(429);
    await from('192.0.2.10', 'victim@example.com', 'correct horse battery').expect(200);
  });

  it('makes a pair wait longer after each further failure (backoff), then evaluates the next attempt', async () => {
    for (let i = 0; i < 5; i++) await from('203.0.113.9', 'backoff@example.com', `wrong ${i} password`).expect(401);
    const first = await from('203.0.113.9', 'backoff@example.com', 'wrong again password').expect(429);
    const firstWait = Number(first.headers['retry-after']);
    expect(firstWait).toBeGreaterThanOrEqual(1);
    expect(first.body.message).toMatch(/Too many failed login attempts/);
    await new Promise((r) => setTimeout(r, Math.min(firstWait, 5) * 1000 + 100));
    await from('203.0.113.9', 'backoff@example.com', 'still wrong password').expect(401);
    const second = await from('203.0.113.9', 'backoff@example.com', 'correct horse battery').expect(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(firstWait);
  }, 20_000);

  it('caps failures for one email across all IPs (the ceiling against distributed guessing)', async () => {
    const statuses: number[] = [];
    for (let ip = 1; ip <= 4; ip++) for (let i = 0; i < 4; i++) statuses.push((await from(`10.0.0.${ip}`, 'ceiling@example.com', `wrong ${i} password`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(12);
    expect(statuses.slice(12)).toEqual([429, 429, 429, 429]);
    await from('10.0.0.99', 'ceiling@example.com', 'correct horse battery').expect(429);
  });
});

describe('login attempts are reserved before the password is checked', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL_IP: '5', LOGIN_MAX_FAILURES_PER_IP: '100', LOGIN_BACKOFF_SECONDS: '600' });
    await t.http().post('/api/auth/signup').send({ email: 'burst@example.com', password: 'correct horse battery' }).expect(201);
  });
  afterAll(() => t.close());

  it('evaluates at most the limit of 50 simultaneous attempts for one email; the rest get 429', async () => {
    const attempts = Array.from({ length: 50 }, (_, i) =>
      t.http().post('/api/auth/login').send({ email: 'burst@example.com', password: i === 25 ? 'correct horse battery' : `wrong guess ${i}` }),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    const evaluated = statuses.filter((s) => s === 200 || s === 401);
    expect(evaluated.length).toBeGreaterThanOrEqual(1);
    expect(evaluated.length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - evaluated.length);
  });

  it('gives a successful login its reservation back: successes alone are never throttled', async () => {
    await t.http().post('/api/auth/signup').send({ email: 'often@example.com', password: 'correct horse battery' }).expect(201);
    for (let i = 0; i < 8; i++) await t.http().post('/api/auth/login').send({ email: 'often@example.com', password: 'correct horse battery' }).expect(200);
  });
});
