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

  describe('the owner role', () => {
    const members = (orgId: string) => `/api/organizations/${orgId}/members`;
    async function orgWith(o: Account, adds: [Account, string][]): Promise<string> {
      const org = await t.http().post('/api/organizations').set(bearer(o.token)).send({ name: 'Shared' }).expect(201);
      for (const [a, role] of adds) await t.http().post(members(org.body.id)).set(bearer(o.token)).send({ email: a.email, role }).expect(201);
      return org.body.id;
    }
    async function rolesIn(orgId: string, reader: Account): Promise<Record<string, string>> {
      const res = await t.http().get(members(orgId)).set(bearer(reader.token)).expect(200);
      return Object.fromEntries(res.body.data.map((m: { email: string; role: string }) => [m.email, m.role]));
    }

    it('is granted, changed and removed only by an owner; an admin manages admins, members and viewers but never owners', async () => {
      const [o, admin, second, m] = [await signup(t, 'own'), await signup(t, 'adm'), await signup(t, 'own2'), await signup(t, 'mem')];
      const orgId = await orgWith(o, [[admin, 'admin'], [second, 'owner']]);
      const put = (by: Account, who: Account, role: string) => t.http().post(members(orgId)).set(bearer(by.token)).send({ email: who.email, role });
      const remove = (by: Account, who: Account) => t.http().delete(`${members(orgId)}/${who.userId}`).set(bearer(by.token));
      // An admin cannot make anyone an owner, themself included.
      let res = await put(admin, admin, 'owner').expect(403);
      expect(res.body.message).toMatch(/owner/);
      await put(admin, m, 'owner').expect(403);
      // Nor demote or remove an owner, even with two owners present.
      await put(admin, second, 'admin').expect(403);
      await put(admin, o, 'viewer').expect(403);
      await remove(admin, o).expect(403);
      await remove(admin, second).expect(403);
      expect(await rolesIn(orgId, o)).toMatchObject({ [o.email]: 'owner', [second.email]: 'owner', [admin.email]: 'admin' });
      // Admins still manage everyone below the owners, other admins included.
      await put(admin, m, 'admin').expect(201);
      await put(admin, m, 'viewer').expect(201);
      await remove(admin, m).expect(204);
      // An owner may demote and remove another owner.
      await put(o, second, 'admin').expect(201);
      await put(o, second, 'owner').expect(201);
      await remove(o, second).expect(204);
      expect(await rolesIn(orgId, o)).toEqual({ [o.email]: 'owner', [admin.email]: 'admin' });
    });

    it('keeps at least one owner when two owners remove or demote each other at the same moment', async () => {
      const [a, b] = [await signup(t, 'racer-a'), await signup(t, 'racer-b')];
      const orgIds: string[] = [];
      for (let i = 0; i < 24; i++) orgIds.push(await orgWith(a, [[b, 'owner']]));
      const remove = (by: Account, orgId: string, who: Account) => t.http().delete(`${members(orgId)}/${who.userId}`).set(bearer(by.token));
      const demote = (by: Account, orgId: string, who: Account) => t.http().post(members(orgId)).set(bearer(by.token)).send({ email: who.email, role: 'admin' });
      // Each organization gets one of three races: remove/remove, demote/remove, demote/demote.
      const races = orgIds.flatMap((orgId, i) =>
        i % 3 === 0 ? [remove(a, orgId, b), remove(b, orgId, a)] : i % 3 === 1 ? [demote(a, orgId, b), remove(b, orgId, a)] : [demote(a, orgId, b), demote(b, orgId, a)],
      );
      const statuses = (await Promise.all(races)).map((r) => r.status);
      expect(statuses.every((s) => s < 500)).toBe(true);
      const roles = new Map<string, string[]>();
      for (const who of [a, b]) {
        const res = await t.http().get('/api/organizations').set(bearer(who.token)).expect(200);
        for (const o of res.body.data as { id: string; role: string }[]) roles.set(o.id, [...(roles.get(o.id) ?? []), o.role]);
      }
      const ownerless = orgIds.filter((id) => !(roles.get(id) ?? []).includes('owner'));
      expect(ownerless).toEqual([]);
    });
  });
});
