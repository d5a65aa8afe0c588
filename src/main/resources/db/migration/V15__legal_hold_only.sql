-- A backfill may ask for the conversations under legal hold alone (POST /exports {"legalHoldOnly": true}).
ALTER TABLE backfill_export ADD COLUMN legal_hold_only BOOLEAN DEFAULT FALSE NOT NULL;
-- A conversation taken in by such a backfill only: exported if its hold is decided held, else skipped.
ALTER TABLE conversation_work ADD COLUMN hold_only BOOLEAN DEFAULT FALSE NOT NULL;
-- Listed, found not under legal hold, and so not exported (no recording queued); a later intake that asks for it
-- without the restriction lists it again.
ALTER TABLE conversation_work ADD COLUMN skipped_not_held BOOLEAN DEFAULT FALSE NOT NULL;
