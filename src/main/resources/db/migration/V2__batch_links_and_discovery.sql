-- Batch download links kept with each recording (a link is reused until shortly before it expires), and the
-- discovery watermark of the reconcile poll. Portable SQL: H2 2.x and PostgreSQL 12+.

ALTER TABLE recording_item ADD COLUMN content_type VARCHAR(255);
ALTER TABLE recording_item ADD COLUMN media_url VARCHAR(4000);
ALTER TABLE recording_item ADD COLUMN media_url_expires_at TIMESTAMP WITH TIME ZONE;
-- why a batch could not serve the recording ("transcoding", or the batch's own error text)
ALTER TABLE recording_item ADD COLUMN media_unavailable VARCHAR(2000);

-- several sources may decide a hold together: "webhook,deletion-protection,attribute:legalHold"
ALTER TABLE conversation_work ALTER COLUMN legal_hold_source SET DATA TYPE VARCHAR(255);
ALTER TABLE recording_item ALTER COLUMN legal_hold_source SET DATA TYPE VARCHAR(255);

-- How far a discovery (the reconcile poll) has fully recorded its windows. Advanced only after every conversation of
-- a window is in conversation_work.
CREATE TABLE discovery_watermark (
    name           VARCHAR(64)              NOT NULL PRIMARY KEY,
    covered_until  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
