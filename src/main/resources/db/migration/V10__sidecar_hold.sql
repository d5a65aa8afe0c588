-- What the sidecar in S3 says about the legal hold, and its version: a hold that comes after the export gets a new
-- sidecar version naming it (NULL on rows stored before this column: the sidecar is read to find out).
-- Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE recording_item ADD COLUMN sidecar_legal_hold BOOLEAN;
ALTER TABLE recording_item ADD COLUMN sidecar_version_id VARCHAR(1024);
