-- When the stored objects of a legal-hold recording got their S3 Object Lock legal hold (on the PUT, or later when
-- the conversation came under hold after export). NULL on a legal-hold recording = still to be held.
-- Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE recording_item ADD COLUMN object_hold_at TIMESTAMP WITH TIME ZONE;
