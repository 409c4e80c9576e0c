import { MaintenanceService } from '../src/collect/maintenance.service';
import { queryDb } from './support/events-db';
import { bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

describe('per-website retention', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('is set and changed on the website, validated, and null keeps data forever', async () => {
    const a = await signup(t);
    const w = await createWebsite(t, a, { retention_days: 90 });
    expect(w.retention_days).toBe(90);
    const changed = await t.http().patch(`/api/websites/${w.id}`).set(bearer(a.token)).send({ retention_days: null }).expect(200);
    expect(changed.body.retention_days).toBeNull();
    await t.http().patch(`/api/websites/${w.id}`).set(bearer(a.token)).send({ retention_days: 0 }).expect(400);
    await t.http().patch(`/api/websites/${w.id}`).set(bearer(a.token)).send({ retention_days: 2.5 }).expect(400);
    const renamed = await t.http().patch(`/api/websites/${w.id}`).set(bearer(a.token)).send({ retention_days: 7 }).expect(200);
    expect((await t.http().patch(`/api/websites/${w.id}`).set(bearer(a.token)).send({ name: 'x' }).expect(200)).body.retention_days).toBe(renamed.body.retention_days);
  });

  it('the hourly job deletes events and visits older than the retention, and only those', async () => {
    const a = await signup(t);
    const limited = await createWebsite(t, a, { retention_days: 30 });
    const forever = await createWebsite(t, a);
    const key = await createApiKey(t, a, { scopes: ['ingest'] });
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
    const events = [limited, forever].flatMap((site) =>
      [40, 10].map((d) => ({ website_id: site.id, url: `https://example.com/${d}`, visitor_id: `v${d}`, timestamp: daysAgo(d) })),
    );
    await t.http().post('/api/v1/events').set(bearer(key.key)).send({ events }).expect(202);

    await t.app.get(MaintenanceService).run();

    const paths = async (site: string, table: 'events' | 'sessions') =>
      (await queryDb<{ p: string }>(t.dbUrl, `SELECT ${table === 'events' ? 'path' : 'entry_path'} AS p FROM ${table} WHERE website_id = $1 ORDER BY 1`, [site])).map((r) => r.p);
    expect(await paths(limited.id, 'events')).toEqual(['/10']);
    expect(await paths(limited.id, 'sessions')).toEqual(['/10']);
    expect(await paths(forever.id, 'events')).toEqual(['/10', '/40']);
  });
});
