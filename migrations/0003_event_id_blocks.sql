-- Writers reserve event ids a thousand at a time (one nextval per block instead of per event).
ALTER SEQUENCE events_id_seq INCREMENT BY 1000;
ALTER TABLE events ALTER COLUMN id DROP DEFAULT;
