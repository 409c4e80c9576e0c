/** Rollup change marks: 15-minute slots (aligned with every zone's midnight), spread over shards. */
export const ROLLUP_SLOT_MS = 15 * 60_000;
/** Concurrent writers of one website mark different rows (a random shard each), so never wait for each other. */
export const ROLLUP_MARK_SHARDS = 8;

/**
 * An INSERT marking the 15-minute slots of (website, instant) pairs as changed, for the rollup job
 * (migration 0005). `source` is a FROM item with the columns w (website id) and t (instant);
 * `shard` an SQL expression. The row locks it takes last until the writer's commit, so the rollup
 * job, which consumes marks, waits for it and never misses events whose mark it consumed. Slots in
 * one order, so concurrent writers of the same slots cannot deadlock.
 *
 * Statements run it themselves (the writer as a CTE of its one statement) rather than through a
 * SQL function: called from the writer's statement, the function cost about 0.3 ms of Postgres
 * CPU per write transaction, as much as writing ten new visitors' events. (That function, from
 * migration 0005, is no longer called; it stays so that instances of earlier versions keep writing
 * during a rolling upgrade.)
 */
export const markRollupsDirty = (source: string, shard: string) => `INSERT INTO rollup_dirty (website_id, slot, shard)
    SELECT DISTINCT w, date_bin('${ROLLUP_SLOT_MS / 60_000} minutes', t, TIMESTAMPTZ '2000-01-01 00:00:00+00'), ${shard}
    FROM ${source} WHERE t IS NOT NULL ORDER BY 1, 2
    ON CONFLICT (website_id, slot, shard) DO UPDATE SET marked_at = now()`;
