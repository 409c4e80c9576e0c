-- Shields: per website, the traffic its owner does not want counted (excluded addresses and
-- ranges, countries and page paths, and an optional allow-list of hostnames). One row per
-- website, read whole by ingestion and replaced whole by the API; the key is website_id, so a
-- website's shields stay with it when tables are sharded by it. The entries are stored as the
-- API normalised them (addresses entered by the owner are settings, never a visitor's).
CREATE TABLE website_shields (
  website_id        text PRIMARY KEY REFERENCES websites (id) ON DELETE CASCADE,
  ip_addresses      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(ip_addresses) <= 1000),
  countries         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(countries) <= 1000),
  paths             text[] NOT NULL DEFAULT '{}' CHECK (cardinality(paths) <= 1000),
  allowed_hostnames text[] NOT NULL DEFAULT '{}' CHECK (cardinality(allowed_hostnames) <= 1000),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
