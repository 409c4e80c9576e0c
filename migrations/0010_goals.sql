-- Goals: per website, the custom events and the pages whose visits count as conversions. Every
-- key leads with website_id, so a website's goals stay together when tables are sharded by it.
CREATE TABLE goals (
  website_id    text NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
  id            text NOT NULL CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  goal_type     text NOT NULL CHECK (goal_type IN ('event', 'page')),
  event_name    text CHECK (length(event_name) BETWEEN 1 AND 120),
  -- A path with wildcards: ** matches anything, * anything within one path segment.
  page_path     text CHECK (length(page_path) BETWEEN 1 AND 2000 AND left(page_path, 1) = '/'),
  display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (website_id, id),
  -- An event goal names its event and no page, a page goal its path and no event.
  CONSTRAINT goals_fields_of_type CHECK (
    (goal_type = 'event' AND event_name IS NOT NULL AND page_path IS NULL)
    OR (goal_type = 'page' AND page_path IS NOT NULL AND event_name IS NULL)
  )
);
CREATE UNIQUE INDEX goals_display_name_key ON goals (website_id, display_name);
-- The path is indexed by its hash: 2,000 characters of UTF-8 can exceed a btree entry's 2,704 bytes.
CREATE UNIQUE INDEX goals_target_key ON goals (website_id, goal_type, coalesce(event_name, ''), md5(coalesce(page_path, '')));
