-- Each replica's audit chain copied off its disk, for when replicas share a PostgreSQL ledger: a replica's entries are
-- in audit_copy before the ledger relies on them (a STORED entry before the recording is marked STORED), so a replica
-- killed with its volume loses none of them. audit_chain is one row per replica's chain: how far the copy goes, when
-- the replica last wrote (its heartbeat), and its last digest in S3, so that a surviving replica can anchor the chain
-- of one that died (a digest in the dead replica's folder, chained to its last one) and a restarted replica continues
-- its digest chain from there. A replica on its own H2 ledger keeps neither.
CREATE TABLE audit_chain (
    node_id              VARCHAR(200) PRIMARY KEY,
    last_seq             BIGINT NOT NULL,
    last_hash            VARCHAR(64) NOT NULL,
    seen_at_ms           BIGINT NOT NULL,
    anchored_seq         BIGINT NOT NULL DEFAULT 0,
    last_digest_key      VARCHAR(1024),
    last_digest_sha256   VARCHAR(64),
    anchoring_until_ms   BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE audit_copy (
    node_id     VARCHAR(200) NOT NULL,
    seq         BIGINT NOT NULL,
    entry_hash  VARCHAR(64) NOT NULL,
    line        VARCHAR(1000000) NOT NULL,
    PRIMARY KEY (node_id, seq)
);
