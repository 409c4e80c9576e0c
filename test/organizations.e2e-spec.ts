import { bearer, signup, startTestApp, TestApp, Account } from './support/test-app';

describe('organizations and members', () => {
  let t: TestApp;
  let owner: Account;
  let other: Account;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    other = await signup(t, 'other');
  });
  afterAll(() => t.close());

  it('lists the caller\'s organizations with their role', async () => {
    const res = await t.http().get('/api/organizations').set(bearer(owner.token)).expect(200);
    expect(res.body).toEqual({ data: [{ id: owner.organizationId, name: expect.any(String), role: 'owner' }] });
  });

  it('creates an organization whose creator is the owner', async () => {
    const res = await t.http().post('/api/organizations').set(bearer(owner.token)).send({ name: 'Second' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'Second' });
    const list = await t.http().get('/api/organizations').set(bearer(owner.token)).expect(200);
    expect(list.body.data).toContainEqual({ id: res.body.id, name: 'Second', role: 'owner' });
  });

  it('rejects an empty organization name with 400', async () => {
    await t.http().post('/api/organizations').set(bearer(owner.token)).send({ name: '' }).expect(400);
    await t.http().post('/api/organizations').set(bearer(owner.token)).send({}).expect(400);
  });

  describe('members', () => {
    it('adds an existing user with a role, lists and removes them', async () => {
      const m = await signup(t, 'member');
      const add = await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: m.email, role: 'viewer' }).expect(201);
      expect(add.body).toMatchObject({ user_id: m.userId, email: m.email, role: 'viewer' });

      const me = await t.http().get('/api/auth/me').set(bearer(m.token)).expect(200);
      expect(me.body.organizations).toContainEqual({ id: owner.organizationId, name: expect.any(String), role: 'viewer' });

      const list = await t.http().get(`/api/organizations/${owner.organizationId}/members`).set(bearer(m.token)).expect(200);
      expect(list.body.data.map((x: { email: string; role: string }) => [x.email, x.role])).toEqual(
        expect.arrayContaining([[owner.email, 'owner'], [m.email, 'viewer']]),
      );

      await t.http().delete(`/api/organizations/${owner.organizationId}/members/${m.userId}`).set(bearer(owner.token)).expect(204);
      await t.http().get(`/api/organizations/${owner.organizationId}/members`).set(bearer(m.token)).expect(404);
    });

    it('answers 404 for an email with no account', async () => {
      const res = await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: 'ghost@example.com', role: 'member' }).expect(404);
      expect(res.body.message).toMatch(/sign up/);
    });

    it('validates the role', async () => {
      const res = await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: other.email, role: 'king' }).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/role must be one of/);
    });

    it('lets only owners and admins manage members (403 for member and viewer)', async () => {
      for (const role of ['member', 'viewer'] as const) {
        const m = await signup(t, role);
        await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: m.email, role }).expect(201);
        await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(m.token)).send({ email: other.email, role: 'viewer' }).expect(403);
        await t.http().delete(`/api/organizations/${owner.organizationId}/members/${owner.userId}`).set(bearer(m.token)).expect(403);
      }
      const admin = await signup(t, 'admin');
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: admin.email, role: 'admin' }).expect(201);
      const x = await signup(t, 'x');
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(admin.token)).send({ email: x.email, role: 'member' }).expect(201);
      await t.http().delete(`/api/organizations/${owner.organizationId}/members/${x.userId}`).set(bearer(admin.token)).expect(204);
    });

    it('keeps the last owner', async () => {
      const res = await t.http().delete(`/api/organizations/${owner.organizationId}/members/${owner.userId}`).set(bearer(owner.token)).expect(400);
      expect(res.body.message).toMatch(/at least one owner/);
    });

    it('hides other tenants\' organizations behind 404', async () => {
      await t.http().get(`/api/organizations/${owner.organizationId}/members`).set(bearer(other.token)).expect(404);
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(other.token)).send({ email: other.email, role: 'owner' }).expect(404);
      await t.http().delete(`/api/organizations/${owner.organizationId}/members/${owner.userId}`).set(bearer(other.token)).expect(404);
      await t.http().get('/api/organizations/not-a-uuid/members').set(bearer(other.token)).expect(404);
    });
  });
});
