import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

describe('DELETE /api/websites/{id}/visitors/{visitor_id}', () => {
  let t: TestApp;
  let owner: Account;
  let site: { id: string };
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    site = await createWebsite(t, owner);
    const key = await createApiKey(t, owner, { scopes: ['ingest'] });
    const events = ['alice', 'alice', 'bob'].map((visitor, i) => ({ website_id: site.id, url: `https://example.com/${i}`, visitor_id: visitor }));
    await t.http().post('/api/v1/events').set(bearer(key.key)).send({ events }).expect(202);
  });
  afterAll(() => t.close());

  const rows = (table: string, visitor: string) =>
    queryDb<{ n: number }>(t.dbUrl, `SELECT count(*)::int AS n FROM ${table} WHERE website_id = $1 AND visitor_id = $2`, [site.id, visitor]).then((r) => r[0].n);

  it('refuses members, viewers and keys (403) and other tenants (404), erasing nothing', async () => {
    for (const role of ['member', 'viewer'] as const) {
      const who = await signup(t, role);
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: who.email, role }).expect(201);
      await t.http().delete(`/api/websites/${site.id}/visitors/alice`).set(bearer(who.token)).expect(403);
    }
    const readKey = await createApiKey(t, owner, { scopes: ['read'] });
    await t.http().delete(`/api/websites/${site.id}/visitors/alice`).set(bearer(readKey.key)).expect(403);
    const stranger = await signup(t, 'stranger');
    await t.http().delete(`/api/websites/${site.id}/visitors/alice`).set(bearer(stranger.token)).expect(404);
    await t.http().delete('/api/websites/nope/visitors/alice').set(bearer(owner.token)).expect(404);
    await t.http().delete(`/api/websites/${site.id}/visitors/alice`).expect(401);
    expect(await rows('events', 'alice')).toBe(2);
  });

  it("erases one visitor's events, visits and visit state, and nobody else's", async () => {
    const res = await t.http().delete(`/api/websites/${site.id}/visitors/alice`).set(bearer(owner.token)).expect(200);
    expect(res.body).toEqual({ events: 2, sessions: 1 });
    expect(await rows('events', 'alice')).toBe(0);
    expect(await rows('sessions', 'alice')).toBe(0);
    expect(await rows('visitor_sessions', 'alice')).toBe(0);
    expect(await rows('events', 'bob')).toBe(1);
    const again = await t.http().delete(`/api/websites/${site.id}/visitors/alice`).set(bearer(owner.token)).expect(200);
    expect(again.body).toEqual({ events: 0, sessions: 0 });
  });
});
