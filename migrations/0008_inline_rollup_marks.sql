-- Rollup change marks are written by the statements that change events themselves
-- (src/rollups/rollup-marks.ts): as a function called from the writer's statement, marking cost
-- about 0.3 ms of Postgres CPU per write transaction.
DROP FUNCTION footfall_mark_rollups_dirty(text[], timestamptz[], smallint);
