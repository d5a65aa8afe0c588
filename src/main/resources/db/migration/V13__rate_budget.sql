-- The Genesys rate budget that every replica spends from: a token bucket in one row (permits, when they were last
-- refilled, and a pause a 429 or Retry-After imposed on everybody), taken one permit at a time by a conditional UPDATE.
-- Times are epoch milliseconds of the replicas' clocks. Used when the ledger is shared (PostgreSQL); a service on its
-- own H2 ledger keeps its bucket in memory.
CREATE TABLE rate_budget (
    name               VARCHAR(64) PRIMARY KEY,
    permits            DOUBLE PRECISION NOT NULL,
    refilled_at_ms     BIGINT NOT NULL,
    paused_until_ms    BIGINT NOT NULL
);
INSERT INTO rate_budget (name, permits, refilled_at_ms, paused_until_ms) VALUES ('genesys', 0, 0, 0);
