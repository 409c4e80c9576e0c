import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, signup, startSecondInstance, startTestApp, TestApp } from './support/test-app';

const EVENTS = '/api/v1/events';

/**
 * Two Footfall instances on one database, as behind a load balancer: a change made through one
 * (a key revoked, a website deleted) holds on the other at once, whatever each has cached.
 */
describe('several instances on one database', () => {
  let a: TestApp;
  let b: Awaited<ReturnType<typeof startSecondInstance>>;
  let owner: Account;
  const rowsOf = async (site: string) => {
    const counts: Record<string, number> = {};
    for (const table of ['events', 'sessions', 'visitor_sessions', 'event_keys', 'rollup_dirty']) {
      counts[table] = Number((await queryDb<{ n: string }>(a.dbUrl, `SELECT count(*) AS n FROM ${table} WHERE website_id = $1`, [site]))[0].n);
    }
    return counts;
  };
  const none = { events: 0, sessions: 0, visitor_sessions: 0, event_keys: 0, rollup_dirty: 0 };

  beforeAll(async () => {
    a = await startTestApp();
    b = await startSecondInstance(a);
    owner = await signup(a, 'instances');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('refuses a revoked key on every instance at once, for ingestion and for reads', async () => {
    const site = (await createWebsite(a, owner)).id;
    const key = await createApiKey(a, owner, { scopes: ['ingest', 'read'] });
    // Both instances have the key cached from a use.
    for (const app of [a, b]) {
      await app.http().post(EVENTS).set(bearer(key.key)).send({ website_id: site, url: 'https://example.com/before' }).expect(202);
      await app.http().get('/api/websites').set(bearer(key.key)).expect(200);
    }
    await a.http().delete(`/api/api-keys/${key.id}`).set(bearer(owner.token)).expect(204);
    for (const app of [b, a]) {
      await app.http().post(EVENTS).set(bearer(key.key)).send({ website_id: site, url: 'https://example.com/after' }).expect(401);
      await app.http().get('/api/websites').set(bearer(key.key)).expect(401);
    }
    expect((await queryDb(a.dbUrl, "SELECT 1 FROM events WHERE website_id = $1 AND path = '/after'", [site])).length).toBe(0);
  });

  it('answers a deleted website as unknown on every instance at once, and keeps none of its data', async () => {
    const site = (await createWebsite(a, owner)).id;
    const key = (await createApiKey(a, owner, { scopes: ['ingest'] })).key;
    for (const app of [a, b]) {
      await app.http().post(EVENTS).set(bearer(key)).send({ website_id: site, url: 'https://example.com/before', event_id: `k-${Math.random()}` }).expect(202);
      await app.http().post('/api/collect').send({ website_id: site, type: 'pageview', url: 'https://example.com/public' }).expect(202);
    }
    await a.http().delete(`/api/websites/${site}`).set(bearer(owner.token)).expect(204);
    for (const app of [b, a]) {
      await app.http().post(EVENTS).set(bearer(key)).send({ website_id: site, url: 'https://example.com/after' }).expect(404);
      await app.http().post('/api/collect').send({ website_id: site, type: 'pageview', url: 'https://example.com/after' }).expect(404);
    }
    expect(await rowsOf(site)).toEqual(none);
  });

  it('stores nothing for a website deleted while events for it are being written on both instances', async () => {
    const site = (await createWebsite(a, owner)).id;
    const key = (await createApiKey(a, owner, { scopes: ['ingest'] })).key;
    let sending = true;
    const statuses: number[] = [];
    const sender = async (app: Pick<TestApp, 'http'>, n: number) => {
      for (let i = 0; sending; i++) {
        const res = await app.http().post(EVENTS).set(bearer(key)).send({ events: [
          { website_id: site, url: `https://example.com/race/${n}/${i}`, visitor_id: `v-${n}-${i % 3}` },
          { website_id: site, url: `https://example.com/race/${n}/${i}/keyed`, event_id: `race-${n}-${i}` },
        ] });
        statuses.push(res.status);
        if (res.status === 404) return;
      }
    };
    const senders = [a, b, a, b].map((app, n) => sender(app, n));
    await new Promise((r) => setTimeout(r, 300));
    await a.http().delete(`/api/websites/${site}`).set(bearer(owner.token)).expect(204);
    await new Promise((r) => setTimeout(r, 300));
    sending = false;
    await Promise.all(senders);
    expect(statuses.filter((s) => s !== 202 && s !== 404)).toEqual([]);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThan(0);
    expect(await rowsOf(site)).toEqual(none);
  });

  it('does not trust its caches while it cannot hear changes (its listening connection was lost)', async () => {
    const site = (await createWebsite(a, owner)).id;
    const key = await createApiKey(a, owner, { scopes: ['ingest'] });
    await b.http().post(EVENTS).set(bearer(key.key)).send({ website_id: site, url: 'https://example.com/cached' }).expect(202);
    // Every listening connection goes (as in a network blip); the revocation is announced meanwhile.
    await queryDb(a.dbUrl, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'");
    await a.http().delete(`/api/api-keys/${key.id}`).set(bearer(owner.token)).expect(204);
    await b.http().post(EVENTS).set(bearer(key.key)).send({ website_id: site, url: 'https://example.com/revoked' }).expect(401);
  });

  it('removes, on upgrade, the rows left for websites that no longer exist, and keeps the others\' (migration 0009)', async () => {
    const kept = (await createWebsite(a, owner)).id;
    const key = (await createApiKey(a, owner, { scopes: ['ingest'] })).key;
    await a.http().post(EVENTS).set(bearer(key)).send({ website_id: kept, url: 'https://example.com/kept', event_id: 'kept-1' }).expect(202);
    const before = await rowsOf(kept);
    for (const orphan of ['gone-1', 'gone-2']) {
      await queryDb(a.dbUrl, `INSERT INTO events (website_id, occurred_at, id, kind, visitor_id, session_id) VALUES ($1, now(), 1, 'pageview', 'v', gen_random_uuid())`, [orphan]);
      await queryDb(a.dbUrl, 'INSERT INTO sessions (website_id, started_at, session_id, visitor_id, last_seen_at) VALUES ($1, now(), gen_random_uuid(), $2, now())', [orphan, 'v']);
      await queryDb(a.dbUrl, 'INSERT INTO visitor_sessions (website_id, visitor_id, session_id, started_at, last_seen_at) VALUES ($1, $2, gen_random_uuid(), now(), now())', [orphan, 'v']);
      await queryDb(a.dbUrl, 'INSERT INTO event_keys (website_id, event_key, event_id) VALUES ($1, $2, 1)', [orphan, 'k']);
      await queryDb(a.dbUrl, 'INSERT INTO rollup_dirty (website_id, slot, shard) VALUES ($1, now(), 0)', [orphan]);
    }
    await queryDb(a.dbUrl, readFileSync(path.join(__dirname, '..', 'migrations', '0009_orphaned_rows.sql'), 'utf8'));
    for (const orphan of ['gone-1', 'gone-2']) expect(await rowsOf(orphan)).toEqual(none);
    expect(await rowsOf(kept)).toEqual(before);
    expect(before.events).toBe(1);
  });
});
