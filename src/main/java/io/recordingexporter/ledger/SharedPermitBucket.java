package io.recordingexporter.ledger;

import io.recordingexporter.resilience.PermitBucket;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * A token bucket in one row of the ledger's database ({@code rate_budget}), which every replica on that database
 * spends from: a permit is taken by one conditional UPDATE that refills the row as of now and takes a permit only if
 * there are enough, so the database's row lock settles a race and the replicas together stay within one budget; a
 * pause one replica was told of (a 429, a {@code Retry-After}) is in the row, so it holds for all. Times are the
 * replicas' own clocks in epoch milliseconds; a refill never moves the row's time backwards, so a replica whose clock
 * is behind gets no extra permits.
 */
public final class SharedPermitBucket implements PermitBucket {

    private final LedgerStore store;
    private final String name;
    private final double permitsPerMilli;
    private final double burst;

    public SharedPermitBucket(LedgerStore store, String name, double permitsPerMilli, double burst) {
        this.store = store;
        this.name = name;
        this.permitsPerMilli = permitsPerMilli;
        this.burst = burst;
    }

    @Override
    public long tryTake(double needed, long nowMillis) {
        return store.inTransaction(connection -> {
            String refilled = "LEAST(?, permits + GREATEST(0, ? - refilled_at_ms) * ?)";
            int taken = LedgerStore.execute(connection, "UPDATE rate_budget SET permits = " + refilled + " - 1,"
                    + " refilled_at_ms = GREATEST(refilled_at_ms, ?) WHERE name = ? AND paused_until_ms <= ? AND "
                    + refilled + " >= ?", burst, nowMillis, permitsPerMilli, nowMillis, name, nowMillis, burst,
                    nowMillis, permitsPerMilli, needed);
            if (taken == 1) {
                return 0L;
            }
            Row row = read(connection);
            if (nowMillis < row.pausedUntilMillis()) {
                return row.pausedUntilMillis() - nowMillis;
            }
            return Math.max(1, (long) Math.ceil((needed - available(row, nowMillis)) / permitsPerMilli));
        });
    }

    @Override
    public void pauseUntil(long untilMillis) {
        store.inTransaction(connection -> LedgerStore.execute(connection, "UPDATE rate_budget SET"
                + " paused_until_ms = GREATEST(paused_until_ms, ?), permits = 0,"
                + " refilled_at_ms = GREATEST(refilled_at_ms, ?) WHERE name = ?", untilMillis, untilMillis, name));
    }

    @Override
    public double available(long nowMillis) {
        return store.inTransaction(connection -> {
            Row row = read(connection);
            return nowMillis < row.pausedUntilMillis() ? 0.0 : available(row, nowMillis);
        });
    }

    private record Row(double permits, long refilledAtMillis, long pausedUntilMillis) {}

    private double available(Row row, long nowMillis) {
        return Math.min(burst, row.permits() + Math.max(0, nowMillis - row.refilledAtMillis()) * permitsPerMilli);
    }

    private Row read(java.sql.Connection connection) throws java.sql.SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT permits, refilled_at_ms, paused_until_ms FROM rate_budget WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no rate_budget row for " + name + ": add it by migration");
                }
                return new Row(row.getDouble(1), row.getLong(2), row.getLong(3));
            }
        }
    }
}
