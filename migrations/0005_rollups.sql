-- Daily rollups: per website and local calendar day, the totals and the values of every
-- event-level dimension, with distinct visitors as HyperLogLog sketches. A background job
-- recomputes a day from the raw events whenever events of that day were written, so rollups are
-- never edited in place and always agree with the raw table they were computed from.

-- Which 15-minute slots of which website received events since they were last rolled up.
-- Slots of 15 minutes align with every local midnight of every time zone. `shard` spreads
-- concurrent writers over several rows, so they never wait for each other's mark.
CREATE TABLE rollup_dirty (
  website_id  text NOT NULL,
  slot        timestamptz NOT NULL,
  shard       smallint NOT NULL,
  marked_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (website_id, slot, shard)
);

-- One row per rolled-up local day. The day is rolled up over [day_start, covered_until): a day
-- that has not ended yet is covered up to the last whole hour, the rest is read raw.
CREATE TABLE rollup_days (
  website_id        text NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
  day               date NOT NULL,
  timezone          text NOT NULL,
  day_start         timestamptz NOT NULL,
  day_end           timestamptz NOT NULL,
  covered_until     timestamptz NOT NULL,
  computed_at       timestamptz NOT NULL DEFAULT now(),
  pageviews         bigint NOT NULL,
  events            bigint NOT NULL,
  -- Visits that started in the covered part of the day (bots excluded).
  sessions          bigint NOT NULL,
  bounces           bigint NOT NULL,
  duration_seconds  double precision NOT NULL,
  visitors          bytea NOT NULL,
  -- Custom-event property keys with too many values that day to roll up (read raw instead).
  unrolled_prop_keys text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (website_id, day)
);

-- Per day, dimension and value: counts, visits (distinct within the day) and a visitors sketch.
-- Dimensions are the event-level ones (page, country, ...) and 'prop:<key>' for event properties.
CREATE TABLE rollup_values (
  website_id  text NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
  day         date NOT NULL,
  dimension   text NOT NULL,
  value       text,
  pageviews   bigint NOT NULL,
  events      bigint NOT NULL,
  sessions    bigint NOT NULL,
  visitors    bytea NOT NULL
);
CREATE INDEX rollup_values_lookup_idx ON rollup_values (website_id, dimension, day);

-- HyperLogLog with 2^12 registers. A visitor id hashes (hashtextextended, stable across
-- PostgreSQL versions) to a register (low 12 bits) and a rank: 1 + the leading zeros of the
-- 14 bits above bit 37, so 1..15. The result packs both as (register << 4) | rank.
CREATE FUNCTION footfall_hll_entry(visitor text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ((h & 4095)::integer << 4) | (15 - length(ltrim(((h >> 38) & 16383)::integer::bit(14)::text, '0')))
  FROM (SELECT hashtextextended(visitor, 0) AS h) x
$$;

-- A sketch from entries: per register the highest rank, as big-endian 16-bit words ordered by
-- register (at most 8 KB).
CREATE FUNCTION footfall_hll_pack(entries integer[]) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(decode(lpad(to_hex(e), 4, '0'), 'hex'), ''::bytea ORDER BY e), ''::bytea)
  FROM (SELECT max(e) AS e FROM unnest(entries) AS e GROUP BY e >> 4) x
$$;

-- Every hour already holding events must be rolled up once.
INSERT INTO rollup_dirty (website_id, slot, shard)
SELECT DISTINCT website_id, date_bin('15 minutes', occurred_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), 0 FROM events;

-- Marks the 15-minute slots holding these instants as changed. Writers call it last in their
-- transaction: the row lock it takes makes the rollup job, which consumes marks, wait for the
-- writer's commit, so a recomputation never misses events whose mark it consumed.
CREATE FUNCTION footfall_mark_rollups_dirty(sites text[], instants timestamptz[], mark_shard smallint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO rollup_dirty (website_id, slot, shard)
  SELECT DISTINCT w, date_bin('15 minutes', t, TIMESTAMPTZ '2000-01-01 00:00:00+00'), mark_shard
  FROM unnest(sites, instants) AS u(w, t) WHERE t IS NOT NULL ORDER BY 1, 2
  ON CONFLICT (website_id, slot, shard) DO UPDATE SET marked_at = now()
$$;
