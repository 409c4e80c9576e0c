-- Every attribute a visit takes from its first event, so visit-level dimensions and filters are
-- answered from sessions alone. Nullable without a default, the columns change only the catalog;
-- added to the partitioned parent, they reach every partition. IF NOT EXISTS: the file can run
-- again on a migrated database, which is how its backfill is tested.
ALTER TABLE sessions
  ADD COLUMN IF NOT EXISTS referrer        text,
  ADD COLUMN IF NOT EXISTS utm_term        text,
  ADD COLUMN IF NOT EXISTS utm_content     text,
  ADD COLUMN IF NOT EXISTS region          text,
  ADD COLUMN IF NOT EXISTS city            text,
  ADD COLUMN IF NOT EXISTS browser_version text,
  ADD COLUMN IF NOT EXISTS os_version      text,
  ADD COLUMN IF NOT EXISTS language        text,
  ADD COLUMN IF NOT EXISTS screen          text;

-- Visits stored before: the values of their first event (by time, then id). One sort of events
-- picks every visit's first event, joined to the visits in one pass, not a lookup per visit.
-- Events do not hold their visit's start, so the join is on (website_id, session_id): a visit's
-- session_id is a random uuid. Rows holding any of the columns already are left as they are, and
-- a visit whose first event has none of them is not rewritten for nothing.
UPDATE sessions s SET
  referrer = f.referrer,
  utm_term = f.utm_term,
  utm_content = f.utm_content,
  region = f.region,
  city = f.city,
  browser_version = f.browser_version,
  os_version = f.os_version,
  language = f.language,
  screen = f.screen
FROM (
  SELECT DISTINCT ON (website_id, session_id)
    website_id, session_id, referrer, utm_term, utm_content, region, city, browser_version, os_version, language, screen
  FROM events
  ORDER BY website_id, session_id, occurred_at, id
) f
WHERE s.website_id = f.website_id AND s.session_id = f.session_id
  AND num_nonnulls(s.referrer, s.utm_term, s.utm_content, s.region, s.city, s.browser_version, s.os_version, s.language, s.screen) = 0
  AND num_nonnulls(f.referrer, f.utm_term, f.utm_content, f.region, f.city, f.browser_version, f.os_version, f.language, f.screen) > 0;
