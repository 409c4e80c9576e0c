-- Per-website retention: events and visits older than this many days are deleted (NULL: kept forever).
ALTER TABLE websites ADD COLUMN retention_days integer CHECK (retention_days BETWEEN 1 AND 36500);
