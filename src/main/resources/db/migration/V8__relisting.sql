-- Relisting: a conversation's recordings are listed again until it is settled (late screen recordings, uploads).
-- conversation_end: from analytics; relist_at: the next listing (NULL = settled, or never listed); relists: listings
-- after the first; missing_media: media its sessions show but no listed recording has; missing_wait_seconds: the
-- doubling wait chosen for them. Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE conversation_work ADD COLUMN conversation_end TIMESTAMP WITH TIME ZONE;
ALTER TABLE conversation_work ADD COLUMN relist_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE conversation_work ADD COLUMN relists INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE conversation_work ADD COLUMN missing_media VARCHAR(255);
ALTER TABLE conversation_work ADD COLUMN missing_wait_seconds BIGINT;
CREATE INDEX conversation_work_relist ON conversation_work (relist_at);
