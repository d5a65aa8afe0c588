-- Fenced leases: every claim gets a token of its own; completions and deferrals update a row only while it still
-- carries the claimer's token (and lease owner), so a worker whose lease ran out and was taken over changes nothing.
-- Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE conversation_work ADD COLUMN claim_token VARCHAR(36);
ALTER TABLE recording_item ADD COLUMN claim_token VARCHAR(36);
ALTER TABLE backfill_export ADD COLUMN claim_token VARCHAR(36);
ALTER TABLE incident_outbox ADD COLUMN claim_token VARCHAR(36);
