import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, joinOrganization, signup, startSecondInstance, startTestApp, TestApp } from './support/test-app';

/** Shared links: created, listed and revoked by owners and admins; opened by anyone holding one. */
describe('shared links', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  beforeAll(async () => {
    // Two wrong passwords per link and client IP before the backoff, as LOGIN_* says for logins.
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL_IP: '2', LOGIN_BACKOFF_SECONDS: '60', LOGIN_MAX_FAILURES_PER_IP: '100' });
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
  });
  afterAll(() => t.close());

  const linksOf = (siteId: string) => `/api/websites/${siteId}/shared-links`;
  const create = (token: string, siteId: string, body: object = {}) => t.http().post(linksOf(siteId)).set(bearer(token)).send(body);
  const list = (token: string, siteId: string) => t.http().get(linksOf(siteId)).set(bearer(token));
  const revoke = (token: string, siteId: string, linkId: string) => t.http().delete(`${linksOf(siteId)}/${linkId}`).set(bearer(token));
  const open = (linkToken: string, body: object = {}, app: Pick<TestApp, 'http'> = t) => app.http().post(`/api/share/${linkToken}/session`).send(body);
  const stats = (session: string, siteId: string, app: Pick<TestApp, 'http'> = t) => app.http().get(`/api/websites/${siteId}/stats`).set(bearer(session));

  describe('managing', () => {
    it('creates a link with a url-safe random token and its dashboard url', async () => {
      const site = await createWebsite(t, owner);
      const res = await create(owner.token, site.id).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
        label: null,
        token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        url: `/share/${res.body.token}`,
        has_password: false,
        created_at: expect.any(String),
      });
      const other = await create(owner.token, site.id).expect(201);
      expect(other.body.token).not.toBe(res.body.token);
    });

    it('keeps a label (trimmed) and only an argon2id hash of the password', async () => {
      const site = await createWebsite(t, owner);
      const res = await create(owner.token, site.id, { label: ' Investors ', password: 'open sesame' }).expect(201);
      expect(res.body).toMatchObject({ label: 'Investors', has_password: true });
      expect(JSON.stringify(res.body)).not.toContain('sesame');
      const [row] = await queryDb<{ password_hash: string }>(t.dbUrl, 'SELECT password_hash FROM shared_links WHERE id = $1', [res.body.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      // null is as absent.
      expect((await create(owner.token, site.id, { label: null, password: null }).expect(201)).body).toMatchObject({ label: null, has_password: false });
    });

    it('refuses a short password, an empty or long label, and wrong types (400)', async () => {
      const site = await createWebsite(t, owner);
      for (const body of [{ password: '1234567' }, { label: '  ' }, { label: 'x'.repeat(201) }, { password: 12345678 }, { label: 7 }]) {
        const res = await create(owner.token, site.id, body);
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      }
    });

    it('lists the website\'s links, newest first, with their tokens; only that website\'s', async () => {
      const site = await createWebsite(t, owner);
      const other = await createWebsite(t, owner);
      const first = (await create(owner.token, site.id, { label: 'first' }).expect(201)).body;
      const second = (await create(owner.token, site.id, { label: 'second', password: 'open sesame' }).expect(201)).body;
      await create(owner.token, other.id).expect(201);
      const res = await list(owner.token, site.id).expect(200);
      expect(res.body).toEqual({ data: [second, first] });
    });

    it('revokes: 204, gone from the list, then 404', async () => {
      const site = await createWebsite(t, owner);
      const link = (await create(owner.token, site.id).expect(201)).body;
      await revoke(owner.token, site.id, link.id).expect(204);
      expect((await list(owner.token, site.id).expect(200)).body.data).toEqual([]);
      await revoke(owner.token, site.id, link.id).expect(404);
      await revoke(owner.token, site.id, 'x'.repeat(65)).expect(404);
    });

    it('answers a link under another of the organization\'s websites as unknown (404)', async () => {
      const site = await createWebsite(t, owner);
      const other = await createWebsite(t, owner);
      const link = (await create(owner.token, site.id).expect(201)).body;
      await revoke(owner.token, other.id, link.id).expect(404);
      await open(link.token).expect(200);
    });

    it('is for owners and admins: members and viewers 403, API keys 403, other tenants 404, no credentials 401', async () => {
      const site = await createWebsite(t, owner);
      const link = (await create(owner.token, site.id).expect(201)).body;
      const admin = await joinOrganization(t, owner, 'admin');
      const adminLink = (await create(admin.token, site.id).expect(201)).body;
      await list(admin.token, site.id).expect(200);
      for (const role of ['member', 'viewer']) {
        const who = await joinOrganization(t, owner, role);
        await create(who.token, site.id).expect(403);
        await list(who.token, site.id).expect(403);
        await revoke(who.token, site.id, link.id).expect(403);
      }
      const key = (await createApiKey(t, owner, { scopes: ['ingest', 'read'] })).key;
      await create(key, site.id).expect(403);
      await list(key, site.id).expect(403);
      await revoke(key, site.id, link.id).expect(403);
      await create(stranger.token, site.id).expect(404);
      await list(stranger.token, site.id).expect(404);
      await revoke(stranger.token, site.id, link.id).expect(404);
      await t.http().get(linksOf(site.id)).expect(401);
      await revoke(admin.token, site.id, adminLink.id).expect(204);
      expect((await list(owner.token, site.id).expect(200)).body.data.map((l: { id: string }) => l.id)).toEqual([link.id]);
    });
  });

  describe('opening', () => {
    it('gives anyone with the link a short-lived token and the website it reads', async () => {
      const site = await createWebsite(t, owner, { name: 'Blog', domain: 'blog.example.com', timezone: 'Europe/Berlin' });
      const link = (await create(owner.token, site.id).expect(201)).body;
      const res = await open(link.token).expect(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        expires_in: 3600,
        website: { id: site.id, name: 'Blog', domain: 'blog.example.com', timezone: 'Europe/Berlin' },
      });
      await stats(res.body.access_token, site.id).expect(200);
      // A password given to a link without one is not needed, and not refused.
      await open(link.token, { password: 'anything at all' }).expect(200);
      // Nor is a body.
      await t.http().post(`/api/share/${link.token}/session`).expect(200);
    });

    it('answers an unknown or malformed token 404', async () => {
      await open('A'.repeat(43)).expect(404);
      await open('not-a-token').expect(404);
      await open('x'.repeat(90)).expect(404);
    });

    it('asks for the password of a protected link: none 401, wrong 401, right 200', async () => {
      const site = await createWebsite(t, owner);
      const link = (await create(owner.token, site.id, { password: 'open sesame' }).expect(201)).body;
      const missing = await open(link.token).expect(401);
      expect(missing.body.message).toMatch(/needs its password/);
      await open(link.token, { password: null }).expect(401);
      const wrong = await open(link.token, { password: 'open sesame!' }).expect(401);
      expect(wrong.body.message).toMatch(/Wrong password/);
      await stats((await open(link.token, { password: 'open sesame' }).expect(200)).body.access_token, site.id).expect(200);
    });

    it('throttles wrong passwords per link and client IP, as logins are: 429 with Retry-After, other links unaffected', async () => {
      const site = await createWebsite(t, owner);
      const link = (await create(owner.token, site.id, { password: 'open sesame' }).expect(201)).body;
      const other = (await create(owner.token, site.id, { password: 'open sesame' }).expect(201)).body;
      await open(link.token, { password: 'guess one' }).expect(401);
      await open(link.token, { password: 'guess two' }).expect(401);
      const refused = await open(link.token, { password: 'open sesame' }).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Asking without a password guesses nothing: still told a password is needed.
      await open(link.token).expect(401);
      await open(other.token, { password: 'open sesame' }).expect(200);
    });
  });

  describe('revoking', () => {
    let second: Awaited<ReturnType<typeof startSecondInstance>>;
    beforeAll(async () => (second = await startSecondInstance(t)));
    afterAll(() => second.close());

    it('stops the link and every session opened with it at once, on every instance', async () => {
      const site = await createWebsite(t, owner);
      const link = (await create(owner.token, site.id).expect(201)).body;
      const session = (await open(link.token).expect(200)).body.access_token;
      const v2 = (app: Pick<TestApp, 'http'>) => app.http().post('/api/v2/query').set(bearer(session)).send({ site_id: site.id, metrics: ['visitors'], date_range: 'day' });
      // Both instances have the link cached from a use.
      for (const app of [t, second]) {
        await stats(session, site.id, app).expect(200);
        await v2(app).expect(200);
      }
      await revoke(owner.token, site.id, link.id).expect(204);
      for (const app of [second, t]) {
        await stats(session, site.id, app).expect(401);
        expect((await v2(app).expect(401)).body).toEqual({ error: expect.any(String) });
        await open(link.token, {}, app).expect(404);
      }
    });

    it('ends with its website: deleting the website ends its links and their sessions', async () => {
      const site = await createWebsite(t, owner);
      const link = (await create(owner.token, site.id).expect(201)).body;
      const session = (await open(link.token).expect(200)).body.access_token;
      await t.http().delete(`/api/websites/${site.id}`).set(bearer(owner.token)).expect(204);
      expect([401, 404]).toContain((await stats(session, site.id)).status);
      await open(link.token).expect(404);
    });
  });
});
