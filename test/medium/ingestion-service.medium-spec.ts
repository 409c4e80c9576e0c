import { KeyPrincipal, Principal, Role, Scope } from '../../src/auth/principal';
import { CanonicalEvent, emptyEvent } from '../../src/collect/canonical-event';
import { IngestError, IngestFailure } from '../../src/collect/ingest-error';
import { IngestClient, IngestionService, IngestSender, NO_CLIENT, SenderLimit } from '../../src/collect/ingestion.service';
import { DROPPED_EVENT_ID, ShieldFilter } from '../../src/shields/shield-filter';
import { queryDb } from '../support/events-db';
import { CHROME_WINDOWS, GB_IP, GOOGLEBOT } from '../support/ingest-fixtures';
import { Account, bearer, createWebsite, signup, startTestApp, TestApp } from '../support/test-app';

/** IngestionService on its own, on real Postgres: events in, a result or a typed failure out; no HTTP. */
describe('IngestionService', () => {
  let t: TestApp;
  let service: IngestionService;
  let owner: Account;
  let site: string;
  let closed: string;
  let otherOrgSite: string;

  const event = (websiteId: string, path: string, extra: Partial<CanonicalEvent> = {}): CanonicalEvent => ({
    ...emptyEvent(websiteId, 'pageview'),
    url: `https://example.com${path}`,
    ...extra,
  });
  const key = (scopes: Scope[] = ['ingest'], websiteIds: string[] | null = null, keyId = 'key-1'): IngestSender => ({
    kind: 'principal',
    principal: { kind: 'key', keyId, organizationId: owner.organizationId, scopes: new Set(scopes), websiteIds } satisfies KeyPrincipal,
  });
  const user = (role: Role): IngestSender => ({
    kind: 'principal',
    principal: { kind: 'user', userId: owner.userId, email: owner.email, roles: new Map([[owner.organizationId, role]]) } satisfies Principal,
  });
  const PUBLIC: IngestSender = { kind: 'public' };
  const browser: IngestClient = { ip: GB_IP, userAgent: CHROME_WINDOWS };
  const rowsAt = (path: string) =>
    queryDb<{ website_id: string; browser: string | null; country: string | null; is_bot: boolean }>(t.dbUrl, 'SELECT website_id, browser, country, is_bot FROM events WHERE path = $1', [path]);
  /** The typed error a call failed with. */
  const failure = async (call: Promise<unknown>): Promise<IngestError> => {
    const err = await call.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(IngestFailure);
    return (err as IngestFailure).error;
  };

  beforeAll(async () => {
    t = await startTestApp();
    service = t.app.get(IngestionService);
    owner = await signup(t, 'service');
    site = (await createWebsite(t, owner)).id;
    closed = (await createWebsite(t, owner, { public_collect: false })).id;
    otherOrgSite = (await createWebsite(t, await signup(t, 'other'))).id;
  });
  afterAll(() => t.close());

  it('enriches a public collect from its client, a credential\'s events from their own fields', async () => {
    const fromServer = { userAgent: GOOGLEBOT, ip: null };
    const pub = await service.ingest([event(site, '/public', fromServer)], PUBLIC, browser);
    expect(pub).toEqual({
      eventIds: [expect.stringMatching(/^\d+$/)], replayed: false, duplicate: [false], visits: [{ visitorId: expect.any(String), sessionId: expect.any(String) }],
    });
    await service.ingest([event(site, '/keyed', fromServer)], key(), browser);
    expect(await rowsAt('/public')).toEqual([{ website_id: site, browser: 'Chrome', country: 'GB', is_bot: false }]);
    expect(await rowsAt('/keyed')).toEqual([{ website_id: site, browser: null, country: null, is_bot: true }]);
  });

  it('answers one id per event and flags the retries of stored events', async () => {
    const keyed = event(site, '/dup', { eventId: 'svc-dup' });
    const first = await service.ingest([keyed, event(site, '/fresh'), keyed], key(), NO_CLIENT);
    expect(first.duplicate).toEqual([false, false, true]);
    expect(first.eventIds[2]).toBe(first.eventIds[0]);
    // A replay's visit is not looked up.
    expect(await service.ingest([keyed], key(), NO_CLIENT)).toEqual({
      eventIds: [first.eventIds[0]], replayed: true, duplicate: [true], visits: [{ visitorId: first.visits![0]!.visitorId, sessionId: null }],
    });
  });

  it('refuses websites the sender may not write to, as typed failures', async () => {
    expect(await failure(service.ingest([event('no-such-site', '/x')], PUBLIC, browser))).toMatchObject({ code: 'unknown_website', websiteId: 'no-such-site' });
    expect(await failure(service.ingest([event(closed, '/x')], PUBLIC, browser))).toMatchObject({ code: 'forbidden' });
    // Another organization's website is not confirmed to exist.
    expect(await failure(service.ingest([event(site, '/x'), event(otherOrgSite, '/x')], key(), NO_CLIENT))).toMatchObject({ code: 'unknown_website', websiteId: otherOrgSite });
    expect(await failure(service.ingest([event(site, '/x')], key(['read']), NO_CLIENT))).toMatchObject({ code: 'forbidden' });
    expect(await failure(service.ingest([event(site, '/x')], key(['ingest'], [closed]), NO_CLIENT))).toMatchObject({ code: 'forbidden' });
    expect(await failure(service.ingest([event(site, '/x')], user('viewer'), NO_CLIENT))).toMatchObject({ code: 'forbidden' });
    expect(await rowsAt('/x')).toEqual([]);
    await service.ingest([event(closed, '/member')], user('member'), NO_CLIENT);
    expect(await rowsAt('/member')).toHaveLength(1);
  });

  it('lets the operator (an import) write to any website, public collection or not', async () => {
    await service.ingest([event(closed, '/operator'), event(otherOrgSite, '/operator')], { kind: 'operator' }, NO_CLIENT);
    expect((await rowsAt('/operator')).map((r) => r.website_id).sort()).toEqual([closed, otherOrgSite].sort());
  });

  it('counts a sender\'s limit only once its websites are allowed, per event where the limit says so', async () => {
    const limit: SenderLimit = { name: 'svc-test', limit: 3, windowMs: 60_000, countEvents: true };
    const sender = key(['ingest'], null, 'key-limited');
    // Refused requests cost nothing.
    await failure(service.ingest([event(otherOrgSite, '/limited')], sender, NO_CLIENT, { limit }));
    await service.ingest([event(site, '/limited'), event(site, '/limited')], sender, NO_CLIENT, { limit });
    await service.ingest([event(site, '/limited')], sender, NO_CLIENT, { limit });
    expect(await failure(service.ingest([event(site, '/limited')], sender, NO_CLIENT, { limit }))).toMatchObject({
      code: 'rate_limited', limit: 3, remaining: 0, retryAfter: expect.any(Number),
    });
    // Public senders have no credential to count; their limit is counted per IP before parsing, by the endpoint.
    await service.ingest([event(site, '/limited')], PUBLIC, browser, { limit });
    expect(await rowsAt('/limited')).toHaveLength(4);
  });

  it('answers a dry run with the enriched events and stores nothing', async () => {
    const result = await service.ingest([event(site, '/dry?utm_source=news', { eventId: 'svc-dry' })], PUBLIC, browser, { dryRun: true });
    expect(result.eventIds).toEqual([]);
    expect(result.dryRun).toEqual([expect.objectContaining({ websiteId: site, path: '/dry', utmSource: 'news', browser: 'Chrome', country: 'GB', eventKey: 'svc-dry' })]);
    expect(await rowsAt('/dry')).toEqual([]);
    // The key was not claimed either.
    expect((await service.ingest([event(site, '/dry', { eventId: 'svc-dry' })], PUBLIC, browser)).replayed).toBe(false);
  });

  it('answers a bot\'s request, or one without a User-Agent, as skipped where asked, and stores nothing', async () => {
    const skipped = { eventIds: [], replayed: false, skipped: true };
    expect(await service.ingest([event(site, '/bot')], PUBLIC, { ip: GB_IP, userAgent: GOOGLEBOT }, { skipBots: true })).toEqual(skipped);
    expect(await service.ingest([event(site, '/bot')], PUBLIC, { ip: GB_IP, userAgent: ' ' }, { skipBots: true })).toEqual(skipped);
    expect(await rowsAt('/bot')).toEqual([]);
    // A server's events carry their own agent; and by default a bot's are stored, flagged.
    await service.ingest([event(site, '/bot', { userAgent: CHROME_WINDOWS })], key(), { ip: null, userAgent: GOOGLEBOT }, { skipBots: true });
    await service.ingest([event(site, '/bot')], PUBLIC, { ip: GB_IP, userAgent: GOOGLEBOT });
    expect((await rowsAt('/bot')).map((r) => r.is_bot).sort()).toEqual([false, true]);
  });

  it('drops what the website\'s shields exclude: one answer per event, counted once answered, never stored', async () => {
    const shielded = (await createWebsite(t, owner)).id;
    const none = { ip_addresses: [], countries: [], allowed_hostnames: [] };
    await t.http().put(`/api/websites/${shielded}/shields`).set(bearer(owner.token)).send({ ...none, paths: ['/admin/**'] }).expect(200);
    const dropped = t.app.get(ShieldFilter).dropped;
    const before = dropped.path;
    const events = [event(shielded, '/shop'), event(shielded, '/admin/x'), event(shielded, '/cart')];

    const dry = await service.ingest(events, PUBLIC, browser, { dryRun: true });
    expect(dry.dryRun).toEqual([expect.objectContaining({ path: '/shop' }), { dropped: 'path' }, expect.objectContaining({ path: '/cart' })]);
    expect(dropped.path).toBe(before);

    const stored = await service.ingest(events, PUBLIC, browser);
    expect(stored.eventIds).toEqual([expect.stringMatching(/^[1-9]\d*$/), DROPPED_EVENT_ID, expect.stringMatching(/^[1-9]\d*$/)]);
    expect(stored.duplicate).toEqual([false, false, false]);
    expect(stored.visits).toEqual([expect.objectContaining({ sessionId: expect.any(String) }), null, expect.objectContaining({ sessionId: expect.any(String) })]);
    expect(dropped.path).toBe(before + 1);
    // Nothing left to store: answered at once.
    expect(await service.ingest([event(shielded, '/admin/y')], PUBLIC, browser)).toMatchObject({ eventIds: [DROPPED_EVENT_ID], replayed: false });
    expect(await rowsAt('/admin/x')).toEqual([]);
    expect(await rowsAt('/admin/y')).toEqual([]);
  });
});
