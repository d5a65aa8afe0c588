package io.recordingexporter.ledger;

import io.recordingexporter.domain.RecordingItem;
import java.time.Instant;
import java.util.UUID;

/**
 * Whether the org's recording restoration allowance (the share of it the exporter may spend) is used up, shared by
 * every replica so that the exhaustion is told once: one incident, one audit entry, one warning, until a restore is
 * permitted again.
 */
public final class RestoreAllowanceRecord {

    private final LedgerStore store;

    public RestoreAllowanceRecord(LedgerStore store) {
        this.store = store;
    }

    /**
     * Notes the allowance as used up; true for the one caller that found it available (it alone tells), which also
     * queues the incident ({@code correlationId}, about {@code item}) in the same transaction. Later callers get false.
     */
    public boolean markExhausted(RecordingItem item, String correlationId, String failureClass, String error) {
        return store.inTransaction(connection -> {
            Instant now = store.now();
            if (LedgerStore.execute(connection, "UPDATE restore_allowance SET exhausted_since = ? WHERE id = 1"
                    + " AND exhausted_since IS NULL", now) != 1) {
                return false;
            }
            LedgerStore.execute(connection, "INSERT INTO incident_outbox (outbox_id, correlation_id, lane,"
                    + " failure_class, recording_id, conversation_id, error, state, attempts, next_attempt_at,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)",
                    UUID.randomUUID().toString(), correlationId, item.lane(), failureClass, item.recordingId(),
                    item.conversationId(), LedgerStore.truncate(error), now, now, now);
            return true;
        });
    }

    /** A restore was permitted: the next exhaustion is told again. */
    public void markAvailable() {
        store.inTransaction(connection -> LedgerStore.execute(connection,
                "UPDATE restore_allowance SET exhausted_since = NULL WHERE id = 1 AND exhausted_since IS NOT NULL"));
    }
}
