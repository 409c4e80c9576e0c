import { Client } from 'pg';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

describe('API keys', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
  });
  afterAll(() => t.close());

  it('creates a key shown once, stored only as a hash', async () => {
    const res = await t.http().post('/api/api-keys').set(bearer(owner.token)).send({ name: 'Server', scopes: ['ingest', 'read'] }).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Server',
      key: expect.stringMatching(/^ff_live_[A-Za-z0-9_-]{43}$/),
      prefix: res.body.key.slice(0, 14),
      scopes: ['ingest', 'read'],
      website_ids: null,
      expires_at: null,
      last_used_at: null,
      organization_id: owner.organizationId,
      created_at: expect.any(String),
    });
    const list = await t.http().get('/api/api-keys').set(bearer(owner.token)).expect(200);
    const listed = list.body.data.find((k: { id: string }) => k.id === res.body.id);
    expect(listed).toMatchObject({ id: res.body.id, name: 'Server', prefix: res.body.prefix });
    expect(listed.key).toBeUndefined();
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);

    const db = new Client({ connectionString: t.dbUrl });
    await db.connect();
    const dump = await db.query('SELECT * FROM api_keys');
    await db.end();
    expect(JSON.stringify(dump.rows)).not.toContain(res.body.key.slice(8));
  });

  it('revokes: 204, then the key is refused with 401', async () => {
    const key = await createApiKey(t, owner, { scopes: ['read'] });
    await t.http().get('/api/websites').set(bearer(key.key)).expect(200);
    await t.http().delete(`/api/api-keys/${key.id}`).set(bearer(owner.token)).expect(204);
    await t.http().get('/api/websites').set(bearer(key.key)).expect(401);
    await t.http().delete(`/api/api-keys/${key.id}`).set(bearer(owner.token)).expect(404);
    const list = await t.http().get('/api/api-keys').set(bearer(owner.token)).expect(200);
    expect(list.body.data.map((k: { id: string }) => k.id)).not.toContain(key.id);
  });

  it('refuses an expired key with 401, and an expiry in the past at creation with 400', async () => {
    await t.http().post('/api/api-keys').set(bearer(owner.token)).send({ name: 'old', scopes: ['read'], expires_at: '2020-01-01T00:00:00Z' }).expect(400);
    const key = await createApiKey(t, owner, { scopes: ['read'], expires_at: new Date(Date.now() + 1500).toISOString() });
    await t.http().get('/api/websites').set(bearer(key.key)).expect(200);
    await new Promise((r) => setTimeout(r, 5600)); // past expiry and the verifier's 5 s cache
    await t.http().get('/api/websites').set(bearer(key.key)).expect(401);
  });

  it('refuses unknown and malformed keys with 401', async () => {
    await t.http().get('/api/websites').set(bearer('ff_live_' + 'A'.repeat(43))).expect(401);
    await t.http().get('/api/websites').set('Authorization', 'Basic abc').expect(401);
  });

  it('answers 403 for a key without the needed scope', async () => {
    const key = await createApiKey(t, owner, { scopes: ['ingest'] });
    const res = await t.http().get('/api/websites').set(bearer(key.key)).expect(403);
    expect(res.body.message).toMatch(/read/);
  });

  it('validates scopes, website_ids and names', async () => {
    await t.http().post('/api/api-keys').set(bearer(owner.token)).send({ name: 'x', scopes: [] }).expect(400);
    await t.http().post('/api/api-keys').set(bearer(owner.token)).send({ name: 'x', scopes: ['admin'] }).expect(400);
    await t.http().post('/api/api-keys').set(bearer(owner.token)).send({ scopes: ['read'] }).expect(400);
    const theirs = await createWebsite(t, stranger);
    const res = await t.http().post('/api/api-keys').set(bearer(owner.token)).send({ name: 'x', scopes: ['read'], website_ids: [theirs.id] }).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(/unknown websites/);
  });

  it('lets only admins and owners manage keys', async () => {
    const member = await signup(t, 'member');
    await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: member.email, role: 'member' }).expect(201);
    await t.http().post('/api/api-keys').set(bearer(member.token)).send({ name: 'x', scopes: ['read'], organization_id: owner.organizationId }).expect(403);
    const key = await createApiKey(t, owner);
    await t.http().delete(`/api/api-keys/${key.id}`).set(bearer(member.token)).expect(403);
    const list = await t.http().get('/api/api-keys').set(bearer(member.token)).expect(200);
    expect(list.body.data.map((k: { id: string }) => k.id)).not.toContain(key.id);
  });

  it('gives another tenant 404 on revoke and hides the key from their list', async () => {
    const key = await createApiKey(t, owner);
    await t.http().delete(`/api/api-keys/${key.id}`).set(bearer(stranger.token)).expect(404);
    const list = await t.http().get('/api/api-keys').set(bearer(stranger.token)).expect(200);
    expect(list.body.data.map((k: { id: string }) => k.id)).not.toContain(key.id);
    await t.http().get('/api/websites').set(bearer(key.key)).expect(200);
  });

  it('does not let a key manage keys or organizations', async () => {
    const key = await createApiKey(t, owner);
    await t.http().post('/api/api-keys').set(bearer(key.key)).send({ name: 'x', scopes: ['read'] }).expect(403);
    await t.http().get('/api/organizations').set(bearer(key.key)).expect(403);
  });
});
