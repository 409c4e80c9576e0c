-- Concurrent creators of one monthly partition (back-dated events on several connections) must
-- all succeed. The advisory lock alone did not do it: after waiting for it, to_regclass could
-- still read a catalog cache from before the other creator's commit, and CREATE TABLE then failed
-- with "already exists". IF NOT EXISTS checks under a catalog lock, which refreshes that cache;
-- the handler covers what is left (the type or relation name taken in the meantime).
CREATE OR REPLACE FUNCTION footfall_ensure_partition(parent text, at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  month_start timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  part text := format('%s_p%s', parent, to_char(month_start AT TIME ZONE 'UTC', 'YYYYMM'));
BEGIN
  IF parent NOT IN ('events', 'sessions') THEN
    RAISE EXCEPTION 'not a partitioned table: %', parent;
  END IF;
  IF to_regclass(part) IS NOT NULL THEN
    RETURN part;
  END IF;
  -- Serialise concurrent creators of the same partition.
  PERFORM pg_advisory_xact_lock(hashtext(part));
  BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
      part, parent, month_start, month_start + interval '1 month');
  EXCEPTION WHEN duplicate_table OR unique_violation THEN
    NULL; -- created by another transaction meanwhile
  END;
  RETURN part;
END $$;
