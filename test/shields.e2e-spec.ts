import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestionService } from '../src/collect/ingestion.service';
import { WebsiteLookup } from '../src/collect/website-lookup';
import { Importer } from '../src/import/importer';
import { queryDb } from './support/events-db';
import { CHROME_WINDOWS, GB_IP } from './support/ingest-fixtures';
import { Account, bearer, createApiKey, createWebsite, signup, startSecondInstance, startTestApp, TestApp } from './support/test-app';

const NONE = { ip_addresses: [], countries: [], paths: [], allowed_hostnames: [] };
/** Documentation addresses (RFC 5737): no geo database places them in a country (GB_IP is in Great Britain). */
const DOC_IP = '198.51.100.20';
const EXCLUDED_IP = '203.0.113.9';

describe('shields', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  let key: string;

  beforeAll(async () => {
    // X-Forwarded-For sets a browser collect's client address; no collect rate limit in the way.
    t = await startTestApp({ TRUST_PROXY: 'true', SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '0' });
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
    key = (await createApiKey(t, owner, { scopes: ['ingest', 'read'] })).key;
  });
  afterAll(() => t.close());

  const shieldsOf = (site: string) => `/api/websites/${site}/shields`;
  const get = (token: string, site: string) => t.http().get(shieldsOf(site)).set(bearer(token));
  const put = (token: string, site: string, body: object) => t.http().put(shieldsOf(site)).set(bearer(token)).send(body);
  const shield = async (site: string, body: object) => (await put(owner.token, site, { ...NONE, ...body }).expect(200)).body;
  const newSite = async () => (await createWebsite(t, owner, { domain: 'example.com' })).id;
  const stored = async (site: string) => {
    const [row] = await queryDb<Record<string, number>>(
      t.dbUrl,
      `SELECT (SELECT count(*) FROM events WHERE website_id = $1)::int AS events, (SELECT count(*) FROM sessions WHERE website_id = $1)::int AS sessions,
              (SELECT count(*) FROM visitor_sessions WHERE website_id = $1)::int AS visitor_sessions, (SELECT count(*) FROM event_keys WHERE website_id = $1)::int AS event_keys,
              (SELECT count(*) FROM rollup_dirty WHERE website_id = $1)::int AS rollup_dirty`,
      [site],
    );
    return row;
  };
  const nothingStored = { events: 0, sessions: 0, visitor_sessions: 0, event_keys: 0, rollup_dirty: 0 };
  const paths = async (site: string) => (await queryDb<{ path: string }>(t.dbUrl, 'SELECT path FROM events WHERE website_id = $1 ORDER BY id', [site])).map((r) => r.path);
  /** A browser's pageview through Sparklytics' /api/collect, from `ip`. */
  const collect = (site: string, url: string, ip = DOC_IP) =>
    t.http().post('/api/collect').set('X-Forwarded-For', ip).set('User-Agent', CHROME_WINDOWS).send({ website_id: site, type: 'pageview', url });

  describe('reading and replacing', () => {
    it('answers empty lists for a website without shields', async () => {
      const site = await newSite();
      expect((await get(owner.token, site).expect(200)).body).toEqual(NONE);
    });

    it('stores every list normalised and answers as stored; a PUT replaces every list', async () => {
      const site = await newSite();
      const res = await put(owner.token, site, {
        ip_addresses: ['203.0.113.7', ' 198.51.100.77/24 ', '::ffff:192.0.2.1', '2001:DB8:0:0::/32', '203.0.113.7'],
        countries: ['gb', 'DE '],
        paths: [' /admin/** ', '**/wp-login.php', '/a/***'],
        allowed_hostnames: ['Example.com', '*.EXAMPLE.com', 'https://shop.example.org/cart'],
        unknown: ['ignored'],
      }).expect(200);
      const normalized = {
        ip_addresses: ['203.0.113.7', '198.51.100.0/24', '192.0.2.1', '2001:db8::/32'],
        countries: ['GB', 'DE'],
        paths: ['/admin/**', '**/wp-login.php', '/a/**'],
        allowed_hostnames: ['example.com', '*.example.com', 'shop.example.org'],
      };
      expect(res.body).toEqual(normalized);
      expect((await get(owner.token, site).expect(200)).body).toEqual(normalized);

      await put(owner.token, site, { ...NONE, countries: ['FR'] }).expect(200);
      expect((await get(owner.token, site).expect(200)).body).toEqual({ ...NONE, countries: ['FR'] });
      await put(owner.token, site, NONE).expect(200);
      expect((await get(owner.token, site).expect(200)).body).toEqual(NONE);
    });

    it('keeps each website\'s shields apart, and deletes them with the website', async () => {
      const site = await newSite();
      const other = await newSite();
      await shield(site, { countries: ['GB'] });
      expect((await get(owner.token, other).expect(200)).body).toEqual(NONE);
      await t.http().delete(`/api/websites/${site}`).set(bearer(owner.token)).expect(204);
      expect(await queryDb(t.dbUrl, 'SELECT 1 FROM website_shields WHERE website_id = $1', [site])).toEqual([]);
      await get(owner.token, site).expect(404);
    });

    it('takes 1000 entries per list', async () => {
      const site = await newSite();
      const ips = Array.from({ length: 1000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
      const pathList = Array.from({ length: 1000 }, (_, i) => `/p${i}/**`);
      const res = await put(owner.token, site, { ...NONE, ip_addresses: ips, paths: pathList }).expect(200);
      expect(res.body.ip_addresses).toHaveLength(1000);
      expect(res.body.paths).toHaveLength(1000);
    });
  });

  describe('validation', () => {
    const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
    it.each([
      [{}, 'ip_addresses'],
      [{ countries: [], paths: [], allowed_hostnames: [] }, 'ip_addresses'],
      [{ ...NONE, countries: null }, 'countries'],
      [{ ...NONE, paths: '/admin/**' }, 'paths'],
      [{ ...NONE, allowed_hostnames: [42] }, 'allowed_hostnames'],
      [{ ...NONE, ip_addresses: many(1001, (i) => `10.0.${i >> 8}.${i & 255}`) }, 'ip_addresses'],
      [{ ...NONE, ip_addresses: ['1'.repeat(65)] }, 'ip_addresses'],
      [{ ...NONE, ip_addresses: ['10.0.0.300'] }, 'ip_addresses[0]'],
      [{ ...NONE, ip_addresses: ['10.0.0.0/8', '10.0.0.0/33'] }, 'ip_addresses[1]'],
      [{ ...NONE, ip_addresses: ['fe80::1%eth0'] }, 'ip_addresses[0]'],
      [{ ...NONE, countries: ['XX'] }, 'countries[0]'],
      [{ ...NONE, countries: ['DEU'] }, 'countries[0]'],
      [{ ...NONE, paths: ['admin'] }, 'paths[0]'],
      [{ ...NONE, paths: ['/**/a*/**'] }, 'paths[0]'],
      [{ ...NONE, paths: ['/' + 'a'.repeat(500)] }, 'paths'],
      [{ ...NONE, allowed_hostnames: ['shop.*.example.com'] }, 'allowed_hostnames[0]'],
      [{ ...NONE, allowed_hostnames: ['not a host'] }, 'allowed_hostnames[0]'],
      [{ ...NONE, paths: ['/a\u0000b'] }, 'NUL'],
    ])('answers 400 for %j, naming %s, and changes nothing', async (body, field) => {
      const site = await newSite();
      await shield(site, { countries: ['FR'] });
      const res = await put(owner.token, site, body).expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.anything() });
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect((await get(owner.token, site).expect(200)).body).toEqual({ ...NONE, countries: ['FR'] });
    });

    it('names every bad entry at once, with its index and value', async () => {
      const site = await newSite();
      const res = await put(owner.token, site, { ...NONE, ip_addresses: ['10.0.0.1', 'nope'], countries: ['ZZ'] }).expect(400);
      expect(res.body.message).toEqual([
        'ip_addresses[1] ("nope"): is not an IP address or CIDR range (such as 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32)',
        'countries[0] ("ZZ"): is not an ISO 3166-1 alpha-2 country code (such as DE or GB)',
      ]);
    });
  });

  describe('who may', () => {
    async function member(role: string): Promise<Account> {
      const who = await signup(t, role);
      await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: who.email, role }).expect(201);
      return who;
    }

    it('lets owners, admins and members replace them; viewers and read keys only read them', async () => {
      const site = await newSite();
      for (const role of ['admin', 'member']) {
        const who = await member(role);
        await put(who.token, site, { ...NONE, countries: [role === 'admin' ? 'DE' : 'FR'] }).expect(200);
        expect((await get(who.token, site).expect(200)).body.countries).toEqual([role === 'admin' ? 'DE' : 'FR']);
      }
      const viewer = await member('viewer');
      expect((await get(viewer.token, site).expect(200)).body.countries).toEqual(['FR']);
      const refused = await put(viewer.token, site, NONE).expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining('viewer') });
      const readKey = await createApiKey(t, owner, { scopes: ['read'], website_ids: [site] });
      expect((await get(readKey.key, site).expect(200)).body.countries).toEqual(['FR']);
      await put(readKey.key, site, NONE).expect(403);
      await put(key, site, NONE).expect(403);
      expect((await get(owner.token, site).expect(200)).body.countries).toEqual(['FR']);
    });

    it('refuses (403) a key without read, and one limited to another website', async () => {
      const site = await newSite();
      const other = await newSite();
      const ingestOnly = await createApiKey(t, owner, { scopes: ['ingest'] });
      const elsewhere = await createApiKey(t, owner, { scopes: ['read'], website_ids: [other] });
      await get(ingestOnly.key, site).expect(403);
      expect((await get(elsewhere.key, site).expect(403)).body.message).toBe('This API key is not allowed for this website');
      await put(elsewhere.key, site, NONE).expect(403);
      await get(elsewhere.key, other).expect(200);
    });

    it('answers 404 to another tenant, 404 for an unknown website and 401 without credentials', async () => {
      const site = await newSite();
      await shield(site, { countries: ['GB'] });
      const strangerKey = await createApiKey(t, stranger, { scopes: ['read'] });
      for (const token of [stranger.token, strangerKey.key]) {
        const res = await get(token, site).expect(404);
        expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Website not found' });
      }
      await put(stranger.token, site, NONE).expect(404);
      expect((await get(owner.token, site).expect(200)).body.countries).toEqual(['GB']);
      await get(owner.token, 'no-such-site').expect(404);
      await put(owner.token, 'no-such-site', NONE).expect(404);
      await t.http().get(shieldsOf(site)).expect(401);
      await t.http().put(shieldsOf(site)).send(NONE).expect(401);
    });
  });

  describe('dropping live events', () => {
    it('drops events from an excluded address or range, IPv4-mapped and IPv6 included, and stores the rest', async () => {
      const site = await newSite();
      await shield(site, { ip_addresses: ['203.0.113.0/24', '2001:db8::/32'] });
      for (const ip of [EXCLUDED_IP, '::ffff:203.0.113.200', '2001:db8::5']) {
        expect((await collect(site, `https://example.com/from/${ip}`, ip).expect(202)).body).toEqual({ ok: true });
      }
      await collect(site, 'https://example.com/kept', DOC_IP).expect(202);
      await collect(site, 'https://example.com/kept-v6', '2001:db9::5').expect(202);
      expect(await paths(site)).toEqual(['/kept', '/kept-v6']);
    });

    it('drops events geolocated to an excluded country', async () => {
      const site = await newSite();
      await shield(site, { countries: ['GB'] });
      await collect(site, 'https://example.com/gb', GB_IP).expect(202);
      await collect(site, 'https://example.com/nowhere', DOC_IP).expect(202);
      expect(await paths(site)).toEqual(['/nowhere']);
    });

    it('drops events on excluded paths', async () => {
      const site = await newSite();
      await shield(site, { paths: ['/admin/**', '/preview/*', '**/wp-login.php'] });
      for (const path of ['/admin/', '/admin/users/7', '/preview/draft', '/wp-login.php', '/blog/wp-login.php']) {
        await collect(site, `https://example.com${path}?x=1`).expect(202);
      }
      for (const path of ['/admin', '/preview/draft/2', '/pricing']) await collect(site, `https://example.com${path}`).expect(202);
      expect(await paths(site)).toEqual(['/admin', '/preview/draft/2', '/pricing']);
    });

    it('drops events from hostnames not allowed, keeping events that name no page', async () => {
      const site = await newSite();
      await shield(site, { allowed_hostnames: ['example.com', '*.example.com'] });
      for (const host of ['localhost', 'staging.example.net', 'example.com.evil.test']) await collect(site, `https://${host}/from-${host}`).expect(202);
      for (const host of ['example.com', 'SHOP.example.com']) await collect(site, `https://${host}/from-${host.toLowerCase()}`).expect(202);
      // A server-side custom event without a URL names no hostname: the allow-list does not judge it.
      await t.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, type: 'custom', name: 'invoice_paid' }).expect(202);
      expect(await paths(site)).toEqual(['/from-example.com', '/from-shop.example.com', null]);
    });

    it('judges server-side events by the ip_address in their body, not the server\'s own address', async () => {
      const site = await newSite();
      await shield(site, { ip_addresses: [EXCLUDED_IP] });
      const send = (path: string, ip?: string) =>
        t.http().post('/api/v1/events').set(bearer(key)).set('X-Forwarded-For', EXCLUDED_IP).send({ website_id: site, url: `https://example.com${path}`, ip_address: ip });
      await send('/dropped', EXCLUDED_IP).expect(202);
      await send('/kept', DOC_IP).expect(202);
      await send('/no-address').expect(202);
      expect(await paths(site)).toEqual(['/kept', '/no-address']);
    });

    it('still stores bots from addresses it does not exclude, flagged as before', async () => {
      const site = await newSite();
      await shield(site, { ip_addresses: [EXCLUDED_IP] });
      await t.http().post('/api/collect').set('X-Forwarded-For', DOC_IP).set('User-Agent', 'Googlebot/2.1 (+http://www.google.com/bot.html)')
        .send({ website_id: site, type: 'pageview', url: 'https://example.com/bot' }).expect(202);
      expect(await queryDb(t.dbUrl, 'SELECT path, is_bot FROM events WHERE website_id = $1', [site])).toEqual([{ path: '/bot', is_bot: true }]);
    });
  });

  describe('the answer to a dropped event', () => {
    let site: string;
    beforeAll(async () => {
      site = await newSite();
      await shield(site, { paths: ['/admin/**'] });
    });
    const dropped = 'https://example.com/admin/x';

    it('is each dialect\'s normal success, with event id 0 where the dialect shows one, and nothing is stored', async () => {
      const answers = [
        await collect(site, dropped),
        await t.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, url: dropped, event_id: 'retry-me' }),
        await t.http().post('/api/v1/events/pageview').set(bearer(key)).send({ site_id: site, url: dropped }),
        await t.http().post('/api/track').send({ api_key: key, site_id: site, type: 'pageview', pathname: '/admin/x', hostname: 'example.com' }),
        await t.http().post(`/api/v1/websites/${site}/track`).set(bearer(key)).send({ name: 'download', url: dropped }),
        await t.http().post(`/api/v1/websites/${site}/track/batch`).set(bearer(key)).send({ events: [{ name: 'a', url: dropped }, { name: 'b', url: dropped }] }),
      ];
      expect(answers.map((r) => [r.status, r.body])).toEqual([
        [202, { ok: true }],
        [202, { ok: true, event_id: '0' }],
        [201, { success: true, event_id: 'evt_0' }],
        [200, { success: true }],
        [200, { ok: true, event_id: 0 }],
        [200, { ok: true, processed: 2, event_ids: [0, 0] }],
      ]);
      expect(await stored(site)).toEqual(nothingStored);
    });

    it('keeps the other events of a batch, each answered in its place', async () => {
      const before = await paths(site);
      const res = await t.http().post('/api/v1/events').set(bearer(key))
        .send({ events: [{ website_id: site, url: 'https://example.com/one' }, { website_id: site, url: dropped }, { website_id: site, url: 'https://example.com/two' }] })
        .expect(202);
      expect(res.body).toEqual({ ok: true, accepted: 3, event_ids: [expect.stringMatching(/^[1-9]\d*$/), '0', expect.stringMatching(/^[1-9]\d*$/)] });
      expect(await paths(site)).toEqual([...before, '/one', '/two']);
    });

    it('is shown in a dry run as {dropped: reason} in its place', async () => {
      const res = await t.http().post('/api/v1/events?dry_run=true').set(bearer(key))
        .send({ events: [{ website_id: site, url: dropped }, { website_id: site, url: 'https://example.com/fine' }] })
        .expect(200);
      expect(res.body).toEqual({ ok: true, dry_run: true, events: [{ dropped: 'path' }, expect.objectContaining({ path: '/fine' })] });
      const single = await t.http().post('/api/v1/events?dry_run=true').set(bearer(key)).send({ website_id: site, url: dropped }).expect(200);
      expect(single.body).toEqual({ ok: true, dry_run: true, events: [{ dropped: 'path' }] });
    });
  });

  it('counts drops by reason in /metrics (dry runs not)', async () => {
    const site = await newSite();
    await shield(site, { ip_addresses: [EXCLUDED_IP], countries: ['GB'], paths: ['/admin/**'], allowed_hostnames: ['example.com'] });
    const counts = async () => {
      const text = (await t.http().get('/metrics').expect(200)).text;
      return Object.fromEntries(['ip', 'country', 'hostname', 'path'].map((reason) => {
        const line = text.split('\n').find((l) => l.startsWith(`footfall_events_dropped_total{reason="${reason}"} `));
        return [reason, Number(line?.split(' ')[1])];
      }));
    };
    const before = await counts();
    await collect(site, 'https://example.com/a', EXCLUDED_IP).expect(202);
    await collect(site, 'https://example.com/admin/a', EXCLUDED_IP).expect(202); // the address is checked first
    await collect(site, 'https://example.com/b', GB_IP).expect(202);
    await collect(site, 'https://elsewhere.test/c').expect(202);
    await collect(site, 'https://example.com/admin/d').expect(202);
    await t.http().post('/api/v1/events?dry_run=true').set(bearer(key)).send({ website_id: site, url: 'https://example.com/admin/e' }).expect(200);
    await collect(site, 'https://example.com/kept').expect(202);
    const after = await counts();
    expect(Object.fromEntries(Object.keys(after).map((r) => [r, after[r] - before[r]]))).toEqual({ ip: 2, country: 1, hostname: 1, path: 1 });
    expect(await paths(site)).toEqual(['/kept']);
  });

  it('applies a change at once, on this instance and on another one on the database', async () => {
    const second = await startSecondInstance(t);
    try {
      const site = await newSite();
      const send = (app: { http: TestApp['http'] }, path: string) =>
        app.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, url: `https://example.com${path}` }).expect(202);
      // Both instances have the website's (empty) shields cached.
      await send(t, '/a-before');
      await send(second, '/b-before');
      await shield(site, { paths: ['/**'] });
      await send(t, '/a-dropped');
      await send(second, '/b-dropped');
      await put(owner.token, site, NONE).expect(200);
      await send(second, '/b-after');
      await send(t, '/a-after');
      // Each instance takes event ids from a block of its own: compared as a set.
      expect((await paths(site)).sort()).toEqual(['/a-after', '/a-before', '/b-after', '/b-before']);
    } finally {
      await second.close();
    }
  });

  it('drops imported events too, and counts them in the import\'s result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footfall-shields-'));
    try {
      const site = await newSite();
      await shield(site, { ip_addresses: ['203.0.113.0/24'], paths: ['/admin/**'] });
      const file = join(dir, 'events.ndjson');
      const line = (path: string, ip: string) => JSON.stringify({ url: `https://example.com${path}`, ip_address: ip, user_agent: CHROME_WINDOWS, timestamp: '2026-01-15T10:00:00Z' });
      writeFileSync(file, [line('/kept', DOC_IP), line('/from-excluded', EXCLUDED_IP), line('/admin/x', DOC_IP), '{broken', line('/kept-too', DOC_IP)].join('\n') + '\n');
      const importer = new Importer({ websites: t.app.get(WebsiteLookup), ingestion: t.app.get(IngestionService) });
      const result = await importer.run({ websiteId: site, file, batchSize: 2 });
      expect(result).toMatchObject({ status: 'completed', imported: 2, duplicates: 0, dropped: 2, badLines: 1 });
      expect((await paths(site)).sort()).toEqual(['/kept', '/kept-too']);
      // A second run stores nothing new and drops the same lines again.
      expect(await importer.run({ websiteId: site, file, batchSize: 2 })).toMatchObject({ imported: 0, duplicates: 2, dropped: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shields and the monthly quota', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ MONTHLY_EVENT_QUOTA: '2' })));
  afterAll(() => t.close());

  it('does not count dropped events against it', async () => {
    const owner = await signup(t, 'quota');
    const site = (await createWebsite(t, owner, { domain: 'example.com' })).id;
    const key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
    await t.http().put(`/api/websites/${site}/shields`).set(bearer(owner.token)).send({ ...NONE, paths: ['/admin/**'] }).expect(200);
    const send = (path: string) => t.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, url: `https://example.com${path}` });
    for (let i = 0; i < 5; i++) await send(`/admin/${i}`).expect(202);
    await send('/one').expect(202);
    await send('/two').expect(202);
    expect((await send('/three').expect(402)).body.error.code).toBe('quota_exceeded');
  });
});
