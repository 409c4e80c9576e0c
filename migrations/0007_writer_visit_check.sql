-- The writer stores most batches in one statement without locking visitor rows first: it writes
-- each visitor's new visit state only where the row is still as it last left it (or absent, for a
-- visitor it has not seen). This check makes the statement fail, storing nothing, when any row
-- was not; the writer then takes the locked path for that batch.
CREATE FUNCTION footfall_expect_visits(written bigint, expected integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF written <> expected THEN
    RAISE EXCEPTION 'visitor state changed since it was read (% of % rows as expected)', written, expected
      USING ERRCODE = 'FF001';
  END IF;
END
$$;
