-- Rescues of Genesys bulk export jobs (POST /rescues): the job's failed recordings are taken in through the normal
-- intake, their conversations listed for those recordings alone.
-- "bulk-job:{jobId}" names the source of a rescued conversation.
ALTER TABLE conversation_work ALTER COLUMN intake_source SET DATA TYPE VARCHAR(64);
-- Comma-separated recording ids a conversation is listed for (null: all of them); a later intake without it widens it.
ALTER TABLE conversation_work ADD COLUMN recording_filter VARCHAR(4000);
CREATE TABLE bulk_rescue (
    job_id      VARCHAR(36)              NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Each failed recording a rescue found, once per job however often the job is rescued.
CREATE TABLE bulk_rescue_recording (
    job_id           VARCHAR(36) NOT NULL,
    recording_id     VARCHAR(36) NOT NULL,
    conversation_id  VARCHAR(36) NOT NULL,
    PRIMARY KEY (job_id, recording_id)
);
