package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.utc;

import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** How far each discovery (the reconcile poll) has recorded every conversation; it never moves backwards. */
public final class Watermarks {

    private final LedgerStore store;
    private final ConversationIntake intake;

    public Watermarks(LedgerStore store, ConversationIntake intake) {
        this.store = store;
        this.intake = intake;
    }

    /** Up to when the named discovery has recorded every conversation; null before its first complete window. */
    public Instant watermark(String name) {
        return store.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT covered_until FROM discovery_watermark WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getObject(1, OffsetDateTime.class).toInstant() : null;
                }
            }
        });
    }

    /**
     * Records a window's conversations, then moves the watermark to {@code coveredUntil}: the watermark never passes
     * a conversation that is not in the ledger (a crash in between only repeats an idempotent intake), and it never
     * moves backwards.
     */
    public IntakeReceipt recordDiscoveredWindow(String name, List<ConversationWork> discovered, Instant coveredUntil) {
        IntakeReceipt receipt = discovered.isEmpty() ? IntakeReceipt.empty(null) : intake.recordIntake(discovered);
        store.inTransaction(connection -> {
            Instant now = store.now();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE discovery_watermark SET covered_until = ?, updated_at = ? WHERE name = ? AND covered_until < ?")) {
                update.setObject(1, utc(coveredUntil));
                update.setObject(2, utc(now));
                update.setString(3, name);
                update.setObject(4, utc(coveredUntil));
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement exists = connection.prepareStatement(
                            "SELECT 1 FROM discovery_watermark WHERE name = ?")) {
                        exists.setString(1, name);
                        try (ResultSet row = exists.executeQuery()) {
                            if (row.next()) {
                                return null;
                            }
                        }
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO discovery_watermark (name, covered_until, updated_at) VALUES (?, ?, ?)")) {
                        insert.setString(1, name);
                        insert.setObject(2, utc(coveredUntil));
                        insert.setObject(3, utc(now));
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
        return receipt;
    }
}
