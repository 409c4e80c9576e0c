import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestionService } from '../src/collect/ingestion.service';
import { WebsiteLookup } from '../src/collect/website-lookup';
import { Checkpoint, checkpointPath, Importer, UnknownWebsiteError, writeCheckpoint } from '../src/import/importer';
import { importEventId } from '../src/import/lines';
import { queryDb } from './support/events-db';
import { Account, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

describe('import (NDJSON and CSV files into one website)', () => {
  let t: TestApp;
  let owner: Account;
  let dir: string;
  let importer: Importer;

  const rows = (site: string) =>
    queryDb<{ path: string; kind: string; name: string | null; event_key: string; occurred_at: Date; props: unknown }>(
      t.dbUrl,
      'SELECT path, kind, name, event_key, occurred_at, props FROM events WHERE website_id = $1 ORDER BY path',
      [site],
    );
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const newSite = async () => (await createWebsite(t, owner, { domain: 'example.com' })).id;
  const future = () => new Date(Date.now() + 3_600_000).toISOString();

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'import');
    dir = mkdtempSync(join(tmpdir(), 'footfall-import-'));
    importer = new Importer({ websites: t.app.get(WebsiteLookup), ingestion: t.app.get(IngestionService) });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  describe('skip mode', () => {
    let site: string;
    let path: string;
    const good1 = JSON.stringify({ url: 'https://example.com/a', timestamp: '2025-11-15T10:00:00Z', user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36' });

    beforeAll(async () => {
      site = await newSite();
      path = file('skip.ndjson', [
        good1, // 1
        '{"url": "https://example.com/broken"', // 2: bad JSON
        JSON.stringify({ type: 'custom', name: 'signup', url: 'https://example.com/c', props: { plan: 'pro' }, timestamp: '2026-01-02T03:04:05Z' }), // 3
        JSON.stringify({ type: 'custom' }), // 4: custom event without name (and url)
        '', // 5: blank, ignored
        JSON.stringify({ url: 'https://example.com/future', timestamp: future() }), // 6: in the future
        JSON.stringify({ url: 'https://example.com/e', event_id: 'own-1', visitor_id: 'v1' }), // 7
        JSON.stringify({ website_id: site, url: 'https://example.com/f' }), // 8
      ]);
    });

    it('stores the good lines and lists the bad ones with their line numbers', async () => {
      const r = await importer.run({ websiteId: site, file: path, batchSize: 2 });
      expect(r).toMatchObject({ status: 'completed', format: 'ndjson', lines: 8, imported: 4, duplicates: 0, badLines: 3 });
      expect(r.bad.map((b) => b.line)).toEqual([2, 4, 6]);
      expect(r.bad[0].reason).toMatch(/invalid JSON/);
      expect(r.bad[1].reason).toMatch(/name/);
      expect(r.bad[2].reason).toMatch(/future/);

      const stored = await rows(site);
      expect(stored.map((e) => e.path)).toEqual(['/a', '/c', '/e', '/f']);
      expect(stored[0]).toMatchObject({ kind: 'pageview', event_key: importEventId(site, good1) });
      expect(new Date(stored[0].occurred_at).toISOString()).toBe('2025-11-15T10:00:00.000Z');
      expect(stored[1]).toMatchObject({ kind: 'custom', name: 'signup', props: { plan: 'pro' } });
      expect(stored[2].event_key).toBe('own-1');
      // The events landed in their months' partitions.
      const parts = await queryDb<{ part: string }>(t.dbUrl, 'SELECT DISTINCT tableoid::regclass::text AS part FROM events WHERE website_id = $1', [site]);
      expect(parts.length).toBeGreaterThanOrEqual(2);

      const cp = JSON.parse(readFileSync(checkpointPath(path), 'utf8')) as Checkpoint;
      expect(cp).toMatchObject({ websiteId: site, line: 8, imported: 4, badLines: 3, done: true });
    });

    it('stores nothing twice when run again', async () => {
      const r = await importer.run({ websiteId: site, file: path });
      expect(r).toMatchObject({ status: 'completed', imported: 0, duplicates: 4, badLines: 3 });
      expect(await rows(site)).toHaveLength(4);
    });
  });

  it('abort mode imports nothing when a line is bad', async () => {
    const site = await newSite();
    const path = file('abort.ndjson', [
      JSON.stringify({ url: 'https://example.com/1' }),
      JSON.stringify({ url: 'https://example.com/2' }),
      JSON.stringify({ url: 'https://example.com/3', screen_width: 'wide' }),
      JSON.stringify({ url: 'https://example.com/4' }),
    ]);
    const r = await importer.run({ websiteId: site, file: path, onError: 'abort', batchSize: 1 });
    expect(r).toMatchObject({ status: 'aborted', imported: 0, badLines: 1 });
    expect(r.bad).toEqual([{ line: 3, reason: expect.stringMatching(/screen_width/) }]);
    expect(await rows(site)).toHaveLength(0);

    writeFileSync(path, readFileSync(path, 'utf8').replace('"screen_width":"wide"', '"screen_width":1280'));
    expect(await importer.run({ websiteId: site, file: path, onError: 'abort' })).toMatchObject({ status: 'completed', imported: 4, badLines: 0 });
    expect(await rows(site)).toHaveLength(4);
  });

  it('imports a CSV file (header of native fields, props as a JSON column, quoted fields)', async () => {
    const site = await newSite();
    const path = file('events.csv', [
      'type,name,url,title,props,screen_width,screen_height,timestamp',
      'pageview,,https://example.com/x,"Hello, ""world""",,1920,1080,2026-02-01T00:00:00Z',
      'custom,purchase,https://example.com/y,,"{""amount"":49.5,""plan"":""pro""}",,,',
      'custom,,https://example.com/z,,,,,',
    ]);
    const r = await importer.run({ websiteId: site, file: path });
    expect(r).toMatchObject({ status: 'completed', format: 'csv', imported: 2, badLines: 1 });
    expect(r.bad).toEqual([{ line: 4, reason: expect.stringMatching(/name/) }]);
    const stored = await queryDb(t.dbUrl, 'SELECT path, kind, name, title, props, screen FROM events WHERE website_id = $1 ORDER BY path', [site]);
    expect(stored).toEqual([
      { path: '/x', kind: 'pageview', name: null, title: 'Hello, "world"', props: null, screen: '1920x1080' },
      { path: '/y', kind: 'custom', name: 'purchase', title: null, props: { amount: 49.5, plan: 'pro' }, screen: null },
    ]);
  });

  it('resumes after the line the checkpoint names, reading only the rest', async () => {
    const site = await newSite();
    const lines = [1, 2, 3, 4, 5].map((n) => JSON.stringify({ url: `https://example.com/r${n}` }));
    const path = file('resume.ndjson', lines);
    const offset = Buffer.byteLength(lines.slice(0, 3).join('\n') + '\n');
    await writeCheckpoint(checkpointPath(path), {
      version: 1, websiteId: site, format: 'ndjson', fileSize: offset + 100, line: 3, offset, columns: null,
      imported: 3, duplicates: 0, badLines: 0, done: false, updatedAt: new Date().toISOString(),
    });
    const r = await importer.run({ websiteId: site, file: path, resume: true });
    expect(r).toMatchObject({ status: 'completed', resumedAfterLine: 3, lines: 5, imported: 5, duplicates: 0 });
    // Lines 1 to 3 were never read: only the rest is stored.
    expect((await rows(site)).map((e) => e.path)).toEqual(['/r4', '/r5']);
    // Resuming a finished import does nothing.
    expect(await importer.run({ websiteId: site, file: path, resume: true })).toMatchObject({ status: 'completed', imported: 5 });
    expect(await rows(site)).toHaveLength(2);
  });

  it('refuses an unknown website', async () => {
    const path = file('unknown.ndjson', [JSON.stringify({ url: 'https://example.com/' })]);
    await expect(importer.run({ websiteId: 'no-such-site', file: path })).rejects.toBeInstanceOf(UnknownWebsiteError);
  });
});
