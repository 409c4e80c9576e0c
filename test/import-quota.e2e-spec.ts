import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestFailure } from '../src/collect/ingest-error';
import { IngestionService } from '../src/collect/ingestion.service';
import { WebsiteLookup } from '../src/collect/website-lookup';
import { Checkpoint, checkpointPath, Importer } from '../src/import/importer';
import { queryDb } from './support/events-db';
import { CHROME_WINDOWS, GB_IP } from './support/ingest-fixtures';
import { bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

const QUOTA = 10;

/** An import takes the path of live traffic: the same quota, the same visitor ids. */
describe('import through the ingestion service', () => {
  let t: TestApp;
  let dir: string;
  let importer: Importer;

  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const stored = async (site: string) => Number((await queryDb<{ n: string }>(t.dbUrl, 'SELECT count(*) AS n FROM events WHERE website_id = $1', [site]))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ MONTHLY_EVENT_QUOTA: String(QUOTA) });
    dir = mkdtempSync(join(tmpdir(), 'footfall-import-'));
    importer = new Importer({ websites: t.app.get(WebsiteLookup), ingestion: t.app.get(IngestionService) });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('counts imported events against the monthly quota and stops, checkpointed, when it is used up', async () => {
    const owner = await signup(t, 'import-quota');
    const site = (await createWebsite(t, owner)).id;
    const key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
    const path = file('quota.ndjson', Array.from({ length: 20 }, (_, i) => JSON.stringify({ url: `https://example.com/q/${i}` })));

    const err = await importer.run({ websiteId: site, file: path, batchSize: 4 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(IngestFailure);
    expect((err as IngestFailure).error.code).toBe('quota_exceeded');
    // Two whole batches fit; the third is refused whole and nothing after it is stored.
    expect(await stored(site)).toBe(8);
    expect(JSON.parse(readFileSync(checkpointPath(path), 'utf8')) as Checkpoint).toMatchObject({ line: 8, imported: 8, done: false });

    // Live traffic finds the quota as the import left it.
    const post = (n: number) => t.http().post('/api/v1/events').set(bearer(key)).send({ events: Array.from({ length: n }, () => ({ website_id: site, url: 'https://example.com/live' })) });
    await post(3).expect(402);
    await post(2).expect(202);
    expect(await stored(site)).toBe(QUOTA);
  });

  it('derives the same cookieless visitor id as a live request from the same address and agent', async () => {
    const owner = await signup(t, 'import-visitor');
    const site = (await createWebsite(t, owner)).id;
    const key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
    const visitor = { user_agent: CHROME_WINDOWS, ip_address: GB_IP };
    await importer.run({ websiteId: site, file: file('visitor.ndjson', [JSON.stringify({ url: 'https://example.com/imported', ...visitor })]) });
    await t.http().post('/api/v1/events').set(bearer(key)).send({ website_id: site, url: 'https://example.com/live', ...visitor }).expect(202);
    const rows = await queryDb<{ path: string; visitor_id: string; country: string }>(t.dbUrl, 'SELECT path, visitor_id, country FROM events WHERE website_id = $1 ORDER BY path', [site]);
    expect(rows).toEqual([
      { path: '/imported', visitor_id: expect.stringMatching(/^[0-9a-f]{16}$/), country: 'GB' },
      { path: '/live', visitor_id: rows[0].visitor_id, country: 'GB' },
    ]);
  });
});
