package io.recordingexporter.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * What the whole ledger holds right now, for operators: recordings by lane and state, the oldest recording still
 * waiting in each lane and those waiting out a Genesys lock, conversations by state and the oldest not yet expanded, undelivered incidents, and stored
 * legal-hold recordings whose object or sidecar does not carry the hold yet. Every replica reads the same ledger, so
 * every replica reports the same numbers (dashboards take the max, not the sum). One read transaction of grouped counts.
 */
public final class OperationsSnapshot {

    /**
     * @param oldestWaitingByLane when the oldest PENDING, IN_PROGRESS or DEFERRED recording of each lane was taken in,
     *     not counting those deferred behind a Genesys metadata lock (409), which lasts up to a day by design, nor
     *     archived ones waiting for their restore, which takes hours
     * @param lockedByLane recordings of each lane DEFERRED behind such a lock
     * @param archivedByLane recordings of each lane DEFERRED while archived (restoring, or waiting for the allowance)
     * @param restoreAllowanceExhaustedSince since when the restoration allowance left to the exporter is used up
     */
    public record Counts(Map<String, Map<String, Long>> recordingsByLaneAndState,
            Map<String, Instant> oldestWaitingByLane, Map<String, Long> lockedByLane,
            Map<String, Long> archivedByLane, Map<String, Long> conversationsByState,
            Instant oldestConversationWaiting, long incidentsUndelivered, long heldObjectsWithoutHold,
            long heldSidecarsWithoutHold, Instant restoreAllowanceExhaustedSince) {}

    private final LedgerStore store;

    public OperationsSnapshot(LedgerStore store) {
        this.store = store;
    }

    public Counts read() {
        return store.inTransaction(connection -> {
            Map<String, Map<String, Long>> byLane = new HashMap<>();
            Map<String, Instant> oldest = new HashMap<>();
            Map<String, Long> locked = new HashMap<>();
            Map<String, Long> archived = new HashMap<>();
            // grouped by why a DEFERRED recording waits: a lock (failure class conflict, 1), an archive (2), other (0)
            String waitKind = " CASE WHEN state = 'DEFERRED' AND failure_class = 'conflict' THEN 1"
                    + " WHEN state = 'DEFERRED' AND failure_class = 'archived' THEN 2 ELSE 0 END";
            try (PreparedStatement select = connection.prepareStatement("SELECT lane, state," + waitKind
                    + ", COUNT(*), MIN(created_at) FROM recording_item GROUP BY lane, state," + waitKind);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String lane = rows.getString(1);
                    String state = rows.getString(2);
                    int waitingFor = rows.getInt(3);
                    long count = rows.getLong(4);
                    byLane.computeIfAbsent(lane, l -> new HashMap<>()).merge(state, count, Long::sum);
                    if (waitingFor == 1) {
                        locked.merge(lane, count, Long::sum);
                    } else if (waitingFor == 2) {
                        archived.merge(lane, count, Long::sum);
                    } else if (waiting(state)) {
                        Instant since = rows.getObject(5, OffsetDateTime.class).toInstant();
                        oldest.merge(lane, since, (a, b) -> a.isBefore(b) ? a : b);
                    }
                }
            }
            Map<String, Long> conversations = new HashMap<>();
            Instant oldestConversation = null;
            try (PreparedStatement select = connection.prepareStatement("SELECT state, COUNT(*), MIN(received_at)"
                    + " FROM conversation_work GROUP BY state");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String state = rows.getString(1);
                    conversations.put(state, rows.getLong(2));
                    if (waiting(state)) {
                        Instant since = rows.getObject(3, OffsetDateTime.class).toInstant();
                        oldestConversation = oldestConversation == null || since.isBefore(oldestConversation)
                                ? since : oldestConversation;
                    }
                }
            }
            Instant exhaustedSince = null;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT exhausted_since FROM restore_allowance WHERE id = 1");
                    ResultSet row = select.executeQuery()) {
                OffsetDateTime since = row.next() ? row.getObject(1, OffsetDateTime.class) : null;
                exhaustedSince = since == null ? null : since.toInstant();
            }
            return new Counts(byLane, oldest, locked, archived, conversations, oldestConversation,
                    count(connection, "SELECT COUNT(*) FROM incident_outbox WHERE state <> 'DELIVERED'"),
                    count(connection, "SELECT COUNT(*) FROM recording_item WHERE state = 'STORED'"
                            + " AND legal_hold = TRUE AND object_hold_at IS NULL"),
                    count(connection, "SELECT COUNT(*) FROM recording_item WHERE state = 'STORED'"
                            + " AND legal_hold = TRUE AND (sidecar_legal_hold IS NULL OR sidecar_legal_hold = FALSE)"),
                    exhaustedSince);
        });
    }

    private static boolean waiting(String state) {
        return state.equals(ItemState.PENDING.name()) || state.equals(ItemState.IN_PROGRESS.name())
                || state.equals(ItemState.DEFERRED.name());
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }
}
