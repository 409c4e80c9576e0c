import { MediumDb, openMediumDb } from '../support/medium-db';

/** footfall_hll_entry as migration 0015 rewrote it: the same entries as before, computed inline. */
describe('footfall_hll_entry', () => {
  let m: MediumDb;

  beforeAll(async () => {
    m = await openMediumDb();
    // The definition of migration 0005, which stored sketches were built with.
    await m.db.query(`CREATE FUNCTION hll_entry_0005(visitor text) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT ((h & 4095)::integer << 4) | (15 - length(ltrim(((h >> 38) & 16383)::integer::bit(14)::text, '0')))
        FROM (SELECT hashtextextended(visitor, 0) AS h) x
      $$`);
  });
  afterAll(() => m.close());

  it('gives every visitor id the entry it had, so stored sketches stay valid', async () => {
    const [r] = await m.db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE footfall_hll_entry(v) IS DISTINCT FROM hll_entry_0005(v))::int AS differ
      FROM (SELECT md5(g::text) || repeat('é', g % 3) AS v FROM generate_series(1, 200000) g UNION ALL VALUES (''), ('visitor-1'), (NULL)) x(v)`);
    expect(r).toEqual({ n: 200003, differ: 0 });
  });

  it('is inlined into the statement rather than called per row', async () => {
    const plan = await m.db.query("EXPLAIN (VERBOSE, COSTS OFF) SELECT footfall_hll_entry(v) FROM (VALUES ('a'), ('b')) x(v)");
    const text = plan.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('hashtextextended');
    expect(text).not.toContain('footfall_hll_entry');
  });
});
