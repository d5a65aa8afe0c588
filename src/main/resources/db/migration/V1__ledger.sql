-- The ledger: durable work queue, intake idempotency and custody record.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

-- One row per conversation handed to us (webhook, poll or backfill). The primary key is the intake idempotency:
-- the same conversation twice is one row.
CREATE TABLE conversation_work (
    conversation_id    VARCHAR(36)              NOT NULL PRIMARY KEY,
    legal_hold         BOOLEAN                  NOT NULL,
    legal_hold_source  VARCHAR(64),
    intake_source      VARCHAR(16)              NOT NULL,
    state              VARCHAR(16)              NOT NULL,
    attempts           INTEGER                  NOT NULL,
    next_attempt_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner        VARCHAR(128),
    lease_expires_at   TIMESTAMP WITH TIME ZONE,
    last_error         VARCHAR(2000),
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX conversation_work_due ON conversation_work (state, next_attempt_at);

-- One row per recording: its lane, its state (PENDING -> IN_PROGRESS -> STORED | DEFERRED | FAILED) and, once
-- stored, where and what was stored.
CREATE TABLE recording_item (
    recording_id        VARCHAR(36)              NOT NULL PRIMARY KEY,
    conversation_id     VARCHAR(36)              NOT NULL REFERENCES conversation_work (conversation_id),
    media               VARCHAR(16)              NOT NULL,
    lane                VARCHAR(32)              NOT NULL,
    legal_hold          BOOLEAN                  NOT NULL,
    legal_hold_source   VARCHAR(64),
    conversation_start  TIMESTAMP WITH TIME ZONE NOT NULL,
    metadata_json       TEXT                     NOT NULL,
    state               VARCHAR(16)              NOT NULL,
    attempts            INTEGER                  NOT NULL,
    next_attempt_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner         VARCHAR(128),
    lease_expires_at    TIMESTAMP WITH TIME ZONE,
    last_error          VARCHAR(2000),
    s3_key              VARCHAR(1024),
    s3_version_id       VARCHAR(1024),
    sha256              VARCHAR(64),
    size_bytes          BIGINT,
    server_checksum     VARCHAR(32),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    stored_at           TIMESTAMP WITH TIME ZONE
);
CREATE INDEX recording_item_due ON recording_item (lane, state, next_attempt_at);
CREATE INDEX recording_item_conversation ON recording_item (conversation_id);
