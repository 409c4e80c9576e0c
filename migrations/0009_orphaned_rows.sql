-- Rows left for websites that no longer exist: events accepted for a website while it was being
-- deleted were stored after its data was removed (writes now lock the website row against that).
-- Every table here leads its key with website_id, so the websites present are found by a loose
-- index scan (one probe per website), not by reading every row.
DO $$
DECLARE
  t text;
  orphan text;
BEGIN
  FOREACH t IN ARRAY ARRAY['events', 'sessions', 'visitor_sessions', 'event_keys', 'rollup_dirty'] LOOP
    FOR orphan IN EXECUTE format($q$
      WITH RECURSIVE present(id) AS (
        (SELECT website_id FROM %1$I ORDER BY website_id LIMIT 1)
        UNION ALL
        SELECT (SELECT website_id FROM %1$I WHERE website_id > present.id ORDER BY website_id LIMIT 1) FROM present WHERE present.id IS NOT NULL
      )
      SELECT id FROM present WHERE id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM websites w WHERE w.id = present.id)$q$, t)
    LOOP
      EXECUTE format('DELETE FROM %I WHERE website_id = $1', t) USING orphan;
    END LOOP;
  END LOOP;
END $$;
