package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.utc;
import static io.recordingexporter.ledger.LedgerStore.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The legal holds the ledger records for conversations and their recordings; a hold is never taken back. */
public final class LegalHoldRecords {

    private final LedgerStore store;

    public LegalHoldRecords(LedgerStore store) {
        this.store = store;
    }

    /**
     * The recordings of a conversation that came under hold get it too (a held one keeps its sources); stored ones
     * then get a new sidecar version and their Object Lock hold from the routes that carry late holds to S3.
     */
    static void holdRecordings(Connection connection, String conversationId, String sources, Instant now)
            throws SQLException {
        execute(connection, "UPDATE recording_item SET legal_hold = TRUE, legal_hold_source = ?, updated_at = ?"
                + " WHERE conversation_id = ? AND legal_hold = FALSE", sources, now, conversationId);
    }

    /** Conversations received since {@code since} and not under legal hold, in id order after {@code afterId}. */
    public List<String> unheldConversations(Instant since, String afterId, int limit) {
        return store.inTransaction(connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT conversation_id FROM conversation_work WHERE legal_hold = FALSE AND received_at >= ?"
                            + " AND conversation_id > ? ORDER BY conversation_id FETCH FIRST ? ROWS ONLY")) {
                select.setObject(1, utc(since));
                select.setString(2, afterId);
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    /**
     * Puts a conversation, and every recording of it the ledger has, under legal hold from {@code source}; returns
     * those recordings (stored ones need the hold on their S3 objects too).
     */
    public List<String> applyLegalHold(String conversationId, String source) {
        return store.inTransaction(connection -> {
            Instant now = store.now();
            for (String table : List.of("conversation_work", "recording_item")) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET legal_hold = TRUE, legal_hold_source = CASE WHEN legal_hold_source IS NULL THEN ?"
                        + " ELSE legal_hold_source || ',' || ? END, updated_at = ?"
                        + " WHERE conversation_id = ? AND legal_hold = FALSE")) {
                    update.setString(1, source);
                    update.setString(2, source);
                    update.setObject(3, utc(now));
                    update.setString(4, conversationId);
                    update.executeUpdate();
                }
            }
            List<String> recordings = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT recording_id FROM recording_item WHERE conversation_id = ? ORDER BY recording_id")) {
                select.setString(1, conversationId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        recordings.add(rows.getString(1));
                    }
                }
            }
            return recordings;
        });
    }
}
