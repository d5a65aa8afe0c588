-- One replica per scheduled run. Every replica's scheduler fires; the first to move a schedule's last run here does
-- the work and the others leave that run to it: the reconcile poll once per Quartz fire time (the same on every
-- replica with the same cron), the legal-hold re-check once per interval. A conditional UPDATE of a row that always
-- exists decides, so the database's row lock settles a race, on H2 and PostgreSQL alike.
CREATE TABLE scheduled_run (
    name         VARCHAR(64) PRIMARY KEY,
    last_run_at  TIMESTAMP WITH TIME ZONE,
    node_id      VARCHAR(200)
);
INSERT INTO scheduled_run (name) VALUES ('reconcile-poll');
INSERT INTO scheduled_run (name) VALUES ('recheck-legal-holds');
