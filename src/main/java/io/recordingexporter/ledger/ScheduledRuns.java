package io.recordingexporter.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * One replica per scheduled run: every replica's scheduler fires, the first to record the run here does the work, and
 * the others leave that run to it. A cron schedule runs once per fire time (Quartz's scheduled fire time is the same on
 * every replica with the same cron); an interval schedule at most once per interval. One conditional UPDATE decides,
 * so the database's row lock settles a race between replicas.
 */
public final class ScheduledRuns {

    /** An interval schedule's timers drift apart on replicas; a run this much early still counts as the next one. */
    private static final double INTERVAL_SLACK = 0.2;

    private final LedgerStore store;

    public ScheduledRuns(LedgerStore store) {
        this.store = store;
    }

    /** Whether this replica is the first to run the cron schedule {@code name} for this fire time. */
    public boolean firstAt(String name, Date scheduledFireTime) {
        Instant at = scheduledFireTime == null ? store.now() : scheduledFireTime.toInstant();
        return take(name, at, at.minusMillis(1));
    }

    /** Whether this replica runs the interval schedule {@code name} now: none has in the last interval. */
    public boolean firstWithin(String name, long intervalSeconds) {
        Instant now = store.now();
        long gapMillis = Math.round(Duration.ofSeconds(intervalSeconds).toMillis() * (1 - INTERVAL_SLACK));
        return take(name, now, now.minusMillis(gapMillis));
    }

    /** Records the run at {@code at} when the last one was at {@code notAfter} or earlier (or never). */
    private boolean take(String name, Instant at, Instant notAfter) {
        return store.inTransaction(connection -> {
            if (LedgerStore.execute(connection, "UPDATE scheduled_run SET last_run_at = ?, node_id = ? WHERE name = ?"
                    + " AND (last_run_at IS NULL OR last_run_at <= ?)", at, store.nodeId(), name, notAfter) == 1) {
                return true;
            }
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM scheduled_run WHERE name = ?")) {
                exists.setString(1, name);
                try (ResultSet row = exists.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("no scheduled_run row for " + name + ": add it by migration");
                    }
                }
            }
            return false;
        });
    }
}
