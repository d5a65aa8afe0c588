-- Backfill exports (POST /exports): a date range discovered chunk by chunk; the cursor moves only after a chunk's
-- conversations are recorded, in the same transaction, so a restart resumes where the last chunk ended.
CREATE TABLE backfill_export (
    export_id           VARCHAR(36)              NOT NULL PRIMARY KEY,
    range_from          TIMESTAMP WITH TIME ZONE NOT NULL,
    range_to            TIMESTAMP WITH TIME ZONE NOT NULL,
    media_filter        VARCHAR(255),
    chunk_seconds       BIGINT                   NOT NULL,
    covered_until       TIMESTAMP WITH TIME ZONE NOT NULL,
    conversations_found INTEGER                  NOT NULL,
    conversations_new   INTEGER                  NOT NULL,
    state               VARCHAR(16)              NOT NULL,
    attempts            INTEGER                  NOT NULL,
    next_attempt_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner         VARCHAR(128),
    lease_expires_at    TIMESTAMP WITH TIME ZONE,
    last_error          VARCHAR(2000),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at        TIMESTAMP WITH TIME ZONE
);
CREATE INDEX backfill_export_due ON backfill_export (state, next_attempt_at);

-- Which backfill first brought a conversation, and which media it asked for (null = all).
ALTER TABLE conversation_work ADD COLUMN export_id VARCHAR(36);
ALTER TABLE conversation_work ADD COLUMN media_filter VARCHAR(255);
CREATE INDEX conversation_work_export ON conversation_work (export_id);
