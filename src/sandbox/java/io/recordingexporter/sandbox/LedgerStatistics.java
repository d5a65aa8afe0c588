package io.recordingexporter.sandbox;

import io.recordingexporter.ledger.LedgerStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sandbox's figures from the exporter's ledger: progress counts and each lane's time, read only. */
public final class LedgerStatistics {

    private final LedgerStore store;

    public LedgerStatistics(LedgerStore store) {
        this.store = store;
    }

    /**
     * Seconds each lane took over the recordings it stored since {@code since}: from the first of them entering the
     * ledger to the last of them stored.
     */
    public Map<String, Double> laneSeconds(Instant since) {
        return store.inTransaction(connection -> {
            Map<String, Double> seconds = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT lane, MIN(created_at), MAX(stored_at) FROM recording_item WHERE state = 'STORED'"
                            + " AND stored_at >= ? GROUP BY lane")) {
                select.setObject(1, since.atOffset(ZoneOffset.UTC));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Instant first = rows.getObject(2, OffsetDateTime.class).toInstant();
                        Instant last = rows.getObject(3, OffsetDateTime.class).toInstant();
                        seconds.put(rows.getString(1), Math.round(java.time.Duration.between(first, last).toMillis() / 100.0) / 10.0);
                    }
                }
            }
            return seconds;
        });
    }

    /** Counts for progress and summaries: conversations by state, recordings and bytes by lane and state. */
    public LedgerCounts counts() {
        return store.inTransaction(connection -> {
            Map<String, Long> conversations = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT state, COUNT(*) FROM conversation_work GROUP BY state");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    conversations.put(rows.getString(1), rows.getLong(2));
                }
            }
            Map<String, Map<String, long[]>> lanes = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT lane, state, COUNT(*), COALESCE(SUM(size_bytes), 0) FROM recording_item GROUP BY lane, state");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    lanes.computeIfAbsent(rows.getString(1), lane -> new LinkedHashMap<>())
                            .put(rows.getString(2), new long[] {rows.getLong(3), rows.getLong(4)});
                }
            }
            long awaitingMedia;
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM conversation_work"
                    + " WHERE missing_media IS NOT NULL AND relist_at IS NOT NULL");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                awaitingMedia = rows.getLong(1);
            }
            return new LedgerCounts(conversations, lanes, awaitingMedia);
        });
    }
}
