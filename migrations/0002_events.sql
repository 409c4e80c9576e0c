-- Events and sessions, range-partitioned by month. No raw IP column anywhere.

CREATE SEQUENCE events_id_seq AS bigint;

CREATE TABLE events (
  website_id       text NOT NULL,
  occurred_at      timestamptz NOT NULL,
  id               bigint NOT NULL DEFAULT nextval('events_id_seq'),
  received_at      timestamptz NOT NULL DEFAULT now(),
  kind             text NOT NULL CHECK (kind IN ('pageview', 'custom')),
  name             text,
  visitor_id       text NOT NULL,
  session_id       uuid NOT NULL,
  hostname         text,
  path             text,
  query            text,
  title            text,
  referrer         text,
  referrer_domain  text,
  utm_source       text,
  utm_medium       text,
  utm_campaign     text,
  utm_term         text,
  utm_content      text,
  props            jsonb,
  browser          text,
  browser_version  text,
  os               text,
  os_version       text,
  device_type      text,
  is_bot           boolean NOT NULL DEFAULT false,
  country          text,
  region           text,
  city             text,
  language         text,
  screen           text,
  screen_width     integer,
  screen_height    integer,
  user_id          text,
  event_key        text
) PARTITION BY RANGE (occurred_at);

CREATE INDEX events_site_time_idx ON events (website_id, occurred_at);
CREATE INDEX events_site_session_idx ON events (website_id, session_id);

-- One row per visit; ingestion keeps counters and the exit page up to date.
CREATE TABLE sessions (
  website_id       text NOT NULL,
  started_at       timestamptz NOT NULL,
  session_id       uuid NOT NULL,
  visitor_id       text NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  pageviews        integer NOT NULL DEFAULT 0,
  events           integer NOT NULL DEFAULT 0,
  entry_path       text,
  exit_path        text,
  -- When exit_path was seen, so a late-arriving older pageview does not replace it.
  last_pageview_at timestamptz,
  hostname         text,
  referrer_domain  text,
  utm_source       text,
  utm_medium       text,
  utm_campaign     text,
  country          text,
  browser          text,
  os               text,
  device_type      text,
  is_bot           boolean NOT NULL DEFAULT false,
  PRIMARY KEY (website_id, started_at, session_id)
) PARTITION BY RANGE (started_at);

-- The current visit of each visitor: the shared state that makes every API instance assign the
-- same session (30 minutes of inactivity end a visit).
CREATE TABLE visitor_sessions (
  website_id    text NOT NULL,
  visitor_id    text NOT NULL,
  session_id    uuid NOT NULL,
  started_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  PRIMARY KEY (website_id, visitor_id)
);

-- Idempotency keys (event_id / Idempotency-Key), kept 7 days.
CREATE TABLE event_keys (
  website_id   text NOT NULL,
  event_key    text NOT NULL,
  event_id     bigint NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (website_id, event_key)
);
CREATE INDEX event_keys_created_idx ON event_keys (created_at);

-- Daily secret salts for cookieless visitor ids; deleted after two days.
CREATE TABLE visitor_salts (
  day         date PRIMARY KEY,
  salt        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Creates the monthly partition of `parent` (events or sessions) holding `at`, if missing.
-- Imports with old timestamps call this on demand; start-up creates the coming months ahead.
CREATE FUNCTION footfall_ensure_partition(parent text, at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  month_start timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  part text := format('%s_p%s', parent, to_char(month_start AT TIME ZONE 'UTC', 'YYYYMM'));
BEGIN
  IF parent NOT IN ('events', 'sessions') THEN
    RAISE EXCEPTION 'not a partitioned table: %', parent;
  END IF;
  IF to_regclass(part) IS NULL THEN
    -- Serialise concurrent creators of the same partition.
    PERFORM pg_advisory_xact_lock(hashtext(part));
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        part, parent, month_start, month_start + interval '1 month');
    END IF;
  END IF;
  RETURN part;
END $$;

-- Partitions from last month to three months ahead.
SELECT footfall_ensure_partition(t, now() + make_interval(months => m))
FROM unnest(ARRAY['events', 'sessions']) AS t, generate_series(-1, 3) AS m;
