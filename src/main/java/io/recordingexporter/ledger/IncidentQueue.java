package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.truncate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The incident outbox: failed recordings waiting to be told to ServiceNow, grouped by correlation id; never dropped. */
public final class IncidentQueue {

    private final LedgerStore store;

    public IncidentQueue(LedgerStore store) {
        this.store = store;
    }

    /** One failed recording waiting to be told to ServiceNow. */
    public record OutboxItem(String outboxId, String recordingId, String conversationId, String error, int attempt,
            String claimToken) {}

    /** The outbox rows of one correlation id claimed together: one incident, or one work note on the open one. */
    public record IncidentBatch(String correlationId, String lane, String failureClass, List<OutboxItem> items) {

        public List<String> outboxIds() {
            return items.stream().map(OutboxItem::outboxId).toList();
        }

        public int attempt() {
            return items.stream().mapToInt(OutboxItem::attempt).max().orElse(1);
        }
    }

    /** Claims the due outbox rows (at most {@code limit}), grouped by correlation id, under this node's lease. */
    public List<IncidentBatch> claimIncidentBatches(int limit) {
        List<Object[]> rows = store.inTransaction(connection -> store.claimDue(connection, "incident_outbox", "outbox_id",
                "outbox_id, correlation_id, lane, failure_class, recording_id, conversation_id, error, attempts", null,
                "created_at", limit, (row, token) -> new Object[] {row.getString(1), row.getString(2),
                        row.getString(3), row.getString(4), new OutboxItem(row.getString(1), row.getString(5),
                                row.getString(6), row.getString(7), row.getInt(8) + 1, token)}));
        Map<String, IncidentBatch> batches = new LinkedHashMap<>();
        for (Object[] row : rows) {
            batches.computeIfAbsent((String) row[1], correlation -> new IncidentBatch(correlation, (String) row[2],
                    (String) row[3], new ArrayList<>())).items().add((OutboxItem) row[4]);
        }
        return new ArrayList<>(batches.values());
    }

    /** ServiceNow has the batch (a new incident or a work note on {@code incidentNumber}). */
    public void markIncidentsDelivered(IncidentBatch batch, String incidentNumber) {
        updateOutbox(batch, "DELIVERED", incidentNumber, null, store.now());
    }

    /** ServiceNow could not be told: the batch waits until {@code nextAttempt}; it is never dropped. */
    public void rescheduleIncidents(IncidentBatch batch, String error, Instant nextAttempt) {
        updateOutbox(batch, ItemState.PENDING.name(), null, error, nextAttempt);
    }

    private void updateOutbox(IncidentBatch batch, String state, String incidentNumber, String error, Instant next) {
        store.inTransaction(connection -> {
            Instant now = store.now();
            for (OutboxItem item : batch.items()) {
                store.fenced(connection, "incident_outbox", "outbox_id", item.outboxId(), item.claimToken(),
                        "state = ?, incident_number = COALESCE(?, incident_number), last_error = ?, next_attempt_at = ?,"
                                + " delivered_at = ?",
                        state, incidentNumber, truncate(error), next, state.equals("DELIVERED") ? now : null);
            }
            return null;
        });
    }

    /** Outbox rows by state, for summaries and tests. */
    public Map<String, Long> incidentOutboxCounts() {
        return store.inTransaction(connection -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT state, COUNT(*) FROM incident_outbox GROUP BY state");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        });
    }
}
