-- Failure classes and deadlines of retried items, and the ServiceNow incident outbox. Portable: H2 2.x, PostgreSQL.

ALTER TABLE recording_item ADD COLUMN failure_class VARCHAR(32);
-- the first failure of the current run of failures: the lane's deadline counts from it
ALTER TABLE recording_item ADD COLUMN first_failed_at TIMESTAMP WITH TIME ZONE;

-- One row per recording that ended FAILED, written in the same transaction. Delivered grouped by correlation id
-- (recording-exporter:{lane}:{failureClass}); kept until ServiceNow has it, so nothing is dropped while it is down.
CREATE TABLE incident_outbox (
    outbox_id          VARCHAR(36)              NOT NULL PRIMARY KEY,
    correlation_id     VARCHAR(255)             NOT NULL,
    lane               VARCHAR(32)              NOT NULL,
    failure_class      VARCHAR(32)              NOT NULL,
    recording_id       VARCHAR(36)              NOT NULL,
    conversation_id    VARCHAR(36)              NOT NULL,
    error              VARCHAR(2000),
    state              VARCHAR(16)              NOT NULL,
    attempts           INTEGER                  NOT NULL,
    next_attempt_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner        VARCHAR(128),
    lease_expires_at   TIMESTAMP WITH TIME ZONE,
    last_error         VARCHAR(2000),
    incident_number    VARCHAR(64),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX incident_outbox_due ON incident_outbox (state, next_attempt_at);
CREATE INDEX incident_outbox_correlation ON incident_outbox (correlation_id, state);
