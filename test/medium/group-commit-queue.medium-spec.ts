import { Commit, GroupCommitOptions, GroupCommitQueue } from '../../src/collect/writer/group-commit-queue';
import { queryDb } from '../support/events-db';
import { MediumDb, openMediumDb } from '../support/medium-db';

/** GroupCommitQueue committing items into a table of real Postgres, one transaction per commit. */
describe('GroupCommitQueue', () => {
  let m: MediumDb;
  /** The items of each commit, in order, and the most commits seen in flight at once. */
  let commits: string[][];
  let maxInflight: number;

  beforeAll(async () => {
    m = await openMediumDb();
    await m.db.query('CREATE TABLE queue_items (item text NOT NULL, tx bigint NOT NULL)');
  });
  afterAll(() => m.close());
  beforeEach(() => {
    commits = [];
    maxInflight = 0;
  });

  /** Stores every item of the batch in one transaction; 'bad' items are refused (their request only), 'boom' fails the commit. */
  const commitToPostgres = (): Commit<string, string> => {
    let inflight = 0;
    return async (requests) => {
      commits.push(requests.flat());
      maxInflight = Math.max(maxInflight, ++inflight);
      try {
        const tx = await m.db.transaction(async (em) => {
          const [{ tx }] = await em.query('SELECT txid_current()::text AS tx, pg_sleep(0.02)');
          await em.query('INSERT INTO queue_items (item, tx) SELECT unnest($1::text[]), $2', [requests.flat(), tx]);
          if (requests.flat().includes('boom')) throw new Error('commit failed');
          return tx as string;
        });
        return requests.map((r) => (r.includes('bad') ? { ok: false as const, error: new Error('bad item') } : { ok: true as const, value: tx }));
      } finally {
        inflight--;
      }
    };
  };
  const queue = (options: Partial<GroupCommitOptions> = {}) =>
    new GroupCommitQueue<string, string>({ maxBatch: 100, flushIntervalMs: 5, maxQueue: 1000, concurrency: 4, ...options }, commitToPostgres(), () => new Error('queue full'));
  /** The items committed to the table, as another connection sees them. */
  const committed = async (items: string[]) =>
    (await queryDb<{ item: string }>(m.url, 'SELECT item FROM queue_items WHERE item = ANY($1)', [items])).map((r) => r.item).sort();

  it('commits requests that arrive together in one transaction, answering each once it has committed', async () => {
    const q = queue();
    const requests = [['a1', 'a2'], ['b1'], ['c1', 'c2', 'c3']];
    const seen = await Promise.all(requests.map(async (items) => ({ tx: await q.push(items), rows: await committed(items) })));
    expect(new Set(seen.map((s) => s.tx)).size).toBe(1);
    seen.forEach((s, i) => expect(s.rows).toEqual([...requests[i]].sort()));
    expect(commits).toHaveLength(1);
    expect(q.stats).toMatchObject({ queued: 0, batches: 1, items: 6, lastBatchSize: 6, shed: 0 });
  });

  it('puts at most maxBatch items in a commit, and a larger request in one of its own', async () => {
    const q = queue({ maxBatch: 4, concurrency: 1 });
    await Promise.all([['m1', 'm2', 'm3'], ['m4', 'm5'], ['m6', 'm7', 'm8', 'm9', 'm10', 'm11'], ['m12']].map((r) => q.push(r)));
    expect(commits.map((c) => c.length)).toEqual([3, 2, 6, 1]);
  });

  it('runs at most `concurrency` commits at once', async () => {
    const q = queue({ maxBatch: 1, concurrency: 2 });
    const txs = await Promise.all(Array.from({ length: 6 }, (_, i) => q.push([`p${i}`])));
    expect(new Set(txs).size).toBe(6);
    expect(maxInflight).toBe(2);
  });

  it('refuses a request at once beyond maxQueue waiting items', async () => {
    const q = queue({ maxQueue: 5, flushIntervalMs: 30 });
    const first = q.push(['s1', 's2', 's3']);
    await expect(q.push(['s4', 's5', 's6'])).rejects.toThrow('queue full');
    expect(q.stats.shed).toBe(1);
    await first;
    expect(await committed(['s1', 's4'])).toEqual(['s1']);
    // Room again once the queue has drained.
    await q.push(['s4', 's5', 's6']);
  });

  it('fails only the request its commit refused, and every request of a commit that failed', async () => {
    const q = queue();
    const [good, bad] = await Promise.allSettled([q.push(['f-good']), q.push(['bad', 'f-bad'])]);
    expect(good).toMatchObject({ status: 'fulfilled' });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('bad item') });
    const failed = await Promise.allSettled([q.push(['g1']), q.push(['boom'])]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await committed(['g1', 'boom'])).toEqual([]);
    expect(q.stats.batches).toBe(1);
  });

  it('drains: resolves once everything queued has committed', async () => {
    const q = queue({ flushIntervalMs: 20, maxBatch: 3, concurrency: 1 });
    const items = Array.from({ length: 10 }, (_, i) => `d${i}`);
    const pushed = items.map((item) => q.push([item]));
    await q.drain();
    expect(await committed(items)).toEqual([...items].sort());
    expect(q.stats.queued).toBe(0);
    await Promise.all(pushed);
    await q.drain();
  });
});
