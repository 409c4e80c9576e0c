-- A visit is identified by the user id of its events: the visit row keeps the latest one, and the
-- visitor's current visit remembers it, so its later events sent without one carry it too.
-- Nullable without a default, the columns change only the catalog.
ALTER TABLE visitor_sessions ADD COLUMN IF NOT EXISTS user_id text;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS user_id text;
