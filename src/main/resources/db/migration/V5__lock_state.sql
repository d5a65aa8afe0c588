-- What a re-read of a locked recording's metadata last showed (a SHA-256 fingerprint), so that a recording that
-- answered 409 is tried again only when its state changed. Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE recording_item ADD COLUMN lock_state VARCHAR(64);
