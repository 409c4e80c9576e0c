import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

describe('websites', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
  });
  afterAll(() => t.close());

  it('creates a website in the caller\'s only organization', async () => {
    const res = await t.http().post('/api/websites').set(bearer(owner.token)).send({ name: 'Blog', domain: 'https://www.Example.com/blog', timezone: 'Europe/Berlin' }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      name: 'Blog',
      domain: 'www.example.com',
      organization_id: owner.organizationId,
      timezone: 'Europe/Berlin',
      public_collect: true,
      retention_days: null,
      created_at: expect.any(String),
    });
    const got = await t.http().get(`/api/websites/${res.body.id}`).set(bearer(owner.token)).expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('defaults the time zone to UTC', async () => {
    const w = await createWebsite(t, owner);
    expect(w.timezone).toBe('UTC');
  });

  it.each([
    [{ name: 'x', domain: 'example.com', timezone: 'Mars/Olympus' }, /timezone/],
    [{ name: 'x', domain: 'not a domain' }, /domain/],
    [{ domain: 'example.com' }, /name/],
    [{ name: 'x' }, /domain/],
    [{ name: 'x', domain: 'example.com', organization_id: 'nope' }, /organization_id/],
  ])('answers 400 for %p', async (body, message) => {
    const res = await t.http().post('/api/websites').set(bearer(owner.token)).send(body).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('requires organization_id when the caller belongs to several organizations', async () => {
    const a = await signup(t, 'multi');
    const org2 = await t.http().post('/api/organizations').set(bearer(a.token)).send({ name: 'Two' }).expect(201);
    const res = await t.http().post('/api/websites').set(bearer(a.token)).send({ name: 'x', domain: 'example.com' }).expect(400);
    expect(res.body.message).toMatch(/organization_id is required/);
    const ok = await t.http().post('/api/websites').set(bearer(a.token)).send({ name: 'x', domain: 'example.com', organization_id: org2.body.id }).expect(201);
    expect(ok.body.organization_id).toBe(org2.body.id);
  });

  it('lists only the caller\'s organizations\' websites', async () => {
    const mine = await createWebsite(t, owner, { name: 'Mine' });
    const theirs = await createWebsite(t, stranger, { name: 'Theirs' });
    const res = await t.http().get('/api/websites').set(bearer(owner.token)).expect(200);
    const ids = res.body.data.map((w: { id: string }) => w.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
  });

  it('updates and deletes', async () => {
    const w = await createWebsite(t, owner);
    const res = await t.http().patch(`/api/websites/${w.id}`).set(bearer(owner.token)).send({ name: 'Renamed', timezone: 'America/New_York', public_collect: false }).expect(200);
    expect(res.body).toMatchObject({ id: w.id, name: 'Renamed', timezone: 'America/New_York', domain: 'example.com', public_collect: false });
    await t.http().patch(`/api/websites/${w.id}`).set(bearer(owner.token)).send({ timezone: 'Nowhere/Else' }).expect(400);
    await t.http().delete(`/api/websites/${w.id}`).set(bearer(owner.token)).expect(204);
    await t.http().get(`/api/websites/${w.id}`).set(bearer(owner.token)).expect(404);
  });

  it('gives another tenant 404 on get, update and delete', async () => {
    const w = await createWebsite(t, owner);
    await t.http().get(`/api/websites/${w.id}`).set(bearer(stranger.token)).expect(404);
    await t.http().patch(`/api/websites/${w.id}`).set(bearer(stranger.token)).send({ name: 'pwned' }).expect(404);
    await t.http().delete(`/api/websites/${w.id}`).set(bearer(stranger.token)).expect(404);
    await t.http().get(`/api/websites/${w.id}`).set(bearer(owner.token)).expect(200);
  });

  it('lets viewers read only, and members manage websites', async () => {
    const w = await createWebsite(t, owner);
    const viewer = await signup(t, 'viewer');
    const member = await signup(t, 'member');
    for (const [who, role] of [[viewer, 'viewer'], [member, 'member']] as const) {
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: who.email, role }).expect(201);
    }
    await t.http().get(`/api/websites/${w.id}`).set(bearer(viewer.token)).expect(200);
    await t.http().post('/api/websites').set(bearer(viewer.token)).send({ name: 'v', domain: 'v.com', organization_id: owner.organizationId }).expect(403);
    await t.http().patch(`/api/websites/${w.id}`).set(bearer(viewer.token)).send({ name: 'v' }).expect(403);
    await t.http().delete(`/api/websites/${w.id}`).set(bearer(viewer.token)).expect(403);

    const created = await t.http().post('/api/websites').set(bearer(member.token)).send({ name: 'm', domain: 'm.com', organization_id: owner.organizationId }).expect(201);
    await t.http().patch(`/api/websites/${created.body.id}`).set(bearer(member.token)).send({ name: 'm2' }).expect(200);
    await t.http().delete(`/api/websites/${created.body.id}`).set(bearer(member.token)).expect(204);
  });

  it('lets a read key list and get only the websites it is limited to', async () => {
    const a = await createWebsite(t, owner);
    const b = await createWebsite(t, owner);
    const key = await createApiKey(t, owner, { scopes: ['read'], website_ids: [a.id] });
    const list = await t.http().get('/api/websites').set(bearer(key.key)).expect(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([a.id]);
    await t.http().get(`/api/websites/${a.id}`).set(bearer(key.key)).expect(200);
    await t.http().get(`/api/websites/${b.id}`).set(bearer(key.key)).expect(403);
    // Keys never manage websites.
    await t.http().post('/api/websites').set(bearer(key.key)).send({ name: 'k', domain: 'k.com' }).expect(403);
  });
});
