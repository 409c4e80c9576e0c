-- No query looks events up by session: visits are read from the sessions table, and events are
-- always scanned by website and time. The index only cost every insert its upkeep.
DROP INDEX IF EXISTS events_site_session_idx;
